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
only for the smallest scale (``هزار دلار``; ``میلیارد تومان`` alone is a unit, not an amount:
``rules/money.yaml`` decides where it is one billion). ``و`` may be glued to the words it joins
(``دوهزاروده``, ``صدوبیست``), or left out where the parts still fall (``هفتصد شصت هزار``, ``دو
هزار سیصد و پانزده``, ``دوازده هزار بیست دو``); hundreds may end in digits (``چهارصد و ۵۰
هزار``). A quantity may be a fraction in words (``rules/lexicons/fraction_word.yaml``: ``دو و سه
دهم``, ``نوزده ممیز هفتاد و پنج صدم``, ``یک هزارم``). A scale word glued to the currency after
it (``۷ هزارتومان``) is read by ``{glued_scale}{glued_currency}`` in ``rules/money.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lexicons import Lexicon, forms_regex
from pipeline.normalize import ZWNJ

DIGITS = r"(?<![\d.,٫٬/])\d+(?:[.,٫٬/]\d+)*(?![\d])"
# tokenized text writes a decimal point between spaces: "3591 . 5 تومان"
SPACED_DECIMAL = r"(?: \. \d+(?![\d]))"
GAP = f"[\\s{ZWNJ}]*"
# "و" between parts: "بیست و پنج", "بیست‌و‌پنج", or glued to the word before ("دوهزاروده")
JOINER = f"(?:[\\s{ZWNJ}]+و[\\s{ZWNJ}]*|(?<=[^\\W\\d_])و[\\s{ZWNJ}]*)"
SIDE_BY_SIDE = f"[\\s{ZWNJ}]+"  # parts of one compound written without "و": "هفتصد شصت هزار"
DECIMAL_POINT = "ممیز"  # "نوزده ممیز هفتاد و پنج صدم" = 19.75
# a whole part and its fraction: "دو و سه دهم", "یک ممیز هفت دهم"
FRACTION_JOINER = f"(?:{JOINER}|[\\s{ZWNJ}]+{DECIMAL_POINT}[\\s{ZWNJ}]+)"
TWO_DIGITS = r"(?<![\d.,٫٬/])\d{1,2}(?![\d]|[.,٫٬/]\d)"  # digits after hundreds: "چهارصد و ۵۰"
WORD_START = r"(?<![^\W\d_])"  # not inside a word (a digit may touch: "5میلیون")
WORD_END = r"(?![^\W\d_])"
# a number starts at a digit (which may touch a letter: "حدود5") or where no letter is before
NUMBER_START = f"(?:(?=\\d)|{WORD_START})"
# a word of a number may end before a glued و ("دوهزاروده"), but the number may not: "صد" is
# no number in "صدور"
NUMBER_END = r"(?!(?<=[^\W\d_])و)"
ORDINAL_DIGIT_SUFFIX = f"[\\s{ZWNJ}-]?(?:امین|ام|مین)"  # "۲۱ام", "۲۱-امین"


# the lexicons the number reader is made of: a rules folder without them cannot read a number
NUMBER_LEXICONS = ("number_word", "scale", "number_ordinal")


def _alternatives(lexicon: Lexicon, keep=lambda value: True) -> str:
    return "(?:" + forms_regex(f for f in lexicon.forms if keep(lexicon.value(f))) + ")"


def _word_classes(lexicons: dict[str, Lexicon]) -> dict[str, str]:
    """Regexes of the number words by place: hundreds, tens, units, zero, half (without the
    check that the word ends, ``end``: a compound checks it once, after its last word), scales."""
    words = lexicons["number_word"]
    scale = _alternatives(lexicons["scale"])
    smallest_scale = min(lexicons["scale"].values.values())
    # a word ends at a word boundary, where a scale word is glued on ("دومیلیون", "هزارمیلیارد")
    # or before a glued و ("دوهزاروده", "صدوبیست", "سه‌هزارو ۶۰۰": NUMBER_END checks that
    # another part follows)
    end = f"(?:{WORD_END}|(?={scale})|(?=و))"
    classes = {
        "hundreds": lambda v: 100 <= v < 1000,
        "tens": lambda v: 20 <= v < 100 and v % 10 == 0,
        "units": lambda v: 1 <= v < 20 and v == int(v),
        "zero": lambda v: v == 0,
        "half": lambda v: v == 0.5,
    }
    regexes = {name: _alternatives(words, keep) for name, keep in classes.items()}
    regexes["end"] = end
    regexes["any_word"] = _alternatives(words) + end
    # a scale word may carry the adjectival ending of what it counts ("وام دومیلیونی")
    regexes["scale"] = scale + f"(?:{WORD_END}|(?=ی{WORD_END})|(?={scale})|(?=و))"
    regexes["fraction"] = _alternatives(lexicons["fraction_word"]) + WORD_END
    regexes["first_scale"] = _alternatives(lexicons["scale"], lambda v: v == smallest_scale) + end
    return regexes


def _scaled(q: str, w: dict[str, str]) -> str:
    """Numbers on the quantity ``q`` that end in a scale word: groups joined by ``و`` or side by side."""
    stack = f"(?:{GAP}{w['scale']})*"
    counted = f"{q}{GAP}{w['scale']}{stack}"
    group = f"(?:{counted}|{w['first_scale']}{stack})"
    # a group side by side with the last one starts with its count ("۶ میلیون ۴۰۰ هزار"), so a
    # run of scale words is read one way only (no exponential backtracking on "هزار هزار ...")
    return f"(?:{group}(?:{JOINER}{group}|{SIDE_BY_SIDE}{counted})*)"


def _compound(q: str, last_side_by_side: str, w: dict[str, str]) -> str:
    """Every number on the quantity ``q``: scaled groups with a last part after ``و`` (``q``) or
    without it (``last_side_by_side``: "دو هزار سیصد و پانزده"), or ``q`` alone."""
    return f"(?:{_scaled(q, w)}(?:{JOINER}{q}|{SIDE_BY_SIDE}{last_side_by_side})?|{q})"


def number_macros(lexicons: dict[str, Lexicon]) -> dict[str, str]:
    """Regex fragments for rule patterns: ``{digits}``, ``{word_number}``, ``{number}``,
    ``{scaled_number}``, ``{ordinal_number}``, ``{glued_scale}`` and ``{glued_currency}``."""
    w = _word_classes(lexicons)
    j, end = JOINER, w["end"]
    tens_and_units = f"{w['tens']}(?:(?:{j}|{SIDE_BY_SIDE}){w['units']})?"
    # a word compound falls in place: hundreds, then tens, then units (each after و or not:
    # "هفتصد شصت", "بیست دو"), then "و نیم"; hundreds may end in digits ("چهارصد و ۵۰"). A word
    # followed by a space or a joiner ends there; the last one is checked by ``end``.
    hundreds = f"{w['hundreds']}(?:(?:{j}|{SIDE_BY_SIDE}){tens_and_units}|{j}(?:{w['units']}|{TWO_DIGITS}))?{end}"
    tens = f"{tens_and_units}{end}"
    triple = f"(?:{hundreds}|{tens}|(?:{w['units']}|{w['zero']}|{w['half']}){end})"
    half_tail = f"(?:{j}{w['half']}{end})?"
    # a fraction in words after the quantity: "سه دهم", "دو و سه دهم", "یک ممیز هفت دهم"
    fraction = f"(?:{GAP}{w['fraction']})"

    def with_fraction(plain: str) -> str:
        return f"{plain}(?:(?:{FRACTION_JOINER}{plain})?{fraction})?"

    # words need no check that a word starts at each part: NUMBER_START checks it once, and
    # the parts after the first follow a space or a joiner (or a glued و: "دوهزاروده")
    word_quantity = with_fraction(f"(?:{triple}{half_tail})")
    quantity = with_fraction(f"(?:(?:{DIGITS}{SPACED_DECIMAL}?){half_tail}|{triple}{half_tail})")
    # the last part of a compound written without و starts with hundreds or tens ("دو هزار
    # سیصد و پانزده"): a lone unit after a scale word is mostly a word of its own ("هزار یک شب")
    last_side_by_side = f"(?:{hundreds}|{tens})"
    number = f"{NUMBER_START}{_compound(quantity, last_side_by_side, w)}{NUMBER_END}"
    word_number = f"{WORD_START}{_compound(word_quantity, last_side_by_side, w)}{NUMBER_END}"
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
        # a scale word written together with the currency after it ("۷ هزارتومان"), where
        # {scale} and {currency} each start a word
        "glued_scale": _alternatives(lexicons["scale"]),
        "glued_currency": _alternatives(lexicons["currency"]),
        "digits": DIGITS,
        "word_number": word_number,
        "number": number,
        # "۱۱۰ میلیون", "هشت هزارمیلیارد": an amount with its scale
        "scaled_number": f"{NUMBER_START}{_scaled(quantity, w)}{NUMBER_END}",
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
    fraction: re.Pattern  # a fraction word, after the gap that follows a quantity
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
            rf"|(?P<point>{DECIMAL_POINT})|(?P<w>{words})|(?P<j>و)"
            rf"|(?P<gap>[\s{ZWNJ}]+)|(?P<other>.)"
        )
        fraction = re.compile(f"{GAP}(?P<fraction>{w['fraction']})")
        _READERS[key] = _Reader(pattern, fraction, lexicons)
    return _READERS[key]


Token = tuple[str, float]  # ("n", value), ("scale", value), ("fraction", denominator), ("and" | "point", 0)


def _tokens(text: str, reader: _Reader) -> list[Token] | None:
    """The quantities, scale words, fraction words and joiners of ``text`` (gaps dropped); None
    if a piece is unknown. A fraction word counts as one only after a quantity ("سه دهم"); alone
    it is an ordinal ("دهم")."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        # after a quantity, a fraction word of one or more words ("یک ده هزارم" = 1/10,000)
        after_quantity = tokens and tokens[-1][0] == "n"
        if after_quantity and (m := reader.fraction.match(text, position)):
            tokens.append(("fraction", float(reader.lexicons["fraction_word"].value(m.group("fraction")))))
            position = m.end()
            continue
        m = reader.tokens.match(text, position)
        position = m.end()
        if m.lastgroup == "gap":
            continue
        if m.lastgroup in ("j", "point"):
            tokens.append(("and" if m.lastgroup == "j" else "point", 0.0))
            continue
        if m.lastgroup == "other" or (token := reader.token_value(m.group())) is None:
            return None
        tokens.append(token)
    return tokens


def _is_falling(tokens: list[Token]) -> bool:
    """True when the quantities fall in value, as the parts of one compound do ("بیست و پنج")."""
    values = [value for kind, value in tokens if kind == "n"]
    return bool(values) and all(a > b for a, b in zip(values, values[1:]))


def _fraction_value(tokens: list[Token], denominator: float) -> float | None:
    """The value of the quantity ``tokens`` read before a fraction word: "سه دهم" = 0.3, "دو و سه
    دهم" = 2.3, "چهار و بیست و پنج صدم" = 4.25. The numerator is the longest falling run of
    parts (after ``ممیز`` if written) that is below the denominator; what goes before is the
    whole part."""
    points = [i for i, (kind, _) in enumerate(tokens) if kind == "point"]
    splits = points[-1:] or [-1] + [i for i, (kind, _) in enumerate(tokens) if kind == "and"]
    for split in splits:
        numerator, whole = tokens[split + 1 :], tokens[:max(split, 0)]
        value = _value(numerator)
        if value is not None and _is_falling(numerator) and value[0] < denominator:
            whole_value = _value(whole) if whole else (0.0, 1.0)
            return None if whole_value is None else whole_value[0] + value[0] / denominator
    return None


def _with_fractions_read(tokens: list[Token]) -> list[Token] | None:
    """``tokens`` with every quantity before a fraction word replaced by its value."""
    read: list[Token] = []
    for kind, value in tokens:
        if kind != "fraction":
            read.append((kind, value))
            continue
        start = len(read)
        while start > 0 and read[start - 1][0] in ("n", "and", "point"):
            start -= 1
        while read[start][0] == "and":  # "دو میلیون و سه دهم": the joiner after the scale
            start += 1
        quantity = _fraction_value(read[start:], value)
        if quantity is None:
            return None
        read[start:] = [("n", quantity)]
    return read


def _value(tokens: list[Token]) -> tuple[float, float] | None:
    """The value of ``tokens`` (fractions already read) and the product of the scale words that
    end it; None if there is no quantity or scale."""
    if not tokens or all(kind in ("and", "point") for kind, _ in tokens):
        return None
    total, current, trailing, last_n, last_kind = 0.0, 0.0, 1.0, None, None
    for i, (kind, value) in enumerate(tokens):
        if kind in ("and", "point"):
            last_kind = "and"
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
    return total + current, trailing


def parse_number(text: str, lexicons: dict[str, Lexicon]) -> ParsedNumber | None:
    """Read the value of a span found by ``{number}`` or ``{ordinal_number}`` (folded text).

    None if it is not a number.
    """
    tokens = _tokens(text, _reader(lexicons))
    tokens = _with_fractions_read(tokens) if tokens else None
    value = _value(tokens) if tokens else None
    return None if value is None else ParsedNumber(*value)


def is_indefinite_article(text: str, lexicons: dict[str, Lexicon]) -> bool:
    """True for a lone word for one (``یک``, ``یه``): before a noun it is mostly the article "a"."""
    return not text[:1].isdigit() and lexicons["number_word"].value(text) == 1
