"""verity check [TEXT | -] [--json] [--question Q] [--evidence FILE] [--kb DIR]
[--model URL|PATH|default] [--samples N] [--cove]"""
from __future__ import annotations

import argparse
import sys

from ._io import UsageError, dump, read_file, read_text


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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import check

    text = read_text(args.text)
    evidence = [read_file(f) for f in args.evidence or ()]
    kb = None
    if args.kb:
        try:
            from kb import KnowledgeBase
            kb = KnowledgeBase.open(args.kb)
        except (FileNotFoundError, ValueError) as exc:
            raise UsageError(f"cannot open knowledge base {args.kb}: {exc}") from None
    if args.samples < 1:
        raise UsageError("--samples must be at least 1")
    if args.samples > 1 and not (args.model and args.question):
        raise UsageError("--samples needs --model to sample from and --question to ask it")
    llm = None
    if args.model:
        try:
            from ..llm import as_llm
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
