"""The one time budget (``verify.limits.Budget``) and the one knowledge-base seam
(``verify.engines.base.Retriever`` / ``open_kb``), as engines and stages use them."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from verify import check
from verify.engines.base import Context, Retriever, open_kb
from verify.limits import Budget, TimeLimitExceeded


def test_an_unbounded_budget_never_expires_and_keeps_each_bound():
    budget = Budget()
    assert budget.remaining() is None and not budget.expired()
    assert budget.bound(2.5) == 2.5
    assert Budget.start(None) == Budget()


def test_a_budget_cuts_every_bound_to_what_is_left():
    budget = Budget.start(0.5)
    assert 0.0 < budget.remaining() <= 0.5 and not budget.expired()
    assert budget.bound(10.0) <= 0.5 and budget.bound(0.1) == 0.1
    child = budget.child(10.0, "one step")
    assert child.what == "one step" and child.deadline <= budget.deadline + 1e-3


def test_a_spent_budget_is_expired_and_its_calls_time_out_with_its_name():
    budget = Budget(time.monotonic() - 1.0, 2.0, "the comparison")
    assert budget.expired() and budget.remaining() == 0.0
    assert budget.bound(5.0) == 0.001  # still a valid limit: the call times out, not errs
    with pytest.raises(TimeLimitExceeded, match="the comparison ran out of its 2 s budget"):
        budget.call(lambda: 1, what="adding")


def test_a_budget_call_returns_the_value_in_time():
    assert Budget.start(5.0).call(lambda x: x * 2, 21, what="doubling") == 42


def test_the_context_reads_its_budget():
    ctx = Context(budget=Budget.start(0.2))
    assert ctx.deadline == ctx.budget.deadline and ctx.bound(9.0) <= 0.2
    assert Context().deadline is None and Context().remaining() is None and not Context().expired()


@dataclass(frozen=True)
class _Citation:
    source: str
    title: str = "Towers"
    section: str = "Paris"


@dataclass(frozen=True)
class _Hit:
    text: str
    score: float
    citation: _Citation


@dataclass
class _Passages:
    """A retriever that is no ``kb.KnowledgeBase``: anything with ``search`` serves."""

    passages: tuple[str, ...]
    queries: list[str] = field(default_factory=list)

    def search(self, query: str, k: int = 5) -> list[_Hit]:
        self.queries.append(query)
        return [_Hit(p, 1.0, _Citation(f"doc{i}")) for i, p in enumerate(self.passages[:k])]


def test_open_kb_passes_a_retriever_through_and_names_a_missing_base(tmp_path):
    retriever = _Passages(("x",))
    assert isinstance(retriever, Retriever)
    assert open_kb(retriever) is retriever and open_kb(None) is None
    with pytest.raises((FileNotFoundError, ValueError)):
        open_kb(tmp_path / "no-such-kb")


def test_any_retriever_grounds_a_check():
    retriever = _Passages(("The Eiffel Tower is in Paris, France. It opened in 1889.",))
    report = check("The Eiffel Tower opened in 1889.", kb=retriever)
    assert retriever.queries, "the knowledge base was never searched"
    assert [(c.status, c.evidence[0].source) for c in report.claims] == [("verified", "doc0")]
    wrong = check("The Eiffel Tower opened in 1890.", kb=retriever)
    assert [c.status for c in wrong.claims] == ["refuted"]
