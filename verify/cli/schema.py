"""verity schema [NAME]: print the JSON Schema of an output (report, invoice, logic, ...)."""
from __future__ import annotations

import argparse
import json
from importlib import resources

from ._io import UsageError


def available() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("verify.schemas").iterdir()
                  if p.name.endswith(".json"))


def load(name: str) -> dict:
    if name not in available():
        raise UsageError(f"no schema named {name!r}; available: {', '.join(available())}")
    return json.loads(resources.files("verify.schemas").joinpath(f"{name}.json").read_text())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of an output")
    p.add_argument("name", nargs="?", help="schema name; omit to list them")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.name:
        print("\n".join(available()))
        return 0
    print(json.dumps(load(args.name), indent=2))
    return 0
