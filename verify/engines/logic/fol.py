"""First-order logic in the FOLIO notation: a safe parser, a typed AST with a JSON form,
and the translation to Z3.

Untrusted text (an LLM's translation, a user's file) never reaches ``eval``: a tokenizer
and a recursive-descent parser build the AST, and every limit (length, nesting, depth) is
checked before anything recursive runs, so hostile input gets a clear error, never a
``RecursionError`` or a hang.

Notation (Unicode and ASCII spellings are interchangeable)::

    ∀ forall all      ∃ exists some     ¬ ~ ! not
    ∧ & && ^ and      ∨ | || or         ⊕ ⊻ xor
    → -> => ⇒ ⟶ ⟹ implies               ↔ <-> <=> ⇔ ⟷ ⟺ iff
    = ==              ≠ !=              ⊤ true        ⊥ false

Precedence, tightest first: ¬, ∧, ∨, ⊕, →, ↔. ``→`` groups to the right; ``∧``/``∨``
chains are one n-ary node; ``⊕`` and ``↔`` group to the left (both are associative, so
grouping never changes the meaning). Mixing ``∧`` and ``∨`` without parentheses is
accepted with a warning (annotators often mean ``A ∧ (B ∨ C)`` by ``A ∧ B ∨ C``).

Quantifier scope: a quantifier followed by a parenthesised formula scopes over exactly that
formula (``∃z (P(z)) → Q`` is ``(∃z P(z)) → Q``); otherwise its scope extends as far right
as possible (``∀x P(x) → Q(x)`` is ``∀x (P(x) → Q(x))``, as in NLTK). Both readings are
what FOLIO's annotators write. ``∀x, y φ`` is ``∀x ∀y φ``; a ``.`` or ``:`` may follow the
variables.

Names are Unicode letters, digits and ``_``, with ``'``, ``’``, ``+`` and combining marks
inside, and ``-``/``.`` between two name characters (``Świątek``, ``Companies’Stocks``,
``c++``, ``mr.smith``, ``l-2021``). The lower-case keywords above are reserved. A name in
argument position is a variable when an enclosing quantifier binds it, otherwise a
constant; ``f(t, ...)`` in argument position is a function term; a bare name in formula
position is a proposition (a 0-ary predicate). Whitespace may separate a predicate from
its ``(``.

JSON form (what an LLM translator should emit; :func:`from_json` rejects anything else)::

    term    := {"var": "x"} | {"const": "socrates"} | {"fn": "motherOf", "args": [term, ...]}
    formula := {"pred": "Man", "args": [term, ...]}        (args may be omitted: arity 0)
             | {"eq": [term, term]}       | {"bool": true}
             | {"not": formula}
             | {"and": [formula, formula, ...]} | {"or": [formula, formula, ...]}
             | {"implies": [formula, formula]}  | {"iff": [...]} | {"xor": [...]}
             | {"forall": "x", "body": formula} | {"exists": "x", "body": formula}

Z3: one uninterpreted sort ``Entity``; constants are ``Entity`` constants, predicates are
functions to ``Bool``, function symbols are functions to ``Entity``. A symbol used with two
arities in one problem is an error (:class:`ArityError`) rather than two silently unrelated
symbols: in a translation it is almost always a mistake, and splitting it would hide it.
Predicates, terms and propositions live in separate namespaces.

Where the parts live: :mod:`.fol_ast` (nodes, limits, printing, the JSON writer),
:mod:`.fol_parse` (the text grammar), :mod:`.fol_json` (the JSON reader), :mod:`.fol_z3`
(Z3). This module is the one namespace callers use (``fol.parse``, ``fol.Pred``, ...).
"""
from __future__ import annotations

from .fol_ast import (COMPARISONS, FORMULA_TYPES, MAX_DEPTH, MAX_FORMULA_CHARS, MAX_NESTING,
                      MAX_NODES, MEMBER, And, BoolConst, Cmp, Const, Eq, Exists, Forall, Formula,
                      Func, Iff, Implies, Not, Or, Pred, Term, Var, Xor, depth, is_number,
                      iter_names, size, to_json, to_text)
from .fol_json import FOLJSONError, from_json
from .fol_parse import (FOLSyntaxError, Parsed, Repair, Token, is_name, parse, parse_full,
                        tokenize)
from .fol_z3 import ArityError, Symbol, Z3Builder, numeric_slots

__all__ = [
    "COMPARISONS", "FORMULA_TYPES", "MAX_DEPTH", "MAX_FORMULA_CHARS", "MAX_NESTING", "MAX_NODES",
    "MEMBER", "And", "ArityError", "BoolConst", "Cmp", "Const", "Eq", "Exists", "FOLJSONError",
    "FOLSyntaxError", "Forall", "Formula", "Func", "Iff", "Implies", "Not", "Or", "Parsed",
    "Pred", "Repair", "Symbol", "Term", "Token", "Var", "Xor", "Z3Builder", "depth",
    "from_json", "is_name", "is_number", "iter_names", "numeric_slots", "parse", "parse_full",
    "size", "to_json", "to_text", "tokenize",
]
