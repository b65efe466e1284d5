"""Light text analysis shared by the claim decomposer and the entailment judges.

No tagger or lemmatiser ships offline here, so this is a small, deterministic toolkit:
sentence splitting with offsets, word tokens with offsets, a suffix stemmer, and
extraction of the values a fact-checker cross-checks (numbers, years, dates, units,
names, negation). Everything is pure Python and fast enough for long articles.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

# --------------------------------------------------------------------------- sentences

#: Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st sr jr vs etc inc ltd co corp no fig eq approx e.g i.e u.s u.k
jan feb mar apr jun jul aug sep sept oct nov dec mt ft gen col lt sgt rev
""".split())

#: Where a sentence ends: end punctuation (and closing quotes or brackets) before white space
#: or the end; a full stop glued to a capitalised word ("done.Then"), after a letter, digit
#: or closing mark; end punctuation and a closing mark glued to one; a blank line; a line
#: break before a bullet. Each alternative starts with its literal character ("." "!" "?"
#: or a line break), so the regex engine skips every other character at once.
_SENT_END = re.compile(
    r"\.(?:[.!?]*[\"'”’)\]]*(?=\s+|$)|(?<=[a-z0-9)\]\"”]\.)(?=[A-Z][a-z])"
    r"|(?<=[a-z0-9]\.)[\"”’)\]]+(?=[A-Z][a-z]))"
    r"|!(?:[.!?]*[\"'”’)\]]*(?=\s+|$)|(?<=[a-z0-9]!)[\"”’)\]]+(?=[A-Z][a-z]))"
    r"|\?(?:[.!?]*[\"'”’)\]]*(?=\s+|$)|(?<=[a-z0-9]\?)[\"”’)\]]+(?=[A-Z][a-z]))"
    r"|\n(?:\s*\n|(?=\s*(?:[-*•]|\d+[.)])\s))")

_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_DIGIT_AHEAD = re.compile(r"\s*\d")
_WORD_CHAR = re.compile(r"\w")
_BULLET = re.compile(r"(?:[-*•]|\d+[.)])\s+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed; bullets and blank lines also end one."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        piece = text[start:m.start()]
        if m.group().startswith((".",)) and "\n" not in m.group():
            last = _LAST_WORD.search(piece)
            if last:
                word = last.group(1).lower().rstrip(".")
                if (word in ABBREVIATIONS and (word != "no" or _DIGIT_AHEAD.match(text, end))) \
                        or (len(word) == 1 and word.isalpha()):
                    continue  # "Dr. Smith", "J. R. R. Tolkien"
            nxt = text[end:end + 2].lstrip()
            if nxt[:1].islower() and not text[m.start() - 1:m.start()].isspace():
                continue  # "approx. five" (but "... family . the darwin woman": tokenised text)
        _add(text, start, end, out)
        start = end
    _add(text, start, len(text), out)
    return out


@lru_cache(maxsize=32)
def sentence_units(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences, with each line of a multi-line sentence its own unit (worked solutions
    often put one step per line without a full stop). Cached on the text (immutable
    result): a check reads them twice, for world statements and for coverage."""
    out = []
    for start, end in sentences(text):
        pos = start
        for line in text[start:end].split("\n"):
            lead = len(line) - len(line.lstrip())
            body = line.strip()
            if _WORD_CHAR.search(body):
                out.append((pos + lead, pos + lead + len(body)))
            pos += len(line) + 1
    return tuple(out)


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    s, e = start + lead, end - trail
    # drop a bullet marker at the start of a list item
    m = _BULLET.match(text[s:e])
    if m and e - s > m.end():
        s += m.end()
    if e > s and _WORD_CHAR.search(text, s, e):
        out.append((s, e))


# --------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+(?:['’][A-Za-z]+)?|%|\$|£|€")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


STOPWORDS = frozenset("""
a an the of in on at to for from by with and or but nor is are was were be been being am
it its this that these those as which who whom whose what when where why how he she they
his her hers their theirs them him i you we our ours your yours my me us not no do does did
done has have had having will would can could should shall may might must than then there
here also into onto over under about after before during up down out off so such only very
more most other some any each all both one ones if while because though although until
since upon per via within without through across between among against toward towards
just still even yet ever too again further once well s t m re ve ll d n't
""".split())

NEGATIONS = frozenset("not no never none nobody nothing neither nor n't cannot".split())

_IRREGULAR = {
    "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be", "being": "be",
    "wrote": "write", "written": "write", "born": "bear", "bore": "bear", "began": "begin",
    "begun": "begin", "became": "become", "built": "build", "made": "make", "won": "win",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "led": "lead",
    "found": "find", "founded": "found", "held": "hold", "ran": "run", "sold": "sell",
    "bought": "buy", "went": "go", "gone": "go", "came": "come", "saw": "see", "seen": "see",
    "had": "have", "has": "have", "did": "do", "does": "do", "done": "do", "grew": "grow",
    "grown": "grow", "fell": "fall", "fallen": "fall", "left": "leave", "lost": "lose",
    "met": "meet", "paid": "pay", "said": "say", "told": "tell", "thought": "think",
    "brought": "bring", "taught": "teach", "caught": "catch", "fought": "fight",
    "sang": "sing", "sung": "sing", "spoke": "speak", "spoken": "speak", "chose": "choose",
    "chosen": "choose", "drew": "draw", "drawn": "draw", "flew": "fly", "flown": "fly",
    "knew": "know", "known": "know", "rose": "rise", "risen": "rise", "shot": "shoot",
    "stood": "stand", "struck": "strike", "swam": "swim", "threw": "throw", "thrown": "throw",
    "died": "die", "dies": "die", "dying": "die", "children": "child", "men": "man",
    "women": "woman", "people": "person", "feet": "foot", "teeth": "tooth", "mice": "mouse",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stemmer: 'flowing', 'flows', 'flowed' → 'flow'; 'empties' → 'empty'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    if w in _IRREGULAR:
        w = _IRREGULAR[w]  # the base form, then normalised like every other base form
        return w[:-1] if len(w) >= 4 and w.endswith("e") else w
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ying", "y"), ("ing", ""), ("edly", ""),
                         ("ed", ""), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"),
                         ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # running → runn → run
    if len(w) >= 4 and w.endswith("e"):
        w = w[:-1]  # complete / completed → complet
    return w


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` (stopwords dropped), in order."""
    return [stem(t.text) for t in tokens(text) if t.lower not in STOPWORDS]


# --------------------------------------------------------------------------- values

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
         "trillion": 1_000_000_000_000}

#: Units, grouped so that a changed unit of the same dimension reads as a contradiction.
UNITS: dict[str, tuple[str, str]] = {}
for _dim, _names in {
    "length": {"mm": "millimeter millimeters millimetre millimetres mm", "cm": "centimeter centimeters centimetre centimetres cm",
               "m": "meter meters metre metres m", "km": "kilometer kilometers kilometre kilometres km",
               "in": "inch inches in", "ft": "foot feet ft", "yd": "yard yards yd", "mi": "mile miles mi"},
    "mass": {"mg": "milligram milligrams mg", "g": "gram grams g", "kg": "kilogram kilograms kg",
             "lb": "pound pounds lb lbs", "oz": "ounce ounces oz", "ton": "ton tons tonne tonnes"},
    "volume": {"ml": "milliliter milliliters millilitre millilitres ml", "l": "liter liters litre litres l",
               "gal": "gallon gallons gal", "qt": "quart quarts qt", "pt": "pint pints pt",
               "cup": "cup cups", "tsp": "teaspoon teaspoons tsp", "tbsp": "tablespoon tablespoons tbsp"},
    "time": {"s": "second seconds sec secs", "min": "minute minutes min mins", "h": "hour hours hr hrs",
             "day": "day days", "week": "week weeks", "month": "month months", "year": "year years yr yrs",
             "decade": "decade decades", "century": "century centuries"},
    "area": {"acre": "acre acres", "ha": "hectare hectares", "sqft": "square-feet"},
    "money": {"usd": "dollar dollars $ usd", "cent": "cent cents", "eur": "euro euros €",
              "gbp": "£ gbp"},
    "ratio": {"pct": "percent per-cent % percentage"},
    "temperature": {"degree": "degree degrees °"},
}.items():
    for _canon, _words in _names.items():
        for _w in _words.split():
            UNITS[_w] = (_dim, _canon)


@dataclass(frozen=True)
class Value:
    """A number, year or date found in text, with where it is and how it was written."""

    kind: str            # "number" | "year" | "date" | "ordinal"
    value: tuple         # (float,) for numbers; (year, month, day) with 0 for unknown parts
    start: int
    end: int
    surface: str
    unit: tuple[str, str] | None = None   # (dimension, canonical unit)
    unit_span: tuple[int, int] | None = None

    def same_kind(self, other: "Value") -> bool:
        if self.kind in ("year", "date") and other.kind in ("year", "date"):
            return True
        return self.kind == other.kind


_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{{3,4}})\b", re.I)
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})(?:,\s*|\s+)(\d{{3,4}})\b", re.I)
_DATE_MY = re.compile(rf"\b({_MONTH_RE})(?:,\s*|\s+)(\d{{4}})\b", re.I)
_DATE_MD = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)", re.I)
_NUM = re.compile(r"(?<![\w.])([-−]?\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\$?\d+(?:\.\d+)?)"
                  r"(st|nd|rd|th)?(?:\s*(%|percent\b))?")
_NUM_WORD = re.compile(r"\b(" + "|".join(sorted(set(NUMBER_WORDS) | set(ORDINAL_WORDS), key=len, reverse=True))
                       + r")(?:[-\s](" + "|".join(k for k in NUMBER_WORDS if NUMBER_WORDS[k] < 10 and k != "zero") + r"))?\b", re.I)


#: Month names read as a month even in lower case ("april 3" in lowercased text); "may" and
#: "march" are too often the verb.
_LOWER_MONTHS = frozenset("january february april june july august september october november "
                          "december".split())


def _month(word: str) -> int:
    return MONTHS.get(word.lower().rstrip(".")[:4], MONTHS.get(word.lower().rstrip(".")[:3], 0))


def values(text: str) -> list[Value]:
    """Dates, years, numbers (digits or words, with scale words and units) in ``text``."""
    out: list[Value] = []
    used: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < ue and us < e for us, ue in used)

    for rx, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy")):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if order == "mdy":
                mo, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), _month(m.group(2)), int(m.group(3))
            if mo and 1 <= d <= 31:
                out.append(Value("date", (y, mo, d), m.start(), m.end(), m.group()))
                used.append((m.start(), m.end()))
    for m in _DATE_MY.finditer(text):
        if free(m.start(), m.end()) and _month(m.group(1)):
            if m.group(1).lower() == "may" and not m.group(1)[0].isupper():
                continue
            out.append(Value("date", (int(m.group(2)), _month(m.group(1)), 0), m.start(), m.end(), m.group()))
            used.append((m.start(), m.end()))
    for m in _DATE_MD.finditer(text):
        if free(m.start(), m.end()) and _month(m.group(1)) and (
                m.group(1)[0].isupper() or m.group(1).lower().rstrip(".") in _LOWER_MONTHS):
            d = int(m.group(2))
            if 1 <= d <= 31:
                out.append(Value("date", (0, _month(m.group(1)), d), m.start(), m.end(), m.group()))
                used.append((m.start(), m.end()))
    for m in _NUM.finditer(text):
        if not free(m.start(), m.end()):
            continue
        raw = m.group(1).replace("−", "-")
        num = float(raw.replace("$", "").replace(",", ""))
        end = m.end()
        kind = "number"
        if m.group(2):
            kind = "ordinal"
        elif (re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", raw) and not text[m.end():m.end() + 1].isdigit()):
            kind = "year"
        unit, uspan = None, None
        if m.group(3):
            unit, uspan = UNITS["%"], (m.start(3), m.end(3))
        elif raw.startswith("$") or raw.startswith("-$"):
            unit, uspan = UNITS["$"], (m.start(1), m.start(1) + 1)
        # scale words: "1.2 billion"
        sm = re.match(r"\s+(hundred|thousand|million|billion|trillion)\b", text[end:], re.I)
        if sm and kind == "number":
            num *= SCALE[sm.group(1).lower()]
            end += sm.end()
        if unit is None:
            um = re.match(r"[\s-]*(square[\s-]+)?([A-Za-z°€£]+)\b", text[end:])
            if um and um.group(2).lower() in UNITS and (um.group(2).lower() not in ("m", "in", "l", "g", "s", "h", "min", "pt")
                                                         or len(um.group(2)) > 2 or um.group(2).islower()):
                word = um.group(2).lower()
                if not (word == "in" and re.match(r"[\s-]*in\s+(?:the|a|an|[A-Z])", text[end:])):
                    unit = UNITS[word]
                    if um.group(1):
                        unit = ("area", "sq" + unit[1])
                    uspan = (end + um.start(2) - (um.end(1) - um.start(1) if um.group(1) else 0), end + um.end(2))
                    if kind == "year":
                        kind = "number"  # "1500 meters" is a quantity, not a year
        out.append(Value(kind, (num,), m.start(), end, text[m.start():end], unit, uspan))
        used.append((m.start(), end))
    for m in _NUM_WORD.finditer(text):
        if not free(m.start(), m.end()):
            continue
        w = m.group(1).lower()
        if (w == "one" and not m.group(2)) or (w in SCALE and not re.search(r"\ba\s+$", text[:m.start()])):
            continue  # "one of", "millions of": too often not a stated quantity
        if w in ORDINAL_WORDS:
            out.append(Value("ordinal", (float(ORDINAL_WORDS[w]),), m.start(), m.end(), m.group()))
        else:
            num = NUMBER_WORDS[w] + (NUMBER_WORDS[m.group(2).lower()] if m.group(2) else 0)
            end = m.end()
            sm = re.match(r"\s+(hundred|thousand|million|billion|trillion)\b", text[end:], re.I)
            if sm and w not in SCALE:
                num *= SCALE[sm.group(1).lower()]
                end += sm.end()
            unit, uspan = None, None
            um = re.match(r"[\s-]*([A-Za-z]+)\b", text[end:])
            if um and um.group(1).lower() in UNITS and len(um.group(1)) > 2:
                unit, uspan = UNITS[um.group(1).lower()], (end + um.start(1), end + um.end(1))
            out.append(Value("number", (float(num),), m.start(), end, text[m.start():end], unit, uspan))
        used.append((m.start(), m.end()))
    out.sort(key=lambda v: v.start)
    return out


def value_matches(a: Value, b: Value) -> bool:
    """True when ``b`` states the same quantity as ``a`` (a year matches a date in it)."""
    if a.kind in ("year", "date") and b.kind in ("year", "date"):
        ay, am, ad = _ymd(a)
        by, bm, bd = _ymd(b)
        return all(x == y or x == 0 or y == 0 for x, y in ((ay, by), (am, bm), (ad, bd)))
    if a.kind == "ordinal" or b.kind == "ordinal":
        return a.value[0] == b.value[0]
    if a.value[0] != b.value[0]:
        return False
    return a.unit is None or b.unit is None or a.unit == b.unit


def _ymd(v: Value) -> tuple[int, int, int]:
    if v.kind == "year":
        return int(v.value[0]), 0, 0
    return v.value  # type: ignore[return-value]


# --------------------------------------------------------------------------- names

_CAP = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][\wÀ-ÿ'’.-]*")
#: Small words that may join the words of one name ("Der Mond", "Ludwig van Beethoven").
NAME_JOINERS = frozenset("of the for de da di del der van von la le du al bin y".split())


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int

    @property
    def words(self) -> tuple[str, ...]:
        """The name's word stems without its joiners; a joiner's spelling in capitals is an
        abbreviation ("LA" for Los Angeles), unless the whole name is in capitals ("BANK OF
        AMERICA")."""
        toks = tokens(self.text)
        shouted = sum(t.text.isupper() for t in toks) == len(toks) > 1
        return tuple(stem(t.text) for t in toks
                     if t.lower not in NAME_JOINERS or (t.text.isupper() and len(t.text) > 1 and not shouted))


def names(text: str, sentence_starts: frozenset[int] | None = None) -> list[Name]:
    """Capitalised word sequences ("Pacific Ocean", "Thomas Jefferson", "USS Missouri").

    A lone capitalised stopword at a sentence start ("The", "He") is not a name.
    """
    if sentence_starts is None:
        sentence_starts = frozenset(s for s, _ in sentences(text))
    toks = tokens(text)
    out: list[Name] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not _CAP.fullmatch(t.text) or (t.lower in STOPWORDS and t.start in sentence_starts) \
                or t.lower in MONTHS or t.lower in _WEEKDAYS:
            i += 1
            continue
        j = i
        while j + 1 < len(toks):
            nxt = toks[j + 1]
            gap = text[toks[j].end:nxt.start]
            initial = len(toks[j].text) == 1 and toks[j].text.isupper() and gap.strip() == "."
            if (gap.strip(" -") and not initial) or "\n" in gap:
                break
            if _CAP.fullmatch(nxt.text) and nxt.lower not in MONTHS:
                j += 1
            elif (nxt.lower in NAME_JOINERS and j + 2 < len(toks) and _CAP.fullmatch(toks[j + 2].text)
                  and not text[nxt.end:toks[j + 2].start].strip()):
                j += 2
            else:
                break
        words = toks[i:j + 1]
        if t.lower in STOPWORDS and len(words) > 1:
            words = words[1:]  # "The Amazon River" → "Amazon River"
        if (len(words) > 1 and words[-1].lower in DEMONYMS and j + 1 < len(toks)
                and toks[j + 1].text.islower()):
            words = words[:-1]  # "Kings of Leon American rock bands": the adjective is not the name
        if words and not (len(words) == 1 and words[0].lower in STOPWORDS):
            out.append(Name(text[words[0].start:words[-1].end], words[0].start, words[-1].end))
        i = j + 1
    return out


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

#: Nationality adjectives: after a name and before a lowercase noun they describe the noun.
DEMONYMS = frozenset("""
american canadian british english scottish welsh irish french german italian spanish
portuguese dutch belgian swiss austrian swedish norwegian danish finnish icelandic polish
russian ukrainian greek turkish australian mexican brazilian argentine argentinian chilean
indian pakistani chinese japanese korean vietnamese thai filipino indonesian egyptian
nigerian african european asian israeli iranian
""".split())


_NEGATION = re.compile(r"\b(?:not|never|none|neither|nor|cannot)\b|\bno\b(?!\.?\s*\d)|n['’]t\b", re.I)


def has_negation(text: str) -> bool:
    return bool(_NEGATION.search(text))


def negation_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` negates ("not", "never", "n't", "no" but not "No. 1")."""
    return [m.span() for m in _NEGATION.finditer(text)]


# --------------------------------------------------------------------------- possessive relations

#: Words before "of" that do not relate a thing to its owner ("one of", "part of", "a number of").
NOT_RELATIONS = frozenset(stem(w) for w in """
part parts number numbers lot lots kind kinds sort sorts type types rest majority minority half
top bottom end beginning start middle front back side instead because out ahead couple plenty
pair group set range variety amount total series list many few several dozen dozens hundreds
thousands millions first second third last name cent percent percentage share proportion
fraction
""".split())
#: Lower-case words between "of" and the owner's name ("the father of senator John Reed").
RELATION_GAP_WORDS = 2
_POSSESSIVE_PRONOUNS = frozenset("his her its their my our your".split())
#: Words after "X's" that may describe the relation ("Tom Reed's late father").
RELATION_RUN = 3


@dataclass(frozen=True)
class Relation:
    """A relation noun tied to a named owner: "Tom Reed's father", "the father of Tom Reed"."""

    owner: frozenset[str]  # the owner's name words (stems)
    relation: str          # the relation noun's stem
    start: int
    end: int
    possessive: bool = True  # "X's R" (else "R of X", or "X R" in evidence)


def _owner_words(n: Name) -> frozenset[str]:
    return frozenset(w for w in n.words if w not in STOPWORDS)


def _possessive_end(text: str, n: Name) -> bool:
    """Is name ``n`` written as a possessive ("Reed's", "Reed’s", "James'")?"""
    return n.text.endswith(("'s", "’s")) or (n.text.endswith("s") and text[n.end:n.end + 1] in ("'", "’"))


def relations(text: str, *, evidence: bool = False) -> tuple[Relation, ...]:
    """Relation nouns tied to named owners in ``text``: "X's R" (R the first word after the
    possessive) and "R of [the] X". With ``evidence``, every word of a short run after the
    possessive counts ("Tom Reed's late father" ties both "late" and "father" to Tom Reed),
    and so does a name used as a modifier ("London mayor").

    Used to check direction: "Tom Reed's father was a farmer" is not stated by "John Reed's
    father, Tom Reed, was a farmer", which ties "father" to John Reed.
    """
    return _relations(text, evidence)


@lru_cache(maxsize=4096)
def _relations(text: str, evidence: bool) -> tuple[Relation, ...]:
    toks = tokens(text)
    ns = names(text)
    by_start = {n.start: n for n in ns}
    starts = [t.start for t in toks]
    out: list[Relation] = []

    def gap(a: int, b: int) -> bool:  # nothing but spaces between two offsets
        return not text[a:b].strip()

    for n in ns:
        owner = _owner_words(n)
        poss = _possessive_end(text, n)
        if not owner or not (poss or evidence):
            continue
        end = n.end + (1 if poss and not n.text.endswith(("'s", "’s")) else 0)
        i = bisect.bisect_left(starts, n.end)  # the first token after the name
        for t in toks[i:i + (RELATION_RUN if poss and evidence else 1)]:
            if not gap(end, t.start) or not t.text.isalpha() or not t.text.islower() or t.lower in STOPWORDS:
                break
            out.append(Relation(owner, stem(t.text), n.start, t.end, poss))
            end = t.end
    for i, t in enumerate(toks[:-2]):
        if toks[i + 1].lower != "of" or not t.text.isalpha() or not t.text.islower() \
                or t.lower in STOPWORDS or stem(t.text) in NOT_RELATIONS or not gap(t.end, toks[i + 1].start):
            continue
        prev = toks[i + 1]
        for k in range(i + 2, min(len(toks), i + 3 + RELATION_GAP_WORDS)):
            if not gap(prev.end, toks[k].start):
                break
            n = by_start.get(toks[k].start)
            if n is not None:
                # "the father of Tom Reed's wife" is not about Tom Reed's father
                if _owner_words(n) and not _possessive_end(text, n):
                    out.append(Relation(_owner_words(n), stem(t.text), t.start, n.end, False))
                break
            if not toks[k].text.islower() or toks[k].lower in _POSSESSIVE_PRONOUNS:
                break  # "per cent of her Twitter followers" is not about Twitter
            prev = toks[k]
    return tuple(out)


def relation_holds(rel: Relation, text: str) -> bool:
    """Can ``text`` support a claim holding ``rel``? A possessive ("Tom Reed's father") must
    be tied to the same owner in ``text`` ("Tom Reed's father", "the father of Tom Reed";
    one name's words within the other's: "Reed's father"). "R of X" is looser, since it is
    often a description rather than a relation ("the career of ..."): it fails only when
    ``text`` ties R to someone else and never to X ("Tom Reed, the father of John Reed" for
    "the father of Tom Reed").
    """
    found = [r for r in relations(text, evidence=True) if r.relation == rel.relation]
    if any(r.owner <= rel.owner or rel.owner <= r.owner for r in found):
        return True
    return not rel.possessive and not found


#: Words that may stand between a relation and the name that fills it ("Tom Reed's father,
#: John Reed"; "John Reed, the father of Tom Reed"; "the father of Tom Reed was John Reed").
_FILLER_GAP = frozenset("is was are were the a an".split())


def _filler_gap(gap: str) -> bool:
    words = re.findall(r"[^\W\d_]+", gap.lower())
    return not re.search(r"[^\w\s,:(–—-]", gap) and all(w in _FILLER_GAP for w in words) \
        and sum(w not in ("the", "a", "an") for w in words) <= 1


_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|and|while|whereas|so)\b", re.I)
_ARTICLES = frozenset(("the", "a", "an"))


def _whole_side(side: str, before: bool) -> bool:
    """Is ``side`` (the text from the clause's edge to the relation) empty but for a few
    articles and adjectives? Then the relation is the whole of its side of the copula
    ("the female lead of X is ANSWER"), not a word deep inside a longer subject ("a species
    found on maps of the Earth is ANSWER")."""
    if before:
        breaks = list(_CLAUSE_BREAK.finditer(side))
        side = side[breaks[-1].end():] if breaks else side
    else:
        m = _CLAUSE_BREAK.search(side)
        side = side[:m.start()] if m else side
    words = re.findall(r"[^\W\d_]+", side.lower())
    return len(words) <= 3 and all(w in _ARTICLES or w not in STOPWORDS for w in words) \
        and (before or not words)


def fills_relation(rel: Relation, claim: str, start: int, end: int) -> bool:
    """Does the stretch ``claim[start:end]`` (a short answer put into a question) fill
    ``rel`` ("Tom Reed's father was ANSWER", "ANSWER is the father of Tom Reed")? Only as
    the whole other side of the copula, and not as a demonym ("X's wife was American"
    describes her; it does not name who she is)."""
    answer = claim[start:end].strip(" .").lower()
    if answer in DEMONYMS:
        return False
    if end <= rel.start:
        return _filler_gap(claim[end:rel.start]) and _whole_side(claim[rel.end:], before=False)
    return start >= rel.end and _filler_gap(claim[rel.end:start]) and _whole_side(claim[:rel.start], before=True)


def relation_value_holds(rel: Relation, answer: str, text: str) -> bool:
    """Does ``text`` state that the name ``answer`` is ``rel`` ("Tom Reed's father, John
    Reed", "John Reed, the father of Tom Reed", "the father of Tom Reed was John Reed")?

    Used when a short answer fills a relation: the evidence must give the relation's owner
    and its value the right way round ("Tom Reed, the father of John Reed" does not say
    that John Reed is Tom Reed's father). A name written as a possessive ("John Reed's
    brother") is another relation's owner, never the value.
    """
    want = frozenset(w for n in names(answer) for w in _owner_words(n)) or frozenset(
        stem(t.text) for t in tokens(answer) if t.lower not in STOPWORDS)
    if not want:
        return False
    ns = [n for n in names(text) if not _possessive_end(text, n)]
    literal = None if names(answer) else re.escape(answer.strip(" .").lower())
    for r in relations(text, evidence=True):
        if r.relation != rel.relation or not (r.owner <= rel.owner or rel.owner <= r.owner):
            continue
        # a value that is no name ("19 mi north of Manchester"): written right at the relation
        if literal and (re.search(literal + r"\W*$", text[max(0, r.start - len(answer) - 4):r.start].lower())
                        or re.match(r"\W*(?:is|was|are|were|,)?\W*" + literal + r"(?![\w'’])",
                                    text[r.end:].lower())):
            return True
        for n in ns:
            if not want <= set(n.words) or r.start <= n.start < r.end:
                continue
            if (n.start >= r.end and _filler_gap(text[r.end:n.start])) or \
                    (n.end <= r.start and _filler_gap(text[n.end:r.start])):
                return True
    return False
