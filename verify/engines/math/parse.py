"""A safe parser for LaTeX and plain-text math: tokens (:mod:`.tokens`) → recursive descent → SymPy.

Nothing here evaluates text as code (no ``sympify``/``parse_expr``/``parse_latex``, which
call ``eval``): every SymPy object is built explicitly from a token. Sizes are bounded
before anything is computed, so ``2^{10^{10}}`` or a 5,000-level nesting is refused with a
clear :class:`MathParseError` instead of exhausting memory or time.

The grammar, loosest binding first::

    top      := item ((',' | ';' | 'and' | 'or') item)*
    item     := relation (('\\cup' | '\\cap') relation)*
    relation := expr (relop expr)*
    expr     := sum (('\\bmod' | '\\mod' | 'mod') term)*
    sum      := term (('+' | '-' | '\\pm' | '\\mp') term)*
    term     := unary (('*' | '\\cdot' | '\\times' | '/' | '\\div' | <implicit>) unary)*
    unary    := ('-' | '+' | '\\pm') unary | power
    power    := postfix ('^' exponent)?            (right associative)
    postfix  := atom ('!' | '%' | '^\\circ' | unit words)*
    atom     := number | letter | group | \\frac | \\sqrt | function | matrix | set | ...

This module is one grammar unit, kept whole on purpose (it is over 800 lines): the
:class:`Parser` methods are the grammar's rules and call one another recursively, and the
SymPy builders below it (``_mul``, ``_pow``, ``_factorial`` …) carry the size bounds every
rule relies on. Splitting it would cut the grammar mid-rule; the tokenizer, its limits and
its vocabulary are apart in :mod:`.tokens`.
"""
from __future__ import annotations

import math
import re
from typing import Any

import sympy
from sympy import Abs, Add, Dummy, E, I, Integer, Mul, Pow, Rational, Symbol, oo, pi

from .tokens import (CONSTANT_WORDS, FUNCS, GREEK, INVERSE, MATRIX_ENVS, MAX_DEPTH, MAX_EXPONENT, MAX_PM,
                     MAX_RESULT_DIGITS, MULTI_ARG, MathParseError, RELOPS, SEPARATOR_WORDS, TRIG, Token, UNIT_WORDS,
                     digit_count, literal_rational, tokenize)
from .values import ExprValue, IntervalValue, MathValue, MatrixValue, RelationValue, SeqValue, TextValue, UnionValue


# ---- parser -----------------------------------------------------------------------------
class Parser:
    """Recursive descent over :func:`tokenize` output. ``functions`` names single letters
    that are applied as functions (``f(2)``) instead of multiplied (``f·2``)."""

    def __init__(self, text: str, *, functions: frozenset[str] = frozenset(),
                 function_letters: frozenset[str] = frozenset(),
                 imaginary_i: bool = True, calculus: bool = True) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.abs_depth = 0
        self.trig_depth = 0
        self.functions = functions
        self.function_letters = function_letters  # applied when written f(…) with no space
        self.imaginary_i = imaginary_i
        self.calculus = calculus
        self.pm: list[Dummy] = []
        self.degrees = False
        self.degree_marks = 0
        self.percent = False
        self.units: list[str] = []
        self.stop_cmds: set[str] = set()

    # -- token helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        if t.kind != "END":
            self.i += 1
        return t

    def at(self, kind: str, *texts: str) -> bool:
        t = self.tok
        return t.kind == kind and (not texts or t.text in texts)

    def accept(self, kind: str, *texts: str) -> Token | None:
        if self.at(kind, *texts):
            return self.advance()
        return None

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            got = self.tok.text or "the end"
            raise MathParseError(f"expected {what} but found {got!r} at position {self.tok.pos}")
        return self.advance()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathParseError(f"expression nested too deeply (more than {MAX_DEPTH} levels)")

    def leave(self) -> None:
        self.depth -= 1

    # -- entry points
    def parse(self) -> Any:
        value = self.parse_top(end=("END",))
        while self.accept("OP", ".", ";"):
            pass
        if not self.at("END"):
            raise MathParseError(f"unexpected {self.tok.text!r} at position {self.tok.pos}")
        return value

    def parse_top(self, end: tuple[str, ...]) -> Any:
        """Comma/``and``/``or`` separated items up to one of the ``end`` token texts."""
        items = [self.parse_item()]
        while self._accept_separator():
            if self._at_end(end):
                break
            items.append(self.parse_item())
        return items[0] if len(items) == 1 else SeqValue("list", tuple(items))

    def _at_end(self, end: tuple[str, ...]) -> bool:
        t = self.tok
        return t.kind == "END" or (t.kind in ("OP", "CMD") and t.text in end) or (
            t.kind == "OP" and t.text == "." and self.peek().kind == "END")

    def _accept_separator(self) -> bool:
        if self.accept("OP", ",", ";"):
            self.accept("WORD", "and", "or")
            self._accept_text_separator()
            return True
        if self.accept("WORD", *SEPARATOR_WORDS) or self._accept_text_separator():
            return True
        return False

    def _accept_text_separator(self) -> bool:
        t = self.tok
        if t.kind == "TEXT" and t.text.strip(" ,").lower() in SEPARATOR_WORDS:
            self.advance()
            return True
        return False

    def parse_item(self) -> Any:
        left = self.parse_relation()
        while self.at("CMD", "cup", "cap") or (self.at("LETTER", "U") and _is_setlike(left)):
            op = self.advance().text
            right = self.parse_relation()
            if op == "cap":
                raise MathParseError("intersections of sets are not supported")
            left_parts = left.parts if isinstance(left, UnionValue) else (_as_set_part(left),)
            left = UnionValue(left_parts + (_as_set_part(right),))
        return left

    def _ratio(self) -> Any:
        """``expr`` or a ratio ``a:b`` (the number a/b)."""
        value = self.parse_expr()
        if self.at("OP", ":") and isinstance(value, sympy.Expr) and self.peek().kind in ("NUM", "LETTER", "CMD", "OP"):
            self.advance()
            value = _div(value, self.parse_expr())
        return value

    def parse_relation(self) -> Any:
        sides = [self._ratio()]
        ops: list[str] = []
        while True:
            t = self.tok
            op = None
            if t.kind == "OP" and t.text in RELOPS:
                op = RELOPS[t.text]
            elif t.kind == "CMD" and t.text in RELOPS:
                op = RELOPS[t.text]
            if op is None:
                break
            self.advance()
            ops.append(op)
            sides.append(self.parse_item() if op == "in" else self._ratio())
        if not ops:
            return sides[0]
        if any(op not in ("=", "in") for op in ops):
            for side in sides:
                _need_expr(side, "an inequality")
        return RelationValue(tuple(ops), tuple(sides))

    def _at_mod(self) -> bool:
        t = self.tok
        return t.kind == "CMD" and t.text in ("mod", "bmod") or t.kind == "WORD" and t.text.lower() == "mod"

    def parse_expr(self) -> Any:
        """A sum, optionally reduced: ``7 + 15 \\mod 19`` is (7 + 15) mod 19, as written."""
        left = self._plain_sum()
        while self._at_mod():
            self.advance()
            left = _mod(left, self.parse_term())
        return left

    def _plain_sum(self) -> Any:
        left = self.parse_term()
        while True:
            if self.at("OP", "+"):
                self.advance()
                left = Add(_need_expr(left, "a sum"), _need_expr(self.parse_term(), "a sum"))
            elif self.at("OP", "-"):
                self.advance()
                left = Add(_need_expr(left, "a difference"),
                           -_need_expr(self.parse_term(), "a difference"))
            elif self.at("CMD", "pm", "mp"):
                sign = 1 if self.advance().text == "pm" else -1
                left = Add(_need_expr(left, "a ± sum"),
                           sign * self._pm() * _need_expr(self.parse_term(), "a ± sum"))
            else:
                return left

    def _pm(self) -> Dummy:
        if len(self.pm) >= MAX_PM:
            raise MathParseError(f"too many ± signs (limit {MAX_PM})")
        d = Dummy(f"pm{len(self.pm)}")
        self.pm.append(d)
        return d

    def parse_term(self, stop_at_functions: bool = False) -> Any:
        """A product; with ``stop_at_functions`` (the argument of ``\\sin x``) only implicit
        products count and the next function name ends it: ``\\sin x / x`` = (sin x)/x."""
        left = self.parse_unary()
        while True:
            t = self.tok
            explicit = (t.kind == "OP" and t.text in ("*", "/")) or (
                t.kind == "CMD" and t.text in ("cdot", "times", "ast", "div"))
            if (explicit or self._at_mod()) and stop_at_functions:
                return left
            if t.kind == "OP" and t.text == "*" or t.kind == "CMD" and t.text in ("cdot", "times", "ast"):
                self.advance()
                left = _mul(left, self.parse_unary())
            elif t.kind == "OP" and t.text == "/" or t.kind == "CMD" and t.text == "div":
                self.advance()
                left = _div(left, self.parse_unary())
            elif self._starts_factor(left, stop_at_functions):
                left = self._implicit_factor(left)
            else:
                return left

    def _implicit_factor(self, left: Any) -> Any:
        """The factor after ``left`` in ``2x`` or the fraction in a mixed number ``2\\frac13``."""
        if (self.at("CMD", "frac", "dfrac", "tfrac") and isinstance(left, sympy.Integer)
                and self._last_was_integer_literal):
            save = self.i
            self.advance()
            num, den = self._frac_args()
            if isinstance(num, sympy.Integer) and isinstance(den, sympy.Integer) and 0 < num < den:
                return self._postfix_ops(left + num / den if left >= 0 else left - num / den)
            self.i = save
        return _mul(left, self.parse_power())

    _last_was_integer_literal = False

    def _starts_factor(self, left: Any, stop_at_functions: bool) -> bool:
        t = self.tok
        if not isinstance(left, sympy.Expr):
            return False
        if t.kind == "NUM":
            return False
        if t.kind == "LETTER":
            return True
        if t.kind == "WORD":
            w = t.text.lower()
            if w in SEPARATOR_WORDS or w in UNIT_WORDS:
                return False
            if stop_at_functions and (w in FUNCS or w in MULTI_ARG or w in ("log", "sqrt")):
                return False
            return w in FUNCS or w in MULTI_ARG or w in CONSTANT_WORDS or w in ("log", "sqrt", "lim")
        if t.kind == "CMD":
            name = t.text
            if name in self.stop_cmds:
                return False
            if stop_at_functions and (name in FUNCS or name in ("log", "lim", "int", "sum")):
                return False
            return name in FUNCS or name in GREEK or name in (
                "frac", "dfrac", "tfrac", "cfrac", "sqrt", "pi", "infty", "log", "binom", "dbinom",
                "tbinom", "lfloor", "lceil", "lvert", "vert", "|", "{", "exp", "gcd", "lcm",
                "max", "min", "int", "lim", "sum", "prod", "imath", "partial") or (
                name == "e")
        if t.kind == "OP":
            if t.text in ("(", "{"):
                return True
            if t.text == "|":
                return self.abs_depth == 0
        return False

    def parse_unary(self) -> Any:
        if self.accept("OP", "-"):
            return -_need_expr(self.parse_unary(), "a negative")
        if self.accept("OP", "+"):
            return _need_expr(self.parse_unary(), "a sign")
        if self.at("CMD", "pm", "mp"):
            sign = 1 if self.advance().text == "pm" else -1
            return sign * self._pm() * _need_expr(self.parse_unary(), "a ± sign")
        return self.parse_power()

    def parse_power(self) -> Any:
        base = self.parse_postfix()
        while self.at("OP", "^", "**"):
            if self._degree_after_caret():
                base = self._apply_degrees(base)
                base = self._postfix_ops(base)
                continue
            self.advance()
            exp = self._exponent()
            base = _pow(_need_expr(base, "a power"), _need_expr(exp, "an exponent"))
            self._last_was_integer_literal = False
            base = self._postfix_ops(base)
        return base

    def _degree_after_caret(self) -> bool:
        nxt = self.peek()
        if nxt.kind == "CMD" and nxt.text == "circ":
            self.advance()
            self.advance()
            return True
        if nxt.kind == "OP" and nxt.text == "{" and self.peek(2).kind == "CMD" and \
                self.peek(2).text == "circ" and self.peek(3).text == "}":
            for _ in range(4):
                self.advance()
            return True
        return False

    def _apply_degrees(self, value: Any) -> Any:
        value = _need_expr(value, "an angle")
        self.degree_marks += 1
        if self.trig_depth > 0:
            return value * pi / 180
        self.degrees = True
        return value

    def _exponent(self) -> Any:
        if self.at("OP", "{"):
            return self._brace_group()
        if self.at("NUM"):
            return self.parse_postfix()
        return self.parse_unary()

    def parse_postfix(self) -> Any:
        self._last_was_integer_literal = self.at("NUM") and re.fullmatch(r"[\d,]+", self.tok.text) is not None
        value = self.parse_atom()
        return self._postfix_ops(value)

    def _postfix_ops(self, value: Any) -> Any:
        while True:
            t = self.tok
            if t.kind == "OP" and t.text == "!" and not self.peek().text == "=":
                self.advance()
                double = bool(self.accept("OP", "!"))
                value = _factorial(_need_expr(value, "a factorial"), double)
                self._last_was_integer_literal = False
            elif (t.kind == "OP" and t.text == "%") or (t.kind == "CMD" and t.text == "%"):
                self.advance()
                self.percent = True
            elif t.kind == "CMD" and t.text == "circ":
                self.advance()
                value = self._apply_degrees(value)
            elif t.kind == "WORD" and t.text.lower() in UNIT_WORDS and not self._is_function_call():
                self.units.append(self.advance().text)
            elif t.kind == "TEXT" and t.text.strip(" ,").lower() not in SEPARATOR_WORDS:
                self.units.append(self.advance().text)
            elif t.kind == "WORD" and len(t.text) > 3 and t.text.lower() not in FUNCS and \
                    t.text.lower() not in SEPARATOR_WORDS and t.text.lower() not in MULTI_ARG \
                    and t.text.lower() not in CONSTANT_WORDS and t.text.lower() not in ("sqrt", "log"):
                self.units.append(self.advance().text)  # a trailing word: "12 apples"
            else:
                return value

    def _is_function_call(self) -> bool:
        return self.tok.text.lower() in ("min", "sec") and self.peek().text in ("(", "{")

    # -- atoms
    def parse_atom(self) -> Any:
        self.enter()
        try:
            return self._atom()
        finally:
            self.leave()

    def _atom(self) -> Any:
        t = self.tok
        if t.kind == "NUM":
            self.advance()
            value = literal_rational(t.text)
            if self.at("CMD", "overline") and not self.tok.space and "." in t.text:
                self.advance()
                return _repeating(t.text, self._raw_digits_group())
            return value
        if t.kind == "LETTER":
            return self._letter()
        if t.kind == "WORD":
            return self._word()
        if t.kind == "TEXT":
            raise MathParseError(f"text {t.text!r} where a number was expected")
        if t.kind == "CMD":
            return self._command()
        if t.kind == "OP":
            if t.text in ("(", "["):
                return self._bracket_group()
            if t.text == "{":
                return self._brace_group()
            if t.text == "|":
                return self._abs("|", "|")
            if t.text == "$":
                self.advance()
                return self.parse_postfix()
        got = t.text or "the end of the expression"
        raise MathParseError(f"expected a number or expression but found {got!r} at position {t.pos}")

    def _letter(self) -> Any:
        t = self.advance()
        name = t.text
        if self.at("OP", "_"):
            self.advance()
            sub = self._subscript_text()
            return Symbol(f"{name}_{sub}")
        if name in self.functions or (name in self.function_letters and (
                self.at("OP", "'") or (self.at("OP", "(") and not self.tok.space))):
            primes = 0
            while self.accept("OP", "'"):
                primes += 1
            if self.at("OP", "("):
                arg = self._bracket_group()
                call = sympy.Function(name)(*(_need_expr(a, "a function argument") for a in
                                              (arg.items if isinstance(arg, SeqValue) else (arg,))))
                if primes:
                    return _derivative_at(name, call.args, primes)
                return call
            if primes:
                raise MathParseError(f"{name}{chr(39) * primes} needs an argument")
        if name == "e" and not self.at("OP", "("):
            return E
        if name == "i" and self.imaginary_i:
            return I
        return Symbol(name)

    def _subscript_text(self) -> str:
        if self.at("OP", "{"):
            start = self.i
            self.advance()
            parts = []
            while not self.at("OP", "}"):
                if self.at("END"):
                    raise MathParseError("unclosed subscript")
                parts.append(self.advance().text)
            self.advance()
            if self.i - start > 12:
                raise MathParseError("subscript too long")
            return "".join(parts)
        t = self.advance()
        if t.kind not in ("NUM", "LETTER", "WORD"):
            raise MathParseError(f"bad subscript {t.text!r}")
        return t.text

    def _word(self) -> Any:
        t = self.advance()
        w = t.text
        lw = w.lower()
        if lw in CONSTANT_WORDS:
            return CONSTANT_WORDS[lw]
        if lw == "sqrt":
            return sympy.sqrt(_need_expr(self._arg(), "a square root"))
        if lw == "log":
            return self._log()
        if lw == "lim" and self.calculus:
            return self._limit()
        if lw in FUNCS:
            return self._function(lw)
        if lw in MULTI_ARG:
            return self._multi(lw)
        raise MathParseError(f"unknown word {w!r}")

    def _command(self) -> Any:
        t = self.advance()
        name = t.text
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            if self.calculus and self._is_derivative_operator():
                return self._derivative()
            num, den = self._frac_args()
            return _div(num, den)
        if name == "sqrt":
            index = None
            if self.accept("OP", "["):
                index = self.parse_expr()
                self.expect("OP", "]", "']' after the root's index")
            arg = _need_expr(self._arg(), "a root")
            if index is None:
                return sympy.sqrt(arg)
            index = _need_expr(index, "a root index")
            if index == 3:
                return sympy.real_root(arg, 3) if arg.is_real else sympy.root(arg, 3)
            return sympy.root(arg, index)
        if name in ("binom", "dbinom", "tbinom"):
            n = _need_expr(self._arg(single_digit=True), "a binomial")
            k = _need_expr(self._arg(single_digit=True), "a binomial")
            if isinstance(n, sympy.Integer) and n > 100_000:
                raise MathParseError("binomial coefficient too large")
            return sympy.binomial(n, k)
        if name == "pi":
            return pi
        if name == "infty":
            return oo
        if name in ("imath",):
            return I
        if name in GREEK:
            return Symbol(name)
        if name in ("log", "lg"):
            return self._log()
        if name == "ln":
            return self._function("ln")
        if name in FUNCS:
            return self._function(name)
        if name in ("gcd", "lcm", "max", "min"):
            return self._multi(name)
        if name == "lfloor":
            return sympy.floor(self._until("rfloor"))
        if name == "lceil":
            return sympy.ceiling(self._until("rceil"))
        if name in ("lvert", "vert"):
            return self._abs(name, "rvert" if name == "lvert" else "vert")
        if name == "|":
            return self._abs("|", "|")
        if name == "{":
            return self._set()
        if name in ("emptyset", "varnothing"):
            return SeqValue("set", ())
        if name == "begin":
            return self._environment()
        if name == "$":
            return self.parse_postfix()
        if name == "overline":
            return self._brace_group()
        if name in ("dots", "ldots", "cdots", "vdots"):
            raise MathParseError("an ellipsis (…) is not a value")
        if self.calculus and name == "int":
            return self._integral()
        if self.calculus and name == "lim":
            return self._limit()
        if self.calculus and name in ("sum", "prod"):
            return self._sum(name)
        raise MathParseError(f"unsupported command \\{name}")

    # -- pieces
    def _arg(self, single_digit: bool = False) -> Any:
        """A macro argument: ``{...}``, ``(...)``, or a single token; with ``single_digit``
        (\\frac, \\binom) a bare number gives one digit per argument, as in ``\\frac12``."""
        if self.at("OP", "{"):
            return self._brace_group()
        if self.at("OP", "("):
            return self._bracket_group()
        t = self.tok
        if single_digit and t.kind == "NUM" and t.text.isdigit() and len(t.text) > 1:
            self.tokens[self.i] = Token("NUM", t.text[1:], t.pos + 1, False)
            return Integer(int(t.text[0]))
        if t.kind == "NUM":
            self.advance()
            return literal_rational(t.text)
        if t.kind == "LETTER":
            return self._letter()
        if t.kind == "CMD" or t.kind == "WORD":
            return self.parse_atom()
        raise MathParseError(f"missing argument at position {t.pos}")

    def _frac_args(self) -> tuple[Any, Any]:
        num = _need_expr(self._arg(single_digit=True), "a fraction")
        den = _need_expr(self._arg(single_digit=True), "a fraction")
        return num, den

    def _brace_group(self) -> Any:
        self.expect("OP", "{", "'{'")
        if self.accept("OP", "}"):
            raise MathParseError("empty braces {}")
        save_abs, self.abs_depth = self.abs_depth, 0
        value = self.parse_top(end=("}",))
        self.abs_depth = save_abs
        self.expect("OP", "}", "'}'")
        return value

    def _raw_digits_group(self) -> str:
        self.expect("OP", "{", "'{' after \\overline")
        digits = self.advance()
        self.expect("OP", "}", "'}' closing \\overline")
        if digits.kind != "NUM" or not digits.text.isdigit():
            raise MathParseError("\\overline needs digits after a decimal point")
        return digits.text

    def _bracket_group(self) -> Any:
        open_tok = self.advance()
        save_abs, self.abs_depth = self.abs_depth, 0
        items = [self.parse_item()]
        while self.accept("OP", ","):
            items.append(self.parse_item())
        self.abs_depth = save_abs
        if not self.at("OP", ")", "]"):
            got = self.tok.text or "the end"
            raise MathParseError(f"expected ')' or ']' but found {got!r} at position {self.tok.pos}")
        close = self.advance().text
        opened = open_tok.text
        if len(items) == 1:
            if (opened, close) in (("(", ")"), ("[", "]")):
                return items[0]
            raise MathParseError(f"mismatched brackets {opened}…{close}")
        if len(items) == 2 and (opened, close) != ("(", ")"):
            a, b = (_need_expr(x, "an interval") for x in items)
            return IntervalValue(a, b, opened == "(", close == ")")
        return SeqValue("tuple", tuple(items))

    def _abs(self, opener: str, closer: str) -> Any:
        if self.tok.text == opener and self.tok.kind in ("OP", "CMD"):
            self.advance()
        self.abs_depth += 1
        save_stop = self.stop_cmds
        self.stop_cmds = set(save_stop) | {closer}
        inner = self.parse_expr()
        self.stop_cmds = save_stop
        self.abs_depth -= 1
        if not (self.tok.text == closer and self.tok.kind in ("OP", "CMD")):
            raise MathParseError("unclosed absolute value |…|")
        self.advance()
        return Abs(_need_expr(inner, "an absolute value"))

    def _until(self, closer: str) -> Any:
        inner = self.parse_expr()
        self.expect("CMD", closer, f"\\{closer}")
        return _need_expr(inner, "a floor/ceiling")

    def _set(self) -> SeqValue:
        if self.accept("CMD", "}"):
            return SeqValue("set", ())
        items = [self.parse_item()]
        while self._accept_separator():
            items.append(self.parse_item())
        self.expect("CMD", "}", "'\\}' closing the set")
        return SeqValue("set", tuple(items))

    def _environment(self) -> Any:
        env = self._env_name()
        if env not in MATRIX_ENVS:
            raise MathParseError(f"unsupported environment {env!r}")
        if env == "array" and self.at("OP", "{"):
            _ = self._skip_group()
        rows: list[list[Any]] = [[]]
        while True:
            if self.at("CMD", "end"):
                self.advance()
                if self._env_name() != env:
                    raise MathParseError(f"\\begin{{{env}}} closed by a different \\end")
                break
            if self.at("END"):
                raise MathParseError(f"\\begin{{{env}}} is never closed")
            rows[-1].append(_need_expr(self.parse_expr(), "a matrix entry"))
            if self.accept("OP", "&"):
                continue
            if self.accept("CMD", "\\"):
                if not self.at("CMD", "end"):
                    rows.append([])
                continue
        rows = [r for r in rows if r]
        if not rows or len({len(r) for r in rows}) != 1:
            raise MathParseError("matrix rows of different lengths")
        if env == "vmatrix":
            return sympy.Matrix(rows).det()
        return MatrixValue(tuple(tuple(r) for r in rows))

    def _env_name(self) -> str:
        self.expect("OP", "{", "'{' after \\begin/\\end")
        parts = []
        while not self.at("OP", "}"):
            if self.at("END"):
                raise MathParseError("unclosed environment name")
            parts.append(self.advance().text)
        self.advance()
        return "".join(parts).replace("*", "")

    def _skip_group(self) -> None:
        depth = 0
        while True:
            t = self.advance()
            if t.kind == "END":
                raise MathParseError("unbalanced braces")
            if t.kind == "OP" and t.text == "{":
                depth += 1
            elif t.kind == "OP" and t.text == "}":
                depth -= 1
                if depth == 0:
                    return

    def _power_suffix(self) -> Any:
        """``\\sin^2 x``: the power written right after a function name (``-1`` = inverse)."""
        if self.at("OP", "^"):
            self.advance()
            return self._exponent()
        return None

    def _function_argument(self, trig: bool) -> Any:
        if trig:
            self.trig_depth += 1
        try:
            if self.at("OP", "(") or self.at("OP", "{"):
                marks = self.degree_marks
                arg = self.parse_atom()
                arg = self._postfix_ops(arg) if trig else arg
                if self.at("OP", "^") and self._degree_after_caret() and self.degree_marks == marks:
                    arg = self._apply_degrees(arg)  # (90° − x)°: the inner ° already converted
                return _need_expr(arg, "a function argument")
            return _need_expr(self.parse_term(stop_at_functions=True), "a function argument")
        finally:
            if trig:
                self.trig_depth -= 1

    def _function(self, name: str) -> Any:
        power = self._power_suffix()
        fn = FUNCS[name]
        if power is not None and power == -1 and name in INVERSE:
            fn, power = INVERSE[name], None
        arg = self._function_argument(name in TRIG)
        value = fn(arg)
        return _pow(value, _need_expr(power, "a power")) if power is not None else value

    def _log(self) -> Any:
        base = None
        power = None
        if self.accept("OP", "_"):
            base = _need_expr(self._arg(), "a logarithm base")
        power = self._power_suffix()
        arg = self._function_argument(False)
        value = sympy.log(arg, base) if base is not None else sympy.log(arg)
        return _pow(value, _need_expr(power, "a power")) if power is not None else value

    def _multi(self, name: str) -> Any:
        if not self.at("OP", "(") and not self.at("OP", "{") and not self.at("OP", "["):
            raise MathParseError(f"{name} needs its arguments in parentheses")
        arg = self.parse_atom()
        args = arg.items if isinstance(arg, SeqValue) else (
            (arg.start, arg.end) if isinstance(arg, IntervalValue) else (arg,))
        exprs = [_need_expr(a, f"{name}()") for a in args]
        if name in ("gcd", "lcm"):
            out = exprs[0]
            for x in exprs[1:]:
                out = MULTI_ARG[name](out, x)
            return out
        return MULTI_ARG[name](*exprs)

    # -- calculus (kept unevaluated: the engine evaluates under a time limit)
    def _is_derivative_operator(self) -> bool:
        """``\\frac{d}{dx}`` or ``\\frac{d^2}{dx^2}`` or ``\\frac{dy}{dx}``."""
        toks = self.tokens[self.i:self.i + 10]
        text = "".join(t.text for t in toks)
        return re.match(r"\{d(\^\{?\d\}?)?[a-z]?\}\{d[a-z](\^\{?\d\}?)?\}", text) is not None

    def _derivative(self) -> Any:
        self.expect("OP", "{", "'{'")
        order, func = 1, None
        t = self.advance()
        if t.kind == "WORD" and len(t.text) == 2 and t.text[0] == "d":
            func = Symbol(t.text[1])
        elif t.kind == "LETTER" and t.text == "d":
            if self.accept("OP", "^"):
                order = _need_expr(self._arg(), "an order")
                if not isinstance(order, sympy.Integer) or not 1 <= order <= 10:
                    raise MathParseError("derivative order must be 1 to 10")
                order = int(order)
            if self.at("LETTER"):
                func = Symbol(self.advance().text)
        self.expect("OP", "}", "'}'")
        self.expect("OP", "{", "'{'")
        denom = self.advance()
        if denom.kind == "WORD" and denom.text.startswith("d") and len(denom.text) == 2:
            var = Symbol(denom.text[1])
        elif denom.kind == "LETTER" and denom.text == "d" and self.at("LETTER"):
            var = Symbol(self.advance().text)
        else:
            raise MathParseError("cannot read the variable of d/dx")
        if self.accept("OP", "^"):
            self._arg()
        self.expect("OP", "}", "'}'")
        if func is not None:
            return sympy.Derivative(func, (var, order))
        body = _need_expr(self.parse_term(), "a derivative")
        return sympy.Derivative(body, (var, order))

    def _integral(self) -> Any:
        lower = upper = None
        if self.accept("OP", "_"):
            lower = _need_expr(self._arg(), "an integral bound")
        if self.accept("OP", "^"):
            upper = _need_expr(self._arg(), "an integral bound")
        body_start = self.i
        # the body runs up to the differential "d<var>" (a WORD like "dx" or LETTER d + var)
        end = None
        for k in range(self.i, len(self.tokens)):
            t = self.tokens[k]
            if t.kind == "WORD" and len(t.text) == 2 and t.text[0] == "d":
                end, var_name, width = k, t.text[1], 1
                break
            if t.kind == "LETTER" and t.text == "d" and self.tokens[k + 1].kind == "LETTER":
                end, var_name, width = k, self.tokens[k + 1].text, 2
                break
        if end is None:
            raise MathParseError("an integral without its differential (dx)")
        tokens = self.tokens
        self.tokens = tokens[body_start:end] + [Token("END", "", tokens[end].pos)]
        self.i = 0
        try:
            body = _need_expr(self.parse_expr(), "an integral")
            if not self.at("END"):
                raise MathParseError(f"unexpected {self.tok.text!r} inside the integral")
        finally:
            self.tokens = tokens
        self.i = end + width
        var = Symbol(var_name)
        if lower is not None and upper is not None:
            return sympy.Integral(body, (var, lower, upper))
        return sympy.Integral(body, var)

    def _limit(self) -> Any:
        self.expect("OP", "_", "'_' after \\lim")
        self.expect("OP", "{", "'{'")
        var = self.advance()
        if var.kind != "LETTER":
            raise MathParseError("cannot read the variable of the limit")
        if not (self.accept("CMD", "to", "rightarrow", "longrightarrow") or self.accept("OP", "->")):
            raise MathParseError("a limit needs 'x \\to a'")
        point = _need_expr(self.parse_expr(), "a limit point")
        direction = "+-"
        if self.accept("OP", "^"):
            sign = self.advance().text
            if sign == "{":
                sign = self.advance().text
                self.expect("OP", "}", "'}'")
            direction = "+" if sign == "+" else "-"
        self.expect("OP", "}", "'}'")
        body = _need_expr(self.parse_term(), "a limit")
        return sympy.Limit(body, Symbol(var.text), point, dir=direction)

    def _sum(self, name: str) -> Any:
        self.expect("OP", "_", f"'_' after \\{name}")
        self.expect("OP", "{", "'{'")
        var = self.advance()
        if var.kind != "LETTER":
            raise MathParseError(f"cannot read the index of the {name}")
        self.expect("OP", "=", "'='")
        lower = _need_expr(self.parse_expr(), "a bound")
        self.expect("OP", "}", "'}'")
        self.expect("OP", "^", "'^'")
        upper = _need_expr(self._arg(), "a bound")
        body = _need_expr(self.parse_term(), f"a {name}")
        if var.text == "i":  # the index i is a letter in the body, not the imaginary unit
            body = body.xreplace({I: Symbol("i")})
        cls = sympy.Sum if name == "sum" else sympy.Product
        return cls(body, (Symbol(var.text), lower, upper))


def _derivative_at(name: str, args: tuple[Any, ...], order: int) -> Any:
    """``f'(x)`` → d/dx f(x); ``f'(2)`` → (d/dt f(t)) at t = 2 (unevaluated)."""
    if len(args) != 1:
        raise MathParseError(f"{name}' needs exactly one argument")
    (arg,) = args
    f = sympy.Function(name)
    if isinstance(arg, Symbol):
        return sympy.Derivative(f(arg), (arg, order))
    t = Dummy("t")
    return sympy.Subs(sympy.Derivative(f(t), (t, order)), t, arg)


# ---- checked arithmetic ----------------------------------------------------------------
def _need_expr(x: Any, where: str) -> Any:
    if isinstance(x, sympy.Expr):
        if x.has(sympy.zoo) or x is sympy.nan:
            raise MathParseError(f"undefined value (division by zero) in {where}")
        return x
    if isinstance(x, sympy.Basic) and not isinstance(x, sympy.logic.boolalg.Boolean):
        return x
    kind = getattr(x, "kind", type(x).__name__)
    raise MathParseError(f"a {kind} cannot be used in {where}")


def _is_setlike(x: Any) -> bool:
    return isinstance(x, (IntervalValue, UnionValue)) or (isinstance(x, SeqValue) and x.kind == "set")


def _as_set_part(x: Any) -> Any:
    if isinstance(x, (IntervalValue, UnionValue)) or (isinstance(x, SeqValue) and x.kind == "set"):
        return x
    if isinstance(x, SeqValue) and x.kind == "tuple" and len(x.items) == 2:
        return IntervalValue(x.items[0], x.items[1], True, True)
    raise MathParseError("only intervals and sets can be joined with ∪")


def _mul(a: Any, b: Any) -> Any:
    a, b = _need_expr(a, "a product"), _need_expr(b, "a product")
    if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational) and \
            digit_count(a) + digit_count(b) > MAX_RESULT_DIGITS:
        raise MathParseError("number too large")
    return Mul(a, b)


def _div(a: Any, b: Any) -> Any:
    a, b = _need_expr(a, "a quotient"), _need_expr(b, "a quotient")
    if b == 0:
        raise MathParseError("division by zero")
    return Mul(a, Pow(b, -1))


def _mod(a: Any, b: Any) -> Any:
    """``a mod b``; a fraction modulo an integer is its residue (``3^{-1} mod 19`` = 13), as
    in modular arithmetic, when its denominator is invertible."""
    a, b = _need_expr(a, "a remainder"), _need_expr(b, "a modulus")
    if b == 0:
        raise MathParseError("remainder modulo zero")
    if isinstance(a, sympy.Rational) and not isinstance(a, sympy.Integer) and isinstance(b, sympy.Integer):
        n = abs(int(b))
        if math.gcd(int(a.q), n) != 1:
            raise MathParseError(f"{a.q} has no inverse modulo {n}")
        return sympy.Integer(int(a.p) * pow(int(a.q), -1, n) % n)
    return sympy.Mod(a, b)


def _pow(base: Any, exp: Any) -> Any:
    if isinstance(exp, sympy.Integer) and abs(int(exp)) > MAX_EXPONENT and not (
            isinstance(base, sympy.Rational) and abs(base) in (0, 1)):
        if not isinstance(base, sympy.Rational):
            raise MathParseError(f"exponent too large ({exp}; limit {MAX_EXPONENT:,})")
    if isinstance(base, sympy.Rational) and isinstance(exp, sympy.Rational):
        if base == 0 and exp < 0:
            raise MathParseError("division by zero (0 to a negative power)")
        size = digit_count(base) * abs(float(exp))
        if size > MAX_RESULT_DIGITS:
            raise MathParseError(f"number too large: about {size:,.0f} digits (limit {MAX_RESULT_DIGITS:,})")
    elif isinstance(exp, sympy.Rational) and abs(exp) > MAX_EXPONENT:
        raise MathParseError(f"exponent too large ({exp}; limit {MAX_EXPONENT:,})")
    elif isinstance(exp, sympy.Expr) and exp.is_number and not exp.has(oo, -oo):
        try:
            size = abs(float(exp))
        except (TypeError, ValueError):
            size = 0.0
        if size > MAX_EXPONENT and digit_count(base) > 0:
            raise MathParseError("number too large")
    return Pow(base, exp)


def _factorial(n: Any, double: bool) -> Any:
    if isinstance(n, sympy.Integer):
        if n < 0:
            raise MathParseError("factorial of a negative number")
        digits = math.lgamma(int(n) + 1) / math.log(10) if int(n) < 10**7 else float("inf")
        if digits > MAX_RESULT_DIGITS:
            raise MathParseError(f"{n}! is too large (about {digits:,.0f} digits; limit {MAX_RESULT_DIGITS:,})")
    elif isinstance(n, sympy.Rational):
        raise MathParseError("factorial of a non-integer")
    return sympy.factorial2(n) if double else sympy.factorial(n)


def _repeating(prefix: str, digits: str) -> sympy.Rational:
    """``1.\\overline{234}`` = 1.234234…, exactly."""
    whole, _, frac = prefix.replace(",", "").partition(".")
    if not digits.isdigit():
        raise MathParseError("\\overline needs digits")
    k, r = len(frac), len(digits)
    base = Rational(int(whole or "0") * 10**k + int(frac or "0"), 10**k)
    return base + Rational(int(digits), (10**r - 1) * 10**k)


def pm_symbols(expr: Any) -> list[Dummy]:
    """The ± placeholders inside a parsed expression, in creation order."""
    if not isinstance(expr, sympy.Basic):
        return []
    return sorted((s for s in expr.free_symbols if isinstance(s, Dummy) and s.name.startswith("pm")),
                  key=lambda s: s.name)


def parse_math(text: str, **options: Any) -> tuple[Any, Parser]:
    """Parse one normalised math string; returns the raw result and the parser (its
    ``degrees``/``percent``/``units``/``pm`` record what was seen)."""
    p = Parser(text, **options)
    try:
        return p.parse(), p
    except RecursionError:
        raise MathParseError("expression nested too deeply") from None


def to_value(raw: Any, parser: Parser) -> MathValue:
    """Wrap a raw parse result as a :data:`MathValue`, expanding ± into a list."""
    unit = " ".join(parser.units) or None
    return expand_pm(wrap(raw, parser.degrees, parser.percent, unit))


def wrap(raw: Any, degrees: bool = False, percent: bool = False, unit: str | None = None) -> MathValue:
    """A raw parse (SymPy expression or structural value) as a :data:`MathValue`, with the
    items of lists and tuples wrapped too."""
    if isinstance(raw, sympy.Expr) or (isinstance(raw, sympy.Basic) and
                                        not isinstance(raw, sympy.logic.boolalg.Boolean)):
        return ExprValue(raw, degrees, percent, unit)
    if isinstance(raw, SeqValue):
        return SeqValue(raw.kind, tuple(wrap(x, degrees, percent) for x in raw.items))
    if isinstance(raw, UnionValue):
        return UnionValue(tuple(wrap(x) for x in raw.parts))
    if isinstance(raw, RelationValue):
        return RelationValue(raw.ops, tuple(wrap(x) if not isinstance(x, sympy.Basic) else x
                                            for x in raw.sides))
    if isinstance(raw, (IntervalValue, MatrixValue, TextValue, ExprValue)):
        return raw
    raise MathParseError(f"cannot read {type(raw).__name__} as an answer")


def expand_pm(value: MathValue) -> MathValue:
    """``a ± b`` → the list ``a + b, a - b`` (a list: order does not matter)."""
    if isinstance(value, ExprValue):
        syms = pm_symbols(value.expr)
        if not syms:
            return value
        return SeqValue("list", tuple(ExprValue(e, value.degrees, value.percent, value.unit)
                                      for e in _expansions(value.expr, syms)))
    if isinstance(value, RelationValue):
        syms = sorted({s for side in value.sides for s in pm_symbols(side)}, key=lambda s: s.name)
        if not syms:
            return value
        out = []
        for signs in _sign_choices(len(syms)):
            subs = dict(zip(syms, signs))
            out.append(RelationValue(value.ops, tuple(s.xreplace(subs) if isinstance(s, sympy.Basic) else s
                                                      for s in value.sides)))
        return SeqValue("list", tuple(out))
    if isinstance(value, SeqValue):
        items: list[MathValue] = []
        for item in value.items:
            ex = expand_pm(item)
            if ex is not item and isinstance(ex, SeqValue) and ex.kind == "list" and value.kind != "tuple":
                items.extend(ex.items)
            elif ex is not item and value.kind == "tuple":
                raise MathParseError("± inside a tuple is ambiguous")
            else:
                items.append(ex)
        return SeqValue(value.kind, tuple(items))
    return value


def _sign_choices(n: int) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = [()]
    for _ in range(n):
        out = [c + (s,) for c in out for s in (1, -1)]
    return out


def _expansions(expr: sympy.Expr, syms: list[Dummy]) -> list[sympy.Expr]:
    seen: list[sympy.Expr] = []
    for signs in _sign_choices(len(syms)):
        e = expr.xreplace(dict(zip(syms, signs)))
        if e not in seen:
            seen.append(e)
    return seen
