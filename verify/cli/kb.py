"""verity kb build|add|remove|info|search: knowledge bases for grounding answers.

Exit codes: 0 success; 1 done but something was skipped (unreadable files) or a search
found nothing; 2 bad usage, a missing/corrupt base, or nothing readable at all.
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from ._io import UsageError, dump

KINDS = ("auto", "flat", "hnsw", "hnsw_sq", "ivf_sq", "ivfpq")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kb", help="build and search knowledge bases (textbooks, notes)",
                       description="Build, update, inspect and search a knowledge base directory.")
    verbs = p.add_subparsers(dest="kb_command", metavar="VERB")
    verbs.required = True

    b = verbs.add_parser("build", help="index files and directories into a new knowledge base")
    b.add_argument("sources", nargs="+", metavar="SRC",
                   help="files or directories: txt, md, html, pdf, cnxml (module or collection), jsonl")
    b.add_argument("--out", required=True, metavar="DIR", help="the knowledge base directory to create")
    b.add_argument("--force", action="store_true", help="replace an existing knowledge base at DIR")
    b.add_argument("--chunk-size", type=int, default=None, metavar="N", help="characters per chunk (default 800)")
    b.add_argument("--overlap", type=int, default=None, metavar="N", help="characters of overlap (default 160)")
    b.add_argument("--index", choices=KINDS, default="auto", help="vector index kind (default: by size)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--json", action="store_true", help="print the build report as JSON")
    b.set_defaults(func=run_build)

    a = verbs.add_parser("add", help="add or refresh sources (unchanged ones are skipped)")
    a.add_argument("dir", metavar="DIR")
    a.add_argument("sources", nargs="+", metavar="SRC")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    a.add_argument("--json", action="store_true", help="print the report as JSON")
    a.set_defaults(func=run_add)

    r = verbs.add_parser("remove", help="remove a source (or every source under a directory)")
    r.add_argument("dir", metavar="DIR")
    r.add_argument("--source", required=True, metavar="S", help="the source as listed by `kb info`")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.set_defaults(func=run_remove)

    i = verbs.add_parser("info", help="model, settings, counts and sources of a knowledge base")
    i.add_argument("dir", metavar="DIR")
    i.add_argument("--json", action="store_true", help="print as JSON")
    i.set_defaults(func=run_info)

    s = verbs.add_parser("search", help="search a knowledge base; every hit carries its citation")
    s.add_argument("dir", metavar="DIR")
    s.add_argument("query", metavar="QUERY")
    s.add_argument("-k", type=int, default=5, help="number of hits (default 5)")
    s.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid")
    s.add_argument("--rerank", action="store_true", help="rerank with the packaged cross-encoder")
    s.add_argument("--source", action="append", help="only this source (or directory, or glob); repeatable")
    s.add_argument("--section", help="only sections whose heading path contains this text")
    s.add_argument("--kind", action="append", choices=("text", "example", "exercise", "glossary"),
                   help="only chunks of this kind; repeatable")
    s.add_argument("--json", action="store_true",
                   help='print [{"rank", "score", "text", "citation": {...}}]')
    s.set_defaults(func=run_search)


def _open(path: str):
    from verify.engines.base import open_kb

    try:
        return open_kb(path)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def _report(report: Any, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    if as_json:
        dump(dict(report.to_dict(), **(extra or {})))
    else:
        print(report.summary())
        for s in report.skipped:
            print(f"  skipped {s.source}: {s.reason}")
        for w in report.warnings:
            print(f"  warning: {w}")
    return 1 if report.skipped else 0


def run_build(args: argparse.Namespace) -> int:
    from kb import KnowledgeBase
    from kb.chunking import DEFAULT_CHUNK_SIZE, DEFAULT_OVERLAP

    try:
        kb = KnowledgeBase.build(args.sources, args.out, force=args.force,
                                 chunk_size=args.chunk_size or DEFAULT_CHUNK_SIZE,
                                 overlap=DEFAULT_OVERLAP if args.overlap is None else args.overlap,
                                 progress=not args.quiet, index_kind=args.index)
    except (FileExistsError, FileNotFoundError, ValueError, RuntimeError) as exc:
        raise UsageError(str(exc)) from None
    report = kb.last_report
    code = _report(report, args.json, {"out": args.out})
    if not args.json:
        info = kb.info()
        print(f"wrote {args.out}: {info['index']['kind']} index, model {info['model']['name']}, "
              f"{info['size_bytes'] / 1e6:.1f} MB")
    return code


def run_add(args: argparse.Namespace) -> int:
    kb = _open(args.dir)
    try:
        report = kb.add(args.sources, progress=not args.quiet)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        raise UsageError(str(exc)) from None
    return _report(report, args.json)


def run_remove(args: argparse.Namespace) -> int:
    kb = _open(args.dir)
    try:
        report = kb.remove(args.source)
    except (ValueError, RuntimeError) as exc:
        raise UsageError(str(exc)) from None
    return _report(report, args.json)


def run_info(args: argparse.Namespace) -> int:
    info = _open(args.dir).info()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    m, c, ix, ch = info["model"], info["counts"], info["index"], info["chunker"]
    print(f"{info['path']}  (format {info['format_version']}, generation {info['generation']}, "
          f"updated {info['updated']})")
    print(f"  model    {m['name']} {m['version']} ({m['dim']}-d)")
    print(f"  chunker  {ch['chunk_size']} chars, overlap {ch['overlap']}")
    print(f"  index    {ix.get('kind')} over {ix.get('count')} vectors; "
          f"{c.get('sources')} sources, {c.get('chunks')} chunks, {info['size_bytes'] / 1e6:.1f} MB")
    for s in info["sources"]:
        print(f"  {s['chunks']:6d}  {s['source']}  ({s['format']}: {s['title']})")
    return 0


def run_search(args: argparse.Namespace) -> int:
    kb = _open(args.dir)
    filters: dict[str, Any] = {}
    if args.source:
        filters["source"] = args.source
    if args.section:
        filters["section"] = args.section
    if args.kind:
        filters["kind"] = args.kind
    try:
        hits = kb.search(args.query, k=args.k, mode=args.mode, rerank=args.rerank or None,
                         filters=filters or None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
    else:
        if not hits:
            print("no passage found")
        for h in hits:
            print(f"{h.rank}. [{h.score:.4f}] {h.citation}")
            body = " ".join(h.text.split())
            print(textwrap.indent(textwrap.fill(body[:400] + ("…" if len(body) > 400 else ""), 96), "   "))
    sys.stdout.flush()
    return 0 if hits else 1
