"""Grounding benchmark: does the judge verify grounded answers and flag the rest?

The given evidence is the only source (no retrieval, no LLM unless asked):
  (a) HaluEval QA dev (knowledge, question, right / hallucinated answer),
  (b) FRANK valid (article, model summary; Factuality 1.0 = no error),
  (c) sentences of the OpenStax Prealgebra 2e textbook as written vs with one number,
      name or unit altered, judged against their module's text.
Systems, side by side in one run: the naive novel-word baseline, the deterministic checks
alone, the default judge (deterministic + embedding), and the LLM judge (SmolLM2 via
``verify.llm.default_llm()``, on a small subset: it is slow and weak). "Flagged" is the
positive class. Every threshold lives as a named constant in ``verify/judges``; nothing is
fitted here. Development used the first half of each file; both halves are reported.

    .venv/bin/python benchmarks/grounding.py [--limit N] [--llm-limit N] [--no-llm]
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from verify.claims.decompose import decompose  # noqa: E402
from verify.claims.nlp import STOPWORDS, names, tokens, values  # noqa: E402
from verify.judges import call_judge  # noqa: E402
from verify.judges.base import Passage  # noqa: E402

MAX_TEXTBOOK_PAIRS = 400   # sentences taken from the textbook (each also altered: 2× pairs)
TEXTBOOK_SEED = 7


@dataclass(frozen=True)
class Item:
    answer: str
    evidence: str
    question: str | None
    flagged: bool  # ground truth: should be flagged


# --------------------------------------------------------------------------- datasets

def halueval(limit: int | None) -> list[Item]:
    rows = [json.loads(l) for l in open(DATA / "halueval-qa-dev.jsonl", encoding="utf-8") if l.strip()]
    out = []
    for r in rows[:limit]:
        out.append(Item(r["right_answer"], r["knowledge"], r["question"], False))
        out.append(Item(r["hallucinated_answer"], r["knowledge"], r["question"], True))
    return out


def frank(limit: int | None) -> list[Item]:
    rows = [json.loads(l) for l in open(DATA / "frank-valid.jsonl", encoding="utf-8") if l.strip()]
    return [Item(" ".join(r["summary_lines"]), r["article"], None, float(r["Factuality"]) < 1.0)
            for r in rows[:limit]]


_UNIT_SWAPS = {"inches": "feet", "feet": "inches", "inch": "foot", "foot": "inch", "miles": "kilometers",
               "pounds": "ounces", "ounces": "pounds", "cups": "quarts", "quarts": "cups",
               "minutes": "hours", "hours": "minutes", "meters": "centimeters", "centimeters": "meters",
               "gallons": "liters", "liters": "gallons", "degrees": "percent", "percent": "degrees",
               "dollars": "cents", "cents": "dollars", "days": "weeks", "weeks": "days",
               "years": "months", "months": "years", "grams": "kilograms", "kilograms": "grams"}


def _alter(sentence: str, module_names: Sequence[str], rng: random.Random) -> str | None:
    """The sentence with one number, name or unit changed (None when nothing to change)."""
    choices = []
    for v in values(sentence):
        if v.kind in ("number", "year", "ordinal") and re.fullmatch(r"\d+", v.surface.strip()):
            n = int(v.surface)
            new = n + rng.choice([1, 2, 3, 10]) if n < 1000 else n + 100
            choices.append((v.start, v.end, str(new)))
    for m in re.finditer(r"\b(" + "|".join(_UNIT_SWAPS) + r")\b", sentence):
        choices.append((m.start(), m.end(), _UNIT_SWAPS[m.group(1)]))
    for n in names(sentence):
        others = [o for o in module_names if o.lower() != n.text.lower() and " " not in o and o.isalpha()]
        if n.start > 0 and others and n.text.isalpha():
            choices.append((n.start, n.end, rng.choice(others)))
    if not choices:
        return None
    s, e, new = rng.choice(choices)
    return sentence[:s] + new + sentence[e:]


def textbook(limit: int | None) -> list[Item]:
    from kb.cnxml import read_module  # the kb's own reader (no verify import inside kb)

    rng = random.Random(TEXTBOOK_SEED)
    mods = sorted((DATA / "openstax-prealgebra-2e" / "modules").glob("*/index.cnxml"))
    cands: list[tuple[str, str, list[str]]] = []
    for path in mods:
        doc = read_module(path, str(path))
        text = doc.text
        mnames = sorted({n.text for n in names(text)})
        from verify.claims.nlp import sentences
        for s, e in sentences(text):
            sent = text[s:e].strip()
            words = sent.split()
            if not 6 <= len(words) <= 35 or "\n" in sent or not sent.endswith("."):
                continue
            if not (values(sent) or any(n.start > 0 for n in names(sent))):
                continue
            cands.append((sent, text, mnames))
    rng.shuffle(cands)
    out: list[Item] = []
    for sent, text, mnames in cands:
        alt = _alter(sent, mnames, rng)
        if alt is None or alt == sent:
            continue
        out.append(Item(sent, text, None, False))
        out.append(Item(alt, text, None, True))
        if len(out) >= 2 * min(MAX_TEXTBOOK_PAIRS, limit or MAX_TEXTBOOK_PAIRS):
            break
    return out


# --------------------------------------------------------------------------- systems

def naive(item: Item) -> bool:
    known = {t.lower for t in tokens(item.evidence)} | {t.lower for t in tokens(item.question or "")}
    return any(t.lower not in known for t in tokens(item.answer) if t.lower not in STOPWORDS)


def judged(judge) -> Callable[[Item], bool]:
    def run(item: Item) -> bool:
        claims = decompose(item.answer, item.question)
        if not claims:
            return True
        ev = [Passage(item.evidence, "evidence[0]")]
        for c in claims:
            if call_judge(judge, c.text, ev, item.question).label != "supported":
                return True
        return False
    return run


# --------------------------------------------------------------------------- scoring

def score(system: Callable[[Item], bool], items: Sequence[Item]) -> dict[str, float]:
    t = time.perf_counter()
    preds = [system(i) for i in items]
    dt = time.perf_counter() - t
    tp = sum(p and i.flagged for p, i in zip(preds, items))
    fp = sum(p and not i.flagged for p, i in zip(preds, items))
    pos = sum(i.flagged for i in items)
    neg = len(items) - pos
    tpr = tp / pos if pos else 0.0
    tnr = (neg - fp) / neg if neg else 0.0
    return {"bacc": (tpr + tnr) / 2, "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tpr,
            "rate": len(items) / dt if dt else float("inf"), "n": len(items)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="items per dataset file (default: all)")
    ap.add_argument("--llm-limit", type=int, default=20, help="items per half for the LLM judge")
    ap.add_argument("--no-llm", action="store_true", help="skip the LLM judge")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from verify.judges.default import DefaultJudge
    from verify.judges.deterministic import DeterministicJudge

    systems: list[tuple[str, Callable[[Item], bool], int | None]] = [
        ("naive novel-word baseline", naive, None),
        ("deterministic checks", judged(DeterministicJudge()), None),
        ("default judge (checks + MiniLM)", judged(DefaultJudge()), None),
    ]
    if not args.no_llm:
        from verify.judges.llm import LLMJudge
        from verify.llm import default_llm
        systems.append(("LLM judge (SmolLM2-135M)", judged(LLMJudge(default_llm())), args.llm_limit))

    datasets = [("HaluEval QA", halueval(args.limit // 2 if args.limit else None)),
                ("FRANK", frank(args.limit)), ("Prealgebra 2e sentences", textbook(args.limit))]
    print("| dataset | half | system | n | balanced acc. | precision | recall | pairs/s |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for dname, items in datasets:
        # HaluEval and the textbook come in (grounded, flagged) pairs: split between pairs
        cut = len(items) // 2 - (len(items) // 2) % 2 if dname != "FRANK" else len(items) // 2
        for half, part in (("dev (1st)", items[:cut]), ("test (2nd)", items[cut:])):
            for sname, system, cap in systems:
                sub = part if cap is None else _balanced_subset(part, cap)
                m = score(system, sub)
                print(f"| {dname} | {half} | {sname} | {m['n']} | {m['bacc']:.3f} | {m['precision']:.3f} | "
                      f"{m['recall']:.3f} | {m['rate']:.1f} |", flush=True)
    return 0


def _balanced_subset(items: Sequence[Item], n: int) -> list[Item]:
    pos = [i for i in items if i.flagged][: n // 2]
    neg = [i for i in items if not i.flagged][: n - n // 2]
    return pos + neg


if __name__ == "__main__":
    raise SystemExit(main())
