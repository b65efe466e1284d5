"""Numbers written back: the precision a stated number gives, rounding, and a value written
the way the text wrote its neighbour (currency, decimals, thousands separators, %), plus a
tree rendered for evidence.

Separate from the grammar and the evaluator: this is presentation, used to judge a stated
number at its precision and to write corrections in the text's own style.
"""
from __future__ import annotations

from fractions import Fraction

from .expr import VULGAR, Bin, Const, Node, Num, Unary


# ---------------------------------------------------------------------------- precision
def half_unit(decimals: int) -> Fraction:
    return Fraction(1, 2 * 10 ** decimals) if decimals >= 0 else Fraction(10 ** -decimals, 2)


def precision_of(leaf: Num, approx: bool) -> int:
    """Decimal places the stated number gives (negative: tens, hundreds...). Under ``≈`` an
    integer's trailing zeros count as rounding (≈ 330 means to the nearest ten)."""
    if leaf.decimals or not approx:
        return leaf.decimals
    digits = leaf.text.replace(",", "")
    if not digits.isdigit() or set(digits) == {"0"}:
        return 0
    return -(len(digits) - len(digits.rstrip("0")))


def round_to(value: Fraction, decimals: int) -> Fraction:
    """``value`` rounded half away from zero to ``decimals`` places (negative: tens...)."""
    scale = Fraction(10) ** decimals
    scaled = abs(value) * scale
    q = int(scaled)
    if scaled - q >= Fraction(1, 2):
        q += 1
    r = Fraction(q) / scale
    return -r if value < 0 else r


def terminating_decimals(value: Fraction, limit: int = 30) -> int | None:
    """How many decimals write ``value`` exactly, or None when it never terminates."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return None
    places = 0
    v = value
    while v.denominator != 1:
        v *= 10
        places += 1
        if places > limit:
            return None
    return places


# ---------------------------------------------------------------------------- formatting
def decimal_text(value: Fraction, places: int) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as plain digits
    ("-1234.50"). Integer arithmetic only: exact for any size the limits allow."""
    places = max(places, 0)
    scaled = abs(value) * 10 ** places
    q = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    s = str(q).rjust(places + 1, "0")
    if places:
        s = s[:-places] + "." + s[-places:]
    return "-" + s if value < 0 and q else s


def show(value: Fraction, exact: bool = True) -> str:
    """A human rendering of a value: 781781, 0.2, 10/3 (3.333333…), ≈3.14159265…"""
    if not exact:
        return "≈" + decimal_text(value, 10) + "…"
    if value.denominator == 1:
        return str(value.numerator)
    places = terminating_decimals(value, 12)
    if places is not None:
        return decimal_text(value, places)
    return f"{value.numerator}/{value.denominator} ({decimal_text(value, 6)}…)"


def _group(digits: str) -> str:
    whole, dot, frac = digits.partition(".")
    neg = whole.startswith("-")
    whole = whole.lstrip("-")
    parts = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    return ("-" if neg else "") + ",".join(parts) + dot + frac


def correction_places(value: Fraction, leaf: Num) -> int:
    """Decimals for writing ``value`` in the style of ``leaf``: exact when the decimal
    terminates (money gets 2), else rounded to the stated decimals (at least 2 and at
    least 3 significant digits)."""
    shown = value * 100 if leaf.pct else value
    exact = terminating_decimals(shown)
    if exact is not None:
        places = max(exact, leaf.decimals)
        if leaf.cur and 0 < places < 2:
            places = 2
        return places
    places = max(leaf.decimals, 2)
    while places < 30 and shown != 0 and abs(round_to(shown, places)) < Fraction(1, 10 ** 2):
        places += 1
    return places


def format_like(value: Fraction, leaf: Num, places: int | None = None, *,
                grouped: bool | None = None, minus: str = "-", decorate: bool = True) -> str:
    """``value`` written the way ``leaf`` was: currency symbol and side, decimals,
    thousands separators, percent sign, vulgar fractions. ``decorate=False`` gives the
    digits alone (to replace just the number inside "$24" or "25%")."""
    shown = value * 100 if leaf.pct else value
    text: str | None = None
    if leaf.text[-1:] in VULGAR and places is None:
        whole = int(abs(shown))
        part = abs(shown) - whole
        glyph = next((g for g, f in VULGAR.items() if f == part), None)
        if glyph is not None or part == 0:
            text = (str(whole) if whole or glyph is None else "") + (glyph or "")
            if shown < 0:
                text = "-" + text
    if text is None:
        if places is None:
            places = correction_places(value, leaf)
        text = decimal_text(shown, places)
        if places > 0 and leaf.text.startswith(".") and text.startswith("0."):
            text = text[1:]
        if grouped if grouped is not None else leaf.grouped:
            text = _group(text)
    neg = text.startswith("-")
    body = text.lstrip("-")
    if not decorate:
        return (minus if neg else "") + body
    if leaf.pct:
        body += "%"
    if leaf.cur:
        space = " " if leaf.cur_space else ""
        body = f"{leaf.cur}{space}{body}" if leaf.cur_prefix else f"{body}{space}{leaf.cur}"
    return (minus if neg else "") + body


# ---------------------------------------------------------------------------- rendering
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
_SYMBOL = {"+": "+", "-": "-", "*": "×", "/": "/", "^": "^"}


def render(node: Node, subst: dict[int, str] | None = None) -> str:
    """The expression in plain notation (× for multiplication), for evidence text.
    ``subst`` shows some leaves as other text (a propagated correction)."""
    if isinstance(node, Num):
        if subst and node.index in subst:
            return subst[node.index]
        s = node.text
        if node.pct:
            s += "%"
        if node.cur:
            sp = " " if node.cur_space else ""
            s = f"{node.cur}{sp}{s}" if node.cur_prefix else f"{s}{sp}{node.cur}"
        return s
    if isinstance(node, Const):
        return "π"
    if isinstance(node, Unary):
        inner = render(node.arg, subst)
        if isinstance(node.arg, Bin):
            inner = f"({inner})"
        return ("-" if node.op == "-" else "√") + inner
    assert isinstance(node, Bin)
    if node.form == "price":  # a + b% of a, written as given
        return f"{render(node.left, subst)} {node.op} {render(node.right.left, subst)}"
    if node.form == "off":
        return f"{render(node.right.left, subst)} off {render(node.left, subst)}"
    if node.form == "of":
        return f"{render(node.left, subst)} of {render(node.right, subst)}"
    p = _PREC[node.op]
    left, right = render(node.left, subst), render(node.right, subst)
    if isinstance(node.left, Bin) and (_PREC[node.left.op] < p or (node.op == "^")):
        left = f"({left})"
    if isinstance(node.right, Bin) and (_PREC[node.right.op] < p or
                                        (_PREC[node.right.op] == p and node.op in "-/")):
        right = f"({right})"
    if node.op == "^":
        return f"{left}^{right}"
    return f"{left} {_SYMBOL[node.op]} {right}"
