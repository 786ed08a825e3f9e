"""Articles in: reading files into the store (ingest), finding boilerplate and metadata (cleaning), safe JSONL input."""
