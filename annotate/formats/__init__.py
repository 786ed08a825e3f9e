"""Data in and out: one registry of export formats (JSONL, spaCy, doccano, CoNLL, brat), the importers, and the output-target policy with atomic writers."""
