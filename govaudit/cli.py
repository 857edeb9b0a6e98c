"""`govaudit` — one command, subcommands discovered from govaudit/commands/*.py.

Each command module defines register(subparsers); its parser sets func=run(args) -> exit code.
Exit codes: 0 done, no `fail` findings; 1 done with `fail` findings; 2 usage or configuration
error; 3 the site could not be crawled at all.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import pkgutil
import sqlite3
import sys

from govaudit import __version__
from govaudit.config import ConfigError
from govaudit.store import StoreError
from govaudit import commands
from govaudit.commands._common import UsageError, setup_logging

EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a program whose output pipe closed
EXIT_STORE = 4  # the store or an output file could not be written (disk full, size limit, read-only)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, exit 2
        self.exit(EXIT_USAGE, f"govaudit: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govaudit", description="Audit government websites for 政务公开 compliance.")
    parser.add_argument("--version", action="version", version=f"govaudit {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"govaudit.commands.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    setup_logging(args.quiet, args.verbose)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here, not at interpreter exit
        return code
    except (ConfigError, UsageError) as e:
        print(f"govaudit: {e}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as e:
        print(f"govaudit: {e}", file=sys.stderr)
        return EXIT_STORE
    except sqlite3.OperationalError as e:  # e.g. disk full while checking or reporting
        print(f"govaudit: cannot write the store: {e}", file=sys.stderr)
        return EXIT_STORE
    except sqlite3.DatabaseError as e:  # e.g. --out holds a govaudit.sqlite that is not a database
        print(f"govaudit: cannot use the store in {getattr(args, 'out', '.')}: {e}", file=sys.stderr)
        return EXIT_STORE
    except BrokenPipeError:  # the reader went away (`govaudit rules | head`): stop quietly, like other tools
        quiet_stdout()
        return EXIT_PIPE
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS):
            raise
        print(f"govaudit: cannot write {e.filename or 'output'}: {e.strerror}", file=sys.stderr)
        return EXIT_STORE
    except KeyboardInterrupt:
        print("govaudit: 已中断", file=sys.stderr)
        return 130


def quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
