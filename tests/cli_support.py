"""Running the command line as a user does, for the CLI tests (restored: the integration branch
imports it but lacked the file; the body is test_cli.py's former ``run``)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import ROOT

GLOSSATOR = [sys.executable, "-c", "from cli.main import main; main()"]


def run(*args, cwd=None, env=None, check=None):
    """Run ``glossator *args`` (annotator alice, no GLOSSATOR_DB unless ``env`` gives one); no traceback."""
    full_env = {**os.environ, "GLOSSATOR_ANNOTATOR": "alice", **(env or {})}
    full_env.pop("GLOSSATOR_DB", None) if env is None or "GLOSSATOR_DB" not in env else None
    proc = subprocess.run([*GLOSSATOR, *args], cwd=cwd or ROOT, env=full_env, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    return proc
