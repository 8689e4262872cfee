"""review: a reviewer's ``facts.csv`` → gold JSONL that ``facts evaluate`` reads.

A reviewer fills the ``verdict`` column of ``facts.csv`` and may add the facts the pipeline
missed as new rows. Each reviewed row becomes one line in the gold format (README, section Evaluate)
plus a ``verdict`` field that says what the reviewer did:

- ``ok``: the fact is right as it stands → a gold fact;
- ``fixed``: the reviewer corrected the value (or the text) → a gold fact with the corrected value
  (written whenever a row's values differ from the run's ``facts.parquet``, whatever the verdict);
- ``wrong``: not a fact → a *rejected* line, which ``evaluate`` does not count as gold; a
  prediction that overlaps it stays a false positive and is listed in the report;
- ``ignore``: a borderline case → a gold line with ``ignore: true``;
- ``missed``: a row the reviewer added (any row without a ``fact_id`` is one) → a gold fact.

Rows with an empty verdict and unchanged values were not reviewed and are left out. Gold lines
are keyed by document, type and raw span; merging into an existing gold file keeps every line it
has and refuses a reviewed line that disagrees with one of them unless told to replace it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from pipeline.cache import replace_atomically
from pipeline.factsheet import CSV_TEXT_COLUMNS, unquote_formula
from pipeline.schemas import FACT_TYPES, VALUE_FIELDS, table_path

VERDICTS = ("ok", "fixed", "wrong", "ignore", "missed")
GOLD_VERDICTS = ("ok", "fixed", "ignore", "missed")  # the verdicts that make a line gold
ALL_VALUE_COLUMNS = {f.name for fields in VALUE_FIELDS.values() for f in fields}


class ReviewError(ValueError):
    """A reviewed CSV that cannot be turned into gold; the message names the rows."""


@dataclass
class ImportSummary:
    reviewed: int = 0
    unreviewed: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        verdicts = ", ".join(f"{v} {n}" for v, n in sorted(self.verdicts.items())) or "none"
        return (
            f"{self.reviewed} reviewed rows ({verdicts}), {self.unreviewed} left unreviewed; "
            f"gold file: {self.added} lines added, {self.replaced} replaced, {self.unchanged} already there"
        )


def _blank(cell: Any) -> bool:
    if isinstance(cell, str):
        return not cell.strip()
    return cell is None or bool(pd.isna(cell))


def _number(cell: str) -> float:
    """A number as a reviewer types it: Persian or Arabic digits, thousands separators, 3e+08."""
    from pipeline.normalize import normalize_text
    from pipeline.numbers import parse_digits

    text = normalize_text(str(cell).strip())[0]
    try:
        return float(text)
    except ValueError:
        value = parse_digits(text)
        if value is None:
            raise ValueError(f"{cell!r} is not a number") from None
        return value


def _iso_date(cell: Any) -> str:
    """A Gregorian day as ``YYYY-MM-DD``; also read with Persian digits, ``/`` or a time after it."""
    from pipeline.normalize import normalize_text

    text = normalize_text(str(cell).strip())[0][:10].replace("/", "-")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{cell!r} is not a date written YYYY-MM-DD") from None


def _json_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def parse_cell(cell: Any, arrow_type: pa.DataType) -> Any:
    """One CSV cell → the JSON value of a gold field of that Arrow type (None when blank)."""
    if _blank(cell):
        return None
    if pa.types.is_date(arrow_type):
        return _iso_date(cell)
    if pa.types.is_integer(arrow_type):
        value = _number(cell)
        if not value.is_integer():
            raise ValueError(f"{cell!r} is not a whole number")
        return int(value)
    if pa.types.is_floating(arrow_type):
        return _json_number(_number(cell))
    return str(cell).strip()


def gold_key(line: dict) -> tuple[str, str, int, int]:
    return (line["doc"], line["type"], int(line["start"]), int(line["end"]))


def _values(row: dict, fact_type: str) -> dict[str, Any]:
    """The row's value columns of its type; a filled column of another type is an error."""
    own = {f.name for f in VALUE_FIELDS[fact_type]}
    foreign = [c for c in ALL_VALUE_COLUMNS - own if not _blank(row.get(c))]
    if foreign:
        raise ReviewError(f"{', '.join(sorted(foreign))} filled, but not a column of {fact_type} facts")
    values = {}
    for f in VALUE_FIELDS[fact_type]:
        try:
            value = parse_cell(row.get(f.name), f.type)
        except ValueError as exc:
            raise ReviewError(f"{f.name}: {exc}") from None
        if value is not None:
            values[f.name] = value
    return values


def _locate(raw: str, text: str, near: int | None) -> tuple[int, int] | None:
    """Where ``text`` stands in the raw article: the occurrence nearest to ``near`` (or the first)."""
    hits, at = [], raw.find(text)
    while at >= 0 and text:
        hits.append(at)
        at = raw.find(text, at + 1)
    if not hits:
        return None
    start = min(hits, key=lambda h: abs(h - near)) if near is not None else hits[0]
    return start, start + len(text)


def _span(row: dict, raw_texts: dict[str, str], summary: ImportSummary, where: str) -> tuple[int, int]:
    """The row's raw span; re-found in the article when the reviewer edited the text or left offsets out."""
    text = str(row["text"])
    start = None if _blank(row.get("start")) else int(_number(row["start"]))
    end = None if _blank(row.get("end")) else int(_number(row["end"]))
    raw = raw_texts.get(row["doc_id"])
    if raw is None:
        if start is None or end is None:
            raise ReviewError(f"no start/end and no documents table to find {text!r} in")
        return start, end
    if start is not None and end is not None and raw[start:end] == text:
        return start, end
    span = _locate(raw, text, start)
    if span is None:
        raise ReviewError(f"{text!r} does not occur in document {row['doc_id']}")
    if start is None and raw.count(text) > 1:
        summary.warnings.append(f"{where}: {text!r} occurs {raw.count(text)} times; took the first (give start to choose)")
    return span


def _original_values(facts: pd.DataFrame | None) -> dict[str, dict]:
    if facts is None or not len(facts):
        return {}
    return {row["fact_id"]: row for row in facts.to_dict("records")}


def _changed(row: dict, original: dict, fact_type: str) -> bool:
    """Whether the reviewer edited the row's text or values against the run's facts table."""
    if str(row["text"]) != original["text"]:
        return True
    before = _values({k: (None if _blank(v) else v) for k, v in original.items()}, fact_type)
    return _values(row, fact_type) != before


def _verdict(row: dict, fact_type: str, originals: dict[str, dict]) -> str:
    """The row's verdict as imported: an added row is ``missed``, an edited row ``fixed``."""
    verdict = "" if _blank(row.get("verdict")) else str(row["verdict"]).strip().lower()
    if fact_type not in FACT_TYPES:
        raise ReviewError(f"fact_type {fact_type!r} is not one of {', '.join(FACT_TYPES)}")
    if verdict and verdict not in VERDICTS:
        raise ReviewError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)} (or empty)")
    fact_id = None if _blank(row.get("fact_id")) else str(row["fact_id"])
    if fact_id is None:
        return "missed" if verdict in ("", "ok", "fixed") else verdict
    if fact_id in originals and verdict not in ("wrong", "ignore") and _changed(row, originals[fact_id], fact_type):
        return "fixed"
    return verdict


def _gold_line(row: dict, fact_type: str, verdict: str, span: tuple[int, int]) -> dict:
    line = {"doc": str(row["doc_id"]), "type": fact_type, "text": str(row["text"]), "start": span[0], "end": span[1]}
    values = _values(row, fact_type)
    line |= values
    if fact_type == "official" and values.get("name"):
        line["aliases"] = sorted({values["name"], line["text"]})
    if verdict in GOLD_VERDICTS and not values:
        line["novalue"] = True
    if verdict == "ignore":
        line["ignore"] = True
    if not _blank(row.get("rule_id")):
        line["rule_id"] = str(row["rule_id"])
    return line | {"verdict": verdict}


def gold_lines(review: pd.DataFrame, facts: pd.DataFrame | None = None, raw_texts: dict[str, str] | None = None) -> tuple[list[dict], ImportSummary]:
    """Reviewed CSV rows → gold lines (with ``verdict``); every bad row is reported at once.

    ``facts`` (the run's facts table) tells which rows the reviewer edited; ``raw_texts`` (doc id →
    raw article) checks and repairs offsets and places added rows that have none.
    """
    originals, raw_texts = _original_values(facts), raw_texts or {}
    summary, lines, errors, unreviewed_docs = ImportSummary(), [], [], []
    for number, row in enumerate(review.to_dict("records"), start=2):  # row 1 is the header
        where = f"row {number}"
        fact_type = str(row.get("fact_type", "")).strip()
        try:
            verdict = _verdict(row, fact_type, originals)
            if not verdict:
                summary.unreviewed += 1
                unreviewed_docs.append(str(row["doc_id"]))
                continue
            line = _gold_line(row, fact_type, verdict, _span(row, raw_texts, summary, where))
        except ValueError as exc:  # a ReviewError, or a cell that is not a number
            errors.append(f"{where}: {exc}")
            continue
        summary.reviewed += 1
        summary.verdicts[verdict] = summary.verdicts.get(verdict, 0) + 1
        lines.append(line)
    if errors:
        raise ReviewError("the review cannot be imported:\n  " + "\n  ".join(errors))
    reviewed_docs = {line["doc"] for line in lines}
    for doc in sorted(set(unreviewed_docs) & reviewed_docs):
        summary.warnings.append(
            f"{doc}: {unreviewed_docs.count(doc)} rows without a verdict in a reviewed document; "
            "evaluate counts what the run finds there as false positives"
        )
    return lines, summary


def merge_gold(existing: list[dict], incoming: list[dict], replace: bool, summary: ImportSummary) -> list[dict]:
    """Existing gold lines plus the reviewed ones; a reviewed line that disagrees with an existing
    line of the same span is an error unless ``replace``."""
    merged = {gold_key(line): line for line in existing}
    conflicts = []
    for line in incoming:
        key = gold_key(line)
        old = merged.get(key)
        if old is None:
            summary.added += 1
        elif _comparable(old) == _comparable(line):
            summary.unchanged += 1
            continue
        elif replace:
            summary.replaced += 1
        else:
            conflicts.append(f"{key[0]} {key[1]} {key[2]}-{key[3]} {line['text']!r}: gold has {_asserted(old)}, review says {_asserted(line)}")
            continue
        merged[key] = line
    if conflicts:
        raise ReviewError(
            "the review disagrees with the gold file (nothing written; --replace lets the review win):\n  "
            + "\n  ".join(conflicts)
        )
    return sorted(merged.values(), key=lambda line: (line["doc"], int(line["start"]), int(line["end"]), line["type"]))


def _asserted(line: dict) -> dict:
    """What a gold line asserts (its provenance fields left out); a line without a verdict is ``ok``."""
    return {k: v for k, v in line.items() if k not in ("rule_id", "aliases")} | {"verdict": line.get("verdict", "ok")}


def _comparable(line: dict) -> dict:
    """What decides whether two lines agree: ok, fixed, missed and ignore all say the fact is gold."""
    return _asserted(line) | {"verdict": line.get("verdict", "ok") in GOLD_VERDICTS}


def read_review_csv(path: Path) -> pd.DataFrame:
    """The reviewer's CSV, as text cells. A spreadsheet may have saved it with or without BOM, and
    with ``;`` or tabs between cells (spreadsheets in locales whose decimal mark is a comma)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            header = fh.readline()
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path} is not UTF-8 ({exc.reason}): save it as “CSV UTF-8”") from None
    sep = max((",", ";", "\t"), key=header.count)  # the header's column names hold none of them
    review = pd.read_csv(path, sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    missing = {"doc_id", "fact_type", "text", "verdict"} - set(review.columns)
    if missing:
        raise ReviewError(f"{path}: not a facts.csv (missing columns {', '.join(sorted(missing))})")
    text_columns = [c for c in CSV_TEXT_COLUMNS if c in review.columns]
    review[text_columns] = review[text_columns].map(unquote_formula)
    return review


def write_gold(lines: list[dict], path: Path) -> Path:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def import_review(csv_path: Path, gold_path: Path, run_dir: Path | None = None, replace: bool = False) -> ImportSummary:
    """``facts review import``: the reviewed CSV merged into ``gold_path`` (created if missing).

    ``run_dir`` is the folder of the run the CSV came from (default: the CSV's folder); its
    ``facts.parquet`` and ``documents.parquet`` are used when present (see :func:`gold_lines`).
    """
    from pipeline.evaluate import load_gold
    from pipeline.show import read_facts

    run_dir = Path(run_dir) if run_dir else Path(csv_path).parent
    try:
        facts = read_facts(run_dir)
    except FileNotFoundError:
        facts = None
    raw_texts = {}
    if table_path(run_dir, "documents").exists():
        documents = pd.read_parquet(table_path(run_dir, "documents"), columns=["doc_id", "text"])
        raw_texts = dict(zip(documents.doc_id, documents.text))
    incoming, summary = gold_lines(read_review_csv(csv_path), facts, raw_texts)
    existing = load_gold(gold_path) if Path(gold_path).exists() else []
    write_gold(merge_gold(existing, incoming, replace, summary), Path(gold_path))
    return summary
