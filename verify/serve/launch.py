"""Start ``verity serve`` as a child process and wait until it is ready: for tests,
benchmarks and notebooks that want a real server on loopback.

    with serving("--upstream", url) as server:
        httpx.post(server.url + "/v1/check", json={"text": "2 + 2 = 4"})
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen, timeout: float,
               headers: dict[str, str] | None = None) -> None:
    """Poll ``/readyz`` until 200; ``RuntimeError`` if the process dies or time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"verity serve exited with code {process.returncode}")
        try:
            if httpx.get(url + "/readyz", timeout=1, headers=headers).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"verity serve was not ready within {timeout:g} s")


@contextlib.contextmanager
def serving(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
            quiet: bool = True) -> Iterator[Server]:
    """``verity serve ARGS`` on a free loopback port, ready; stopped (SIGTERM, then
    SIGKILL) on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "serve", "--port", str(port), *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, start_new_session=True,
        stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL if quiet else None)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_ready(server.url, process, timeout)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
