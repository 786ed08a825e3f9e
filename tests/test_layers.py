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


def test_starting_the_cli_loads_no_clustering():
    # Every command starts by importing cli.main; numpy, rapidfuzz and the duplicate clustering cost
    # about a quarter of a second there and only the commands that match names need them.
    code = ("import sys; import cli.main; "
            "print(*(m in sys.modules for m in ('numpy', 'rapidfuzz', 'annotate.entities.matching.duplicates')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False", "False"], out.stderr


def test_starting_the_cli_loads_no_unused_format_or_pool():
    # `glossator import` of JSONL (issue 12.5) starts by importing cli.main: the brat and Label
    # Studio readers (XML and HTTP modules among theirs), multiprocessing and Rich cost ~80 ms of
    # it and are imported by the commands that use them.
    names = ("annotate.formats.brat", "annotate.formats.labelstudio", "xml.sax.saxutils", "multiprocessing",
             "concurrent.futures.process", "rich")
    code = f"import sys; import cli.main; print(*(m in sys.modules for m in {names!r}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False"] * len(names), out.stderr


def test_the_format_table_loads_each_format_when_used():
    from annotate.formats import brat, jsonl, labelstudio
    from annotate.formats.registry import FORMATS, import_names

    assert FORMATS["jsonl"].importer is jsonl.import_jsonl and FORMATS["brat"].exporter is brat.export_brat
    assert FORMATS["labelstudio-config"].exporter is labelstudio.export_config
    assert FORMATS["spacy"].importer is None
    assert import_names() == ("jsonl", "doccano", "brat", "labelstudio")


def test_the_matching_package_still_exports_its_names():
    from annotate.entities import matching
    from annotate.entities.matching.duplicates import find_duplicates
    from annotate.entities.matching.index import Candidate

    assert matching.find_duplicates is find_duplicates
    assert matching.Candidate is Candidate
    assert sorted(matching.__all__) == sorted(
        ["Candidate", "Cluster", "EntityIndex", "find_duplicates", "normalise_name"])
    try:
        matching.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
