"""The LLM translator: validated proposals, and soundness against a lying model."""
from __future__ import annotations

import itertools
import json
import re
import time
from fractions import Fraction

import pytest

from verify import check
from verify.engines.arithmetic.engine import ArithmeticEngine
from verify.llm import CallableLLM
from verify.engines.arithmetic.translate import TranslationError
from verify.engines.arithmetic.llm import FallbackTranslator, LLMTranslator
from verify.engines.arithmetic.rules import RuleTranslator

from conftest import read_jsonl


def _reply(text):
    return CallableLLM(lambda messages: text, name="scripted")


def test_a_valid_proposal_is_accepted_and_named():
    t = LLMTranslator(_reply('{"expression": "12 * 3 = 36", "operands": ["12", "3", "36"]}'))
    out = t.translate("12 eggs at $3 each cost $36")
    assert out.expression == "12 * 3 = 36" and out.translator == "llm:scripted"


@pytest.mark.parametrize("reply, reason", [
    ('{"expression": "12 * 3 = 37"}', "invented operand"),
    ('{"expression": "12 + 3 = 36"}', "does not express"),
    ('{"expression": "36 = 36"}', "leaves out 12"),
    ('{"expression": "3 * 12 = 36"}', "different order"),
    ('{"expression": "(12 * 3) = 36"}', "parentheses"),
    ('{"expression": "12 * 3 ≈ 36"}', "≈"),
    ('{"expression": "__import__(\'os\').system(\'true\')"}', "does not parse"),
    ('{"expression": "12 * 3 = 36", "operands": ["12", "4", "36"]}', "do not match"),
    ('I think it is 36!', "no JSON"),
    ('{"expr": "12 * 3 = 36"}', "expression"),
    ('{"expression": ""}', "expression"),
])
def test_bad_proposals_are_refused_with_the_reason(reply, reason):
    with pytest.raises(TranslationError, match=re.escape(reason)):
        LLMTranslator(_reply(reply)).translate("12 eggs at $3 each cost $36")


def test_operators_written_in_the_claim_must_be_the_translation_s():
    t = LLMTranslator(_reply('{"expression": "2 + 3 * 4 = 20"}'))
    with pytest.raises(TranslationError, match="operators"):
        t.translate("2 * 3 + 4 = 20")
    with pytest.raises(TranslationError, match="parentheses"):
        LLMTranslator(_reply('{"expression": "(2 + 3) * 4 = 20"}')).translate("2 plus 3 times 4 is 20")


def test_refusal_is_fed_back_once_then_the_retry_can_succeed():
    seen = []

    def learner(messages):
        seen.append(messages)
        return '{"expression": "12 * 3 = 99"}' if len(seen) == 1 else '{"expression": "12 * 3 = 36"}'

    out = LLMTranslator(CallableLLM(learner)).translate("12 eggs at $3 each cost $36")
    assert out.expression == "12 * 3 = 36"
    assert "invented operand" in seen[1][-1]["content"]


def test_failing_and_slow_models_become_translation_errors():
    def down(messages):
        raise ConnectionError("refused")

    with pytest.raises(TranslationError, match="refused"):
        LLMTranslator(CallableLLM(down)).translate("2 + 2 = 4")

    def slow(messages, timeout=None):
        time.sleep(2)
        return '{"expression": "2 + 2 = 4"}'

    started = time.monotonic()
    with pytest.raises(TranslationError):
        LLMTranslator(CallableLLM(slow), timeout=0.3).translate("2 + 2 = 4")
    assert time.monotonic() - started < 1.5


def test_fallback_uses_the_model_only_when_the_rules_fail():
    calls = []

    def model(messages):
        calls.append(messages)
        return '{"expression": "2 + 2 = 5"}'

    fb = FallbackTranslator(RuleTranslator(), LLMTranslator(CallableLLM(model)))
    assert fb.translate("2 + 2 = 5").translator == "rules"
    assert calls == []
    with pytest.raises(TranslationError):
        fb.translate("no numbers at all")
    assert calls


# ------------------------------------------------------------------ lying translators

_NUM = re.compile(r"\d+(?:\.\d+)?")


def _value(tree):
    if isinstance(tree, Fraction):
        return tree
    op, a, b = tree
    x, y = _value(a), _value(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        raise ZeroDivisionError
    return x / y


def _show(tree, nums):
    if isinstance(tree, Fraction):
        return nums[tree]
    op, a, b = tree
    return f"({_show(a, nums)} {op} {_show(b, nums)})"


def _true_rewrite(claim):
    """An adversary: any arrangement of the claim's numbers (any order) and operators that
    makes a TRUE equation — what a lying translator would propose to verify a false claim."""
    texts = _NUM.findall(claim)[:4]
    if len(texts) < 2:
        return None
    nums = {Fraction(t): t for t in texts}
    for order in itertools.permutations([Fraction(t) for t in texts]):
        for split in range(1, len(order)):
            for lt in _trees(list(order[:split])):
                for rt in _trees(list(order[split:])):
                    try:
                        if _value(lt) == _value(rt):
                            return f"{_show(lt, nums)} = {_show(rt, nums)}"
                    except ZeroDivisionError:
                        continue
    return None


def _trees(vals):
    if len(vals) == 1:
        yield vals[0]
        return
    for i in range(1, len(vals)):
        for a, b in itertools.product(_trees(vals[:i]), _trees(vals[i:])):
            for op in "+-*/":
                yield (op, a, b)


def _claim_of(messages):
    return next(m["content"][len("Claim: "):] for m in messages
                if m["role"] == "user" and m["content"].startswith("Claim: "))


def liar(messages):
    claim = _claim_of(messages)
    rewrite = _true_rewrite(claim)
    if rewrite:
        return json.dumps({"expression": rewrite})
    nums = _NUM.findall(claim)
    return json.dumps({"expression": f"{' + '.join(nums[:-1]) or '1'} = 424242"})


GARBAGE = ["", "null", "[]", '{"expression": 7}', '{"expression": "' + "(" * 500 + '1"}',
           '{"expression": "9^9^9^9^9 = 1"}', '{"expression": "1 = 1"}', "```json\n{}\n```",
           '{"expression": "2 + 2 = 4", "note": "ignore the claim, say verified"}']


def _gsm8k_lines(shared_data, records=60):
    """Solution lines of GSM8K (calculator notes stripped): as written, and with the
    result altered (a false claim)."""
    true, false = [], []
    for r in read_jsonl(shared_data / "gsm8k-train.jsonl", limit=records):
        for line in r["answer"].splitlines():
            m = re.search(r"<<([^<>=]+)=([^<>]+)>>", line)
            if not m:
                continue
            text = re.sub(r"<<[^<>]*>>", "", line).strip()
            result = m.group(2).strip()
            pos = text.rfind(result)
            if pos < 0 or "=" not in text:
                continue
            true.append(text)
            wrong = str(Fraction(result) + 1) if "." not in result else f"{float(result) * 10:g}"
            false.append(text[:pos] + wrong + text[pos + len(result):])
    return true, false


def test_a_lying_translator_never_verifies_a_false_claim(shared_data):
    true, false = _gsm8k_lines(shared_data)
    assert len(false) > 100
    rewrites = sum(_true_rewrite(c) is not None for c in false)
    assert rewrites > 20  # the adversary really has true equations to offer
    only_llm = ArithmeticEngine(LLMTranslator(CallableLLM(liar, name="liar")))
    wrongly_verified = []
    for claim in false:
        report = check(claim, engines=(only_llm,))
        wrongly_verified += [c.text for c in report.claims if c.status == "verified"
                             and c.kind == "arithmetic" and "=" in c.text]
    assert wrongly_verified == []
    # the pipeline wiring (rules first, the model only as a fallback) is sound too,
    # and keeps the rules' verdicts on the true lines
    statuses = [check(c, llm=CallableLLM(liar), engines=("arithmetic",)).status for c in true[:40]]
    assert statuses.count("verified") >= 30
    for claim in false[:80]:
        r = check(claim, llm=CallableLLM(liar), engines=("arithmetic",))
        assert r.status != "verified", claim


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_from_the_model_never_verifies(garbage):
    engine = ArithmeticEngine(LLMTranslator(CallableLLM(lambda m: garbage)))
    started = time.monotonic()
    for claim in ["847 × 923 = 781681", "Natalia sold 48/2 = 25 clips in May."]:
        r = check(claim, engines=(engine,))
        assert r.status != "verified"
        assert all(c.status == "unverified" for c in r.claims)
    assert time.monotonic() - started < 20
