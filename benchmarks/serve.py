"""`verity serve` under load, on loopback: 50 concurrent clients for a fixed time on
``/v1/check`` with GSM8K answers (calculator notes ``<<…>>`` stripped), then the same
through the verifying proxy in front of the stub upstream (which echoes the answer back).

Baseline from the same run: in-process ``check(answer)`` (default arguments, as the
endpoint calls it) on one thread over the same answers. Prints throughput and its ratio to the baseline, p50/p99 latency, errors
(non-200, transport errors, or a verdict that differs from the in-process one) and the
server's RSS (supervisor + workers) at start and end. A one-client row shows the latency of
an unloaded server. Every phase stops by itself (``--duration`` seconds or ``--limit``
requests).

    .venv/bin/python benchmarks/serve.py [--duration 60] [--clients 50] [--workers N] [--limit N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import SHARED_DATA, read_jsonl  # noqa: E402

NOTE = re.compile(r"<<[^<>]*>>")
ECHO = "echo 0: "  # the stub upstream's reply is this prefix + the last user message


@dataclass(frozen=True)
class Phase:
    name: str
    requests: int
    errors: int
    reasons: tuple[tuple[str, int], ...]
    seconds: float
    latencies: tuple[float, ...]
    rss_start: int
    rss_end: int

    @property
    def throughput(self) -> float:
        return (self.requests - self.errors) / self.seconds

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000 if xs else float("nan")


def answers(limit: int) -> list[str]:
    return [NOTE.sub("", r["answer"]) for r in read_jsonl(SHARED_DATA / "gsm8k-train.jsonl", limit)]


def in_process(items: list[str], seconds: float) -> tuple[float, list[str]]:
    """Answers/s of ``check()`` on one thread, cycling the items for ``seconds`` (at least
    one pass, so its caches are as warm as the server's), and each item's verdict."""
    from verify import check

    check("1 + 1 = 2")
    statuses = []
    done = 0
    started = time.perf_counter()
    while done < len(items) or time.perf_counter() - started < seconds:
        status = check(items[done % len(items)]).status
        if done < len(items):
            statuses.append(status)
        done += 1
    return done / (time.perf_counter() - started), statuses


def tree_rss(pid: int) -> int:
    import psutil

    root = psutil.Process(pid)
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


async def post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str,
               body: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 POST on a kept-alive connection. A bare client: the load generator
    shares the cores with the server, so its own CPU cost must stay small."""
    writer.write(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    chunks = []  # chunked transfer encoding
    while True:
        size = int((await reader.readline()).strip(), 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return status, b"".join(chunks)
        chunks.append(chunk[:-2])


async def drive(url: str, bodies: list[dict], expect: list[str], clients: int, seconds: float,
                limit: int, proxy: bool) -> tuple[int, dict[str, int], float, list[float]]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    encoded = [json.dumps(b).encode() for b in bodies]
    latencies: list[float] = []
    counter = {"sent": 0}
    errors: dict[str, int] = {}
    end = time.monotonic() + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.monotonic() < end and counter["sent"] < limit:
                i = counter["sent"] % len(bodies)
                counter["sent"] += 1
                t = time.perf_counter()
                problem = None
                try:
                    code, raw = await asyncio.wait_for(post(reader, writer, parts.path, encoded[i]), 120)
                    if code != 200:
                        problem = f"HTTP {code}"
                    else:
                        data = json.loads(raw)
                        status = (data["verity"] if proxy else data)["status"]
                        if status != expect[i]:
                            problem = f"{status} (in-process: {expect[i]})"
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as exc:
                    problem = type(exc).__name__
                    writer.close()
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                latencies.append(time.perf_counter() - t)
                if problem:
                    errors[problem] = errors.get(problem, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return counter["sent"], errors, time.perf_counter() - started, latencies


def run_phase(name: str, server_pid: int, url: str, bodies: list[dict], expect: list[str],
              clients: int, seconds: float, limit: int, proxy: bool = False) -> Phase:
    rss_start = tree_rss(server_pid)
    sent, errors, elapsed, lat = asyncio.run(drive(url, bodies, expect, clients, seconds, limit,
                                                   proxy))
    return Phase(name, sent, sum(errors.values()), tuple(sorted(errors.items())), elapsed,
                 tuple(lat), rss_start, tree_rss(server_pid))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per loaded phase")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server worker processes (default: one per core)")
    ap.add_argument("--answers", type=int, default=500, help="distinct GSM8K answers cycled")
    ap.add_argument("--limit", type=int, default=1_000_000, help="requests per phase at most")
    args = ap.parse_args()

    from verify import check
    from verify.testing import StubOpenAIServer
    from verify.serve.launch import serving

    items = answers(args.answers)
    base_rate, expect = in_process(items, min(args.duration, 30.0))
    check_bodies = [{"text": a} for a in items]
    # through the proxy the checked text is the stub's echo of the answer, and the question
    # is the last user message (the answer itself)
    chat_bodies = [{"model": "stub-model", "messages": [{"role": "user", "content": a}]}
                   for a in items]
    proxy_expect = [check(ECHO + a, question=a).status for a in items]

    phases = []
    with StubOpenAIServer() as stub, serving("--workers", str(args.workers), "--queue", "1024",
                                             "--upstream", stub.base_url) as server:
        url = server.url
        phases.append(run_phase("/v1/check, 1 client", server.pid, url + "/v1/check",
                                check_bodies, expect, 1, min(10.0, args.duration), args.limit))
        phases.append(run_phase(f"/v1/check, {args.clients} clients", server.pid,
                                url + "/v1/check", check_bodies, expect, args.clients,
                                args.duration, args.limit))
        phases.append(run_phase(f"proxy → stub, {args.clients} clients", server.pid,
                                url + "/v1/chat/completions", chat_bodies, proxy_expect,
                                args.clients, args.duration, args.limit, proxy=True))

    print(f"\n`verity serve`, {args.workers} worker(s) on {os.cpu_count()} cores, "
          f"{len(items)} GSM8K answers cycled; in-process check(): {base_rate:.1f} answers/s\n")
    print("| path | requests | errors | answers/s | ratio to in-process | p50 ms | p99 ms "
          "| server RSS start → end MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for p in phases:
        print(f"| {p.name} | {p.requests} | {p.errors} | {p.throughput:.1f} | "
              f"{p.throughput / base_rate:.2f} | {p.pct(0.5):.1f} | {p.pct(0.99):.1f} | "
              f"{p.rss_start / 1e6:.0f} → {p.rss_end / 1e6:.0f} |")
    for p in phases:
        for reason, n in p.reasons:
            print(f"error in {p.name}: {reason} × {n}")
    print(f"\nmean in-process time: {1000 / base_rate:.1f} ms per answer (one thread)")
    return 0 if all(p.errors == 0 for p in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
