"""Canonical entities: the knowledge base in the store (kb), shipped gazetteers (builtin) and fuzzy matching (matching/)."""
