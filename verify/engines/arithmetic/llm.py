"""The LLM translator: a model proposes the symbolic form of an arithmetic claim.

Useful where the rules cannot read the claim ("a dozen eggs at three dollars each come to
36 dollars" → ``12 * 3 = 36`` is beyond them only when numbers hide in words; the model
may also untangle prose order). The model is a translator, never a judge: its reply must
be JSON matching :data:`SCHEMA` (:func:`verify.llm.complete_json` rejects anything else),
then :func:`verify.engines.arithmetic.translate.validate` re-parses the expression with the safe parser
and refuses invented operands, dropped numbers, unattested operators and unearned ``≈``.
A refusal is shown to the model once more with the reason; after that the claim is
refused with :class:`TranslationError` and the engine leaves it ``unverified``. The engine
validates again on its side, so a translator cannot smuggle anything past it either way.
"""
from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from .expr import MAX_EXPRESSION_CHARS, Bin, Node, Unary
from .translate import MAX_TERMS, Checked, Translation, TranslationError, validate

log = logging.getLogger("verity.translate.llm")

#: Attempts at a translation that passes validation (the first + retries with feedback).
ATTEMPTS = 2
#: Per-translation time limit (seconds) for all attempts together.
TIMEOUT = 60.0
MAX_CLAIM_CHARS = 2_000

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "expression": {"type": "string", "minLength": 1, "maxLength": MAX_EXPRESSION_CHARS},
        "operands": {"type": "array", "maxItems": 4 * MAX_TERMS,
                     "items": {"type": "string", "minLength": 1, "maxLength": 40}},
    },
    "required": ["expression"],
}

SYSTEM = """You translate one arithmetic claim into a single expression. Rules:
- Use only the numbers written in the claim, as digits, each one it states.
- Operators: + - * / ^ % ( ) and "=" between the sides. Use "≈" only if the claim says
  about/approximately.
- Reply with JSON: {"expression": "...", "operands": ["number", ...]} where operands are
  the numbers of the expression in order.
Examples:
"Natalia sold 48/2 = 24 clips" -> {"expression": "48 / 2 = 24", "operands": ["48", "2", "24"]}
"12 eggs at $3 each cost $36" -> {"expression": "12 * 3 = 36", "operands": ["12", "3", "36"]}
"She paid 100 plus 18 tax, 118 in all" -> {"expression": "100 + 18 = 118", "operands": ["100", "18", "118"]}"""


_CLAIM_OPS = re.compile(r"\*\*|[+×*·⋅∗/÷^=≈~]|(?<=\d)\s*[xX](?=\s*\d)|[-−–](?=\s*[\d.(√$€£¥₹])|"
                        r"\b(?:plus|minus|times|multiplied|divided|over|equals?|is|are)\b",
                        re.IGNORECASE)
_OP_CLASS = {"+": "+", "plus": "+", "-": "-", "−": "-", "–": "-", "minus": "-",
             "*": "*", "×": "*", "·": "*", "⋅": "*", "∗": "*", "x": "*", "times": "*",
             "multiplied": "*", "/": "/", "÷": "/", "divided": "/", "over": "/",
             "^": "^", "**": "^", "=": "=", "≈": "=", "~": "=", "equal": "=", "equals": "=",
             "is": "=", "are": "="}


def _claim_ops(claim: str, start: int, end: int) -> list[str]:
    """The explicit operators (symbols and operator words) between two offsets, in order."""
    return [_OP_CLASS[m.group().strip().lower()] for m in _CLAIM_OPS.finditer(claim, start, end)]


def _expr_ops(node: Node) -> list[str]:
    """The expression's operators in reading order; word forms ("18% of 100", "20% off")
    are attested by words, so they are left out."""
    if isinstance(node, Bin):
        op = [] if node.form else ["*" if node.op == "of" else node.op]
        return _expr_ops(node.left) + op + _expr_ops(node.right)
    if isinstance(node, Unary):
        return ([node.op] if node.op == "-" else []) + _expr_ops(node.arg)
    return []


def faithful(checked: Checked, claim: str) -> Checked:
    """Stricter than :func:`validate`, for a translator that may lie: the operands must be
    used in the order the claim states them, grouping parentheses must be the claim's own,
    and when the claim writes its operators out ("48/2 = 24", "6 plus 2 times 3 is 12")
    the translation must use exactly those, in that order. Otherwise a model could regroup
    "2 plus 3 times 4 is 20" into the true "(2 + 3) * 4 = 20" or swap an operator to make
    a false claim true. Legitimate rewordings ("subtract 5 from 12") are refused too and
    stay unverified: a refusal costs coverage, a wrong verdict costs trust."""
    starts = [s for s, _ in checked.spans]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise TranslationError("the translation uses the claim's numbers in a different order")
    if "(" in checked.translation.expression and "(" not in claim:
        raise TranslationError("the translation groups terms with parentheses the claim does not have")
    said: list[str] = []
    if checked.spans:
        first = checked.spans[0][0]
        while first > 0 and claim[first - 1] in "-−–( ":  # a leading sign belongs to the claim
            first -= 1
        said = _claim_ops(claim, first, checked.spans[-1][1])
    if said:
        rel = checked.relation
        used: list[str] = []
        for i, term in enumerate(rel.terms):
            used += _expr_ops(term) + (["="] if i < len(rel.rels) else [])
        if used != said:
            raise TranslationError(f"the translation's operators {' '.join(used)} are not the "
                                   f"claim's {' '.join(said)}")
    return checked


class LLMTranslator:
    """A :class:`verify.engines.arithmetic.translate.Translator` backed by any Verity LLM adapter (or
    anything :func:`verify.llm.as_llm` accepts: a URL, a model path, a callable)."""

    def __init__(self, llm: Any, *, timeout: float = TIMEOUT, attempts: int = ATTEMPTS,
                 seed: int | None = 0) -> None:
        from verify.llm import as_llm

        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.llm = as_llm(llm)
        self.timeout = timeout
        self.attempts = attempts
        self.seed = seed
        self.name = f"llm:{getattr(self.llm, 'name', type(self.llm).__name__)}"

    def translate(self, claim: str) -> Translation:
        """The model's translation of ``claim``, already validated once; raises
        :class:`TranslationError` with the reason when the model gives nothing valid."""
        from verify.llm import LLMError, complete_json

        if not isinstance(claim, str) or not claim.strip():
            raise TranslationError("expected the claim as a non-empty str")
        if len(claim) > MAX_CLAIM_CHARS:
            raise TranslationError(f"claim too long to translate ({len(claim):,} characters)")
        messages: list[dict[str, str]] = [{"role": "system", "content": SYSTEM},
                                          {"role": "user", "content": f"Claim: {claim}"}]
        problem = "no attempt made"
        deadline = time.monotonic() + self.timeout
        for attempt in range(1, self.attempts + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TranslationError(f"the model gave no valid translation within "
                                       f"{self.timeout:g} s (last problem: {problem})")
            try:
                value = complete_json(self.llm, messages, SCHEMA, retries=1, timeout=left,
                                      seed=self.seed)
            except LLMError as exc:
                raise TranslationError(f"the model could not translate the claim: {exc}") from None
            except Exception as exc:  # noqa: BLE001 - a model adapter may fail any way
                raise TranslationError(f"the model could not translate the claim: "
                                       f"{type(exc).__name__}: {exc}") from None
            translation = Translation(value["expression"].strip(),
                                      tuple(o.strip() for o in value.get("operands") or ()),
                                      (), translator=self.name)
            try:
                faithful(validate(translation, claim), claim)
                return translation
            except TranslationError as exc:
                problem = str(exc)
                log.info("%s: translation %r of %r refused (attempt %d/%d): %s", self.name,
                         translation.expression, claim, attempt, self.attempts, problem)
            messages += [{"role": "assistant", "content": json.dumps(value, ensure_ascii=False)},
                         {"role": "user", "content": f"Refused: {problem}. Translate the claim "
                                                     "again following the rules."}]
        raise TranslationError(f"the model's translation was refused: {problem}")


class FallbackTranslator:
    """The rules first; the model only for claims the rules cannot read.

    This is how the pipeline uses an ``llm`` for arithmetic: a claim the deterministic
    translator reads (and :func:`validate` accepts) never reaches the model, so a weak or
    lying model can only ever add coverage, held to :func:`faithful` on top of
    :func:`validate`.
    """

    def __init__(self, primary: Any, fallback: Any) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = f"{getattr(primary, 'name', 'primary')}+{getattr(fallback, 'name', 'fallback')}"

    def translate(self, claim: str) -> Translation:
        try:
            translation = self.primary.translate(claim)
            validate(translation, claim)
            return translation
        except TranslationError as first:
            try:
                return self.fallback.translate(claim)
            except TranslationError as second:
                raise TranslationError(f"{first}; {self.fallback.name}: {second}") from None
