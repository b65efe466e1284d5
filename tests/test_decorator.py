"""@verified with the arithmetic engine: flag / correct / raise / reask, sync and async."""
from __future__ import annotations

import asyncio
import inspect

import pytest

from verify import VerificationError, VerifiedText, verified

FAST = {"engines": ("arithmetic",)}


def test_flag_returns_the_text_with_its_report():
    @verified(**FAST)
    def ask(question: str) -> str:
        return "847 × 923 = 781681"

    out = ask("What is 847 * 923?")
    assert isinstance(out, VerifiedText) and isinstance(out, str)
    assert out == "847 × 923 = 781681"
    assert out.report.status == "corrected"
    assert out.report.corrected_text == "847 × 923 = 781781"


def test_correct_returns_the_corrected_text():
    @verified(on_fail="correct", **FAST)
    def ask(question: str) -> str:
        return "Natalia sold 48/2 = 25 clips. In all 48 + 25 = 73 clips."

    out = ask("How many clips?")
    assert out == "Natalia sold 48/2 = 24 clips. In all 48 + 24 = 72 clips."
    assert [c.status for c in out.report.claims] == ["refuted", "refuted"]


def test_verified_text_passes_through_unchanged():
    @verified(on_fail="raise", **FAST)
    def ask() -> str:
        return "12 times 3 is 36"

    out = ask()
    assert out == "12 times 3 is 36" and out.report.ok


def test_raise_carries_the_report():
    @verified(on_fail="raise", **FAST)
    def ask() -> str:
        return "847 × 923 = 781681"

    with pytest.raises(VerificationError) as info:
        ask()
    assert info.value.report.corrected_text == "847 × 923 = 781781"
    assert "781781" in str(info.value)


def test_reask_passes_the_feedback_and_retries():
    calls: list[str | None] = []

    @verified(on_fail="reask", max_retries=2, **FAST)
    def ask(question: str, verity_feedback: str | None = None) -> str:
        calls.append(verity_feedback)
        return "847 × 923 = 781681" if verity_feedback is None else "847 × 923 = 781781"

    out = ask("What is 847 * 923?")
    assert out == "847 × 923 = 781781" and out.report.ok
    assert calls[0] is None
    assert "847 × 923 is 781781, not 781681." in calls[1]
    assert len(calls) == 2


def test_reask_gives_up_after_max_retries_and_flags():
    calls = []

    @verified(on_fail="reask", max_retries=1, **FAST)
    def ask(verity_feedback=None) -> str:
        calls.append(verity_feedback)
        return "2 + 2 = 5"

    out = ask()
    assert len(calls) == 2
    assert out == "2 + 2 = 5" and out.report.status == "corrected"


def test_reask_needs_the_feedback_keyword():
    with pytest.raises(TypeError, match="verity_feedback"):
        @verified(on_fail="reask")
        def ask(question: str) -> str:
            return question


def test_async_functions_work_for_every_policy():
    @verified(on_fail="correct", **FAST)
    async def ask(question: str) -> str:
        await asyncio.sleep(0)
        return "847 × 923 = 781681"

    assert inspect.iscoroutinefunction(ask)
    out = asyncio.run(ask("q"))
    assert out == "847 × 923 = 781781" and out.report.status == "corrected"

    @verified(on_fail="raise", **FAST)
    async def bad() -> str:
        return "2 + 2 = 5"

    with pytest.raises(VerificationError):
        asyncio.run(bad())

    seen = []

    @verified(on_fail="reask", **FAST)
    async def again(verity_feedback=None) -> str:
        seen.append(verity_feedback)
        return "2 + 2 = 4" if verity_feedback else "2 + 2 = 5"

    out = asyncio.run(again())
    assert out == "2 + 2 = 4" and out.report.ok and len(seen) == 2


def test_signature_and_docstring_are_kept():
    def ask(question: str, *, temperature: float = 0.0) -> str:
        """Ask the model."""
        return "2 + 2 = 4"

    wrapped = verified(ask, **FAST)
    assert wrapped.__name__ == "ask"
    assert wrapped.__doc__ == "Ask the model."
    assert inspect.signature(wrapped) == inspect.signature(ask)
    assert wrapped.__wrapped__ is ask
    assert wrapped("q") == "2 + 2 = 4"


def test_bare_decorator_uses_the_default_policy():
    @verified
    def ask() -> str:
        return "847 × 923 = 781681"

    out = ask()
    assert out == "847 × 923 = 781681" and out.report.status == "corrected"


def test_non_str_return_raises_type_error_naming_the_type():
    @verified(**FAST)
    def ask() -> str:
        return 42  # type: ignore[return-value]

    with pytest.raises(TypeError, match="must return str, a chat completion or a message dict, got int"):
        ask()

    @verified(**FAST)
    async def ask_async() -> str:
        return None  # type: ignore[return-value]

    with pytest.raises(TypeError, match="got NoneType"):
        asyncio.run(ask_async())


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="on_fail"):
        verified(on_fail="ignore")
    with pytest.raises(ValueError, match="max_retries"):
        verified(max_retries=-1)


def _completion_dict(*texts: str) -> dict:
    return {"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": i, "message": {"role": "assistant", "content": t},
                         "finish_reason": "stop"} for i, t in enumerate(texts)]}


def test_a_completion_dict_comes_back_as_a_completion_dict_with_checked_text():
    original = _completion_dict("Tickets: 3 × 14 = 45 dollars.", "So 9 - 4 = 5.")

    @verified(on_fail="correct", **FAST)
    def ask() -> dict:
        return original

    out = ask()
    assert isinstance(out, dict) and out["model"] == "m" and out is not original
    first, second = (c["message"]["content"] for c in out["choices"])
    assert first == "Tickets: 3 × 14 = 42 dollars." and first.report.status == "corrected"
    assert second == "So 9 - 4 = 5." and second.report.ok
    assert original["choices"][0]["message"]["content"] == "Tickets: 3 × 14 = 45 dollars."


def test_an_openai_sdk_completion_object_keeps_its_type():
    from openai.types.chat import ChatCompletion

    original = ChatCompletion.model_validate(_completion_dict("Half of 48 is 48 / 2 = 25."))

    @verified(on_fail="correct", **FAST)
    async def ask() -> ChatCompletion:
        return original

    out = asyncio.run(ask())
    assert isinstance(out, ChatCompletion)
    text = out.choices[0].message.content
    assert text == "Half of 48 is 48 / 2 = 24." and text.report.status == "corrected"
    assert original.choices[0].message.content == "Half of 48 is 48 / 2 = 25."


def test_a_message_dict_keeps_its_role_and_raise_still_raises():
    @verified(**FAST)
    def ask() -> dict:
        return {"role": "assistant", "content": "7 × 8 = 56"}

    out = ask()
    assert out["role"] == "assistant" and out["content"] == "7 × 8 = 56"
    assert out["content"].report.ok

    @verified(on_fail="raise", **FAST)
    def wrong() -> dict:
        return {"role": "assistant", "content": "7 × 8 = 54"}

    with pytest.raises(VerificationError):
        wrong()


def test_reask_with_a_completion_sends_the_failing_choices_summary():
    seen: list[str | None] = []

    @verified(on_fail="reask", max_retries=1, **FAST)
    def ask(verity_feedback: str | None = None) -> dict:
        seen.append(verity_feedback)
        return _completion_dict("6 × 7 = 42" if verity_feedback else "6 × 7 = 48")

    out = ask()
    assert out["choices"][0]["message"]["content"] == "6 × 7 = 42"
    assert seen[0] is None and "refuted" in seen[1]


def test_a_completion_without_text_is_refused_by_name():
    @verified(**FAST)
    def ask() -> dict:
        return {"choices": [{"index": 0, "message": {"role": "assistant", "content": None,
                                                     "tool_calls": []}}]}

    with pytest.raises(TypeError, match="without any text content"):
        ask()
