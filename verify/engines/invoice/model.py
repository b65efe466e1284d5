"""Invoices onto one exact model, and the readers of the structured formats (JSON objects,
CSV); plain-text invoices as LLMs write them are read by :mod:`.text`.

Every number is an exact :class:`~decimal.Decimal` (a JSON float is read through its
shortest ``repr``, never used as a binary float). Every value read from text keeps its
character span and the way it was written (currency symbol, separators, decimals), so a
correction can replace exactly that number, formatted like the original.

Field paths are those of the contract: ``subtotal``, ``discount``, ``tax_rate``, ``tax``,
``shipping``, ``total``, ``lines[2].amount``, ``lines[0].quantity``, ``lines[0].unit_price``,
``lines[1].tax_rate`` (a line's own rate, overriding the invoice's: mixed VAT rates).
Problems with single fields are collected as messages naming the field
(``lines[3].quantity: not a number: 'abc'``); they never raise.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Mapping, Sequence

from verify.report import Span

#: Hard limits that keep every later step bounded (documented in the README section).
MAX_LINES = 1000            # more line items are refused with a clear error
MAX_NUMBER_CHARS = 64       # a number written with more characters is refused
MAX_DIGITS = 24             # significant digits of one number
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_TEXT_CHARS = 1_000_000  # the pipeline's own limit
MAX_ITEM_LINE_CHARS = 1000  # longer text lines are never read as item lines
MAX_DESCRIPTION_CHARS = 10_000
MAX_DESCRIPTION_WORDS = 8   # an item's description is a name, not a sentence of prose

#: ISO 4217 minor units (digits after the decimal point); 2 unless listed elsewhere.
_MINOR_0 = ("JPY KRW VND CLP ISK UGX XAF XOF XPF PYG RWF KMF GNF DJF BIF VUV")
_MINOR_3 = ("BHD KWD OMR JOD IQD LYD TND")
_MINOR_2 = ("USD EUR GBP CHF CAD AUD NZD CNY INR BRL MXN SEK NOK DKK PLN CZK HUF RUB TRY ZAR "
            "SGD HKD ILS THB PHP IDR MYR AED SAR QAR EGP NGN KES ARS COP PEN TWD UAH RON BGN "
            "PKR BDT LKR MAD GHS")
CURRENCY_MINOR_UNITS: Mapping[str, int] = {
    **{c: 0 for c in _MINOR_0.split()}, **{c: 2 for c in _MINOR_2.split()},
    **{c: 3 for c in _MINOR_3.split()}}
DEFAULT_MINOR_UNITS = 2

#: Currency symbols and the code each one means here (``$`` is read as USD; every dollar
#: currency has 2 minor units, so the arithmetic is the same).
CURRENCY_SYMBOLS: Mapping[str, str] = {
    "US$": "USD", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "NZ$": "NZD",
    "HK$": "HKD", "S$": "SGD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "₱": "PHP",
    "฿": "THB", "zł": "PLN", "Kč": "CZK", "CHF": "CHF", "Fr.": "CHF", "KD": "KWD",
    "BD": "BHD", "د.ك": "KWD", "د.ب": "BHD"}

MONEY_FIELDS = ("subtotal", "discount", "tax", "shipping", "total")
INVOICE_FIELDS = ("subtotal", "discount", "tax_rate", "tax", "shipping", "total")
LINE_FIELDS = ("quantity", "unit_price", "amount", "tax_rate")
#: Fields the user states as inputs vs values derived from them (the correction weights).
INPUT_FIELDS = frozenset({"quantity", "unit_price", "tax_rate", "discount", "shipping"})


def minor_units(currency: str | None) -> int | None:
    """Digits after the decimal point for an ISO code (None when unknown)."""
    return CURRENCY_MINOR_UNITS.get(currency.upper()) if currency else None


def leaf(path: str) -> str:
    """``lines[2].amount`` → ``amount``; ``total`` → ``total``."""
    return path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Style:
    """How a number was written, so a corrected value can be written the same way."""

    prefix: str = ""       # "$", "€ ", "USD "
    suffix: str = ""       # " €", " USD", "%"
    decimal: str = "."     # decimal separator
    group: str = ""        # thousands separator ("" = none)
    decimals: int = 0      # decimals written
    negative: bool = False  # written with a minus (a discount as "-$5")

    def format(self, value: Decimal, min_decimals: int = 0) -> str:
        """``value`` written in this style, with as many decimals as the original or as
        the value needs (never fewer than ``min_decimals`` when the value has a fraction)."""
        needed = max(0, -value.normalize().as_tuple().exponent)
        places = max(self.decimals, needed, min_decimals if needed else 0)
        text = f"{abs(value):.{places}f}"
        whole, _, frac = text.partition(".")
        if self.group and len(whole) > 3:
            head = len(whole) % 3 or 3
            whole = whole[:head] + "".join(self.group + whole[i:i + 3]
                                           for i in range(head, len(whole), 3))
        number = whole + (self.decimal + frac if frac else "")
        sign = "-" if self.negative or value < 0 else ""
        return f"{sign}{self.prefix}{number}{self.suffix}"


@dataclass(frozen=True)
class Value:
    """One stated number: exact value, and for text input where and how it was written."""

    value: Decimal
    raw: str = ""
    span: Span | None = None
    style: Style | None = None


@dataclass(frozen=True)
class Line:
    description: str = ""
    quantity: Value | None = None
    unit_price: Value | None = None
    amount: Value | None = None
    tax_rate: Value | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Statement:
    """A stretch of text that states invoice values: ``Tax (18%): $18`` states
    ``tax_rate`` and ``tax``; ``3 x Widget @ $19.99 = $59.97`` states one line."""

    span: Span
    fields: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Invoice:
    """The one model every input format is read into."""

    lines: tuple[Line, ...] = ()
    subtotal: Value | None = None
    discount: Value | None = None
    tax_rate: Value | None = None
    tax: Value | None = None
    shipping: Value | None = None
    total: Value | None = None
    currency: str | None = None
    id: str | None = None
    errors: tuple[str, ...] = ()
    statements: tuple[Statement, ...] = ()
    text: str | None = None

    def value(self, path: str) -> Value | None:
        """The stated value at a field path (None when not stated)."""
        m = _PATH.fullmatch(path)
        if not m:
            raise KeyError(path)
        if m["index"] is None:
            return getattr(self, m["name"])
        index = int(m["index"])
        return getattr(self.lines[index], m["name"]) if index < len(self.lines) else None

    def stated(self) -> Iterator[tuple[str, Value]]:
        """Every stated field as ``(path, value)``, lines first."""
        for i, line in enumerate(self.lines):
            for name in LINE_FIELDS:
                v = getattr(line, name)
                if v is not None:
                    yield f"lines[{i}].{name}", v
        for name in INVOICE_FIELDS:
            v = getattr(self, name)
            if v is not None:
                yield name, v

    def with_values(self, values: Mapping[str, Decimal]) -> "Invoice":
        """A copy with some fields replaced (a corrected invoice), spans kept."""
        top: dict[str, Any] = {}
        lines = list(self.lines)
        for path, new in values.items():
            m = _PATH.fullmatch(path)
            if not m:
                raise KeyError(path)
            if m["index"] is None:
                old = getattr(self, m["name"])
                top[m["name"]] = replace(old, value=new) if old else Value(new)
            else:
                i = int(m["index"])
                old = getattr(lines[i], m["name"])
                lines[i] = replace(lines[i], **{m["name"]: replace(old, value=new) if old else Value(new)})
        return replace(self, lines=tuple(lines), **top)


_PATH = re.compile(r"(?:lines\[(?P<index>\d+)\]\.)?(?P<name>[a-z_]+)")


# --------------------------------------------------------------------------- numbers

class NumberError(ValueError):
    """A value that is not a usable number; the message names what is wrong."""


_NUM_BODY = re.compile(r"\d[\d.,'\u00a0\u202f ]*")


def parse_decimal(text: str, decimal_hint: str = ".") -> tuple[Decimal, Style]:
    """Read ``1,234.56`` / ``1.234,56`` / ``19,99`` / ``1'234.50`` exactly.

    With one separator that could be either (``1.234``), ``decimal_hint`` (the text's own
    convention) decides. Returns the value and the written style (separators, decimals).
    """
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not s or len(s) > MAX_NUMBER_CHARS:
        raise NumberError(f"not a number: {_show(text)}")
    if not re.fullmatch(r"\d[\d.,' ]*", s) or not s[-1].isdigit():
        raise NumberError(f"not a number: {_show(text)}")
    seps = [(i, c) for i, c in enumerate(s) if not c.isdigit()]
    group = dec = ""
    kinds = {c for _, c in seps}
    if len(kinds) > 2:
        raise NumberError(f"not a number: {_show(text)}")
    if len(kinds) == 2:
        dec = seps[-1][1]
        group = (kinds - {dec}).pop()
        if dec not in ".," or sum(c == dec for _, c in seps) != 1:
            raise NumberError(f"not a number: {_show(text)}")
    elif kinds:
        c = kinds.pop()
        count = sum(1 for _, x in seps if x == c)
        if c in " '" or count > 1:
            group = c
        else:
            pos = seps[0][0]
            after = len(s) - pos - 1
            if after == 3 and 1 <= pos <= 3 and s[0] != "0" and decimal_hint != c:
                group = c
            else:
                dec = c
    whole, _, frac = s.partition(dec) if dec else (s, "", "")
    if group:
        parts = whole.split(group)
        if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
            raise NumberError(f"not a number (misplaced separator): {_show(text)}")
        whole = "".join(parts)
    digits = (whole + frac).lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise NumberError(f"too many digits ({len(digits)}; limit {MAX_DIGITS}): {_show(text)}")
    value = Decimal(f"{whole}.{frac}" if frac else whole)
    if value >= MAX_MAGNITUDE:
        raise NumberError(f"out of range (at most 10^15): {_show(text)}")
    return value, Style(decimal=dec or ("," if decimal_hint == "," else "."), group=group,
                        decimals=len(frac))


def _show(value: Any, limit: int = 40) -> str:
    """A value quoted for an error message, cut short (a 5 MB string is not echoed)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "…'"


_SYMBOL_ALT = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE_ALT = "|".join(sorted(CURRENCY_MINOR_UNITS))
_MARK = rf"(?:{_SYMBOL_ALT}|\b(?:{_CODE_ALT})\b)"
_NUM = r"\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
#: A money token: optional minus, optional currency before and/or after, the number.
MONEY_RE = re.compile(
    rf"(?:[-−–]\s?)?(?:{_MARK}\s?(?:[-−]\s?)?)?(?:{_NUM})(?:\s?{_MARK})?(?![\d%])")
PERCENT_RE = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s?(?:%|\bper ?cent\b)", re.I)
MARK_RE = re.compile(_MARK)


_PLAIN = re.compile(r"\d{1,30}(?:\.\d{1,30})?")


@dataclass(frozen=True)
class Money:
    value: Decimal
    style: Style
    currency: str | None
    marked: bool  # written with a currency symbol or code


def parse_money(token: str, decimal_hint: str = ".") -> Money:
    """A money token as written (``$1,234.56``, ``1.234,56 €``, ``-$5``, ``USD 100``)."""
    s = token.strip()
    if _PLAIN.fullmatch(s):  # the common case in JSON: "19.99"
        value = Decimal(s)
        if len(s) > MAX_DIGITS + 1 or value >= MAX_MAGNITUDE:
            parse_decimal(s)  # raises with the precise message
        return Money(value, Style(decimals=max(0, -value.as_tuple().exponent)), None, False)
    negative = False
    currency = None
    prefix = suffix = ""
    if s[:1] in "-−–":
        negative, s = True, s[1:].lstrip()
    m = MARK_RE.match(s)
    if m:
        mark = m.group(0)
        rest = s[m.end():]
        prefix = mark + (" " if rest[:1] == " " else "")
        s = rest.lstrip()
        currency = CURRENCY_SYMBOLS.get(mark, mark if mark in CURRENCY_MINOR_UNITS else None)
        if s[:1] in "-−":
            negative, s = True, s[1:].lstrip()
    m = re.search(rf"\s?{_MARK}$", s)
    if m and m.start() > 0:
        mark = m.group(0).strip()
        suffix = m.group(0)
        s = s[:m.start()]
        code = CURRENCY_SYMBOLS.get(mark, mark if mark in CURRENCY_MINOR_UNITS else None)
        currency = currency or code
    value, style = parse_decimal(s, decimal_hint)
    return Money(value, replace(style, prefix=prefix, suffix=suffix, negative=negative),
                 currency, bool(prefix or suffix))


def decimal_convention(text: str) -> str:
    """``","`` when the text writes decimals with a comma (``19,99``, ``1.234,56``)."""
    comma = len(re.findall(r"\d,\d{1,2}(?![\d,.])|\d\.\d{3},\d", text))
    dot = len(re.findall(r"\d\.\d{1,2}(?![\d,.])|\d,\d{3}\.\d", text))
    return "," if comma > dot else "."


# --------------------------------------------------------------------------- JSON

_LINE_KEYS = {"quantity": ("quantity", "qty"), "unit_price": ("unit_price", "price", "unit_cost"),
              "amount": ("amount", "line_total"), "tax_rate": ("tax_rate", "vat_rate")}


def _key(obj: Mapping[str, Any], names: Sequence[str]) -> Any:
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _number(raw: Any, path: str, errors: list[str], *, kind: str,
            currencies: list[str]) -> Value | None:
    """One JSON value as an exact Decimal; problems go to ``errors`` naming ``path``."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        errors.append(f"{path}: not a number: {raw!r}")
        return None
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            errors.append(f"{path}: not a finite number: {raw!r}")
            return None
        if len(value.as_tuple().digits) > MAX_DIGITS or abs(value) >= MAX_MAGNITUDE:
            errors.append(f"{path}: out of range: {_show(raw)}")
            return None
        style = Style(decimals=max(0, -value.as_tuple().exponent))
        return _checked(Value(value, str(raw), None, style), path, errors, kind)
    if not isinstance(raw, str):
        errors.append(f"{path}: expected a number, got {type(raw).__name__}")
        return None
    text = raw.strip()
    if len(text) > MAX_NUMBER_CHARS:
        errors.append(f"{path}: not a number: a {len(text):,}-character string")
        return None
    if kind == "rate":
        pm = re.fullmatch(r"(\d[\d.,]*)\s?%", text)
        if pm:
            try:
                value, style = parse_decimal(pm.group(1))
            except NumberError as exc:
                errors.append(f"{path}: {exc}")
                return None
            return _checked(Value(value / 100, raw, None, replace(style, suffix="%")), path,
                            errors, kind)
    if text.lower() in {"nan", "inf", "-inf", "infinity", "-infinity", "+inf"}:
        errors.append(f"{path}: not a finite number: {raw!r}")
        return None
    try:
        money = parse_money(text)
    except NumberError as exc:
        errors.append(f"{path}: {exc}")
        return None
    except InvalidOperation:
        errors.append(f"{path}: not a number: {_show(raw)}")
        return None
    if money.currency:
        currencies.append(money.currency)
    value = -money.value if money.style.negative else money.value
    return _checked(Value(value, raw, None, money.style), path, errors, kind)


def _checked(v: Value, path: str, errors: list[str], kind: str) -> Value | None:
    """Range rules shared by every format (a discount's sign is presentation only)."""
    name = leaf(path)
    if name == "discount" and v.value < 0:
        return replace(v, value=-v.value)
    if v.value < 0:
        errors.append(f"{path}: must not be negative ({v.value})")
        return None
    if kind == "rate" and v.value > 1:
        shown = v.raw if isinstance(v.raw, str) and v.raw.endswith("%") else f"{v.value}"
        hint = "" if str(v.raw).endswith("%") else \
            " (give a fraction such as 0.0825, or a percentage string such as '8.25%')"
        errors.append(f"{path}: rate {shown} is above 100%{hint}")
        return None
    return v


def from_dict(obj: Any, *, id: str | None = None) -> Invoice:
    """A JSON invoice (the contract's keys; unknown keys ignored) onto the model."""
    if not isinstance(obj, Mapping):
        return Invoice(id=id, errors=(f"invoice: expected a JSON object, got {type(obj).__name__}",))
    errors: list[str] = []
    currencies: list[str] = []
    currency = obj.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or minor_units(currency.strip()) is None:
            errors.append(f"currency: unknown currency code {_show(currency)} "
                          "(use an ISO 4217 code such as USD, EUR, JPY, BHD)")
            currency = None
        else:
            currency = currency.strip().upper()
    raw_lines = obj.get("lines", obj.get("items"))
    lines: list[Line] = []
    if raw_lines is not None and not isinstance(raw_lines, list):
        errors.append(f"lines: expected a list, got {type(raw_lines).__name__}")
    elif raw_lines and len(raw_lines) > MAX_LINES:
        errors.append(f"lines: {len(raw_lines):,} lines is more than this checker accepts "
                      f"(limit {MAX_LINES:,})")
    else:
        for i, item in enumerate(raw_lines or ()):
            if not isinstance(item, Mapping):
                errors.append(f"lines[{i}]: expected an object, got {type(item).__name__}")
                continue
            values = {name: _number(_key(item, keys), f"lines[{i}].{name}", errors,
                                    kind="rate" if name == "tax_rate" else
                                    "quantity" if name == "quantity" else "money",
                                    currencies=currencies)
                      for name, keys in _LINE_KEYS.items()}
            desc = item.get("description", item.get("name", ""))
            if not isinstance(desc, str):
                desc = str(desc)
            if len(desc) > MAX_DESCRIPTION_CHARS:
                errors.append(f"lines[{i}].description: too long ({len(desc):,} characters; "
                              f"limit {MAX_DESCRIPTION_CHARS:,})")
                desc = desc[:80]
            if values["amount"] is None and values["unit_price"] is None \
                    and not any(e.startswith(f"lines[{i}].") for e in errors):
                errors.append(f"lines[{i}]: needs an amount or a unit_price")
            lines.append(Line(description=desc, **values))
    top = {name: _number(obj.get(name), name, errors,
                         kind="rate" if name == "tax_rate" else "money", currencies=currencies)
           for name in INVOICE_FIELDS}
    if currency is None and currencies:
        currency = currencies[0]
    inv_id = id if id is not None else (str(obj["id"]) if "id" in obj else None)
    return Invoice(lines=tuple(lines), currency=currency, id=inv_id, errors=tuple(errors), **top)


# --------------------------------------------------------------------------- labels

#: The words that label each invoice field, shared by the CSV and the text readers.
_LABELS: tuple[tuple[str, str], ...] = (
    ("subtotal", r"sub[- ]?total|net (?:amount|total)|total (?:before|excl(?:uding|\.)?|ex\.?|"
                 r"without) (?:tax|vat|gst)|amount before tax|pre-?tax total|zwischensumme|"
                 r"nettobetrag|sous-total|total ht|subtotale"),
    ("discount", r"discount|rebate|coupon|promo(?:tion)?(?: code)?"),
    ("shipping", r"shipping(?: (?:&|and) handling)?|s&h|delivery(?: fee| charge)?|freight|postage"),
    ("total", r"(?:grand |invoice |order )?total(?: (?:due|amount|payable|to pay|incl(?:uding|\.)?"
              r" (?:tax|vat|gst)))?|amount (?:due|payable)|balance due|gesamtbetrag|gesamtsumme|"
              r"rechnungsbetrag|total ttc|montant total|totale"),
    ("tax", r"(?:sales |state |local )?tax(?:es)?|vat|gst|hst|pst|qst|mwst\.?|ust\.?|iva|tva|btw|moms"),
)
LABEL_RE = re.compile("|".join(f"(?P<{name}>\\b(?:{rx})\\b)" for name, rx in _LABELS), re.I)


def label_field(m: re.Match) -> str:
    return next(name for name, _ in _LABELS if m.group(name))


# --------------------------------------------------------------------------- CSV

COLUMNS = {
    "description": ("description", "item", "product", "name", "service", "article"),
    "quantity": ("quantity", "qty", "units", "hours", "count"),
    "unit_price": ("unit_price", "unit price", "price", "unit cost", "price each", "rate"),
    "amount": ("amount", "line total", "line_total", "total", "line amount", "net"),
    "tax_rate": ("tax_rate", "tax rate", "vat rate", "vat %", "tax %", "vat"),
    "currency": ("currency",),
    "invoice": ("invoice_id", "invoice", "invoice number", "invoice no", "id"),
}
_TOP_COLUMNS = {name: (name, name.replace("_", " ")) for name in INVOICE_FIELDS}


def column(header: str, table: Mapping[str, Sequence[str]]) -> str | None:
    h = re.sub(r"\s+", " ", header.strip().lower().strip("*_ "))
    for name, names in table.items():
        if h in names:
            return name
    return None


def looks_like_csv(text: str) -> bool:
    """A header row naming line-item or invoice columns, comma/semicolon/tab separated."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if len(first) > MAX_ITEM_LINE_CHARS:  # no header row is this long
        return False
    for delim in (",", ";", "\t"):
        cells = first.split(delim)
        if len(cells) >= 2:
            known = [c for c in cells if column(c, COLUMNS) or column(c, _TOP_COLUMNS)]
            if len(known) >= 2:
                return True
    return False


def from_csv(text: str) -> list[tuple[str, Invoice]]:
    """CSV with a header row → ``[(id, Invoice)]``.

    Columns of line items (description, quantity, unit price, amount, tax rate) make each row
    a line; a row whose description is a label (``Subtotal``, ``Tax (8.25%)``, ``Total``,
    ``Discount``, ``Shipping``) sets that invoice field from its last number. An
    ``invoice_id`` column splits the rows into several invoices. Without line-item columns,
    each row is one invoice with columns named like the JSON keys.
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delim = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delim))
    except csv.Error as exc:  # e.g. a 5 MB cell (over the csv module's field limit)
        return [("1", Invoice(id="1", errors=(f"csv: not readable ({exc})",)))]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    header = rows[0]
    cols = {i: column(h, COLUMNS) for i, h in enumerate(header)}
    if not ({"quantity", "unit_price"} & set(cols.values())):
        out = []
        for n, row in enumerate(rows[1:], start=2):
            obj: dict[str, Any] = {}
            for i, cell in enumerate(row):
                name = column(header[i], _TOP_COLUMNS) if i < len(header) else None
                if name and cell.strip():
                    obj[name] = cell.strip()
                elif i < len(header) and cols.get(i) in ("currency", "invoice") and cell.strip():
                    obj["id" if cols[i] == "invoice" else "currency"] = cell.strip()
            out.append((str(obj.get("id", n)), from_dict(obj, id=str(obj.get("id", n)))))
        return out
    groups: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = {cols.get(i): c.strip() for i, c in enumerate(row) if cols.get(i) and c.strip()}
        key = cells.get("invoice", "1")
        obj = groups.setdefault(key, {"id": key, "lines": []})
        if "currency" in cells:
            obj["currency"] = cells["currency"]
        desc = cells.get("description", "")
        label = LABEL_RE.fullmatch(re.sub(r"\s*\(.*\)\s*:?$|:$", "", desc).strip()) if desc else None
        if label and not cells.get("quantity") and not cells.get("unit_price"):
            name = label_field(label)
            numbers = [c.strip() for c in row if c.strip() and c.strip() != desc]
            if numbers:
                obj[name] = numbers[-1]
            rate = PERCENT_RE.search(desc)
            if name == "tax" and rate:
                obj["tax_rate"] = rate.group(1).replace(",", ".") + "%"
            continue
        line = {k: cells[k] for k in ("description", "quantity", "unit_price", "amount", "tax_rate")
                if k in cells}
        if line.get("tax_rate") and not line["tax_rate"].endswith("%"):
            try:
                rate_value = parse_decimal(line["tax_rate"])[0]
            except NumberError:
                rate_value = Decimal(0)
            if rate_value > 1:  # a VAT column written as 19 means 19%
                line["tax_rate"] += "%"
        obj["lines"].append(line)
    return [(key, from_dict(obj, id=key)) for key, obj in groups.items()]

