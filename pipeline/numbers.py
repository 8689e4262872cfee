"""The Persian number reader shared by every fact type.

Finds numbers (``{number}`` in rule patterns) and reads their value: digits of all three
scripts (folded to ASCII by normalize) with ``.``, ``٫``, ``/``, ``,`` and ``٬`` separators
(and the tokenized decimal ``3 . 5``), number words from ``rules/lexicons/number_word.yaml``
joined by ``و``, scale words from ``rules/lexicons/scale.yaml`` that multiply and stack, and
mixtures of the two (``۲ میلیون و ۵۰۰ هزار``). Ordinals (``بیست و یکم``, ``هجدهمین``) come from
``rules/lexicons/number_ordinal.yaml`` and are found by ``{ordinal_number}``.

The grammar follows how Persian writes compounds, so that two numbers side by side are not read
as one: word compounds fall in place (hundreds, tens, units: ``دویست و شصت و پنج``; never
``سیصد و چهارصد``), digits are never joined to a following number by ``و`` (``سال ۱۴۰۰ و ۲۰۰
میلیون`` is two numbers), and only a group that ends in a scale word takes another group after
it (``۶ میلیون ۴۰۰ هزار``, ``یک میلیون و دویست هزار``). A number starts with a bare scale word
only for the smallest scale (``هزار دلار``; ``میلیارد تومان`` alone is a unit, not an amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.rules import Lexicon

ZWNJ = "\u200c"
DIGITS = r"(?<![\d.,٫٬/])\d+(?:[.,٫٬/]\d+)*(?![\d])"
# tokenized text writes a decimal point between spaces: "3591 . 5 تومان"
SPACED_DECIMAL = r"(?: \. \d+(?![\d]))"
GAP = f"[\\s{ZWNJ}]*"
JOINER = f"[\\s{ZWNJ}]+و[\\s{ZWNJ}]*"  # "و" between parts: "بیست و پنج", "بیست‌و‌پنج"
WORD_START = r"(?<![^\W\d_])"  # not inside a word (a digit may touch: "5میلیون")
WORD_END = r"(?![^\W\d_])"
ORDINAL_DIGIT_SUFFIX = f"[\\s{ZWNJ}-]?(?:امین|ام|مین)"  # "۲۱ام", "۲۱-امین"


def _alternatives(lexicon: Lexicon, keep=lambda value: True) -> str:
    from pipeline.rules import forms_regex

    return "(?:" + forms_regex(f for f in lexicon.forms if keep(lexicon.value(f))) + ")"


def _word_classes(lexicons: dict[str, Lexicon]) -> dict[str, str]:
    """Regexes of the number words by place: hundreds, tens, units, zero, half, scales."""
    words = lexicons["number_word"]
    scale = _alternatives(lexicons["scale"])
    smallest_scale = min(lexicons["scale"].values.values())
    # a word ends at a word boundary or where a scale word is glued on ("دومیلیون", "هزارمیلیارد")
    end = f"(?:{WORD_END}|(?={scale}))"
    classes = {
        "hundreds": lambda v: 100 <= v < 1000,
        "tens": lambda v: 20 <= v < 100 and v % 10 == 0,
        "units": lambda v: 1 <= v < 20 and v == int(v),
        "zero": lambda v: v == 0,
        "half": lambda v: v == 0.5,
    }
    regexes = {name: _alternatives(words, keep) + end for name, keep in classes.items()}
    regexes["any_word"] = _alternatives(words) + end
    # a scale word may carry the adjectival ending of what it counts ("وام دومیلیونی")
    regexes["scale"] = scale + f"(?:{WORD_END}|(?=ی{WORD_END})|(?={scale}))"
    regexes["first_scale"] = _alternatives(lexicons["scale"], lambda v: v == smallest_scale) + end
    return regexes


def _scaled(q: str, w: dict[str, str]) -> str:
    """Numbers on the quantity ``q`` that end in a scale word: groups joined by ``و`` or side by side."""
    stack = f"(?:{GAP}{w['scale']})*"
    counted = f"{q}{GAP}{w['scale']}{stack}"
    group = f"(?:{counted}|{WORD_START}{w['first_scale']}{stack})"
    # a group side by side with the last one starts with its count ("۶ میلیون ۴۰۰ هزار"), so a
    # run of scale words is read one way only (no exponential backtracking on "هزار هزار ...")
    return f"(?:{group}(?:{JOINER}{group}|[\\s{ZWNJ}]+{counted})*)"


def _compound(q: str, w: dict[str, str]) -> str:
    """Every number on the quantity ``q``: scaled groups with a last ``و`` part, or ``q`` alone."""
    return f"(?:{_scaled(q, w)}(?:{JOINER}{q})?|{q})"


def number_macros(lexicons: dict[str, Lexicon]) -> dict[str, str]:
    """Regex fragments for rule patterns: ``{digits}``, ``{word_number}``, ``{number}``,
    ``{scaled_number}`` and ``{ordinal_number}``."""
    w = _word_classes(lexicons)
    j = JOINER
    units_tail = f"(?:{j}{w['units']})?"
    # a word compound falls in place: hundreds, then tens, then units, then "و نیم"
    triple = (
        f"(?:{w['hundreds']}(?:{j}{w['tens']}{units_tail}|{j}{w['units']})?"
        f"|{w['tens']}{units_tail}|{w['units']}|{w['zero']}|{w['half']})"
    )
    half_tail = f"(?:{j}{w['half']})?"
    word_quantity = f"(?:{WORD_START}{triple}{half_tail})"
    quantity = f"(?:(?:{DIGITS}{SPACED_DECIMAL}?){half_tail}|{word_quantity})"
    number = _compound(quantity, w)
    word_number = _compound(word_quantity, w)
    ordinals = lexicons["number_ordinal"]
    scales = set(lexicons["scale"].values.values())
    ordinal_tail = f"{_alternatives(ordinals)}{WORD_END}"  # after و, glued too: "سی‌ویکمین"
    ordinal_word = f"{WORD_START}{ordinal_tail}"
    scale_ordinal = f"{WORD_START}{_alternatives(ordinals, lambda v: v in scales)}{WORD_END}"
    # words before an ordinal join it with و ("بیست و یکم") or, for a scale, side by side
    # ("دو هزارمین"); digits take a suffix ("۲۱ام"), so "سال ۱۴۰۰ اولین" is not 1401
    ordinal = (
        f"(?:{word_number}{j}{ordinal_tail}|{ordinal_word}"
        f"|{number}{GAP}{scale_ordinal}"
        f"|{DIGITS}{ORDINAL_DIGIT_SUFFIX}{WORD_END})"
    )
    return {
        "digits": DIGITS,
        "word_number": word_number,
        "number": number,
        "scaled_number": _scaled(quantity, w),  # "۱۱۰ میلیون", "هشت هزارمیلیارد": an amount with its scale
        "ordinal_number": ordinal,
    }


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    trailing_scale: float  # product of the scale words that end the number (1 if none)


def parse_digits(text: str) -> float | None:
    """Read a digit string with its separators; None when it is not one number (``1403/05/09``)."""
    text = re.sub(r"(?<=\d) \. (?=\d)", ".", text)
    if "٫" in text:  # the Persian decimal separator is unambiguous
        whole, _, frac = text.replace("٬", "").replace(",", "").partition("٫")
        return float(f"{whole}.{frac}") if "٫" not in frac else None
    if "٬" in text:
        text = text.replace("٬", "")
    for sep in ",.":
        if text.count(sep) and re.fullmatch(rf"\d{{1,3}}(?:\{sep}\d{{3}})+", text):
            # 1,200,000 and 1.200.000 group thousands; so does a lone ".000" (no one writes 10.000 for 10)
            if sep == "," or text.count(sep) > 1 or text.endswith(".000"):
                text = text.replace(sep, "")
    if text.count("/") == 1:
        text = text.replace("/", ".")
    if text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Reader:
    """The token regex and lexicons ``parse_number`` reads with (built once per rule set)."""

    tokens: re.Pattern
    lexicons: dict

    def token_value(self, piece: str) -> tuple[str, float] | None:
        """("n", value) for a quantity, ("scale", value) for a scale word; None if unknown."""
        if piece[0].isdigit():
            suffix = re.search(ORDINAL_DIGIT_SUFFIX + "$", piece)
            value = parse_digits(piece[: suffix.start()] if suffix else piece)
            return None if value is None else ("n", value)
        if (value := self.lexicons["scale"].value(piece)) is not None:
            return "scale", float(value)
        if (value := self.lexicons["number_word"].value(piece)) is not None:
            return "n", float(value)
        if (value := self.lexicons["number_ordinal"].value(piece)) is not None:
            is_scale = value in self.lexicons["scale"].values.values()
            return ("scale" if is_scale else "n"), float(value)
        return None


_READERS: dict[int, _Reader] = {}


def _reader(lexicons: dict[str, Lexicon]) -> _Reader:
    key = id(lexicons)
    if key not in _READERS:
        w = _word_classes(lexicons)
        words = "|".join(
            [_alternatives(lexicons["number_ordinal"]) + WORD_END, w["scale"], w["any_word"]]
        )
        pattern = re.compile(
            rf"(?P<n>\d+(?:[.,٫٬/]\d+)*(?: \. \d+)?(?:{ORDINAL_DIGIT_SUFFIX})?)"
            rf"|(?P<j>(?<![^\W\d_])و)|(?P<w>{words})|(?P<gap>[\s{ZWNJ}]+)|(?P<other>.)"
        )
        _READERS[key] = _Reader(pattern, lexicons)
    return _READERS[key]


def _tokens(text: str, reader: _Reader) -> list[tuple[str, float]] | None:
    """The quantities and scale words of ``text`` (joiners and gaps dropped); None if a piece is unknown."""
    tokens = []
    for m in reader.tokens.finditer(text):
        if m.lastgroup in ("j", "gap"):
            if m.lastgroup == "j":
                tokens.append(("and", 0.0))
            continue
        if m.lastgroup == "other":
            return None
        token = reader.token_value(m.group())
        if token is None:
            return None
        tokens.append(token)
    return tokens


def parse_number(text: str, lexicons: dict[str, Lexicon] | None = None) -> ParsedNumber | None:
    """Read the value of a span found by ``{number}`` or ``{ordinal_number}`` (folded text).

    None if it is not a number.
    """
    if lexicons is None:
        from pipeline.rules import default_rules

        lexicons = default_rules().lexicons
    tokens = _tokens(text, _reader(lexicons))
    if not tokens or all(kind == "and" for kind, _ in tokens):
        return None
    total, current, trailing, last_n, last_kind = 0.0, 0.0, 1.0, None, None
    for i, (kind, value) in enumerate(tokens):
        if kind == "and":
            last_kind = kind
            continue
        if kind == "n":
            if value == 0.5 and last_kind == "and" and i >= 2 and tokens[i - 2][0] == "scale":
                # "دو میلیون و نیم": half of the scale just closed
                total += 0.5 * trailing
            elif last_n is not None and value > last_n:
                current *= value  # a rising word multiplies ("یک صد" = 100)
            else:
                current += value  # words fall in value ("صد و بیست و پنج")
            last_n, last_kind, trailing = value, kind, 1.0
            continue
        current = (current or 1.0) * value
        trailing = trailing * value if last_kind == "scale" else value
        last_n, last_kind = None, kind
        bigger_scale_follows = i + 1 < len(tokens) and tokens[i + 1][0] == "scale" and tokens[i + 1][1] > value
        if not bigger_scale_follows:
            total += current
            current = 0.0
    return ParsedNumber(total + current, trailing)


def is_indefinite_article(text: str, lexicons: dict[str, Lexicon]) -> bool:
    """True for a lone word for one (``یک``, ``یه``): before a noun it is mostly the article "a"."""
    return not text[:1].isdigit() and lexicons["number_word"].value(text) == 1
