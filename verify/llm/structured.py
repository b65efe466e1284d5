"""Structured output: ask for JSON matching a schema, accept only JSON that matches.

The model's reply is untrusted text. ``complete_json`` pulls the first JSON value out of
it (tolerating code fences and prose around it), parses it strictly (no NaN/Infinity,
no duplicate keys), validates it against the schema, and on any failure asks again with
the exact error as feedback. After the retries it raises ``LLMOutputError``; it never
returns unvalidated data.

Validation uses ``jsonschema`` when it is installed; otherwise a built-in validator for
the subset Verity's prompts use (type, enum, const, properties, required,
additionalProperties, items, min/max, minLength/maxLength, minItems/maxItems, pattern).
A schema keyword outside that subset is refused rather than silently ignored.
"""
from __future__ import annotations

import json
import logging
import re
import time
from typing import Any, Callable, Mapping

from .base import LLM, LLMOutputError, LLMTimeout, Message, MessagesLike, as_messages
from .callable import as_llm

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 200_000   # longer replies are cut before parsing
MAX_JSON_STARTS = 200       # candidate '{'/'[' positions tried in one reply
FEEDBACK_REPLY_CHARS = 2_000

_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.DOTALL)

SUBSET_KEYWORDS = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties", "items",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "minItems", "maxItems", "pattern",
    # annotations: no effect on validity
    "title", "description", "$schema", "$id", "default", "examples", "$comment",
})
_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")


# -- parsing -------------------------------------------------------------------------------
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)


def extract_json(text: str, *, scalars: bool = False) -> Any:
    """The first JSON object or array in ``text``: inside a ```json fence if there is one,
    else anywhere after leading prose. With ``scalars``, a reply that starts with a bare
    string/number/literal counts too (otherwise "1. {...}" would yield 1). Raises
    ``ValueError`` saying why nothing was found."""
    if not isinstance(text, str):
        raise ValueError(f"the reply is a {type(text).__name__}, not text")
    text = text[:MAX_REPLY_CHARS]
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    last_error = "no JSON object or array in the reply"
    for chunk in candidates:
        stripped = chunk.strip()
        starts = [i for i, ch in enumerate(stripped) if ch in "{["][:MAX_JSON_STARTS]
        if scalars and stripped and stripped[0] not in "{[":
            starts.insert(0, 0)
        for i in starts:
            try:
                value, _ = _DECODER.raw_decode(stripped, i)
                return value
            except RecursionError:
                raise ValueError("the JSON is nested too deeply") from None
            except ValueError as exc:
                last_error = f"invalid JSON: {exc}"
    raise ValueError(last_error)


# -- validation ----------------------------------------------------------------------------
def _path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _is_type(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return kind == "number" or isinstance(value, int) or float(value).is_integer()


def _json_equal(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def check_subset_schema(schema: Any, where: str = "$") -> None:
    """Refuse a schema the built-in validator cannot honour (``ValueError``)."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, Mapping):
        raise ValueError(f"schema at {where} must be an object or a boolean")
    unknown = set(schema) - SUBSET_KEYWORDS
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} at {where} need the jsonschema "
                         "package (pip install jsonschema)")
    kinds = schema.get("type", [])
    if not isinstance(kinds, (str, list)):
        raise ValueError(f"type at {where} must be a string or an array of strings")
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if kind not in _TYPES:
            raise ValueError(f"unknown type {kind!r} at {where}")
    if not isinstance(schema.get("properties", {}), Mapping):
        raise ValueError(f"properties at {where} must be an object")
    for key, sub in (schema.get("properties") or {}).items():
        check_subset_schema(sub, f"{where}.properties.{key}")
    for key in ("items", "additionalProperties"):
        if key in schema:
            check_subset_schema(schema[key], f"{where}.{key}")
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key in schema and (isinstance(schema[key], bool)
                              or not isinstance(schema[key], (int, float))):
            raise ValueError(f"{key} at {where} must be a number")
    for key in ("minLength", "maxLength", "minItems", "maxItems"):
        if key in schema and (isinstance(schema[key], bool) or not isinstance(schema[key], int)
                              or schema[key] < 0):
            raise ValueError(f"{key} at {where} must be a non-negative integer")
    for key in ("required", "enum"):
        if key in schema and not isinstance(schema[key], list):
            raise ValueError(f"{key} at {where} must be an array")
    if "pattern" in schema:
        try:
            re.compile(schema["pattern"])
        except (re.error, TypeError) as exc:
            raise ValueError(f"pattern at {where} is not a regular expression: {exc}") from None


def _subset_errors(value: Any, schema: Any, path: list[Any]) -> str | None:
    """The first violation of ``schema`` by ``value`` as a message, or None."""
    at = _path(path)
    if schema is True:
        return None
    if schema is False:
        return f"{at}: no value is allowed here"
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_is_type(value, k) for k in kinds):
            return f"{at}: {json.dumps(value)[:80]} is not of type {' or '.join(kinds)}"
    if "enum" in schema and not any(_json_equal(value, e) for e in schema["enum"]):
        return f"{at}: {json.dumps(value)[:80]} is not one of {json.dumps(schema['enum'])[:200]}"
    if "const" in schema and not _json_equal(value, schema["const"]):
        return f"{at}: {json.dumps(value)[:80]} should be {json.dumps(schema['const'])[:80]}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for key, bad in (("minimum", lambda v, b: v < b), ("maximum", lambda v, b: v > b),
                         ("exclusiveMinimum", lambda v, b: v <= b),
                         ("exclusiveMaximum", lambda v, b: v >= b)):
            if key in schema and bad(value, schema[key]):
                return f"{at}: {value} violates {key} {schema[key]}"
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"{at}: shorter than {schema['minLength']} characters"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{at}: longer than {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{at}: {value[:80]!r} does not match {schema['pattern']!r}"
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            return f"{at}: fewer than {schema['minItems']} items"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{at}: more than {schema['maxItems']} items"
        if "items" in schema:
            for i, item in enumerate(value):
                err = _subset_errors(item, schema["items"], path + [i])
                if err:
                    return err
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        for key in schema.get("required") or []:
            if key not in value:
                return f"{at}: missing required property {key!r}"
        for key, item in value.items():
            if key in props:
                err = _subset_errors(item, props[key], path + [key])
            elif "additionalProperties" in schema:
                extra = schema["additionalProperties"]
                err = (f"{at}: unexpected property {key!r}" if extra is False
                       else _subset_errors(item, extra, path + [key]))
            else:
                err = None
            if err:
                return err
    return None


def make_validator(schema: Mapping[str, Any], *,
                   backend: str = "auto") -> Callable[[Any], str | None]:
    """A function telling why a value does not match ``schema`` (one message naming the
    path) or returning None. ``backend``: "jsonschema", "subset" (built-in) or "auto"
    (jsonschema when installed). A broken or unsupported schema raises ``ValueError``."""
    if backend not in ("auto", "jsonschema", "subset"):
        raise ValueError(f"backend must be 'auto', 'jsonschema' or 'subset', got {backend!r}")
    if not isinstance(schema, (Mapping, bool)):
        raise ValueError("schema must be a JSON Schema object (a dict)")
    jsonschema: Any = None
    if backend != "subset":
        try:
            import jsonschema
        except ImportError:
            if backend == "jsonschema":
                raise
    if jsonschema is None:
        check_subset_schema(schema)
        return lambda value: _subset_errors(value, schema, [])
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise ValueError(f"invalid JSON Schema: {exc.message}") from None
    validator = cls(schema)

    def first_error(value: Any) -> str | None:
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
        return None if error is None else f"{_path(error.absolute_path)}: {error.message[:300]}"

    return first_error


def _allows_scalar(schema: Any) -> bool:
    kinds = schema.get("type") if isinstance(schema, Mapping) else None
    if kinds is None:
        return False
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    return any(k not in ("object", "array") for k in kinds)


# -- the call ------------------------------------------------------------------------------
def _instruction(schema: Mapping[str, Any]) -> str:
    return ("Reply with one JSON value that matches this JSON Schema, and nothing else "
            "(no explanation, no code fence):\n" + json.dumps(schema, ensure_ascii=False))


def complete_json(llm: LLM, messages: MessagesLike | str, schema: Mapping[str, Any], *,
                  retries: int = 2, temperature: float = 0.0, timeout: float | None = None,
                  backend: str = "auto", json_mode: bool = False, **kw: Any) -> Any:
    """A JSON value from ``llm`` that matches ``schema``, or ``LLMOutputError``.

    The schema goes into the system prompt; a reply that does not parse or does not
    match is shown back to the model with the error, up to ``retries`` times. ``timeout``
    bounds the whole exchange. ``json_mode`` also asks an HTTP endpoint for its JSON
    response format (a hint only: the reply is validated either way). Other keywords
    (``seed``, ``max_tokens``) go to ``llm.complete``. LLMError/LLMTimeout from the model
    itself propagate unchanged.
    """
    if not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative integer, got {retries!r}")
    llm = as_llm(llm)
    validate = make_validator(schema, backend=backend)  # a broken schema fails here
    scalars = _allows_scalar(schema)
    msgs = as_messages(messages)
    if not msgs:
        raise ValueError("no messages: give at least one message")
    if msgs[0].role == "system":
        msgs = [Message("system", msgs[0].content + "\n\n" + _instruction(schema)), *msgs[1:]]
    else:
        msgs = [Message("system", _instruction(schema)), *msgs]
    if json_mode and getattr(llm, "accepts_response_format", False):
        kw.setdefault("response_format", {"type": "json_object"})
    deadline = None if timeout is None else time.monotonic() + timeout
    problem = "no reply"
    reply = ""
    for attempt in range(retries + 1):
        call_timeout = None
        if deadline is not None:
            call_timeout = deadline - time.monotonic()
            if call_timeout <= 0:
                raise LLMTimeout(f"no valid JSON within {timeout:g} s "
                                 f"({attempt} attempts; last problem: {problem})")
        replies = llm.complete(msgs, n=1, temperature=temperature, timeout=call_timeout, **kw)
        if not isinstance(replies, list) or not replies:
            raise LLMOutputError(f"{getattr(llm, 'name', 'the model')}.complete() returned "
                                 f"{type(replies).__name__} {replies!r:.80}, not a list of texts")
        reply = replies[0]
        try:
            value = extract_json(reply, scalars=scalars)
            problem = validate(value)
        except ValueError as exc:
            problem = str(exc)
        if problem is None:
            return value
        log.info("%s: JSON reply rejected (attempt %d/%d): %s", getattr(llm, "name", "llm"),
                 attempt + 1, retries + 1, problem)
        msgs = [*msgs, Message("assistant", str(reply)[:FEEDBACK_REPLY_CHARS]),
                Message("user", f"That reply was rejected: {problem}. Reply again with only "
                                "a JSON value that matches the schema.")]
    raise LLMOutputError(f"{getattr(llm, 'name', 'the model')} gave no JSON matching the schema "
                         f"in {retries + 1} attempts; last problem: {problem}; "
                         f"last reply: {str(reply)[:200]!r}")
