"""The Persian number reader shared by every fact type.

Finds numbers (``{number}`` in rule patterns) and reads their value: digits of all three
scripts (folded to ASCII by normalize) with ``.``, ``٫``, ``/``, ``,`` and ``٬`` separators,
number words from ``rules/lexicons/number_word.yaml`` joined by ``و``, scale words from
``rules/lexicons/scale.yaml`` that multiply and stack, and mixtures of the two
(``۲ میلیون و ۵۰۰ هزار``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.rules import Lexicon

ZWNJ = "\u200c"
DIGITS = r"(?<![\d.,٫٬/])\d+(?:[.,٫٬/]\d+)*(?![\d])"


def number_macros(lexicons: dict[str, Lexicon]) -> dict[str, str]:
    """Regex fragments for rule patterns: ``{digits}``, ``{word_number}`` and ``{number}``."""
    word = f"(?:{lexicons['number_word'].regex})(?!\\w)"
    scale = f"(?:{lexicons['scale'].regex})(?!\\w)"
    atom = f"(?:{DIGITS}|{word}|{scale})"
    # after digits only a scale or "و" may follow ("۱۴۰۰ دو میلیارد" is two numbers);
    # after a word, another word or digits may follow ("یک میلیون ۷۰۰ هزار")
    more = f"(?:\\s+و\\s+{atom}|[\\s{ZWNJ}]*{scale}|(?<!\\d)[\\s{ZWNJ}]+(?:{word}|{DIGITS}))"
    return {
        "digits": DIGITS,
        "word_number": f"{word}(?:\\s+و\\s+{word}|\\s+{word})*",
        "number": f"{atom}{more}*",
    }


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    trailing_scale: float  # product of the scale words that end the number (1 if none)


def parse_digits(text: str) -> float | None:
    """Read a digit string with its separators; None when it is not one number (``1403/05/09``)."""
    if "٫" in text:  # the Persian decimal separator is unambiguous
        whole, _, frac = text.replace("٬", "").replace(",", "").partition("٫")
        return float(f"{whole}.{frac}") if "٫" not in frac else None
    if "٬" in text:
        text = text.replace("٬", "")
    for sep in ",.":
        if text.count(sep) and re.fullmatch(rf"\d{{1,3}}(?:\{sep}\d{{3}})+", text):
            if sep == "," or text.count(sep) > 1:  # 1,200,000 and 1.200.000 group thousands
                text = text.replace(sep, "")
    if text.count("/") == 1:
        text = text.replace("/", ".")
    if text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_number(text: str, lexicons: dict[str, Lexicon] | None = None) -> ParsedNumber | None:
    """Read the value of a span found by ``{number}`` (folded text); None if it is not a number."""
    if lexicons is None:
        from pipeline.rules import default_rules

        lexicons = default_rules().lexicons
    tokens: list[tuple[str, float]] = []
    for piece in re.findall(rf"{DIGITS}|[^\s{ZWNJ}\d]+", text):
        if piece == "و":
            continue
        if piece[0].isdigit():
            kind, value = "n", parse_digits(piece)
        elif (value := lexicons["scale"].value(piece)) is not None:
            kind = "scale"
        else:
            kind, value = "n", lexicons["number_word"].value(piece)
        if value is None:
            return None
        tokens.append((kind, float(value)))
    if not tokens:
        return None
    total, current, trailing, last_n = 0.0, 0.0, 1.0, None
    for i, (kind, value) in enumerate(tokens):
        if kind == "n":
            # words fall in value (صد و بیست و پنج); a rising word multiplies (یک صد = 100)
            current = current * value if last_n is not None and value > last_n else current + value
            last_n, trailing = value, 1.0
            continue
        current = (current or 1.0) * value
        trailing = trailing * value if i and tokens[i - 1][0] == "scale" else value
        last_n = None
        bigger_scale_follows = i + 1 < len(tokens) and tokens[i + 1][0] == "scale" and tokens[i + 1][1] > value
        if not bigger_scale_follows:
            total += current
            current = 0.0
    return ParsedNumber(total + current, trailing)
