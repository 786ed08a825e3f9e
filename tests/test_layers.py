"""The layering contracts (cli → tui → annotate → store) are checked by import-linter."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    exe = str(lint) if lint.exists() else shutil.which("lint-imports")
    assert exe, "import-linter is a dev dependency"
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Every contract of pyproject.toml is counted: one silently dropped would not show otherwise.
    declared = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", proc.stdout)
    assert summary, proc.stdout
    assert (int(summary[1]), int(summary[2])) == (declared, 0), proc.stdout


def test_opening_the_service_loads_no_model():
    code = ("import sys; from annotate.service import Service; import cli.main; "
            "print('spacy' in sys.modules, 'textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stderr
