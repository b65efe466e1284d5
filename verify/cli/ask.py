"""verity ask --kb DIR --model URL|PATH|default "question" [--json] [--samples N] [--cove]"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ._io import UsageError, dump, open_kb


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="answer a question from a knowledge base, verified",
                       description="Retrieve passages, let the model answer with citations, "
                                   "verify the answer, print the (corrected) answer and the verdict.")
    p.add_argument("question", help="the question to answer")
    p.add_argument("--kb", required=True, metavar="DIR",
                   help="a knowledge base built with `verity kb build`")
    p.add_argument("--model", default="default", metavar="URL|PATH|default",
                   help="an OpenAI-compatible base URL, a local model directory or .gguf file, "
                        "or 'default' for the packaged SmolLM2 (default)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--samples", type=int, default=1, metavar="N",
                   help="self-consistency: sample N answers and vote (default 1: off)")
    p.add_argument("--cove", action="store_true",
                   help="chain-of-verification: the printed answer is the revised one")
    p.add_argument("-k", type=int, default=5, help="passages to retrieve (default 5)")
    p.add_argument("--timeout", type=float, help="seconds for answering and checking")
    p.set_defaults(func=run)


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    if args.samples < 1:
        raise UsageError("--samples must be at least 1")
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    if not args.question.strip():
        raise UsageError("the question is empty")
    kb = open_kb(args.kb)
    try:
        from verify.llm import as_llm
        llm = as_llm(args.model)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"cannot use model {args.model!r}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - e.g. a model directory that does not load
        raise UsageError(f"cannot load model {args.model!r}: {type(exc).__name__}: {exc}") from None
    return kb, llm


def _cite(c: Any) -> str:
    if isinstance(c, dict):
        where = c.get("section") or c.get("title") or ""
        page = f", p. {c['page']}" if c.get("page") is not None else ""
        return f"{where} ({c.get('source')}{page})" if where else str(c.get("source"))
    return str(c)


def run(args: argparse.Namespace) -> int:
    from verify.api.ask import ask

    kb, llm = _open(args)
    result = ask(args.question, kb=kb, llm=llm, k=args.k, samples=args.samples, cove=args.cove,
                 timeout=args.timeout)
    if args.json:
        dump(result.to_dict())
    elif result.report is None:
        print(f"no answer: {result.error}")
    else:
        print(result.text)
        sources = result.sources()
        if sources:
            print("\nSources:")
            for i, c in enumerate(sources, 1):
                print(f"  [{i}] {_cite(c)}")
        print(f"\n{result.report}")
        if result.checked_text != result.text:
            print(f"\nThe model said: {result.model_answer}")
    sys.stdout.flush()
    return 0 if result.status == "verified" else 1
