"""Annotation logic: ingest, suggestions, canonical entities, export. No textual here."""
