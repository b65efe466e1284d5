"""verity check [TEXT | -] [--json] [--question Q] [--evidence FILE] [--kb DIR]
[--model URL|PATH|default] [--samples N] [--cove]
verity check --jsonl FILE [--workers N | --ray local|auto|ADDRESS] [--json] [--kb DIR]"""
from __future__ import annotations

import argparse
import sys

from ._io import UsageError, dump, open_kb, read_file, read_text, run_batch


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check the claims in an answer",
                       description="Check every claim in TEXT (or standard input with -).")
    p.add_argument("text", nargs="?", help="the answer to check, or - for standard input")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--question", help="the question the answer replies to")
    p.add_argument("--evidence", action="append", metavar="FILE",
                   help="a file whose text the answer must be grounded in (repeatable)")
    p.add_argument("--kb", metavar="DIR", help="a knowledge base built with `verity kb build`")
    p.add_argument("--policy", default="strict", choices=["strict", "lenient", "permissive"],
                   help="when an answer counts as verified (default: strict)")
    p.add_argument("--timeout", type=float, help="seconds for the whole check")
    p.add_argument("--model", metavar="URL|PATH|default",
                   help="an LLM for translation, sampling and CoVe planning: an OpenAI-compatible "
                        "base URL, a model directory or .gguf file, or 'default' (SmolLM2)")
    p.add_argument("--samples", type=int, default=1, metavar="N",
                   help="self-consistency: sample N answers to --question from --model and vote")
    p.add_argument("--cove", action="store_true",
                   help="chain-of-verification: corrected_text becomes the revised answer")
    p.add_argument("--jsonl", metavar="FILE",
                   help='a batch: JSON Lines {"id", "text", "question"?, "evidence"?} (- = stdin); '
                        "one report per line, in order")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="with --jsonl: worker processes (or Ray CPUs with --ray; default 1)")
    p.add_argument("--ray", metavar="local|auto|ADDRESS",
                   help="with --jsonl: run on Ray ('local' starts one here, 'auto' joins the "
                        "running cluster, or a head node's ADDRESS)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from verify.pipeline import check

    if args.jsonl is not None:
        return run_jsonl(args)
    if args.workers != 1 or args.ray:
        raise UsageError("--workers and --ray go with --jsonl FILE")
    text = read_text(args.text)
    evidence = [read_file(f) for f in args.evidence or ()]
    kb = open_kb(args.kb) if args.kb else None
    if args.samples < 1:
        raise UsageError("--samples must be at least 1")
    if args.samples > 1 and not (args.model and args.question):
        raise UsageError("--samples needs --model to sample from and --question to ask it")
    llm = None
    if args.model:
        try:
            from verify.llm import as_llm
            llm = as_llm(args.model)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"cannot use model {args.model!r}: {exc}") from None
    try:
        report = check(text, question=args.question, evidence=evidence or None, kb=kb,
                       policy=args.policy, timeout=args.timeout, llm=llm,
                       samples=args.samples, cove=args.cove)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        dump(report.to_dict())
    else:
        print(report)
    sys.stdout.flush()
    return 0 if report.ok else 1


def run_jsonl(args: argparse.Namespace) -> int:
    """The batch form: every line checked (in worker processes or on Ray), printed in order
    with a progress bar on stderr; a bad line is an error record and makes the exit code 1."""
    from tqdm import tqdm

    from verify.batch import Options, iter_json_records, run_records

    if args.text is not None or args.evidence or args.model or args.samples != 1 or args.cove:
        raise UsageError("--jsonl takes each line's text, question and evidence from FILE; "
                         "drop TEXT, --evidence, --model, --samples and --cove")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.kb:
        open_kb(args.kb).close()
    source = "standard input" if args.jsonl == "-" else args.jsonl
    records = list(iter_json_records(read_file(args.jsonl), source))
    options = Options(kb=args.kb, policy=args.policy, timeout=args.timeout)
    try:
        results = run_records(records, options, workers=args.workers,
                              backend="ray" if args.ray else "local", ray_address=args.ray)
        bar = tqdm(results, total=len(records), unit="answer", file=sys.stderr,
                   disable=None, dynamic_ncols=True)
        return run_batch(((r["id"], r, None) for r in bar), lambda _id, r: r, args.json,
                         _render, ok=lambda r: r.get("status") == "verified")
    except (RuntimeError, ConnectionError) as exc:  # Ray missing, or no cluster at the address
        raise UsageError(f"cannot run on Ray: {exc}") from None


def _render(result: dict) -> str:
    head = f"{result['id']}: {result['status'].upper()}"
    wrong = [c for c in result["claims"] if c["status"] != "verified"]
    return "\n".join([head] + [f"  {c['status']}: {c['text']}"
                               + (f" → {c['correction']}" if c.get("correction") else "")
                               for c in wrong])
