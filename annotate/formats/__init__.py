"""Data in and out. ``registry`` is the one table of formats (name → exporter, importer, folder or
file, description); one module per format holds its export and its import (``jsonl``, ``spacy``,
``doccano``, ``conll``, ``brat`` with ``brat_conf``, ``labelstudio``); they stand on shared modules
that import no format: ``records`` (the export record of an article), ``filters``, ``reports``,
``losses``, ``outputs`` (line files, folders), ``shapes`` and ``validate`` (import checks),
``import_write``, and the output-target policy with its atomic writers (``targets``, ``atomic``)."""
