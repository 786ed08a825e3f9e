"""The command line as a user runs it: no traceback, the exit code checked.

``run`` calls the typer app in this process (typer's ``CliRunner``): starting a Python that imports
spaCy for every command cost seconds each. Tests about the real process (signals, SIGKILL, streams,
a pty, a device) start a real child (tests/reliability/support.py).
"""

import contextlib
import gc
import os
import traceback
from dataclasses import dataclass

from typer.testing import CliRunner

from tests.paths import ROOT


@dataclass(frozen=True)
class Ran:
    """What a finished command left: the fields of ``subprocess.CompletedProcess`` the tests read."""

    returncode: int
    stdout: str
    stderr: str


def _env(env):
    """The environment of a command: alice, ``GLOSSATOR_DB`` unset unless ``env`` sets it."""
    full_env = {**os.environ, "GLOSSATOR_ANNOTATOR": "alice", **(env or {})}
    if env is None or "GLOSSATOR_DB" not in env:
        full_env.pop("GLOSSATOR_DB", None)
    return full_env


def _checked(proc, check):
    assert "Traceback" not in proc.stderr, proc.stderr
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    return proc


def run(*args, cwd=None, env=None, check=None):
    """``glossator ARGS`` as alice (``GLOSSATOR_DB`` unset unless ``env`` sets it), from the repo root by default.

    In this process; an exception the CLI let escape is a traceback, as it would be on a terminal.
    """
    from cli.main import app

    full_env = _env(env)
    # CliRunner's env= only adds or overrides; a variable to unset must be given as None.
    runner_env = {**full_env, **{k: None for k in os.environ if k not in full_env}}
    with contextlib.chdir(cwd or ROOT):
        result = CliRunner().invoke(app, list(args), env=runner_env, catch_exceptions=True)
    # A process's end closes its connections (checkpointing the -wal into the file); here the
    # command's service is garbage: collect it now, so that a copy of the file holds everything.
    gc.collect()
    stderr = result.stderr
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        if isinstance(result.exception, KeyboardInterrupt):  # what cli.main.main does with it
            stderr += "interrupted\n"
            code = 130
        else:
            stderr += "".join(traceback.format_exception(result.exception))
    return _checked(Ran(code, result.stdout, stderr), check)

