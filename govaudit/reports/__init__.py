"""Outputs made from findings: JSON, the HTML report, later the score sheet and bundles."""
