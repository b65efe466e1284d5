"""Checks from many threads (and through the async decorator) give the verdicts of a
sequential run: every engine keeps its solver state per call (issue 11, item 10)."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from verify import check, check_invoice, verified

INVOICE_OK = ("- 4 x Lamp @ $12.50 = $50.00\n- 1 x Shade @ $7.25 = $7.25\n"
              "Subtotal: $57.25\nTax (8%): $4.58\nTotal: $61.83")
INVOICE_WRONG = INVOICE_OK.replace("Total: $61.83", "Total: $61.38")
INVOICE_AMBIGUOUS = "Subtotal: $240, Tax: $24, Total: $268"
LOGIC = ("Premises:\n1. ∀x (Bird(x) → Flies(x))\n2. Bird(tweety)\nConclusion: Flies(tweety)")
LOGIC_FALSE = ("Premises:\n1. ∀x (Fish(x) → ¬Walks(x))\n2. Fish(nemo)\nConclusion: Walks(nemo)")
CORPUS = (
    INVOICE_OK, INVOICE_WRONG, INVOICE_AMBIGUOUS, LOGIC, LOGIC_FALSE,
    "Tom buys 6 boxes of 12 eggs, so he has 6 * 12 = 72 eggs. He uses 15, leaving 72 - 15 = 57.",
    "A quarter of 96 is 96/4 = 24, and 24 + 8 = 33.",
    "She saves 15/100*2000 = 300 dollars, then spends $40+$25 = $65.",
)


def _verdict(report):
    return report.status, report.corrected_text, tuple((c.text, c.status) for c in report.claims)


def test_eight_threads_match_a_sequential_run():
    expected = {text: _verdict(check(text)) for text in CORPUS}
    invoice_expected = {text: check_invoice(text).status for text in CORPUS[:3]}
    jobs = [text for _ in range(6) for text in CORPUS]

    def one(text):
        got = _verdict(check(text))
        inv = check_invoice(text).status if text in invoice_expected else None
        return text, got, inv

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, jobs))
    assert len(results) == len(jobs)
    for text, got, inv in results:
        assert got == expected[text], text
        assert inv == invoice_expected.get(text)
    assert {expected[t][0] for t in CORPUS} >= {"verified", "corrected", "flagged"}


def test_the_async_decorator_checks_invoices_concurrently():
    @verified(on_fail="correct")
    async def answer(text: str) -> str:
        await asyncio.sleep(0)
        return text

    async def many():
        return await asyncio.gather(*(answer(t) for t in [INVOICE_WRONG, INVOICE_OK] * 8))

    out = asyncio.run(many())
    assert [str(x) for x in out] == [INVOICE_OK, INVOICE_OK] * 8
    assert [x.report.status for x in out[:2]] == ["corrected", "verified"]
