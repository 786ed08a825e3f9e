"""Record ``import_rows.json``: the rows the imports of tests/annotate/import_rows_support.py write,
run with the code of another tree (the tree before a change to the import, so that the test pins
what that code wrote, not what ours writes).

Usage::

    python tests/data/build_import_rows.py --code /path/to/old/checkout   # write tests/data/import_rows.json

The scenario is this tree's; ``annotate`` and ``store`` are imported from ``--code`` (checked).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, required=True, help="The tree whose code writes the rows.")
    parser.add_argument("-o", "--output", type=Path, default=HERE / "import_rows.json")
    args = parser.parse_args()
    code = args.code.resolve()
    sys.path.insert(0, str(code))
    import annotate

    if not Path(annotate.__file__).resolve().is_relative_to(code):
        sys.exit(f"annotate was imported from {annotate.__file__}, not from {code}")
    spec = importlib.util.spec_from_file_location("import_rows_support", TESTS / "annotate" / "import_rows_support.py")
    support = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(support)
    with tempfile.TemporaryDirectory() as tmp:
        rows = support.import_rows(Path(tmp), HERE / "seeds_gold.jsonl", TESTS.parent / "seeds")
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(support.encode(rows))
    print(f"{args.output}: {sum(len(v) for k, v in rows.items() if k != 'search')} rows from {code}")


if __name__ == "__main__":
    main()
