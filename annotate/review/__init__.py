"""One article under review: its state (gold and pending), review statuses, tokens for the cursor, the events timeline."""
