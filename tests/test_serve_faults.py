"""Faults while serving: a worker killed with SIGKILL under load, and a knowledge base
directory swapped for a new build. No answer may be an unearned `verified`; no batch line
may go missing."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("fastapi")
psutil = pytest.importorskip("psutil")
from verify.serve.launch import serving  # noqa: E402

WRONG = "The class has 6 rows of 7 desks, so 6 × 7 = 43 desks."
RIGHT = "The class has 6 rows of 7 desks, so 6 × 7 = 42 desks."


def _workers(pid: int) -> list[psutil.Process]:
    """uvicorn's worker processes (the supervisor's children that serve requests)."""
    out = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
            cmd = " ".join(child.cmdline())
        except psutil.Error:  # exited meanwhile
            continue
        if "multiprocessing.spawn" in cmd and "resource_tracker" not in cmd:
            out.append(child)
    return out


def test_kill_9_one_worker_under_load():
    with serving("--workers", "2") as server:
        outcomes: list[tuple[str, str]] = []
        stop = threading.Event()

        def load() -> None:
            with httpx.Client(base_url=server.url, timeout=10) as c:
                n = 0
                while not stop.is_set():
                    text = WRONG if n % 2 else RIGHT
                    n += 1
                    try:
                        r = c.post("/v1/check", json={"text": text})
                    except httpx.TransportError:
                        outcomes.append((text, "transport error"))
                        continue
                    outcomes.append((text, r.json()["status"] if r.status_code == 200
                                     else f"http {r.status_code}"))

        threads = [threading.Thread(target=load) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        before = _workers(server.pid)
        assert len(before) == 2
        os.kill(before[0].pid, signal.SIGKILL)
        killed_at = len(outcomes)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            alive = [w for w in _workers(server.pid) if w.pid != before[0].pid]
            if len(alive) == 2:
                break
            time.sleep(0.2)
        assert len(alive) == 2, "the supervisor did not replace the killed worker"
        time.sleep(1.5)
        stop.set()
        for t in threads:
            t.join(20)

        after = outcomes[killed_at:]
        ok_after = [o for o in after if o[1] in ("verified", "corrected")]
        assert ok_after, "nothing was answered after the kill"
        for text, status in outcomes:
            assert status != "verified" or text == RIGHT, "a wrong answer came back verified"
            assert status in ("verified", "corrected", "transport error"), status
        # the restarted pair answers every line of a batch, in order
        lines = [json.dumps({"id": str(i), "text": WRONG if i % 3 else RIGHT}) for i in range(60)]
        r = httpx.post(server.url + "/v1/batch", content="\n".join(lines), timeout=60)
        out = [json.loads(line) for line in r.text.splitlines()]
        assert [o["id"] for o in out] == [str(i) for i in range(60)]
        assert [o["status"] for o in out] == ["verified" if i % 3 == 0 else "corrected"
                                              for i in range(60)]


def _build(tmp: Path, name: str, text: str) -> Path:
    from kb import KnowledgeBase

    src = tmp / f"{name}.md"
    src.write_text(text, encoding="utf-8")
    out = tmp / f"kb-{name}"
    KnowledgeBase.build([str(src)], str(out), progress=False).close()
    return out


@pytest.mark.slow
def test_kb_directory_swapped_while_serving(tmp_path):
    old = _build(tmp_path, "old", "# Lighthouses\n\nThe Harbor lighthouse was painted red in 1910. "
                                 "Its lamp burns whale oil.\n")
    new = _build(tmp_path, "new", "# Lighthouses\n\nThe Harbor lighthouse was repainted white in "
                                 "1988. Its lamp is now electric.\n")
    link = tmp_path / "current"
    link.symlink_to(old)
    with serving("--kb", f"docs={link}") as server:
        c = httpx.Client(base_url=server.url, timeout=30)
        hits = c.get("/v1/kb/docs/search", params={"q": "lighthouse color", "k": 1}).json()
        assert "red" in hits[0]["text"] and hits[0]["rank"] == 1 and hits[0]["citation"]["source"]
        claim = {"text": "The Harbor lighthouse was painted red in 1910.", "kb": "docs"}
        statuses: list[str] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                r = c.post("/v1/check", json=claim)
                statuses.append(r.json()["status"] if r.status_code == 200 else f"http {r.status_code}")

        t = threading.Thread(target=load)
        t.start()
        time.sleep(0.5)
        tmp_link = tmp_path / "current.tmp"
        tmp_link.symlink_to(new)
        os.replace(tmp_link, link)  # the atomic swap
        time.sleep(1.5)
        stop.set()
        t.join(30)
        hits = c.get("/v1/kb/docs/search", params={"q": "lighthouse color", "k": 1}).json()
        assert "white" in hits[0]["text"]
        assert all(s in ("verified", "flagged", "corrected") for s in statuses), statuses
        after = c.post("/v1/check", json=claim).json()
        assert after["status"] != "verified", "a claim only the old base supports stayed verified"
