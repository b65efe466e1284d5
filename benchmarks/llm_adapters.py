"""LLM adapter costs on this machine: what the HTTP adapter adds per call over a bare httpx
POST to the same local server, and the packaged SmolLM2's load time and generation speed.

    .venv/bin/python benchmarks/llm_adapters.py [--calls 200] [--quick] [--no-model]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verify.llm import OpenAICompatible, default_llm  # noqa: E402
from verify.testing import StubOpenAIServer  # noqa: E402

PROMPTS = ["Write a short story about a lighthouse keeper.",
           "Explain why the sky is blue to a ten-year-old.",
           "List some uses of a paperclip and explain each one."]


def _median_ms(fn, calls: int) -> float:
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def http_overhead(calls: int = 200) -> dict:
    """Median ms per call: a bare ``httpx`` POST (baseline) vs ``OpenAICompatible.complete``
    against the same stub server on 127.0.0.1, same keep-alive client, same payload."""
    import httpx

    messages = [{"role": "user", "content": "What is the capital of France?"}]
    with StubOpenAIServer() as server, httpx.Client() as client:
        llm = OpenAICompatible(server.base_url, model="stub-model", client=client)
        payload = {"model": "stub-model", "messages": messages, "n": 1, "temperature": 0.0}

        def raw() -> None:
            r = client.post(llm.url, json=payload, timeout=30)
            r.raise_for_status()
            r.json()["choices"][0]["message"]["content"]

        for _ in range(5):  # warm both paths (connection, imports)
            raw()
            llm.complete(messages)
        raw_ms = _median_ms(raw, calls)
        adapter_ms = _median_ms(lambda: llm.complete(messages), calls)
    return {"calls": calls, "raw_ms": raw_ms, "adapter_ms": adapter_ms,
            "overhead_ms": adapter_ms - raw_ms, "ratio": adapter_ms / raw_ms}


def smollm2_speed(max_tokens: int = 64, samples: int = 4) -> dict:
    """Load time; greedy tokens/s over a few prompts with 1 and 2 torch threads (the same
    loaded model, alternating, so both see the same machine load); sampled tokens/s
    (``n`` in one batch). Generated tokens are counted with the model's own tokenizer."""
    llm = default_llm()
    t0 = time.perf_counter()
    llm.load()
    load_s = time.perf_counter() - t0

    def count(texts: list[str]) -> int:
        return sum(len(llm.tokenizer.encode(t, add_special_tokens=False)) for t in texts)

    default_threads = llm.threads
    llm.complete("Hi", max_tokens=4)  # warm-up
    tokens = {1: 0, 2: 0}
    seconds = {1: 0.0, 2: 0.0}
    try:
        for prompt in PROMPTS:
            for threads in (1, 2):
                llm.threads = threads
                t0 = time.perf_counter()
                out = llm.complete(prompt, max_tokens=max_tokens)
                seconds[threads] += time.perf_counter() - t0
                tokens[threads] += count(out)
    finally:
        llm.threads = default_threads
    t0 = time.perf_counter()
    out = llm.complete(PROMPTS[0], n=samples, temperature=0.8, seed=1, max_tokens=max_tokens)
    sampled_s = time.perf_counter() - t0
    return {"load_s": load_s, "threads": default_threads,
            "greedy_tok_s": {k: tokens[k] / seconds[k] for k in tokens},
            "greedy_tokens": tokens[1], "sampled_tok_s": count(out) / sampled_s,
            "samples": samples, "max_tokens": max_tokens}


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=200, help="HTTP calls per measurement")
    ap.add_argument("--quick", action="store_true", help="fewer calls and tokens")
    ap.add_argument("--no-model", action="store_true", help="skip the SmolLM2 measurements")
    args = ap.parse_args(argv)
    calls = 30 if args.quick else args.calls
    h = http_overhead(calls)
    print(f"## HTTP adapter overhead (stub server on 127.0.0.1, median of {h['calls']} calls)\n")
    print("| path | median ms/call |")
    print("|---|---:|")
    print(f"| bare httpx POST (baseline) | {h['raw_ms']:.2f} |")
    print(f"| OpenAICompatible.complete | {h['adapter_ms']:.2f} |")
    print(f"| overhead | {h['overhead_ms']:+.2f} ms ({h['ratio']:.2f}x) |")
    if args.no_model:
        return
    s = smollm2_speed(max_tokens=24 if args.quick else 64)
    print("\n## SmolLM2-135M-Instruct (Q4_1 GGUF via transformers, eager attention, CPU)\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| load (import + GGUF parse + de-quantize) | {s['load_s']:.1f} s |")
    for threads, rate in s["greedy_tok_s"].items():
        print(f"| greedy, 1 sequence, {threads} torch thread{'s' if threads > 1 else ''} "
              f"(~{s['greedy_tokens']} tokens over {len(PROMPTS)} prompts) | {rate:.1f} tokens/s |")
    print(f"| sampled, n={s['samples']} in one batch, {s['threads']} thread (all sequences) "
          f"| {s['sampled_tok_s']:.1f} tokens/s |")
    print(f"\nload average during the run: {_loadavg()}")


if __name__ == "__main__":
    main()
