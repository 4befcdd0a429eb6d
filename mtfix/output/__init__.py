"""Output: the repaired text, the word-level diff, and the JSON report."""
