"""Self-consistency: sample several answers, cluster their final answers, vote.

A model that gives the same final answer most times it is asked is less likely to be making
it up; one that scatters is unsure (Wang et al. 2022; semantic entropy, Kuhn et al. 2023).
Agreement is a signal, not a proof, so the pipeline stage built on :func:`vote` only ever
*flags* on low agreement or disagreement, and offers the majority as a correction only when
the majority answer itself passes Verity's checks (:func:`consistency_claim`).

Final answers are canonicalised before voting:

- ``math``: the final answer is extracted the way graders do
  (:func:`verify.engines.math.answers.extract_final_answer`) and two answers are the same when the math
  engine proves them equal (:func:`verify.engines.math.equivalence.equivalent`: ``1/2`` = ``0.5`` =
  ``\\frac{1}{2}``); an undecided comparison keeps them apart.
- ``text``: normalised string match (case, punctuation, articles, thousands separators,
  number words), numbers must match exactly (``1889`` and ``1887`` never merge, however
  similar the sentences), negation must match, and otherwise sentences merge when their
  packaged-MiniLM embeddings are close (:data:`TEXT_SIMILARITY`).
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Literal, Sequence

from verify.engines.base import Context
from verify.report import Claim, Evidence, Report, Span

log = logging.getLogger("verity.consistency")

Kind = Literal["auto", "math", "text"]

#: Answers are flagged when fewer than this share of samples agree with the majority
#: (3 of 5 passes, 2 of 5 flags). Below it the model is guessing, whatever it answered.
MIN_AGREEMENT = 0.6
#: Cosine similarity (unit MiniLM vectors) above which two textual answers with the same
#: numbers and the same polarity count as the same answer.
TEXT_SIMILARITY = 0.85
#: Sampling defaults for the pipeline stage (override with ``temperature=``/``seed=``).
SAMPLE_TEMPERATURE = 0.7
SAMPLE_SEED = 0
#: Per-call time limit for sampling when the check has no overall timeout.
SAMPLE_TIMEOUT = 120.0
#: Knowledge-base passages shown to the model with the question when sampling.
SAMPLE_CONTEXT_HITS = 3
#: At most this many majority samples are re-checked to find one that passes the checks.
MAX_CORRECTION_CHECKS = 3
MAX_SAMPLES = 64

_MATH_MARKERS = re.compile(r"\\boxed|\\fbox|####|\banswer is\b|^#\s*answer", re.I | re.M)
_MATH_QUESTION = re.compile(r"\$|\\frac|\\sqrt|\b(solve|compute|calculate|evaluate|simplify|"
                            r"how many|what is the value|find the (value|sum|product|number))\b",
                            re.I)
_FINAL_TEXT = re.compile(r"(?:final answer|the answer is|answer)\s*[:\-]?\s*(.+)", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_NUMBER = re.compile(r"[-−]?\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ARTICLES = frozenset({"a", "an", "the"})
_NEGATIONS = frozenset({"not", "no", "never", "none", "neither", "nor", "isn't", "wasn't",
                        "aren't", "weren't", "doesn't", "didn't", "don't", "cannot", "can't",
                        "won't", "false", "incorrect"})
_STOP = frozenset({"a", "an", "the", "is", "was", "were", "are", "be", "been", "of", "in", "on",
                   "at", "to", "for", "by", "with", "and", "or", "it", "its", "this", "that",
                   "what", "which", "who", "whom", "when", "where", "why", "how", "did", "does",
                   "do", "year", "answer", "final"})
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}


@dataclass(frozen=True)
class Cluster:
    """Samples whose final answers are the same; ``answer`` is the first member's."""

    answer: str
    members: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"answer": self.answer, "size": self.size, "members": list(self.members)}


@dataclass(frozen=True)
class Vote:
    """The outcome of a vote over sampled answers.

    ``clusters`` are sorted by size (ties: first seen first), so cluster 0 is the majority;
    ``labels[i]`` is sample ``i``'s cluster (-1 when no final answer could be read from it);
    ``minority`` lists the samples outside the majority (the flagged ones).
    ``entropy`` is the semantic entropy in nats over clusters (unanswered samples count as
    clusters of their own): 0 when all agree, ln(n) when all differ.
    """

    kind: str
    method: str
    answers: tuple[str | None, ...]
    labels: tuple[int, ...]
    clusters: tuple[Cluster, ...]
    entropy: float
    tie: bool

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def count(self) -> int:
        return self.clusters[0].size if self.clusters else 0

    @property
    def answer(self) -> str | None:
        """The majority answer (None when no sample had a readable final answer)."""
        return self.clusters[0].answer if self.clusters else None

    @property
    def agreement(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def ratio(self) -> Fraction:
        """Agreement as an exact fraction (reduced: 4/8 is 1/2)."""
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def fraction(self) -> str:
        """Agreement as written for people, unreduced: ``"4/5"``."""
        return f"{self.count}/{self.total}"

    @property
    def minority(self) -> tuple[int, ...]:
        return tuple(i for i, lab in enumerate(self.labels) if lab != 0)

    @property
    def low(self) -> bool:
        """True when agreement is below :data:`MIN_AGREEMENT` or the top answers tie."""
        return self.agreement < MIN_AGREEMENT or self.tie

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "method": self.method, "answer": self.answer,
                "agreement": round(self.agreement, 4), "fraction": self.fraction,
                "count": self.count, "total": self.total,
                "clusters": [c.to_dict() for c in self.clusters],
                "cluster_sizes": [c.size for c in self.clusters],
                "labels": list(self.labels), "answers": list(self.answers),
                "minority": list(self.minority), "entropy": round(self.entropy, 4),
                "tie": self.tie, "low_agreement": self.low}


# ---------------------------------------------------------------------------- answers

def detect_kind(samples: Sequence[str], question: str | None = None) -> str:
    """``math`` when the samples or the question look like a math problem, else ``text``."""
    if any(_MATH_MARKERS.search(s) for s in samples):
        return "math"
    if question and _MATH_QUESTION.search(question):
        return "math"
    return "text"


def text_answer(sample: str) -> str | None:
    """The final answer of a prose sample: after "answer is/Answer:", else its first
    sentence (answers usually lead with the claim)."""
    s = sample.strip()
    if not s:
        return None
    lines = [ln for ln in s.splitlines() if ln.strip()]
    for line in reversed(lines):
        m = _FINAL_TEXT.search(line)
        if m and m.group(1).strip(" .*"):
            return m.group(1).strip().rstrip(".").strip("* ")
    return _SENTENCE_END.split(s, maxsplit=1)[0].strip()


def math_answer(sample: str) -> str | None:
    """The final answer as the math engine extracts it (None when there is none)."""
    from verify.engines.math.answers import extract_final_answer  # lazy: sympy

    try:
        ext = extract_final_answer(sample)
    except Exception as exc:  # noqa: BLE001 - an unreadable sample is an abstention
        log.debug("no final answer in sample: %s", exc)
        return None
    text = getattr(ext, "text", None) if ext is not None else None
    return text.strip() if isinstance(text, str) and text.strip() else None


def _numbers(tokens: Sequence[str]) -> tuple[str, ...]:
    out = []
    for t in tokens:
        if t in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[t])
        elif t[0].isdigit() or t[0] in "-−":
            v = t.replace("−", "-").replace(",", "")
            if "." in v:
                v = v.rstrip("0").rstrip(".")
            out.append(v)
    return tuple(sorted(out))


@dataclass(frozen=True)
class _TextKey:
    norm: str           # normalised full answer
    core: str           # the words left without numbers, stopwords and the question's words
    numbers: tuple[str, ...]
    negated: bool


def _text_key(answer: str, question_words: frozenset[str]) -> _TextKey:
    s = unicodedata.normalize("NFKC", answer).lower()
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)  # 1,889 → 1889
    tokens = [m.group(0) for m in re.finditer(r"[-−]?\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?", s)]
    words = [t for t in tokens if t not in _ARTICLES]
    core = [t for t in words if t not in _STOP and t not in question_words
            and t not in _NUMBER_WORDS and not t[0].isdigit() and t[0] not in "-−"]
    return _TextKey(norm=" ".join(words), core=" ".join(core), numbers=_numbers(tokens),
                    negated=any(t in _NEGATIONS for t in tokens))


def _question_words(question: str | None) -> frozenset[str]:
    if not question:
        return frozenset()
    return frozenset(w for w in _WORD.findall(question.lower()) if not w[0].isdigit())


class _TextMatcher:
    """Decides whether two textual answers are the same; embeds lazily, only when the cheap
    rules cannot decide, and remembers whether embeddings were used."""

    def __init__(self, question: str | None, embedder: Any) -> None:
        self.qwords = _question_words(question)
        self._embedder = embedder
        self._vectors: dict[str, Any] = {}
        self.used_embeddings = False
        self.embedding_error: str | None = None

    def key(self, answer: str) -> _TextKey:
        return _text_key(answer, self.qwords)

    def same(self, a: str, ka: _TextKey, b: str, kb: _TextKey) -> bool:
        if ka.numbers != kb.numbers or ka.negated != kb.negated:
            return False
        if ka.norm == kb.norm or (ka.core and ka.core == kb.core):
            return True
        if not ka.core or not kb.core:  # one says only its numbers beyond the question
            return bool(ka.numbers)
        sa, sb = set(ka.core.split()), set(kb.core.split())
        if sa <= sb or sb <= sa:  # "Paris" vs "Paris, France"
            return True
        return self._similar(a, b)

    def _similar(self, a: str, b: str) -> bool:
        if self.embedding_error is not None:
            return False
        try:
            if self._embedder is None:
                from retrieval.embedding import default_embedder  # lazy: torch
                self._embedder = default_embedder()
            missing = [t for t in (a, b) if t not in self._vectors]
            if missing:
                for t, v in zip(missing, self._embedder.encode(missing)):
                    self._vectors[t] = v
        except Exception as exc:  # noqa: BLE001 - no embeddings: fall back to strings
            log.warning("semantic clustering unavailable, using string match only: %s", exc)
            self.embedding_error = str(exc)
            return False
        self.used_embeddings = True
        return float(self._vectors[a] @ self._vectors[b]) >= TEXT_SIMILARITY


class _MathMatcher:
    def __init__(self) -> None:
        self.undecided = 0

    @staticmethod
    def key(answer: str) -> str:
        return re.sub(r"\s+|\\[,!;: ]|\\(?:left|right)|\$", "", answer).replace("\\dfrac", "\\frac")

    def same(self, a: str, ka: str, b: str, kb: str) -> bool:
        if ka == kb:
            return True
        from verify.engines.math.equivalence import equivalent  # lazy: sympy

        try:
            eq = equivalent(a, b)
        except Exception as exc:  # noqa: BLE001 - undecidable is "not shown equal"
            log.debug("equivalence of %r and %r failed: %s", a, b, exc)
            self.undecided += 1
            return False
        if eq.equal is None:
            self.undecided += 1
        return eq.equal is True


def _entropy(sizes: Sequence[int], total: int) -> float:
    if total <= 0:
        return 0.0
    h = -sum((s / total) * math.log(s / total) for s in sizes if s)
    return max(0.0, h)


def vote(samples: Sequence[str], *, kind: Kind = "auto", question: str | None = None,
         embedder: Any = None) -> Vote:
    """Cluster the samples' final answers and vote.

    ``kind`` picks the canonicalisation (``auto`` looks at the samples and the question);
    ``embedder`` replaces the packaged MiniLM for text clustering (anything with
    ``encode(list[str])`` returning unit vectors).
    """
    if isinstance(samples, str) or not all(isinstance(s, str) for s in samples):
        raise TypeError("vote() needs a list of sampled answers (str)")
    if not samples:
        raise ValueError("vote() needs at least one sample")
    if len(samples) > MAX_SAMPLES:
        raise ValueError(f"too many samples to vote on: {len(samples)} (limit {MAX_SAMPLES})")
    if kind == "auto":
        kind = detect_kind(samples, question)  # type: ignore[assignment]
    if kind not in ("math", "text"):
        raise ValueError(f"kind must be 'auto', 'math' or 'text', got {kind!r}")

    matcher = _matcher(kind, question, embedder)
    answers = [_extract(kind, s) for s in samples]

    groups: list[list[int]] = []
    reps: list[tuple[str, Any]] = []
    raw_labels: list[int] = []
    for i, ans in enumerate(answers):
        if ans is None:
            raw_labels.append(-1)
            continue
        key = matcher.key(ans)
        for g, (rep, rkey) in enumerate(reps):
            if matcher.same(rep, rkey, ans, key):
                groups[g].append(i)
                raw_labels.append(g)
                break
        else:
            groups.append([i])
            reps.append((ans, key))
            raw_labels.append(len(groups) - 1)

    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g]), groups[g][0]))
    rank = {g: r for r, g in enumerate(order)}
    clusters = tuple(Cluster(answer=reps[g][0], members=tuple(groups[g])) for g in order)
    labels = tuple(rank[lab] if lab >= 0 else -1 for lab in raw_labels)
    unanswered = raw_labels.count(-1)
    sizes = [c.size for c in clusters] + [1] * unanswered
    tie = len(clusters) > 1 and clusters[0].size == clusters[1].size

    if kind == "math":
        method = "math-equivalence"
    else:
        method = "string+embedding" if matcher.used_embeddings else "string"
        if matcher.embedding_error:
            method = "string (embeddings unavailable)"
    return Vote(kind=kind, method=method, answers=tuple(answers), labels=labels,
                clusters=clusters, entropy=_entropy(sizes, len(samples)), tie=tie)


def _matcher(kind: str, question: str | None, embedder: Any) -> Any:
    return _MathMatcher() if kind == "math" else _TextMatcher(question, embedder)


def _extract(kind: str, sample: str) -> str | None:
    return math_answer(sample) if kind == "math" else text_answer(sample)


def match(answer: str, result: Vote, *, question: str | None = None,
          embedder: Any = None) -> int | None:
    """The index of the cluster of ``result`` that ``answer`` belongs to, or None (no
    readable final answer, or different from every cluster)."""
    ans = _extract(result.kind, answer)
    if ans is None:
        return None
    matcher = _matcher(result.kind, question, embedder)
    key = matcher.key(ans)
    for i, cluster in enumerate(result.clusters):
        if matcher.same(cluster.answer, matcher.key(cluster.answer), ans, key):
            return i
    return None


# ---------------------------------------------------------------------- pipeline stage

CheckFn = Callable[..., Report]


def sample_answers(question: str, ctx: Context, n: int) -> list[str]:
    """``n`` answers to ``question`` from ``ctx.llm`` at a temperature above zero, seeded,
    with the given evidence and the knowledge base's best passages as context.

    Raises ``verify.llm.LLMError`` (or any adapter error) when the model cannot answer.
    """
    from verify.llm.base import Message

    passages = list(ctx.evidence)
    if ctx.kb is not None:  # sample with the context a RAG app would retrieve
        try:
            passages += [h.text for h in ctx.kb.search(question, k=SAMPLE_CONTEXT_HITS)]
        except Exception as exc:  # noqa: BLE001 - sampling without context is still sampling
            log.warning("no knowledge-base context for sampling: %s", exc)
    context = ""
    if passages:
        context = "\n\nContext:\n" + "\n".join(f"- {p}" for p in passages)
    messages = [Message("system", "Answer the question concisely. Give the final answer "
                                  "in the first sentence."),
                Message("user", f"{question}{context}")]
    opts = ctx.options
    out = ctx.llm.complete(messages, n=n,
                           temperature=float(opts.get("temperature", SAMPLE_TEMPERATURE)),
                           seed=int(opts.get("seed", SAMPLE_SEED)),
                           timeout=ctx.bound(float(opts.get("llm_timeout", SAMPLE_TIMEOUT))))
    if not isinstance(out, (list, tuple)) or not all(isinstance(s, str) for s in out):
        raise TypeError(f"the model returned {type(out).__name__}, not a list of completions")
    return [s for s in out if s.strip()]


def consistency_claim(text: str, ctx: Context, check_fn: CheckFn,
                      samples: Sequence[str] | None = None) -> tuple[Claim, dict[str, Any]]:
    """The ``consistency`` claim about ``text``, and the vote record for the report meta.

    Samples come from ``ctx.llm`` (``ctx.options['samples']`` of them) unless given.
    Statuses: ``unverified`` when sampling fails, agreement is low, or the answer disagrees
    with a majority that does not pass the checks; ``refuted`` with the majority sample as
    correction when the answer disagrees with a clear majority whose answer passes
    ``check_fn``; ``verified`` (the samples as evidence) when the answer is the clear
    majority's.
    """
    span = Span(0, len(text))
    question = ctx.question

    def unverified(reason: str, **detail: Any) -> Claim:
        return Claim(text=text, span=span, kind="consistency", status="unverified",
                     method="self-consistency", explanation=reason, detail=detail)

    if samples is None:
        if not question:
            return unverified("self-consistency needs the question to sample answers to"), {}
        n = int(ctx.options.get("samples", 1))
        try:
            samples = sample_answers(question, ctx, n)
        except Exception as exc:  # noqa: BLE001 - a failing model is never a verdict
            log.warning("sampling for self-consistency failed: %s", exc)
            return unverified(f"could not sample answers for self-consistency: "
                              f"{type(exc).__name__}: {exc}"), {}
    if len(samples) < 2:
        return unverified(f"self-consistency needs at least 2 samples, got {len(samples)}"), {}
    try:
        result = vote(list(samples), question=question, kind=ctx.options.get("vote_kind", "auto"))
        position = match(text, result, question=question)
    except Exception as exc:  # noqa: BLE001
        log.exception("self-consistency vote failed")
        return unverified(f"the self-consistency vote failed: {type(exc).__name__}: {exc}"), {}

    record = result.to_dict() | {"samples": list(samples), "answer_cluster": position}
    detail = {k: record[k] for k in ("answer", "agreement", "fraction", "cluster_sizes",
                                     "entropy", "minority", "answer_cluster", "method")}
    evidence = tuple(Evidence(text=f"sample {i + 1}: {s}", source="self-consistency")
                     for i, s in enumerate(samples))
    summary = (f"{result.fraction} samples agree on {result.answer!r} "
               f"(semantic entropy {result.entropy:.2f})")
    if result.answer is None:
        return unverified("no sampled answer had a readable final answer", **detail), record
    if result.low:
        why = "the top answers tie" if result.tie else f"below the {MIN_AGREEMENT:.0%} threshold"
        return unverified(f"low agreement: {summary}; {why}, so the model is unsure", **detail), record
    if position == 0:
        return Claim(text=text, span=span, kind="consistency", status="verified",
                     method="self-consistency", evidence=evidence, detail=detail,
                     explanation=f"the answer agrees with the majority: {summary}"), record

    own = "its final answer could not be read" if position is None else "it is a minority answer"
    fix = _checked_majority(result, samples, ctx, check_fn)
    if fix is None:
        return unverified(f"the answer disagrees with the majority ({summary}; {own}), and the "
                          "majority answer does not pass the checks either", **detail), record
    sample_index, fix_report = fix
    record["correction_sample"] = sample_index
    record["correction_status"] = fix_report.status
    detail["correction_sample"] = sample_index
    return Claim(text=text, span=span, kind="consistency", status="refuted",
                 method="self-consistency", evidence=evidence, detail=detail,
                 correction=samples[sample_index],
                 explanation=f"the answer disagrees with the majority ({summary}; {own}); "
                             f"sample {sample_index + 1}, a majority answer, passes the checks"
                 ), record


def _checked_majority(result: Vote, samples: Sequence[str], ctx: Context,
                      check_fn: CheckFn) -> tuple[int, Report] | None:
    """The first majority sample whose own check comes back ``verified``."""
    for i in result.clusters[0].members[:MAX_CORRECTION_CHECKS]:
        if ctx.expired():
            return None
        try:
            rep = check_fn(samples[i], question=ctx.question, evidence=list(ctx.evidence) or None,
                           kb=ctx.kb, timeout=ctx.remaining())
        except Exception as exc:  # noqa: BLE001
            log.warning("checking majority sample %d failed: %s", i + 1, exc)
            continue
        if rep.status == "verified":
            return i, rep
    return None
