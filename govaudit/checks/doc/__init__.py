"""doc.* rules."""
