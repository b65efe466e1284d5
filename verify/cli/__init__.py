"""The `verity` command: parse arguments, call the public API, print text or JSON.

Exit codes (every verb): 0 all verified / success; 1 something refuted, flagged or
corrected (or a batch line was unreadable); 2 bad usage or the whole input unreadable.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Sequence

from verify import __version__
from verify.batch import InputError

from ._io import UsageError

#: One module per verb in this package; each exposes ``register(subparsers)`` that adds its
#: parser and sets ``func(args) -> exit code``. Adding a verb touches no other verb.
COMMANDS: tuple[str, ...] = ("check", "invoice", "logic", "math", "kb", "ask", "demo", "schema",
                             "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verity", description="Check what an LLM says: exact engines and grounded evidence.")
    parser.add_argument("--version", action="version", version=f"verity {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # verb not part of this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)],
        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.func(args))
    except (UsageError, InputError) as exc:
        print(f"verity {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
