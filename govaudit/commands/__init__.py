"""Subcommands of `govaudit`: one module each, with register(subparsers)."""
