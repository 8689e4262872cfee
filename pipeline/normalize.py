"""Stage 2, normalize: fold Persian text for matching while keeping an exact map to the raw text.

hazm's full ``Normalizer`` rewrites spacing and changes string length (``۳۱۰.۸`` becomes
``۳۱۰ ٫ ۸``), so only its character tables are used here, applied as a 1:1 fold with
``str.translate``. Characters that are dropped (diacritics, LRM/RLM, tatweel, the CR of a CRLF
line end) are the only length change, and an :class:`OffsetMap` records where they were. Line
ends become ``\n`` (CRLF by dropping its CR, a lone CR by folding it), so the rules and the line
and sentence splitting see one kind of line break whatever the file used. In a hard-wrapped
archive the line breaks inside paragraphs become spaces (:func:`wrapped_breaks`), so rules and
sentences cross them while offsets still lead to the raw line breaks.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from pipeline.cache import cache_dir, write_atomic
from pipeline.rulefiles import RULES_DIR, load_yaml

ZWNJ = "\u200c"


def _hazm_char_tables() -> dict[str, str]:
    """hazm's letter folds and the diacritics/special characters it removes, as {char: replacement}.

    Importing hazm costs several seconds (it pulls in scikit-learn and gensim), so the tables
    are read once per installed hazm version and cached as JSON.
    """
    version = metadata.version("hazm")
    cache = cache_dir() / f"hazm-{version}-chars.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    from hazm import Normalizer

    hazm = Normalizer(correct_spacing=False, seperate_mi=False, decrease_repeated_chars=False)
    table = {
        src: dst
        for src, dst in zip(hazm.translation_src, hazm.translation_dst, strict=True)
        if src != dst
    }
    for pattern, _ in hazm.diacritics_patterns + hazm.specials_chars_patterns:
        for ch in re.sub(r"^\[|\]$", "", pattern):
            table[ch] = ""
    write_atomic(cache, json.dumps(table, ensure_ascii=False).encode("utf-8"))
    return table


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str | None]:
    """The ``str.translate`` table: hazm's character tables overlaid with ``rules/normalize.yaml``."""
    folds = dict(_hazm_char_tables())
    # hazm maps the Arabic percent sign and a few punctuation marks we keep as they are
    for keep in ("٫", "٬", "،", "؛", "؟", ZWNJ):
        folds.pop(keep, None)
    folds.update(load_yaml(RULES_DIR / "normalize.yaml")["fold"])
    for src, dst in folds.items():
        if len(src) != 1 or len(dst) > 1:
            raise ValueError(f"rules/normalize.yaml: fold {src!r} -> {dst!r} is not 1:1 or a drop")
    return {ord(src): (dst or None) for src, dst in folds.items()}


DROPPED = np.uint32(0xFFFFFFFF)  # not a code point: marks a character that folding drops
CR, LF = ord("\r"), ord("\n")


@lru_cache(maxsize=1)
def _fold_lookup() -> np.ndarray:
    """The fold table as an array indexed by code point (folding a whole text is one lookup)."""
    lookup = np.arange(0x110000, dtype=np.uint32)
    for code, dst in fold_table().items():
        lookup[code] = DROPPED if dst is None else ord(dst)
    return lookup


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in normalized text to offsets in the raw text.

    ``shift_at[k]`` is a normalized offset from which ``shift_by[k]`` raw characters have been
    dropped before it in total; offsets between breakpoints shift by the last total.
    """

    shift_at: tuple[int, ...] = ()
    shift_by: tuple[int, ...] = ()

    @classmethod
    def of_lists(cls, shift_at, shift_by) -> "OffsetMap":
        """The map of a row's ``shift_at``/``shift_by`` cells (lists, or arrays when read from
        Parquet) as tuples of Python ints."""
        return cls(tuple(map(int, shift_at)), tuple(map(int, shift_by)))

    def to_raw(self, pos: int, *, is_end: bool = False) -> int:
        # an end offset belongs to the character before it: dropped marks right after a span
        # stay outside it
        probe = pos - 1 if is_end and pos > 0 else pos
        k = bisect.bisect_right(self.shift_at, probe) - 1
        return pos + (self.shift_by[k] if k >= 0 else 0)

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        return self.to_raw(start), self.to_raw(end, is_end=True)

    def to_norm(self, raw_pos: int) -> int:
        """The normalized offset of a raw offset that folding kept (the inverse of :meth:`to_raw`)."""
        k = bisect.bisect_right(self._dropped_runs[1], raw_pos) - 1
        return raw_pos - (self.shift_by[k] if k >= 0 else 0)

    @cached_property
    def _dropped_runs(self) -> tuple[list[int], list[int]]:
        """The raw [start, end) of each run of dropped characters."""
        ends = [at + by for at, by in zip(self.shift_at, self.shift_by)]
        return [end - (by - before) for end, by, before in zip(ends, self.shift_by, (0, *self.shift_by))], ends

    def sliced(self, start: int, end: int) -> OffsetMap:
        """The map of the normalized slice ``[start, end)`` back to its raw slice (which starts
        at ``to_raw(start)``): the runs dropped inside it, counted from its start."""
        lo, hi = bisect.bisect_right(self.shift_at, start), bisect.bisect_left(self.shift_at, end)
        before = self.shift_by[lo - 1] if lo else 0
        return OffsetMap(tuple(at - start for at in self.shift_at[lo:hi]), tuple(by - before for by in self.shift_by[lo:hi]))


@dataclass(frozen=True)
class WrapSettings:
    """When a text is hard-wrapped and which of its line breaks are wraps: the ``wrapped_lines``
    of ``rules/normalize.yaml``, where each setting is explained."""

    min_width: int
    max_width: int
    width_quantile: float
    width_tolerance: float
    min_full_lines: int
    min_full_share: float
    max_ended_share: float
    sentence_end: str
    starts_paragraph: re.Pattern


@lru_cache(maxsize=1)
def wrap_settings() -> WrapSettings:
    settings = load_yaml(RULES_DIR / "normalize.yaml")["wrapped_lines"]
    return WrapSettings(**settings | {"starts_paragraph": re.compile(settings["starts_paragraph"])})


# what may follow the end of a sentence on its line: closing quotes and brackets (``است.»``),
# direction marks
AFTER_SENTENCE_END = "»)]\"'”’\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def wrapped_breaks(text: str) -> list[tuple[int, int]]:
    """The wraps of a hard-wrapped text: the ``[start, end)`` of each, the white space that ends
    the line, its line break included (none when ``text`` is not hard-wrapped).

    Archives often store an article with a line break every 60-140 characters, mid-sentence,
    where today's rules stop. One pass over the line lengths tells such a text (most lines run
    close to one width and do not end a sentence, see ``rules/normalize.yaml``) and its wraps
    from the line breaks that end a heading, a dateline or a paragraph.
    """
    if "\n" not in text:
        return []
    settings = wrap_settings()
    lines = text.split("\n")
    content = [line.rstrip() for line in lines]
    lengths = sorted(len(line) for line in content if line)
    if len(lengths) < settings.min_full_lines:
        return []
    width = lengths[int(settings.width_quantile * (len(lengths) - 1))]
    if not settings.min_width <= width <= settings.max_width:
        return []
    shortest, longest = width * (1 - settings.width_tolerance), width * (1 + settings.width_tolerance)
    full = [i for i, line in enumerate(content) if shortest <= len(line) <= longest]
    if len(full) < max(settings.min_full_lines, settings.min_full_share * len(lengths)):
        return []
    lines.append("")  # the last line is followed by nothing
    ended = {i for i in full if _ends_sentence(content[i], lines[i + 1], settings)}
    if len(ended) > settings.max_ended_share * len(full):
        return []
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    return [
        (line_starts[i] + len(content[i]), line_starts[i + 1])
        for i in full
        if i not in ended and lines[i + 1][:1].strip() and not settings.starts_paragraph.match(lines[i + 1])
    ]


def _ends_sentence(line: str, next_line: str, settings: WrapSettings) -> bool:
    """Whether ``line`` ends a sentence; a dot between digits does not (``۶ .⏎۵ درصد``)."""
    line = line.rstrip(AFTER_SENTENCE_END)
    if line[-1:] == "." and line[:-1].rstrip()[-1:].isdigit() and next_line[:1].isdigit():
        return False
    return line[-1:] != "" and line[-1:] in settings.sentence_end


def normalize_text(raw: str, wrapped: list[tuple[int, int]] = ()) -> tuple[str, OffsetMap]:
    """Fold ``raw`` for matching; returns the folded text and its map back to ``raw``. Each
    ``wrapped`` span (:func:`wrapped_breaks`) becomes one space: its line break is read as a
    space, the white space before it is dropped.

    Vectorized (numpy over the code points): folding costs little next to matching.
    """
    codes = np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _fold_lookup()[codes]
    _fold_line_ends(codes, folded)
    for start, end in wrapped:
        folded[start : end - 1] = DROPPED
        folded[end - 1] = ord(" ")
    dropped = folded == DROPPED
    if not dropped.any():
        return folded.tobytes().decode("utf-32-le", "surrogatepass"), OffsetMap()
    text = folded[~dropped].tobytes().decode("utf-32-le", "surrogatepass")
    # a run of dropped characters ending at raw position e shifts every later offset by the
    # number dropped so far; it starts at normalized position e - dropped
    run_ends = np.flatnonzero(dropped & ~np.append(dropped[1:], False)) + 1
    shift_by = np.cumsum(dropped)[run_ends - 1]
    return text, OffsetMap(tuple((run_ends - shift_by).tolist()), tuple(shift_by.tolist()))


def _fold_line_ends(codes: np.ndarray, folded: np.ndarray) -> None:
    """CRLF → LF by dropping the CR, a lone CR → LF (in place): one line break, same raw offsets."""
    cr = codes == CR
    if cr.any():
        before_lf = cr & np.append(codes[1:] == LF, False)
        folded[before_lf] = DROPPED
        folded[cr & ~before_lf] = LF


MARKUP = re.compile(
    r"<!--.*?(?:-->|$)"  # a comment (an unclosed one runs to the end)
    r"|<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)"  # code and style sheets, with their content
    r"|</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>"  # a tag
    r"|<![A-Za-z][^<>]*>"  # <!DOCTYPE ...>
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",  # an entity
    re.S,
)
BLOCK_TAGS = {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section", "article", "header", "footer"}


def mask_markup(raw: str) -> str:
    """HTML saved as text: tags, comments, scripts and entities blanked to spaces, same length.

    Blanking (instead of removing or decoding) keeps every offset valid, so markup can never
    become a fact and facts inside the page still point at the raw text; a block tag's blank
    starts with a line break so that paragraphs stay separate sentences.
    """
    if "<" not in raw and "&" not in raw:
        return raw

    def blank(m: re.Match) -> str:
        spaces = re.sub(r"[^\r\n]", " ", m.group())  # line ends stay, whichever kind
        return "\n" + spaces[1:] if (m.group(2) or "").lower() in BLOCK_TAGS else spaces

    return MARKUP.sub(blank, raw)


def normalize_document(raw: str, head: int | None = None) -> tuple[str, OffsetMap]:
    """An article's text for matching, or its first ``head`` characters: markup blanked, the
    wraps of a hard-wrapped text read as spaces, then folded (see :func:`normalize_text`)."""
    masked = mask_markup(raw)
    wrapped = wrapped_breaks(masked)
    if head is not None:  # the article as a whole tells whether it is wrapped
        masked, wrapped = masked[:head], [(start, end) for start, end in wrapped if end <= head]
    return normalize_text(masked, wrapped)


def fold_span(text: str, offsets: OffsetMap, raw_start: int, raw_end: int) -> tuple[str, OffsetMap]:
    """The folded text of the raw span ``[raw_start, raw_end)`` and its map back to the span, cut
    out of the article's folded ``text`` (what folding the span alone gives, without folding it
    again). The span starts and ends with characters that folding keeps, as a sentence does."""
    start, end = offsets.to_norm(raw_start), offsets.to_norm(raw_end - 1) + 1
    return text[start:end], offsets.sliced(start, end)


def read_normalized(normalized: pd.DataFrame) -> dict[str, tuple[str, OffsetMap]]:
    """The ``normalized`` table as doc_id → (folded text, map back to the raw text)."""
    columns = (normalized[name].tolist() for name in ("doc_id", "text", "shift_at", "shift_by"))
    return {doc_id: (text, OffsetMap.of_lists(at, by)) for doc_id, text, at, by in zip(*columns)}


@lru_cache(maxsize=1 << 16)  # producers look up the same few words in lexicons again and again
def fold_key(text: str) -> str:
    """A comparison key: folded, with ZWNJ and spaces removed (``رئیس‌جمهور`` == ``رئیسجمهور``).
    The same fold as :func:`normalize_text`, by ``str.translate``, faster on a few words."""
    return re.sub(rf"[\s{ZWNJ}]+", "", text.translate(fold_table()))


def name_key(name: Any) -> str:
    """Names compare ignoring spaces, ZWNJ, diacritics and Arabic/Persian letter variants."""
    return _name_key(name) if isinstance(name, str) else ""


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    # matching folds the same names over and over (every mention against every person)
    text = unicodedata.normalize("NFKD", name)
    if text and max(text) > "\uffff":  # beyond the table's plane: the same steps one by one
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return fold_key(text).replace("آ", "ا")
    return text.translate(_name_key_table())


@lru_cache(maxsize=1)
def _name_key_table() -> dict[int, str | None]:
    """What a name key does to each character of the first plane, as one ``str.translate``
    table: combining marks dropped (after NFKD), letters folded as ``fold_key`` folds them,
    spaces and ZWNJ dropped, ``آ`` read as ``ا``."""
    folds, table = fold_table(), {}
    for code in range(0x10000):
        ch = chr(code)
        out = None if unicodedata.combining(ch) else folds.get(code, ch)
        if out is not None and (out.isspace() or out == ZWNJ):
            out = None
        out = "ا" if out == "آ" else out
        if out != ch:
            table[code] = out
    return table


def normalize_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """documents → normalized: one row per readable document with the folded text and its map."""
    rows = []
    for doc_id, status, raw in zip(documents.doc_id.tolist(), documents.status.tolist(), documents.text.tolist()):
        if status != "ok":
            continue
        text, offsets = normalize_document(raw)
        rows.append(
            {
                "doc_id": doc_id,
                "text": text,
                "shift_at": list(offsets.shift_at),
                "shift_by": list(offsets.shift_by),
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "text", "shift_at", "shift_by"])
