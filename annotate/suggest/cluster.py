"""Computing suggestions on a Dask distributed cluster (``glossator suggest --cluster ADDRESS``).

The driver keeps the database: it plans, sends batches of ``(id, text, regions)`` to the
workers and saves each batch of results as it comes back, so Ctrl-C keeps every batch saved
before it, exactly as a local run does. Each worker builds the suggester once, when the
:class:`SuggesterPlugin` is registered (or when the worker joins later), and keeps it for every
batch; only the small suggestions travel back, never parsed documents.

Workers need glossator with its ``cluster`` extra and the spaCy pipeline installed; a trained
entity recogniser (``glossator train``) is shipped to them with the plugin.

Dask is optional (``pip install glossator[cluster]``): it is imported here only.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotate.suggest.run import Batch, ClusterUnavailable, SuggestPlan

PLUGIN = "glossator-suggester"
IN_FLIGHT_PER_THREAD = 2  # batches queued per worker thread: enough to never idle, bounded memory


try:
    import distributed
except ImportError:  # the extra is not installed: compute() says so
    distributed = None


def _pack(folder: Path | None) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (the trained NER, to rebuild on a worker)."""
    if folder is None or not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _unpack(files: dict[str, bytes]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="glossator-ner-"))
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


class SuggesterPlugin(distributed.WorkerPlugin if distributed else object):  # type: ignore[misc]
    """One suggester per worker; its pipeline is loaded by the first batch and kept for the others.

    Loading in the first task rather than in ``setup`` keeps the worker's event loop free (a
    large pipeline takes seconds to load, and a blocked loop misses its heartbeats)."""

    # Registered under a name per fingerprint: a second run with the same settings finds the
    # workers' pipelines loaded and keeps them; a run with other settings drops the older ones.
    idempotent = True

    def __init__(self, suggester: Any, fingerprint: str) -> None:
        self.fingerprint = fingerprint  # the plan's: batches of another plan are refused
        self.ner = _pack(suggester.learned.ner_dir)
        self.suggester = suggester  # pickled without its pipeline (Suggester.__getstate__)
        self._lock = threading.Lock()
        self._loaded = False

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _lock=threading.Lock())

    def loaded(self) -> Any:
        """The suggester with its pipeline loaded (once per worker, whatever its thread count)."""
        with self._lock:
            if not self._loaded:
                learned = self.suggester.learned
                if self.ner and not (learned.ner_dir and Path(learned.ner_dir).is_dir()):
                    self.suggester.learned = replace(learned, ner_dir=_unpack(self.ner))
                self.suggester.load()
                self._loaded = True
        return self.suggester


def plugin_name(fingerprint: str) -> str:
    """The worker plugin's name for the suggester of ``fingerprint``."""
    return f"{PLUGIN}:{fingerprint}"


def suggest_batch(fingerprint: str, chunk: Sequence[tuple[str, str, tuple]]) -> Batch:
    """Worker side: suggestions for one batch with the worker's suggester."""
    plugin = distributed.get_worker().plugins.get(plugin_name(fingerprint))
    if plugin is None:
        raise RuntimeError(f"this worker has no glossator suggester for {fingerprint} (plugin not registered)")
    return plugin.loaded().suggest_chunk(chunk)


def _plugin_names(dask_scheduler: Any = None) -> list[str]:
    return list(dask_scheduler.worker_plugins) if dask_scheduler is not None else []


def _register(client: Any, plan_: SuggestPlan) -> None:
    """Register this plan's suggester on every worker (and future ones), dropping older ones."""
    name = plugin_name(plan_.fingerprint)
    for old in client.run_on_scheduler(_plugin_names):
        if old.startswith(f"{PLUGIN}:") and old != name:
            client.unregister_worker_plugin(old)
    client.register_plugin(SuggesterPlugin(plan_.suggester, plan_.fingerprint), name=name)


def compute(
    plan_: SuggestPlan,
    address: Any,
    batch_size: int = 32,
    cancelled: Callable[[], bool] = lambda: False,
    connect_timeout: str = "10s",
) -> Iterator[Batch]:
    """Like :func:`annotate.suggest.run.compute`, on the cluster at ``address`` (a scheduler address
    such as ``tcp://host:8786``, or a ``LocalCluster``). Batches come back as they finish, in any
    order; at most a few per worker thread are in flight, so memory stays bounded."""
    if distributed is None:
        raise ClusterUnavailable("suggesting on a cluster needs Dask: pip install 'glossator[cluster]'")
    try:
        client = distributed.Client(address, timeout=connect_timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        _register(client, plan_)
        threads = max(1, sum(client.nthreads().values()))
        chunks = (plan_.items[n:n + batch_size] for n in range(0, len(plan_.items), batch_size))
        pending = distributed.as_completed()
        for chunk in chunks:
            pending.add(client.submit(suggest_batch, plan_.fingerprint, chunk, pure=False))
            if pending.count() >= threads * IN_FLIGHT_PER_THREAD:
                break
        for future in pending:
            yield future.result()
            if cancelled():
                return
            chunk = next(chunks, None)
            if chunk is not None:
                pending.add(client.submit(suggest_batch, plan_.fingerprint, chunk, pure=False))
    finally:
        # Cancels whatever is still running (Ctrl-C, an error, or cancelled()).
        client.close()
