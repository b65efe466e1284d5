"""verity invoice FILE [--json] [--rounding R] [--tax-mode M] [--currency C] [--timeout S]

FILE is a JSON invoice, JSON Lines (each line an invoice or ``{"id": ..., "invoice": {...}}``),
a CSV with a header row, or a plain-text invoice; ``-`` reads standard input. One result per
invoice (JSON Lines with ``--json``). Exit 0 when every invoice is verified, 1 when anything
was corrected, flagged or unreadable, 2 when the input as a whole cannot be read.
"""
from __future__ import annotations

import argparse
from typing import Any, Iterator

from verify.api.records import invoice_record
from verify.batch import iter_json_records

from ._io import UsageError, read_file, run_batch


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "invoice", help="check that an invoice adds up and find the smallest correction",
        description="Check invoices (JSON, JSON Lines, CSV with a header row, or plain text; "
                    "- for standard input): every line amount, the subtotal, the tax and the "
                    "total, with the minimum-weight correction proved by Z3.")
    p.add_argument("file", help="the invoice file, or - for standard input")
    p.add_argument("--json", action="store_true", help="print one JSON object per invoice")
    p.add_argument("--rounding", default="half-up", choices=["half-up", "half-even"],
                   help="how amounts and taxes are rounded to the minor unit (default: half-up)")
    p.add_argument("--tax-mode", default="subtotal", choices=["subtotal", "per-line"],
                   help="round the tax once on the subtotal (per rate) or on every line")
    p.add_argument("--currency", metavar="CODE",
                   help="ISO 4217 code (sets the minor unit: JPY 0, USD 2, BHD 3); "
                        "overrides the invoice's")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds of solver time per invoice (default: 10)")
    p.set_defaults(func=run)


def _records(text: str, source: str) -> Iterator[tuple[str, Any, str | None]]:
    from verify.engines.invoice.model import from_csv, looks_like_csv

    stripped = text.strip()
    if not stripped:
        raise UsageError(f"{source} is empty")
    if stripped.startswith("["):
        raise UsageError(f"{source}: a JSON array is not accepted; use one object or JSON Lines")
    if stripped.startswith("{"):
        yield from iter_json_records(text, source)
    elif looks_like_csv(stripped):
        rows = from_csv(stripped)
        if not rows:
            raise UsageError(f"{source}: the CSV has a header but no rows")
        for record_id, inv in rows:
            yield record_id, inv, None
    else:
        yield "1", text, None


def _render(result: dict[str, Any]) -> str:
    out = [f"{result['id']}: {result['status'].upper()}: {result['explanation']}"]
    out += [f"  error: {e}" for e in result["errors"]]
    out += [f"  violated: {v['explanation']}" for v in result["violations"]]
    out += [f"  fix: {c['field']}: {c['from']} → {c['to']}" for c in result["corrections"]]
    for n, alt in enumerate(result["alternatives"], start=1):
        out.append(f"  alternative {n}: " + ", ".join(f"{c['field']}: {c['from']} → {c['to']}" for c in alt))
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from verify.engines.invoice.model import minor_units

    if args.currency and minor_units(args.currency) is None:
        raise UsageError(f"unknown currency code {args.currency!r} (use an ISO 4217 code such as "
                         "USD, EUR, JPY, BHD)")
    if not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    opts = dict(currency=args.currency, rounding=args.rounding, tax_mode=args.tax_mode,
                timeout=args.timeout)
    source = "standard input" if args.file == "-" else args.file
    records = _records(read_file(args.file), source)

    return run_batch(records, lambda rid, obj: invoice_record(rid, obj, **opts), args.json,
                     _render, lambda r: r["status"] == "verified")

