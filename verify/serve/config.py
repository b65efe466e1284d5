"""Server settings: one frozen object, passed to worker processes as JSON in the
environment (the API key travels separately, in ``VERITY_API_KEY``, never in the JSON)."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace

CONFIG_ENV = "VERITY_SERVE_CONFIG"
API_KEY_ENV = "VERITY_API_KEY"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
ON_FAIL = ("flag", "correct", "raise")


@dataclass(frozen=True)
class ServeConfig:
    """``kbs``: (name, directory) pairs. ``timeout``: seconds a request may take (queue wait
    included). ``queue``: verifications waiting per worker before 429. ``max_body``: bytes."""

    host: str = "127.0.0.1"
    port: int = 8080
    kbs: tuple[tuple[str, str], ...] = ()
    upstream: str | None = None
    upstream_timeout: float = 60.0
    workers: int = 1
    on_fail: str = "flag"
    max_body: int = 1_000_000
    timeout: float = 30.0
    queue: int = 64
    api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.on_fail not in ON_FAIL:
            raise ValueError(f"on_fail must be one of {ON_FAIL}, got {self.on_fail!r}")
        for name, value in (("workers", self.workers), ("max_body", self.max_body),
                            ("queue", self.queue)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        for name, value in (("timeout", self.timeout), ("upstream_timeout", self.upstream_timeout)):
            if not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        names = [n for n, _ in self.kbs]
        if len(set(names)) != len(names):
            raise ValueError("each --kb NAME must be given once")
        if self.host not in LOOPBACK and not self.api_key:
            raise ValueError(f"binding {self.host} exposes the server beyond this machine: "
                             f"give --api-key (or set {API_KEY_ENV})")

    def to_env(self) -> dict[str, str]:
        """The environment a worker process needs to rebuild this config."""
        data = asdict(replace(self, api_key=None))
        env = {CONFIG_ENV: json.dumps(data)}
        if self.api_key:
            env[API_KEY_ENV] = self.api_key
        return env

    @classmethod
    def from_env(cls) -> "ServeConfig":
        data = json.loads(os.environ.get(CONFIG_ENV, "{}"))
        data["kbs"] = tuple(tuple(pair) for pair in data.get("kbs", ()))
        data["api_key"] = os.environ.get(API_KEY_ENV) or None
        return cls(**data)
