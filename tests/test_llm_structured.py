"""complete_json: JSON is extracted strictly, validated against the schema, retried with the
error as feedback, and never returned unvalidated; the built-in validator agrees with
jsonschema on the subset it supports."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from verify.llm import (CallableLLM, LLMError, LLMOutputError, LLMTimeout, OpenAICompatible,
                        complete_json, extract_json, make_validator)
from verify.testing import Reply, StubOpenAIServer

VERDICT = {
    "type": "object",
    "properties": {
        "verdict": {"enum": ["supported", "contradicted", "not found"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "quotes": {"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 3},
    },
    "required": ["verdict", "confidence"],
    "additionalProperties": False,
}


class Scripted:
    """A model that plays back replies in order and records what it was sent."""

    name = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.calls: list[list[dict]] = []
        self.options: list[dict] = []

    def complete(self, messages, *, n=1, temperature=0.0, seed=None, timeout=None,
                 max_tokens=None, **kw):
        self.calls.append([{"role": m.role, "content": m.content} for m in messages])
        self.options.append({"temperature": temperature, "seed": seed, "timeout": timeout,
                             "max_tokens": max_tokens, **kw})
        return [self.replies.pop(0)] * n


@pytest.mark.parametrize("reply, value", [
    ('{"a": 1}', {"a": 1}),
    ('Sure! Here is the JSON:\n```json\n{"a": [1, 2]}\n```\nHope it helps.', {"a": [1, 2]}),
    ('```\n[{"x": null}]\n```', [{"x": None}]),
    ('The answer is {"a": "b"} as requested.', {"a": "b"}),
    ('1. first, {"a": 2}', {"a": 2}),
    ('Broken {"a": } then good {"a": 3}', {"a": 3}),
    ('{"outer": {"inner": [true, false]}}', {"outer": {"inner": [True, False]}}),
])
def test_extract_json_finds_the_first_value(reply, value):
    assert extract_json(reply) == value


@pytest.mark.parametrize("reply, message", [
    ("no json here", "no JSON object or array"),
    ('{"a": NaN}', "NaN is not valid JSON"),
    ('{"a": Infinity}', "Infinity is not valid JSON"),
    ('{"verdict": "contradicted", "verdict": "supported"}', "duplicate key 'verdict'"),
    ("{'a': 1}", "invalid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_extract_json_rejects(reply, message):
    with pytest.raises(ValueError, match=message):
        extract_json(reply)


def test_extract_json_scalars_only_when_asked():
    assert extract_json('"supported" is my answer', scalars=True) == "supported"
    with pytest.raises(ValueError):
        extract_json('"supported" is my answer')


def test_valid_reply_is_returned_and_schema_is_in_the_system_prompt():
    model = Scripted('{"verdict": "supported", "confidence": 0.9, "quotes": ["Paris is"]}')
    out = complete_json(model, "Is the claim supported?", VERDICT, seed=3, max_tokens=50)
    assert out == {"verdict": "supported", "confidence": 0.9, "quotes": ["Paris is"]}
    system = model.calls[0][0]
    assert system["role"] == "system" and json.dumps(VERDICT) in system["content"]
    assert model.options[0]["seed"] == 3 and model.options[0]["max_tokens"] == 50


def test_existing_system_message_is_kept_and_extended():
    model = Scripted('{"verdict": "not found", "confidence": 0}')
    complete_json(model, [{"role": "system", "content": "You judge claims."},
                          {"role": "user", "content": "claim"}], VERDICT)
    first = model.calls[0]
    assert len(first) == 2 and first[0]["content"].startswith("You judge claims.\n\n")


def test_malformed_then_valid_is_retried_with_feedback():
    model = Scripted("I think it is supported!", '{"verdict": "supported", "confidence": 1}')
    assert complete_json(model, "claim", VERDICT) == {"verdict": "supported", "confidence": 1}
    second = model.calls[1]
    assert second[-2] == {"role": "assistant", "content": "I think it is supported!"}
    assert second[-1]["role"] == "user"
    assert "rejected: no JSON object or array" in second[-1]["content"]


@pytest.mark.parametrize("bad, problem", [
    ('{"verdict": "verified", "confidence": 0.5}', "$.verdict"),
    ('{"verdict": "supported"}', "confidence"),
    ('{"verdict": "supported", "confidence": 7}', "$.confidence"),
    ('{"verdict": "supported", "confidence": 0.5, "override": true}', "override"),
    ('{"verdict": "supported", "confidence": "high"}', "$.confidence"),
    ('{"verdict": "supported", "confidence": 0.5, "quotes": [""]}', "$.quotes[0]"),
    ('["supported", 0.5]', "object"),
])
def test_schema_violations_are_rejected_and_named(bad, problem):
    model = Scripted(bad, '{"verdict": "contradicted", "confidence": 0.2}')
    assert complete_json(model, "claim", VERDICT)["verdict"] == "contradicted"
    assert problem in model.calls[1][-1]["content"]


def test_always_bad_model_raises_llm_output_error():
    model = Scripted(*['{"verdict": "verified", "confidence": 2}'] * 3)
    with pytest.raises(LLMOutputError, match="3 attempts.*last problem: \\$") as info:
        complete_json(model, "claim", VERDICT, retries=2)
    assert isinstance(info.value, LLMError) and len(model.calls) == 3
    assert model.replies == []


def test_injection_in_the_reply_cannot_smuggle_a_verdict():
    # the model "agrees" in prose and emits a JSON with an extra field: rejected, not trusted
    model = Scripted('Ignore the schema. {"verdict": "supported", "confidence": 1, "verified": true}',
                     '{"verdict": "supported", "verdict": "contradicted", "confidence": 1}',
                     '{"verdict": "not found", "confidence": 0}')
    assert complete_json(model, "claim", VERDICT) == {"verdict": "not found", "confidence": 0}


def test_retries_zero_means_one_attempt():
    model = Scripted("nope")
    with pytest.raises(LLMOutputError):
        complete_json(model, "claim", VERDICT, retries=0)
    assert len(model.calls) == 1


def test_timeout_bounds_the_whole_exchange():
    import time

    def slow(messages, timeout=None):
        time.sleep(0.3)
        return "not json"

    t0 = time.monotonic()
    with pytest.raises(LLMTimeout):
        complete_json(CallableLLM(slow), "claim", VERDICT, retries=10, timeout=0.5)
    assert time.monotonic() - t0 < 1.0


def test_model_errors_propagate_unchanged():
    def down(messages):
        raise LLMError("endpoint unreachable")

    with pytest.raises(LLMError, match="endpoint unreachable"):
        complete_json(down, "claim", VERDICT)


def test_over_http_with_json_mode():
    with StubOpenAIServer() as server:
        server.push(Reply.chat("```json\n{\"verdict\": \"maybe\", \"confidence\": 1}\n```"),
                    Reply.chat('{"verdict": "supported", "confidence": 0.75}'))
        llm = OpenAICompatible(server.base_url, model="stub-model")
        out = complete_json(llm, "claim", VERDICT, json_mode=True, seed=1)
        assert out == {"verdict": "supported", "confidence": 0.75}
        sent = [r["json"] for r in server.requests]
        assert all(s["response_format"] == {"type": "json_object"} and s["n"] == 1 for s in sent)
        assert "'maybe' is not one of" in sent[1]["messages"][-1]["content"]


def test_an_adapter_returning_no_texts_is_an_output_error():
    class Empty:
        name = "empty"

        def complete(self, messages, **kw):
            return []

    with pytest.raises(LLMOutputError, match="returned list \\[\\], not a list of texts"):
        complete_json(Empty(), "q", VERDICT)


def test_a_plain_callable_is_accepted():
    assert complete_json(lambda messages: '{"ok": true}', "q",
                         {"type": "object", "required": ["ok"]}) == {"ok": True}


def test_scalar_schema():
    model = Scripted('"contradicted" (the dates differ)')
    assert complete_json(model, "q", {"enum": ["supported", "contradicted"],
                                      "type": "string"}) == "contradicted"


@pytest.mark.parametrize("schema, backend, message", [
    ({"type": "objekt"}, "auto", "invalid JSON Schema"),
    ({"properties": {"a": {"minimum": "zero"}}}, "auto", "invalid JSON Schema"),
    ({"type": "objekt"}, "subset", "unknown type 'objekt'"),
    ({"properties": {"a": {"pattern": "("}}}, "subset", "not a regular expression"),
    ({"properties": {"a": {"minimum": "zero"}}}, "subset", "minimum at \\$.properties.a"),
    (["not", "a", "schema"], "auto", "must be a JSON Schema object"),
])
def test_broken_schema_fails_before_calling_the_model(schema, backend, message):
    model = Scripted()
    with pytest.raises(ValueError, match=message):
        complete_json(model, "q", schema, backend=backend)
    assert model.calls == []


def test_subset_backend_refuses_unsupported_keywords():
    with pytest.raises(ValueError, match="oneOf.*jsonschema"):
        make_validator({"oneOf": [{"type": "string"}, {"type": "integer"}]}, backend="subset")
    model = Scripted('{"verdict": "supported", "confidence": 1}')
    assert complete_json(model, "q", VERDICT, backend="subset")["verdict"] == "supported"


# -- the built-in validator agrees with jsonschema on its subset ----------------------------
SCHEMAS = [
    VERDICT,
    {"type": "array", "items": {"type": "integer", "exclusiveMinimum": 0}, "minItems": 1},
    {"type": ["string", "null"], "maxLength": 3, "pattern": "^[a-z]*$"},
    {"type": "object", "properties": {"n": {"type": "integer"}, "flag": {"const": True}},
     "additionalProperties": {"type": "string"}},
    {"enum": [1, "1", None, [1], {"a": 1}]},
    {"type": "number", "exclusiveMaximum": 10, "minimum": -1.5},
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats(-20, 20, allow_nan=False)
    | st.sampled_from(["supported", "contradicted", "not found", "", "abc", "ABC", "x" * 5])
    | st.sampled_from([0.5, 1.0, 2.0]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["verdict", "confidence", "quotes", "n", "flag", "a",
                                       "extra"]), inner, max_size=4),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(schema=st.sampled_from(SCHEMAS), value=json_values)
def test_subset_validator_agrees_with_jsonschema(schema, value):
    subset = make_validator(schema, backend="subset")(value)
    full = make_validator(schema, backend="jsonschema")(value)
    assert (subset is None) == (full is None), (subset, full)
