"""Stage 1, ingest: inputs → ``documents`` (decoded text, content hash, header fields, status).

Every input becomes one row, readable or not: an article that cannot be used gets a ``status``
other than ``ok`` and a ``reason``, and the later stages skip it instead of stopping the batch.
Inputs are a folder of ``.txt`` files (searched recursively) or one JSONL / CSV / Parquet file
with ``doc_id`` and ``text`` columns (optional ``published`` and ``source``); in a table file the
text is data: a path in it is never opened.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from pipeline.facttypes import MatchContext, get_producer
from pipeline.normalize import normalize_document
from pipeline.rules import RuleSet, default_rules

HEADER_CHARS = 1500  # header fields are looked for in the first characters only
HEADER_FIELDS = {
    "dateline": ("dateline_text", "dateline_start", "dateline_end", "dateline_date", "dateline_calendar", "dateline_rule_id", "dateline_time"),
    "news_code": ("news_code",),
    "agency": ("agency",),
}
DEFAULT_MAX_BYTES = 10_000_000  # a news article is far smaller; beyond this an input is `too_large`
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
TABLE_COLUMNS = ("doc_id", "text", "published", "source")
BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "a RIFF (audio/video/WebP) file",
}
LEGACY_ENCODING = "cp1256"  # Windows-1256, the usual encoding of older Persian files
# a decoded text counts as text when its letters are mostly of the expected script(s), letters
# and spaces make most of it, and words are separated by spaces
MIN_SCRIPT_SHARE = 0.6
MIN_PROSE_SHARE = 0.7
MIN_SPACE_SHARE = 0.05


class InputError(ValueError):
    """An input that cannot be read at all (missing, or a table without doc_id/text columns)."""


def check_input(input_path: Path) -> None:
    """A run whose input is not there stops before it writes anything."""
    if not Path(input_path).exists():
        raise InputError(f"input {input_path} does not exist")


@dataclass(frozen=True)
class InputItem:
    """One article to ingest: a ``.txt`` file to read, or a record of a table file."""

    doc_id: str
    source_path: str
    path: Path | None = None
    text: str | None = None
    published: str | None = None
    source: str | None = None
    status: str = "ok"  # set when enumerating already shows a problem (invalid record, duplicate id)
    reason: str | None = None


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    status: str = "ok"
    reason: str | None = None


def iter_inputs(input_path: Path) -> Iterator[InputItem]:
    """The articles of INPUT in a stable order; a doc_id seen before is marked ``duplicate``."""
    seen: dict[str, str] = {}
    for item in _iter_raw_inputs(Path(input_path)):
        if item.doc_id in seen and item.status == "ok":
            item = InputItem(item.doc_id, item.source_path, status="duplicate",
                             reason=f"doc_id {item.doc_id!r} already used by {seen[item.doc_id]}")
        seen.setdefault(item.doc_id, item.source_path)
        yield item


def _iter_raw_inputs(input_path: Path) -> Iterator[InputItem]:
    if input_path.is_dir():
        for path in sorted(p for p in input_path.rglob("*.txt") if p.is_file()):
            yield InputItem(path.relative_to(input_path).with_suffix("").as_posix(), str(path), path=path)
    elif input_path.suffix.lower() in TABLE_SUFFIXES:
        yield from _iter_table_records(input_path)
    elif input_path.is_file():
        yield InputItem(input_path.stem, str(input_path), path=input_path)
    else:
        check_input(input_path)
        raise InputError(f"input {input_path} is neither a folder of .txt files nor a file")


def _iter_table_records(path: Path) -> Iterator[InputItem]:
    """Records of a JSONL / CSV / Parquet file, read in chunks (the file may not fit in memory)."""
    if not path.is_file():
        check_input(path)
        raise InputError(f"input {path} is not a file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        chunks = _jsonl_chunks(path)
    elif suffix == ".csv":
        chunks = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=2000, encoding="utf-8-sig")
    else:
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        columns = [c for c in TABLE_COLUMNS if c in parquet.schema_arrow.names]
        chunks = (batch.to_pandas() for batch in parquet.iter_batches(batch_size=2000, columns=columns))
    row_number = 0
    for chunk in chunks:
        if isinstance(chunk, InputItem):  # a JSONL line that is not a JSON object
            row_number += 1
            yield chunk
            continue
        missing = [c for c in ("doc_id", "text") if c not in chunk.columns]
        if missing:
            raise InputError(f"{path}: no column(s) {missing}; a table input needs doc_id and text")
        for record in chunk.to_dict("records"):
            row_number += 1
            yield _record_item(record, f"{path}:{row_number}")


def _jsonl_chunks(path: Path) -> Iterator[pd.DataFrame | InputItem]:
    records: list[dict] = []
    with open(path, encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                if records:
                    yield pd.DataFrame(records)
                    records = []
                yield InputItem(f"{path.name}:{number}", f"{path}:{number}", status="invalid",
                                reason=f"line {number} is not a JSON object: {exc}")
                continue
            records.append(record)
            if len(records) >= 2000:
                yield pd.DataFrame(records)
                records = []
    if records:
        yield pd.DataFrame(records)


def _record_item(record: dict, where: str) -> InputItem:
    def field(name: str) -> str | None:
        value = record.get(name)
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    doc_id, text = field("doc_id"), record.get("text")
    if not doc_id:
        return InputItem(where, where, status="invalid", reason="the record has no doc_id")
    if text is not None and not isinstance(text, str):
        return InputItem(doc_id, where, status="invalid", reason=f"text is a {type(text).__name__}, not a string")
    return InputItem(doc_id, where, text=text or "", published=field("published"), source=field("source"))


def decode_bytes(data: bytes) -> Decoded:
    """The text of a file's bytes, or why it is not text.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, and legacy encodings that a detector
    (charset-normalizer) proposes or that Persian files commonly use (Windows-1256); a legacy
    decoding counts only if its letters are mostly Arabic script, so a wrong guess is reported
    as ``undecodable`` instead of becoming mojibake.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = None
            if text is not None and _looks_like_text(text, persian=False):
                return Decoded(text, encoding)
            return Decoded(None, None, "undecodable", f"not UTF-8, and not {encoding} text despite its byte-order mark")
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            return Decoded(None, None, "binary", f"the file is {what}, not text")
    nul = data.find(b"\x00")
    if nul >= 0:
        return Decoded(None, None, "binary", f"NUL byte at byte {nul}: binary data, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 ({exc.reason} at byte {exc.start})"
    tried = []
    for encoding in _legacy_candidates(data):
        tried.append(encoding)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text, persian=True):
            return Decoded(text, encoding)
    return Decoded(None, None, "undecodable", f"{utf8_error}, and no legacy encoding (tried {', '.join(tried)}) gives Persian text")


def _legacy_candidates(data: bytes) -> list[str]:
    from charset_normalizer import from_bytes

    guesses = [match.encoding for match in from_bytes(data[:200_000])][:3]
    return list(dict.fromkeys(guesses + [LEGACY_ENCODING]))


def _looks_like_text(text: str, *, persian: bool) -> bool:
    """Prose of the expected script: a wrong codec gives control characters, symbols instead
    of letters, no spaces between words, or letters of other scripts.

    ``persian``: most letters must be of the Arabic script; else of the Arabic or Latin scripts.
    """
    letters = arabic = latin = spaces = 0
    for ch, n in Counter(text).items():  # each distinct character once (an article has ~100)
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in "\t\n\r\f\v":
            return False
        if category.startswith("L"):
            letters += n
            arabic += n if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" else 0
            latin += n if ch < "\u0250" else 0
        elif ch.isspace():
            spaces += n
    if not letters or (letters + spaces) / len(text) < MIN_PROSE_SHARE:
        return False
    if len(text) > 40 and spaces / len(text) < MIN_SPACE_SHARE:
        return False
    return (arabic if persian else arabic + latin) / letters >= MIN_SCRIPT_SHARE


def read_header(raw: str, rules: RuleSet | None = None) -> dict[str, Any]:
    """Dateline, news code and agency from the start of an article, with the dateline's raw span."""
    rules = rules or default_rules()
    text, offsets = normalize_document(raw, head=HEADER_CHARS)
    ctx = MatchContext(rules=rules, text=text)
    found: dict[str, Any] = {}
    for rule in rules.for_type("header"):
        field = "dateline" if rule.producer.startswith("dateline") else rule.producer
        if found.get(HEADER_FIELDS[field][0]) is not None or not rule.may_match(text):
            continue
        for m in rule.pattern.finditer(text):
            values = get_producer("header", rule.producer)(m, ctx)
            if values is None:
                continue
            if field == "dateline":
                group = "span" if "span" in m.re.groupindex else 0
                start, end = offsets.span_to_raw(m.start(group), m.end(group))
                values |= {
                    "dateline_text": raw[start:end],
                    "dateline_start": start,
                    "dateline_end": end,
                    "dateline_rule_id": rule.id,
                }
            found.update(values)
            break
    return found


def ingest_item(item: InputItem, rules: RuleSet, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """One input as a ``documents`` row; problems become a status and a reason, never an exception."""
    return decode_item(*read_item(item, max_bytes), rules)


def read_item(item: InputItem, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[dict[str, Any], Decoded | bytes | None]:
    """An input's ``documents`` row as far as reading it tells (ids, SHA-256, a status if it
    cannot be read), and what :func:`decode_item` makes the rest of the row of: the file's bytes,
    a table record's text as :class:`Decoded`, or None (nothing to decode).

    A batch's name depends only on this, so a batch that an earlier run finished is recognized
    without decoding its articles or reading their headers.
    """
    row: dict[str, Any] = {
        "doc_id": item.doc_id,
        "source_path": item.source_path,
        "published": item.published,
        "source": item.source,
        "status": item.status,
        "reason": item.reason,
    }
    if item.status != "ok":
        return row, None
    if item.path is None:
        data = (item.text or "").encode("utf-8")
        row["sha256"] = hashlib.sha256(data).hexdigest()
        if len(data) > max_bytes:
            return row | _too_large(len(data), max_bytes), None
        return row, Decoded(item.text or "", "utf-8")
    try:
        size = item.path.stat().st_size
        if size > max_bytes:
            return row | _too_large(size, max_bytes), None
        data = item.path.read_bytes()
    except OSError as exc:
        return row | {"status": "unreadable", "reason": f"cannot read the file: {exc.strerror or exc}"}, None
    row["sha256"] = hashlib.sha256(data).hexdigest()
    return row, data


def decode_item(row: dict[str, Any], content: Decoded | bytes | None, rules: RuleSet) -> dict[str, Any]:
    """The whole ``documents`` row of a :func:`read_item`: decoded text, encoding, status, header."""
    if content is None:
        return row
    decoded = content if isinstance(content, Decoded) else decode_bytes(content)
    if decoded.status != "ok":
        return row | {"status": decoded.status, "reason": decoded.reason}
    return row | {"encoding": decoded.encoding} | document_fields(decoded.text, rules)


def _too_large(size: int, max_bytes: int) -> dict[str, str]:
    return {"status": "too_large", "reason": f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit (--max-mb)"}


def document_fields(text: str, rules: RuleSet) -> dict[str, Any]:
    """The ``documents`` columns that come from the decoded text: status, size, header."""
    fields: dict[str, Any] = {"text": text, "n_chars": len(text)}
    if not any(ch.isalnum() for ch in text):
        return fields | {"status": "empty", "reason": "no letters or digits (empty, white space or marks only)"}
    return fields | read_header(text, rules)


def documents_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    from pipeline.schemas import SCHEMAS

    return pd.DataFrame(rows, columns=SCHEMAS["documents"].names)


def document_from_text(doc_id: str, text: str, rules: RuleSet | None = None) -> pd.DataFrame:
    """A one-row ``documents`` table for a string (tests, examples, notebooks)."""
    item = InputItem(doc_id, "<text>", text=text)
    return documents_frame([ingest_item(item, rules or default_rules(), max_bytes=len(text.encode()) + 1)])


def ingest(input_path: Path, rules: RuleSet | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> pd.DataFrame:
    """INPUT → documents, all in memory (the stage command; ``facts run`` streams in batches)."""
    rules = rules or default_rules()
    return documents_frame([ingest_item(item, rules, max_bytes) for item in iter_inputs(Path(input_path))])
