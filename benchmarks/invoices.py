"""Invoice benchmark: detection and exact restoration of one corrupted field.

Generates (seeded) invoices of 1–50 lines in USD, EUR, JPY and BHD — whole and fractional
quantities, unit prices with extra decimals, discounts, shipping, mixed VAT rates — and
corrupts one field in half of them (off by one minor unit, off by ten, two digits swapped,
or a tax computed at the wrong rate). The generator computes every value with its own
exact arithmetic, independent of the engine, and keeps only corruptions that really break
a constraint. It reports, for ``verify.check_invoice`` and for a plain-decimal baseline run
on the same invoices: corrupted invoices detected, exact field + value restored (overall and
where the engine found the correction unique), false flags on the clean half, ambiguous
cases (and whether the intended fix is among the alternatives), invoices/s and p50/p99
latency, plus p99 on a separate set of 50-line invoices.

The baseline recomputes every derived value from the stated inputs and "corrects" every
derived field that differs — the obvious fix, which is right for a corrupted derived value
and wrong for a corrupted quantity or unit price.

    .venv/bin/python benchmarks/invoices.py            # 3,000 invoices + 300 of 50 lines
    .venv/bin/python benchmarks/invoices.py --quick    # 400 + 60
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CURRENCIES = (("USD", 2), ("EUR", 2), ("JPY", 0), ("BHD", 3))
RATES = ("0.05", "0.07", "0.0825", "0.1", "0.18", "0.19", "0.2", "0.21")
FIELDS = ("amount", "amount", "subtotal", "tax", "total", "quantity", "unit_price")
KINDS = ("cent", "ten", "swap")


@dataclass(frozen=True)
class Case:
    id: str
    invoice: dict
    lines: int
    field: str | None = None      # the corrupted field path (None: a clean invoice)
    kind: str | None = None
    original: Decimal | None = None


def _q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _money(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def recompute(inv: dict, places: int) -> dict[str, Decimal]:
    """Every derived value from the stated inputs (independent of verify's code)."""
    amounts, groups = [], defaultdict(Decimal)
    invoice_rate = Decimal(inv["tax_rate"])
    out = {}
    for i, line in enumerate(inv["lines"]):
        a = _q(Decimal(str(line["quantity"])) * Decimal(line["unit_price"]), places)
        out[f"lines[{i}].amount"] = a
        amounts.append(a)
        groups[Decimal(line.get("tax_rate", inv["tax_rate"]))] += a
    sub = sum(amounts, Decimal(0))
    disc = Decimal(inv.get("discount", "0"))
    if len(groups) > 1:
        tax = sum((_q(base * rate, places) for rate, base in groups.items()), Decimal(0))
    else:
        tax = _q((sub - disc) * invoice_rate, places)
    out.update(subtotal=sub, tax=tax, total=sub - disc + tax + Decimal(inv.get("shipping", "0")))
    return out


def stated(inv: dict, path: str) -> Decimal:
    if path.startswith("lines["):
        i, name = int(path[6:path.index("]")]), path.split(".")[1]
        return Decimal(str(inv["lines"][i][name]))
    return Decimal(inv[path])


def inconsistencies(inv: dict, places: int) -> dict[str, Decimal]:
    """The baseline: every derived field whose stated value differs from the plain-decimal
    recomputation from the stated inputs, with the recomputed value as its "correction"."""
    return {path: value for path, value in recompute(inv, places).items() if stated(inv, path) != value}


def make_invoice(rng: random.Random, n_lines: int, index: int) -> tuple[dict, int]:
    currency, places = rng.choice(CURRENCIES)
    unit = Decimal(1).scaleb(-places)
    rate = rng.choice(RATES)
    mixed = rng.random() < 0.15 and n_lines > 1
    lines = []
    for i in range(n_lines):
        if rng.random() < 0.15:
            qty: Any = str(Decimal(rng.randint(1, 60)) / 4)        # 0.25 … 15 hours
        else:
            qty = rng.randint(1, 20)
        price = Decimal(rng.randint(1, 50_000)) * unit
        if places == 2 and rng.random() < 0.1:
            price = Decimal(rng.randint(1, 50_000)) / 1000         # a 3-decimal unit price
        line = {"description": f"item {i + 1}", "quantity": qty, "unit_price": str(price)}
        if mixed and rng.random() < 0.4:
            line["tax_rate"] = rng.choice([r for r in RATES if r != rate])
        lines.append(line)
    inv: dict[str, Any] = {"id": f"inv{index}", "currency": currency, "lines": lines, "tax_rate": rate}
    fixed = recompute(inv, places)
    for i, line in enumerate(lines):
        line["amount"] = _money(fixed[f"lines[{i}].amount"], places)
    sub = fixed["subtotal"]
    if not mixed and rng.random() < 0.2:
        inv["discount"] = _money(_q(sub * Decimal(rng.choice(("0.05", "0.1"))), places), places)
    if rng.random() < 0.3:
        inv["shipping"] = _money(Decimal(rng.randint(1, 3000)) * unit, places)
    fixed = recompute(inv, places)
    inv.update(subtotal=_money(fixed["subtotal"], places), tax=_money(fixed["tax"], places),
               total=_money(fixed["total"], places))
    return inv, places


def _swap(text: str, rng: random.Random) -> str | None:
    spots = [i for i in range(len(text) - 1)
             if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return swapped if not (swapped.startswith("0") and swapped[1:2].isdigit()) else None


def corrupt(rng: random.Random, inv: dict, places: int) -> tuple[dict, str, str, Decimal] | None:
    """One field changed so that the invoice no longer adds up (None if this draw cannot)."""
    bad = {**inv, "lines": [dict(line) for line in inv["lines"]]}
    name = rng.choice(FIELDS)
    path = f"lines[{rng.randrange(len(inv['lines']))}].{name}" \
        if name in ("amount", "quantity", "unit_price") else name
    kind = rng.choice(KINDS + (("wrong_tax",) if name == "tax" else ()))
    original = stated(inv, path)
    unit = Decimal(1).scaleb(-places)
    if name == "quantity":
        whole = original == original.to_integral_value()
        step = Decimal(1) if whole else Decimal("0.25")
        new = {"cent": original + step if original <= step or rng.random() < 0.5 else original - step,
               "ten": original + 10}.get(kind)
        if kind == "swap":
            s = _swap(str(inv["lines"][int(path[6:path.index("]")])]["quantity"]), rng)
            new = Decimal(s) if s else original + 10
        value: Any = int(new) if whole and new == new.to_integral_value() else str(new)
    else:
        if kind == "cent":
            new = original + unit if original < unit * 2 or rng.random() < 0.5 else original - unit
        elif kind == "ten":
            new = original + 10
        elif kind == "wrong_tax":
            base = stated(inv, "subtotal") - Decimal(inv.get("discount", "0"))
            wrong = rng.choice([r for r in RATES if Decimal(r) != Decimal(inv["tax_rate"])])
            new = _q(base * Decimal(wrong), places)
        else:
            s = _swap(_money(original, max(places, -original.as_tuple().exponent)), rng)
            new = Decimal(s) if s else original + 10
        value = str(new)
    if new == original or new < 0:
        return None
    if path.startswith("lines["):
        bad["lines"][int(path[6:path.index("]")])][name] = value
    else:
        bad[path] = value
    if not inconsistencies(bad, places):
        return None  # the change happens to leave the invoice consistent (e.g. rounding)
    return bad, path, kind, original


def generate(seed: int, count: int, lines: tuple[int, int] = (1, 50)) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        inv, places = make_invoice(rng, rng.randint(*lines), n)
        if n % 2:
            for _ in range(20):
                hit = corrupt(rng, inv, places)
                if hit:
                    bad, path, kind, original = hit
                    cases.append(Case(inv["id"], bad, len(inv["lines"]), path, kind, original))
                    break
            else:
                cases.append(Case(inv["id"], inv, len(inv["lines"])))
        else:
            cases.append(Case(inv["id"], inv, len(inv["lines"])))
    return cases


@dataclass(frozen=True)
class Outcome:
    detected: bool
    restored: bool
    ambiguous: bool
    intended_among: bool
    status: str
    ms: float


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def score_verity(case: Case, timeout: float = 10.0) -> Outcome:
    from verify import check_invoice

    t = time.perf_counter()
    report = check_invoice(case.invoice, timeout=timeout)
    ms = (time.perf_counter() - t) * 1000
    target = [(case.field, case.original)]
    fixes = [(c.field, _decimal(c.to)) for c in report.corrections]
    alts = [[(c.field, _decimal(c.to)) for c in alt] for alt in report.alternatives]
    return Outcome(report.status != "verified", report.status == "corrected" and fixes == target,
                   report.ambiguous, target in alts, report.status, ms)


def score_baseline(case: Case) -> Outcome:
    t = time.perf_counter()
    places = dict(CURRENCIES)[case.invoice["currency"]]
    found = inconsistencies(case.invoice, places)
    ms = (time.perf_counter() - t) * 1000
    restored = sorted(found.items()) == [(case.field, case.original)]
    return Outcome(bool(found), restored, False, False, "corrected" if found else "verified", ms)


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else "–"


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def run(cases: list[Case], big: list[Case], timeout: float = 10.0) -> dict[str, Any]:
    """Score both checkers; the numbers the table prints."""
    from verify import check_invoice

    check_invoice({"subtotal": "1", "total": "1"})  # warm the imports (z3) outside the timings
    res: dict[str, Any] = {}
    for name, scorer in (("verity", lambda c: score_verity(c, timeout)), ("baseline", score_baseline)):
        t0 = time.perf_counter()
        outs = [scorer(c) for c in cases]
        wall = time.perf_counter() - t0
        big_ms = [scorer(c).ms for c in big]
        bad = [(c, o) for c, o in zip(cases, outs) if c.field]
        clean = [o for c, o in zip(cases, outs) if not c.field]
        unique = [(c, o) for c, o in bad if not o.ambiguous]
        by_field: dict[str, Counter] = defaultdict(Counter)
        for c, o in bad:
            key = c.field.split(".")[-1]
            by_field[key]["n"] += 1
            by_field[key]["restored"] += o.restored
            by_field[key]["ambiguous"] += o.ambiguous
            by_field[key]["other"] += not (o.restored or o.ambiguous)
        res[name] = {
            "corrupted": len(bad), "clean": len(clean),
            "detected": sum(o.detected for _, o in bad),
            "restored": sum(o.restored for _, o in bad),
            "unique": len(unique), "restored_unique": sum(o.restored for _, o in unique),
            "ambiguous": sum(o.ambiguous for _, o in bad),
            "ambiguous_intended": sum(o.ambiguous and o.intended_among for _, o in bad),
            "false_flags": sum(o.detected for o in clean),
            "per_s": len(cases) / wall, "p50": _p([o.ms for o in outs], 0.5),
            "p99": _p([o.ms for o in outs], 0.99), "p99_50": _p(big_ms, 0.99),
            "p50_50": _p(big_ms, 0.5),
            "statuses": Counter(o.status for o in outs), "by_field": by_field,
            "misses": [(c, o) for c, o in bad if not (o.restored or o.ambiguous)],
        }
    return res


def table(res: dict[str, Any], n_big: int) -> str:
    v, b = res["verity"], res["baseline"]
    rows = [
        ("corrupted invoices detected", _pct(v["detected"], v["corrupted"]), _pct(b["detected"], b["corrupted"])),
        ("exact field + value restored (all corrupted)", _pct(v["restored"], v["corrupted"]),
         _pct(b["restored"], b["corrupted"])),
        ("exact restored where the correction is unique", _pct(v["restored_unique"], v["unique"]), "n/a"),
        ("ambiguous (several minimal corrections)", _pct(v["ambiguous"], v["corrupted"]), "n/a"),
        ("… of which the intended fix is an alternative", _pct(v["ambiguous_intended"], v["ambiguous"]), "n/a"),
        ("false flags on clean invoices (target 0)", _pct(v["false_flags"], v["clean"]), _pct(b["false_flags"], b["clean"])),
        ("invoices / s", f"{v['per_s']:.0f}", f"{b['per_s']:.0f}"),
        ("latency p50 / p99 (ms), 1–50 lines", f"{v['p50']:.1f} / {v['p99']:.1f}", f"{b['p50']:.2f} / {b['p99']:.2f}"),
        (f"latency p50 / p99 (ms), {n_big} invoices of 50 lines", f"{v['p50_50']:.1f} / {v['p99_50']:.1f}",
         f"{b['p50_50']:.2f} / {b['p99_50']:.2f}"),
    ]
    out = ["| metric | Verity (exact + Z3) | plain-decimal baseline |", "|---|---|---|"]
    out += [f"| {a} | {x} | {y} |" for a, x, y in rows]
    out += ["", "| corrupted field | n | Verity restored | Verity ambiguous | Verity other | baseline restored |",
            "|---|---|---|---|---|---|"]
    for key in sorted(v["by_field"]):
        f, g = v["by_field"][key], b["by_field"][key]
        out.append(f"| {key} | {f['n']} | {f['restored']} | {f['ambiguous']} | {f['other']} | {g['restored']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=3000, help="invoices of 1–50 lines (default 3000)")
    ap.add_argument("--big", type=int, default=300, help="extra 50-line invoices for p99 (default 300)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--quick", action="store_true", help="400 + 60 invoices")
    args = ap.parse_args(argv)
    count, n_big = (400, 60) if args.quick else (args.count, args.big)
    cases = generate(args.seed, count)
    big = generate(args.seed + 1, n_big, lines=(50, 50))
    res = run(cases, big)
    print(f"# Invoice benchmark (seed {args.seed}; {count} invoices of 1–50 lines, half corrupted; "
          f"{n_big} invoices of 50 lines)\n")
    print(table(res, n_big))
    misses = res["verity"]["misses"]
    if misses:
        print(f"\nNot restored and not ambiguous ({len(misses)}):")
        for c, o in misses[:15]:
            print(f"- {c.id}: {c.field} ({c.kind}) → status {o.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
