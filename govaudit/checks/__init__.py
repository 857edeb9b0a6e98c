"""Check modules: one rule per module, grouped by family. See checks/registry.py."""
