"""Check modules: one rule per module, grouped by family (see checks/registry.py); the analyses several
rules share live in checks/analyses/ (see its __init__)."""
