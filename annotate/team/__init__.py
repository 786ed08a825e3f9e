"""Several annotators: merging their copies, checking a copy first, agreement and project statistics."""
