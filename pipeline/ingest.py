"""Stage 1, ingest: input files → ``documents`` (raw text, content hash, header fields, status).

Every input becomes one row, readable or not: a file that cannot be used gets a ``status``
other than ``ok`` and a ``reason``, and the later stages skip it instead of stopping the batch.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from pipeline.facttypes import MatchContext, get_producer
from pipeline.normalize import normalize_text
from pipeline.rules import RuleSet, default_rules

HEADER_CHARS = 1500  # header fields are looked for in the first characters only
HEADER_FIELDS = {
    "dateline": ("dateline_text", "dateline_start", "dateline_end", "dateline_date", "dateline_calendar", "dateline_rule_id", "dateline_time"),
    "news_code": ("news_code",),
    "agency": ("agency",),
}


def iter_input_files(input_path: Path) -> Iterator[Path]:
    """The ``.txt`` files of a folder (recursively, in a stable order), or the one file given."""
    input_path = Path(input_path)
    if input_path.is_file():
        yield input_path
        return
    if not input_path.is_dir():
        raise FileNotFoundError(f"input {input_path} is neither a folder of .txt files nor a file")
    yield from sorted(p for p in input_path.rglob("*.txt") if p.is_file())


def read_header(raw: str, rules: RuleSet | None = None) -> dict[str, Any]:
    """Dateline, news code and agency from the start of an article, with the dateline's raw span."""
    rules = rules or default_rules()
    head = raw[:HEADER_CHARS]
    text, offsets = normalize_text(head)
    ctx = MatchContext(rules=rules, text=text)
    found: dict[str, Any] = {}
    for rule in rules.for_type("header"):
        field = "dateline" if rule.producer.startswith("dateline") else rule.producer
        if found.get(HEADER_FIELDS[field][0]) is not None:
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


def ingest_file(path: Path, rules: RuleSet) -> dict[str, Any]:
    """One input file as a ``documents`` row."""
    row: dict[str, Any] = {"doc_id": path.stem, "source_path": str(path), "status": "ok", "reason": None}
    data = path.read_bytes()
    row["sha256"] = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
        row["encoding"] = "utf-8"
    except UnicodeDecodeError as exc:
        return row | {"status": "undecodable", "reason": f"not UTF-8 ({exc.reason} at byte {exc.start})"}
    return row | document_fields(text, rules)


def document_fields(text: str, rules: RuleSet) -> dict[str, Any]:
    """The ``documents`` columns that come from the decoded text: status, size, header."""
    fields: dict[str, Any] = {"text": text, "n_chars": len(text)}
    if not text.strip():
        return fields | {"status": "empty", "reason": "the file holds no text"}
    return fields | read_header(text, rules)


def document_from_text(doc_id: str, text: str, rules: RuleSet | None = None) -> pd.DataFrame:
    """A one-row ``documents`` table for a string (tests, examples, notebooks)."""
    from pipeline.schemas import SCHEMAS

    row = {"doc_id": doc_id, "source_path": "<text>", "status": "ok", "reason": None, "encoding": "utf-8"}
    row |= document_fields(text, rules or default_rules())
    return pd.DataFrame([row], columns=SCHEMAS["documents"].names)


def ingest(input_path: Path, rules: RuleSet | None = None) -> pd.DataFrame:
    """input folder → documents."""
    from pipeline.schemas import SCHEMAS

    rules = rules or default_rules()
    rows = [ingest_file(p, rules) for p in iter_input_files(Path(input_path))]
    return pd.DataFrame(rows, columns=SCHEMAS["documents"].names)
