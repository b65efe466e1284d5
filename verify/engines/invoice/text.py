"""The plain-text invoice reader: invoices as LLMs write them in prose, item lines,
Markdown tables and labelled values, read onto the model of :mod:`.model` with every
value's span and written style; and :func:`parse_any`, which reads any input format.

Separate from :mod:`.model` because prose is read by patterns of its own (item lines,
labels and their connectives, computations that are not stated values) that JSON and CSV
never need; the engine asks this module whether a text may hold an invoice at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Mapping, Sequence

from verify.report import Span

from .model import (COLUMNS, LABEL_RE, MARK_RE, MAX_DESCRIPTION_WORDS, MAX_ITEM_LINE_CHARS,
                    MAX_LINES, MAX_TEXT_CHARS, MONEY_RE, PERCENT_RE, Invoice, Line, NumberError,
                    Statement, Value, column, decimal_convention, from_csv, from_dict, label_field,
                    leaf, looks_like_csv, parse_decimal, parse_money)


_CONNECTIVE = re.compile(
    r"\s*(?:\([^()]{0,30}\))?\s*(?:[:=]|\b(?:is|was|of|comes to|amounts to|equals|would be)\b)?\s*",
    re.I)
#: a value followed by an operator and another value is an operand, not a labelled value
_ARITH_AFTER = re.compile(r"\s*[-+×x*/÷=]\s*(?:[$€£¥₹]\s?)?\.?\d")
#: ... and so is one whose clause goes on into a computation ("$800 on taxes + $1080 ...")
_OPERAND_OF = re.compile(r"\s*[A-Za-z][^.;:\n\d]{0,40}?\s[-+×*/÷=]\s*(?:[$€£¥₹]\s?)?\.?\d")
#: a label's own words may come before its connective ("Total amount due: $120", "the total
#: cost is $50"), but no more than two: "total monthly expenses are $800" is a sentence;
#: Markdown emphasis may close after the connective ("**Total:** $120")
_LABEL_TAIL = re.compile(r"\s*(?:[A-Za-z]+\s+){0,2}?(?:\([^()]{0,30}\)\s*)?"
                         r"(?:[:=]|\b(?:is|was|of|comes to|amounts to|equals|would be)\b)[\s*_]*", re.I)
_WINDOW = 80


_BULLET = re.compile(r"[ \t]*(?:[-*•·▪◦]|\d{1,3}[.)])[ \t]+")
_M = MONEY_RE.pattern
_Q = r"\d+(?:[.,]\d+)?"
_EACH = r"(?:\s*(?:each|ea\.?|apiece|/\s?[a-z]+|per [a-z]+))?"
_EQ = r"\s*(?:=|:|→|->|–|—)\s*"
#: An item's description ends in a word (or a closing bracket), never in a number or an
#: operator: ``30/100*1000 = 300`` and ``.20*10 = 2`` are computations, not items.
_WORD_END = r"(?<=[^\W\d_]|[)\]])"
#: An item line: the quantity × unit price structure (each pattern with the cheap test a
#: line must pass before the pattern is tried, so prose is rejected without backtracking).
#: A description holds a letter (:data:`_LETTER`, tested after the match: one lazy
#: quantifier per description keeps the match linear).
_ITEM_PATTERNS = tuple((re.compile(p, re.I), re.compile(hint, re.I)) for p, hint in (
    # 3 x Widget @ $19.99 = $59.97 (the line starts with the quantity)
    (rf"(?P<q>{_Q})\s*(?:x|×|\*)\s*(?P<d>[^@=:\n]*?)\s*(?:@|\bat\b)\s*(?P<p>{_M}){_EACH}{_EQ}(?P<a>{_M})",
     r"^\d[^@\n]*?(?:@|\bat\b)"),
    # Widget x3 @ $19.99 = $59.97
    (rf"(?P<d>[^@=:\n]*?){_WORD_END}\s*(?:x|×|\*)\s?(?P<q>{_Q})\s*(?:@|\bat\b)\s*(?P<p>{_M}){_EACH}{_EQ}(?P<a>{_M})",
     r"[^\W\d_)\]]\s*(?:x|×|\*)\s?\d[^@\n]*?(?:@|\bat\b)"),
    # Widget: 3 × $19.99 = $59.97 / Widget (3 @ $19.99): $59.97 / Consulting (10 hours × $150): $1,500
    # (the description is set apart by a colon, a dash or a bracket: "He gets 16*5 = 80" is prose)
    (rf"(?P<d>[^@=:(\n]*?){_WORD_END}\s*(?:(?::|–|—|\s-)\s*\(?|\()\s*(?P<q>{_Q})\s*(?:[a-z]+\.?\s*)?(?:x|×|\*|@|\bat\b)\s*(?P<p>{_M}){_EACH}\s*\)?{_EQ}(?P<a>{_M})",
     r"(?:[:–—(]|\s-)\s*\(?\s*\d[\d.,]*\s*(?:[a-z]+\.?\s*)?(?:x|×|\*|@|\bat\b)"),
))
#: Widget 2 x $5.00 = $10.00: an item line with no mark between description and quantity.
#: Prose reads the same ("She pays 3 x $2 = $6"), so it is an item only in a block laid out
#: as an invoice (a line opening with a label and a colon, :data:`_LAID_OUT`) and with a
#: currency mark on both the price and the amount.
_BARE_ITEM = (re.compile(rf"(?P<d>[^@=:(\n]*?){_WORD_END}\s+(?P<q>{_Q})\s*(?:x|×|\*)\s*(?P<p>{_M}){_EACH}{_EQ}(?P<a>{_M})", re.I),
              re.compile(r"[^\W\d_)\]]\s+\d[\d.,]*\s*(?:x|×|\*)\s*[$€£¥₹]", re.I))
_LAID_OUT_HINT = re.compile(r"^[ \t]*[*_]*[^\W\d_][^\n:]{0,40}:[ \t*_]*(?:[-−–]\s?)?[$€£¥₹]?\s?\d", re.M)
#: A computation between the label and the value it states: ``total is 7+8 = $15`` reads
#: the result of prose arithmetic, not a labelled value.
_LETTER = re.compile(r"[a-z]", re.I)
_COMPUTATION = re.compile(r"\d\s*[-+×x*/÷^]\s*\(?\s*(?:[$€£¥₹]\s?)?\.?\d|\d\s*%?\s*=", re.I)
# Hosting: $200.00 (an item with only its amount; only read before a stated subtotal)
_AMOUNT_ONLY = re.compile(rf"(?P<d>[^\d:=\n]*?[a-z][^\d:=\n]*?)\s*(?::|=|–|—| - )\s*(?P<a>{_M})", re.I)


@dataclass
class _Reader:
    """State while reading one text: the number convention, the values found, errors."""

    text: str
    hint: str
    currency: str | None = None
    errors: list[str] = field(default_factory=list)

    def money(self, start: int, end: int, path: str) -> Value | None:
        token = self.text[start:end]
        try:
            m = parse_money(token, self.hint)
        except (NumberError, InvalidOperation) as exc:
            self.errors.append(f"{path}: {exc}")
            return None
        if m.currency and not self.currency:
            self.currency = m.currency
        value = m.value
        return Value(value, token.strip(), _strip_span(self.text, start, end), m.style)

    def quantity(self, start: int, end: int, path: str) -> Value | None:
        token = self.text[start:end]
        try:
            value, style = parse_decimal(token, self.hint)
        except NumberError as exc:
            self.errors.append(f"{path}: {exc}")
            return None
        return Value(value, token, Span(start, end), style)


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _iter_lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def from_text(text: str, *, currency: str | None = None,
              block: tuple[int, int] | None = None) -> Invoice:
    """A plain-text invoice as a model writes one, onto the model.

    Reads item lines (``3 x Widget @ $19.99 = $59.97`` and similar), Markdown table rows
    under a header (``| Item | Qty | Price | Amount |``) and labelled values anywhere
    (``Subtotal: $100``, ``Tax (18%): $18``, ``Total: $120``, ``Discount: -$5``,
    ``Shipping: $4.99``, also several on one line separated by commas). The first value
    stated for a field counts; each keeps its span; a field stated again with another value
    is an error (which of the two is meant cannot be told). Not invoice-shaped text gives an
    invoice with no statements (see :func:`is_invoice_shaped`). ``block`` restricts reading
    to the lines starting in ``[start, end)`` (one invoice of several, see :func:`blocks`);
    spans stay offsets into the whole text.
    """
    if len(text) > MAX_TEXT_CHARS:
        return Invoice(errors=(f"text: {len(text):,} characters is more than this checker reads "
                               f"(limit {MAX_TEXT_CHARS:,})",), text=text)
    rd = _Reader(text, decimal_convention(text), currency)
    lines: list[Line] = []
    statements: list[Statement] = []
    top: dict[str, Value] = {}
    item_rows: set[int] = set()
    table_cols: dict[int, str] | None = None

    def add_line(line: Line, fields: Sequence[str], label: str) -> None:
        i = len(lines)
        lines.append(line)
        statements.append(Statement(line.span, tuple(f"lines[{i}].{f}" for f in fields), label))

    physical = [(off, raw) for off, raw in _iter_lines(text)
                if block is None or block[0] <= off < block[1]]
    patterns = _ITEM_PATTERNS + ((_BARE_ITEM,) if any(_laid_out(raw) for _, raw in physical) else ())
    for row, (off, raw) in enumerate(physical):
        if len(raw) > MAX_ITEM_LINE_CHARS or len(lines) >= MAX_LINES:
            continue
        stripped = raw.strip()
        if stripped.startswith("|"):
            cells = _table_cells(raw, off)
            names = [column(c, COLUMNS) for c, _, _ in cells]
            if sum(1 for n in names if n in ("quantity", "unit_price", "amount")) >= 2 \
                    and "description" in names:
                table_cols = {i: n for i, n in enumerate(names) if n}
                item_rows.add(row)
                continue
            if table_cols is not None and re.fullmatch(r"\|[\s:|-]*", stripped):
                item_rows.add(row)
                continue
            if table_cols is not None:
                line = _table_line(rd, cells, table_cols, len(lines))
                if line is not None:
                    fields = [f for f in ("quantity", "unit_price", "amount") if getattr(line, f)]
                    add_line(line, fields, "item")
                    item_rows.add(row)
                continue
        else:
            table_cols = None
        bullet = _BULLET.match(raw)
        start = bullet.end() if bullet else 0
        body = raw[start:].rstrip()
        if not body or LABEL_RE.match(body.lstrip("*_ ")):
            continue
        for pattern, hint in patterns:
            m = pattern.fullmatch(body) if hint.search(body) else None
            if m and _LETTER.search(m["d"]) and not LABEL_RE.search(m["d"]) \
                    and len(m["d"].split()) <= MAX_DESCRIPTION_WORDS \
                    and (hint is not _BARE_ITEM[1] or MARK_RE.search(m["p"]) and MARK_RE.search(m["a"])):
                base = off + start
                i = len(lines)
                q = rd.quantity(base + m.start("q"), base + m.end("q"), f"lines[{i}].quantity")
                p = rd.money(base + m.start("p"), base + m.end("p"), f"lines[{i}].unit_price")
                a = rd.money(base + m.start("a"), base + m.end("a"), f"lines[{i}].amount")
                add_line(Line(m["d"].strip(" *_-"), q, p, a, span=_strip_span(text, base, base + len(body))),
                         ("quantity", "unit_price", "amount"), "item")
                item_rows.add(row)
                break

    first_subtotal_row = None
    for row, (off, raw) in enumerate(physical):
        if row in item_rows:
            continue
        for st, fields in _labelled(rd, raw, off, top):
            statements.append(st)
            if "subtotal" in fields and first_subtotal_row is None:
                first_subtotal_row = row
    if first_subtotal_row is not None:  # "Hosting: $200.00" items above the subtotal
        for row, (off, raw) in enumerate(physical[:first_subtotal_row]):
            if row in item_rows or len(raw) > MAX_ITEM_LINE_CHARS or len(lines) >= MAX_LINES:
                continue
            bullet = _BULLET.match(raw)
            start = bullet.end() if bullet else 0
            body = raw[start:].rstrip()
            m = _AMOUNT_ONLY.fullmatch(body)
            if not m or LABEL_RE.search(m["d"]) or not MARK_RE.search(m["a"]):
                continue
            base = off + start
            a = rd.money(base + m.start("a"), base + m.end("a"), f"lines[{len(lines)}].amount")
            if a is not None:
                add_line(Line(m["d"].strip(" *_-"), amount=a,
                              span=_strip_span(text, base, base + len(body))), ("amount",), "item")
    cur = (currency or rd.currency)
    statements.sort(key=lambda s: s.span.start)
    return Invoice(lines=tuple(lines), currency=cur.upper() if cur else None,
                   errors=tuple(rd.errors), statements=tuple(statements), text=text, **top)


def _table_cells(raw: str, off: int) -> list[tuple[str, int, int]]:
    cells = []
    pos = raw.index("|") + 1
    while True:
        nxt = raw.find("|", pos)
        if nxt < 0:
            break
        cells.append((raw[pos:nxt], off + pos, off + nxt))
        pos = nxt + 1
    return cells


def _table_line(rd: _Reader, cells: list[tuple[str, int, int]], cols: Mapping[int, str],
                index: int) -> Line | None:
    values: dict[str, Any] = {}
    for i, (cell, start, end) in enumerate(cells):
        name = cols.get(i)
        if not name or not cell.strip():
            continue
        if name == "description":
            values["description"] = cell.strip(" *_")
        elif name == "quantity":
            values["quantity"] = rd.quantity(*_trim(rd.text, start, end), f"lines[{index}].quantity")
        elif name in ("unit_price", "amount"):
            token = cell.strip(" *_")
            if not MONEY_RE.fullmatch(token):
                return None
            values[name] = rd.money(*_trim(rd.text, start, end), f"lines[{index}].{name}")
    if not values.get("description") or LABEL_RE.fullmatch(values["description"]) \
            or not (values.get("unit_price") or values.get("amount")):
        return None
    first, last = cells[0][1], cells[-1][2]
    return Line(span=_strip_span(rd.text, first - 1, last + 1), **values)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t*_":
        start += 1
    while end > start and text[end - 1] in " \t*_":
        end -= 1
    return start, end


def _labelled(rd: _Reader, raw: str, off: int,
              top: dict[str, Value]) -> Iterator[tuple[Statement, tuple[str, ...]]]:
    """Labelled values on one line: ``Subtotal: $100, Tax (18%): $18, Total: $120``."""
    labels = list(LABEL_RE.finditer(raw))
    for k, m in enumerate(labels):
        name = label_field(m)
        w_end = min(labels[k + 1].start() if k + 1 < len(labels) else len(raw), m.end() + _WINDOW)
        window = raw[m.end():w_end]
        pct = PERCENT_RE.search(window) if name == "tax" else None
        blanked = window if pct is None else window[:pct.start()] + " " * len(pct.group(0)) + window[pct.end():]
        money = _pick_money(blanked)
        fields: list[str] = []
        end = m.end()
        if pct is not None and "tax_rate" not in top:
            try:
                value, style = parse_decimal(pct.group(1), rd.hint)
            except NumberError as exc:
                rd.errors.append(f"tax_rate: {exc}")
            else:
                if value > 100:
                    rd.errors.append(f"tax_rate: rate {pct.group(0).strip()} is above 100%")
                else:
                    s, e = off + m.end() + pct.start(1), off + m.end() + pct.end()
                    top["tax_rate"] = Value(value / 100, pct.group(0), Span(s, e),
                                            replace(style, suffix=rd.text[off + m.end() + pct.end(1):e]))
                    fields.append("tax_rate")
                    end = max(end, m.end() + pct.end())
        v = None if money is None else rd.money(off + m.end() + money.start(),
                                                 off + m.end() + money.end(), name)
        if v is not None and name not in top:
            top[name] = v
            fields.append(name)
            end = max(end, m.end() + money.end())
        elif v is not None and v.value != top[name].value:  # stated again: the first counts
            rd.errors.append(f"{name}: stated twice with different values "
                             f"({top[name].raw.strip()}, then {v.raw.strip()})")
        if fields:
            yield Statement(_strip_span(rd.text, off + m.start(), off + end), tuple(fields),
                            m.group(0)), tuple(fields)


def _pick_money(window: str) -> re.Match | None:
    """The value a label states: the first money after ``:``/``=`` if any, else the first;
    a bare number only right after the label (``Total: 120``, ``the total is 120``)."""
    found = [mm for mm in MONEY_RE.finditer(window) if mm.group(0).strip()]
    colon = re.search(r"[:=]", window)
    if colon:
        after = [mm for mm in found if mm.start() >= colon.start()]
        found = after or found
    for mm in found:
        token = mm.group(0)
        if _ARITH_AFTER.match(window, mm.end()) or _OPERAND_OF.match(window, mm.end()) \
                or re.match(r"\s*[A-Za-z]", window[mm.end():]) and not MARK_RE.search(token):
            return None
        gap = window[:mm.start()]
        if _COMPUTATION.search(re.sub(r"\([^()]*\)", " ", gap)):
            return None
        if _CONNECTIVE.fullmatch(gap) or MARK_RE.search(token) and _LABEL_TAIL.fullmatch(gap):
            return mm
        return None
    return None


MAX_BLOCKS = 20


def blocks(text: str) -> list[tuple[int, int]]:
    """Split a text holding several invoices (two quotes in one answer): each block ends
    with a line that states a total. At most :data:`MAX_BLOCKS`; the rest is one block."""
    cuts, pos = [], 0
    for off, raw in _iter_lines(text):
        if len(cuts) >= MAX_BLOCKS - 1:
            break
        for m in LABEL_RE.finditer(raw):
            if m.group("total") and MONEY_RE.search(raw, m.end()):
                cuts.append((pos, off + len(raw) + 1))
                pos = off + len(raw) + 1
                break
    if pos < len(text) or not cuts:
        cuts.append((pos, len(text) + 1))
    return cuts


_AT = re.compile(r"@|\bat\b", re.I)
#: What a text must hold for an item line of each shape to be possible: "@" or "at" for
#: the first two, and each pattern's own test (the first one anchored at a line's start).
_ITEM_HINTS = (
    re.compile(r"^[ \t]*(?:(?:[-*•·▪◦]|\d{1,3}[.)])[ \t]+)?\d[^@\n]*?(?:@|\bat\b)", re.I | re.M),
    _ITEM_PATTERNS[1][1])
_TABLE_ROW = re.compile(r"^[ \t]*\|", re.M)


#: Words that can start (or be part of) a label of each kind: every match of
#: :data:`LABEL_RE` holds one of its kind's words, or words of two other kinds
#: ("total before tax" is a subtotal label holding "total" and "tax").
_LABEL_WORDS: Mapping[str, str] = {
    **dict.fromkeys("subtotal sub net zwischensumme nettobetrag sous ht subtotale pretax".split(),
                    "subtotal"),
    **dict.fromkeys("discount rebate coupon promo promotion".split(), "discount"),
    **dict.fromkeys("shipping s&h delivery freight postage".split(), "shipping"),
    **dict.fromkeys("total totale gesamtbetrag gesamtsumme rechnungsbetrag balance".split(), "total"),
    **dict.fromkeys("tax taxes vat gst hst pst qst mwst ust iva tva btw moms".split(), "tax"),
    "amount": "subtotal total"}  # amount before tax / amount due
_NOT_LETTER = {c: " " for c in range(0x250) if not (chr(c).isalpha() or chr(c) == "&")}


def _laid_out(line: str) -> bool:
    """Whether ``line`` opens with an invoice label and a colon before a value ("Total: $13")."""
    body = line.lstrip(" \t*_")
    m = LABEL_RE.match(body)
    return bool(m and _LAID_OUT_HINT.match(line) and ":" in body[m.end():m.end() + 30])


def may_be_invoice(text: str) -> bool:
    """A cheap necessary condition for :func:`is_invoice_shaped` on any block of ``text``:
    a line that could be an item (or a table row), or words of two kinds of invoice label
    (then the labels themselves are looked for). Prose without them is passed over unread."""
    if _ITEM_PATTERNS[2][1].search(text) or ("|" in text and _TABLE_ROW.search(text)) or \
            (_AT.search(text) and any(h.search(text) for h in _ITEM_HINTS)):
        return True
    if _BARE_ITEM[1].search(text) and any(_laid_out(text[m.start():text.find("\n", m.start()) % (len(text) + 1)])
                                          for m in _LAID_OUT_HINT.finditer(text)):
        return True
    words = set(text.lower().translate(_NOT_LETTER).split())
    kinds = {k for w in words & _LABEL_WORDS.keys() for k in _LABEL_WORDS[w].split()}
    if len(kinds) < 2:
        return False
    kinds = set()
    for m in LABEL_RE.finditer(text):
        kinds.add(m.lastgroup)
        if len(kinds) >= 2:
            return True
    return False


def is_invoice_shaped(inv: Invoice) -> bool:
    """At least two different invoice labels with values, or an item line."""
    labels = {leaf(f) for s in inv.statements if s.label != "item" for f in s.fields}
    labels.discard("tax_rate")
    items = [s for s in inv.statements if s.label == "item"
             and any(leaf(f) == "quantity" for f in s.fields)]
    return len(labels) >= 2 or bool(items)


def parse_any(data: Mapping[str, Any] | str) -> Invoice:
    """A dict, a JSON object string, a CSV text (its first invoice) or a plain-text invoice."""
    if isinstance(data, Mapping):
        return from_dict(data)
    if not isinstance(data, str):
        return Invoice(errors=(f"invoice: expected a dict or a str, got {type(data).__name__}",))
    stripped = data.strip()
    if stripped.startswith("{"):
        import json
        try:
            obj = json.loads(stripped, parse_float=Decimal)
        except (json.JSONDecodeError, RecursionError) as exc:
            return Invoice(errors=(f"invoice: not valid JSON ({exc})",))
        return from_dict(obj)
    if looks_like_csv(stripped):
        found = from_csv(stripped)
        if not found:
            return Invoice(errors=("invoice: the CSV has no rows",))
        inv = found[0][1]
        if len(found) > 1:
            inv = replace(inv, errors=inv.errors + (
                f"invoice: the CSV holds {len(found)} invoices; check them one by one "
                "(verity invoice FILE does)",))
        return inv
    return from_text(data)
