"""Check our Label Studio export against Label Studio's own SDK (``label-studio-sdk``).

The SDK pins numpy, pandas and opencv versions that would change the project's environment, so it
is not a test dependency: this script installs it into a venv of its own (``--venv``, made on first
use from the package registry) and validates there what glossator exported from the seeds and their
gold: the labelling config parses, and every annotation and prediction is valid for it
(``LabelInterface.validate_annotation`` / ``validate_prediction``). Prints one line per file and
exits non-zero on the first invalid one.

    python scripts/check_labelstudio.py [--venv /tmp/ls-sdk-venv]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDK = "label-studio-sdk==2.1.2"
CHECK = """
import json, sys
from label_studio_sdk.label_interface import LabelInterface
config, *files = sys.argv[1:]
interface = LabelInterface(open(config, encoding="utf-8").read())
for name in files:
    tasks = json.load(open(name, encoding="utf-8"))
    annotations = [a for t in tasks for a in t.get("annotations", [])]
    predictions = [p for t in tasks for p in t.get("predictions", [])]
    bad = [a for a in annotations if not interface.validate_annotation(a)]
    bad += [p for p in predictions if not interface.validate_prediction(p)]
    print(f"{name}: {len(tasks)} tasks, {len(annotations)} annotations, {len(predictions)} predictions, "
          f"{len(bad)} invalid")
    if bad:
        sys.exit(1)
"""


def glossator(*args: str, cwd: Path) -> None:
    """Run the glossator CLI of this checkout."""
    subprocess.run([sys.executable, "-c", "from cli.main import main; main()", *args], cwd=cwd, check=True,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "glossator-ls-sdk")
    options = parser.parse_args()
    python = options.venv / "bin" / "python"
    if not python.exists():
        venv.create(options.venv, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", SDK], check=True)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        glossator("ingest", "--db", "g.db", str(ROOT / "seeds"), cwd=here)
        glossator("import", "--db", "g.db", str(ROOT / "tests" / "data" / "seeds_gold.jsonl"), cwd=here)
        glossator("suggest", "--db", "g.db", cwd=here)
        glossator("export", "--db", "g.db", "--format", "labelstudio", "-o", "gold.json", cwd=here)
        glossator("export", "--db", "g.db", "--format", "labelstudio", "--what", "suggestions",
                  "-o", "suggestions.json", cwd=here)
        glossator("export", "--db", "g.db", "--format", "labelstudio-config", "-o", "config.xml", cwd=here)
        return subprocess.run([str(python), "-c", CHECK, "config.xml", "gold.json", "suggestions.json"],
                              cwd=here).returncode


if __name__ == "__main__":
    sys.exit(main())
