"""The schema registry: one declared Arrow schema per table, and the one writer that enforces it.

Table names say their stage: ``documents`` (ingest), ``normalized`` (normalize), ``sentences``,
``facts_<type>`` (match, one per fact type), ``facts_links`` (link), ``facts`` (factsheet: the
columns of the output contract, which the README's Tables section lists), ``statements`` and
``claims`` (statements) and ``errors``. Every Parquet write goes through :func:`write_table`
(one file) or :func:`write_part` (one batch of a dataset folder), which refuse missing or
unexpected columns and write atomically (temporary file, then rename), so a crash never leaves a
half-written file that a notebook would read.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterator, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.cache import replace_atomically

# Arrow's default allocator (mimalloc) keeps the memory it frees: a run of 100,000 articles reads
# and writes hundreds of parts, and a process grew by 100 MB per 20,000 articles that it never
# gave back; the system allocator returns it
pa.set_memory_pool(pa.system_memory_pool())

FACT_TYPES = ("money", "doc_count", "date", "official", "percent", "quantity")
# found by match like a fact type, kept in a table of its own (not in the contract's ``facts``)
NAMED_DOCUMENT = "named_document"
MATCHED_TYPES = FACT_TYPES + (NAMED_DOCUMENT,)

_SPAN = [
    pa.field("fact_id", pa.string(), nullable=False),
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("fact_type", pa.string(), nullable=False),
    pa.field("start", pa.int64(), nullable=False),
    pa.field("end", pa.int64(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("sentence_id", pa.int64()),
    pa.field("rule_id", pa.string(), nullable=False),
]

# value columns of each fact type, as the contract names them
VALUE_FIELDS: dict[str, list[pa.Field]] = {
    "money": [
        pa.field("amount", pa.float64()),
        pa.field("amount_min", pa.float64()),
        pa.field("amount_max", pa.float64()),
        pa.field("currency", pa.string()),
    ],
    "doc_count": [pa.field("count", pa.int64()), pa.field("kind", pa.string())],
    "date": [
        pa.field("date_start", pa.date32()),
        pa.field("date_end", pa.date32()),
        pa.field("calendar", pa.string()),
        pa.field("precision", pa.string()),
        pa.field("time", pa.string()),  # a clock time written with the date ("17:07")
    ],
    "official": [
        pa.field("name", pa.string()),
        pa.field("title", pa.string()),
        pa.field("country", pa.string()),
    ],
    "percent": [
        pa.field("value", pa.float64()),
        pa.field("value_min", pa.float64()),
        pa.field("value_max", pa.float64()),
    ],
    "quantity": [pa.field("value", pa.float64()), pa.field("unit", pa.string())],
}


# the value columns a statement keeps from its figure
STATEMENT_VALUE_COLUMNS = ("amount", "amount_min", "amount_max", "currency", "count", "value", "value_min", "value_max", "unit")

# what the link stage adds to each figure: its time and its person, and the rules that decided
LINK_FIELDS = [
    pa.field("when_start", pa.date32()),
    pa.field("when_end", pa.date32()),
    pa.field("when_fact_id", pa.string()),
    pa.field("when_rule_id", pa.string()),
    pa.field("who", pa.string()),
    pa.field("who_fact_id", pa.string()),
    pa.field("who_rule_id", pa.string()),
]


def _facts_schema() -> pa.Schema:
    fields, seen = list(_SPAN), {f.name for f in _SPAN}
    for fact_type in FACT_TYPES:
        for f in VALUE_FIELDS[fact_type]:
            if f.name not in seen:
                fields.append(f)
                seen.add(f.name)
    return pa.schema(fields + LINK_FIELDS)


SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("source_path", pa.string(), nullable=False),
            pa.field("published", pa.string()),  # as a table input gives it
            pa.field("source", pa.string()),
            pa.field("sha256", pa.string()),
            # ok, empty, undecodable, binary, too_large, unreadable, invalid, duplicate, failed
            pa.field("status", pa.string(), nullable=False),
            pa.field("reason", pa.string()),
            pa.field("encoding", pa.string()),
            pa.field("n_chars", pa.int64()),
            pa.field("text", pa.string()),
            pa.field("dateline_text", pa.string()),
            pa.field("dateline_start", pa.int64()),
            pa.field("dateline_end", pa.int64()),
            pa.field("dateline_date", pa.date32()),
            pa.field("dateline_calendar", pa.string()),
            pa.field("dateline_rule_id", pa.string()),
            pa.field("dateline_time", pa.string()),
            pa.field("news_code", pa.string()),
            pa.field("agency", pa.string()),
        ]
    ),
    "normalized": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("shift_at", pa.list_(pa.int64())),
            pa.field("shift_by", pa.list_(pa.int64())),
        ]
    ),
    "sentences": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("sentence_id", pa.int64(), nullable=False),
            pa.field("start", pa.int64(), nullable=False),
            pa.field("end", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
        ]
    ),
    **{f"facts_{t}": pa.schema(_SPAN + VALUE_FIELDS[t]) for t in FACT_TYPES},
    # the quoted title of a signed document («یادداشت تفاهم همکاری میان ...»), one row per title
    f"facts_{NAMED_DOCUMENT}": pa.schema(_SPAN + [pa.field("title", pa.string()), pa.field("kind", pa.string())]),
    "facts_links": pa.schema([pa.field("fact_id", pa.string(), nullable=False)] + LINK_FIELDS),
    "facts": _facts_schema(),
    # what each figure measures (one row per figure that is not the change of another)
    "statements": pa.schema(
        [
            pa.field("fact_id", pa.string(), nullable=False),
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("fact_type", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            *(f for f in _facts_schema() if f.name in STATEMENT_VALUE_COLUMNS),
            pa.field("measure", pa.string(), nullable=False),
            pa.field("measure_text", pa.string()),
            pa.field("measure_start", pa.int64()),
            pa.field("measure_end", pa.int64()),
            pa.field("parties", pa.list_(pa.string())),
            pa.field("from_country", pa.string()),
            pa.field("to_country", pa.string()),
            pa.field("goods", pa.string()),
            pa.field("modality", pa.string(), nullable=False),
            pa.field("bound", pa.string(), nullable=False),
            pa.field("change_percent", pa.float64()),
            pa.field("change_fact_id", pa.string()),
            pa.field("change_basis", pa.string()),
            pa.field("period_start", pa.date32()),
            pa.field("period_end", pa.date32()),
            pa.field("per_year", pa.bool_(), nullable=False),
            pa.field("who", pa.string()),
            pa.field("source", pa.string()),
            pa.field("rule_id", pa.string(), nullable=False),
        ]
    ),
    # the statements of a whole run gathered: one row per claim
    "claims": pa.schema(
        [
            pa.field("claim_id", pa.string(), nullable=False),
            pa.field("measure", pa.string(), nullable=False),
            pa.field("parties", pa.list_(pa.string())),
            pa.field("from_country", pa.string()),
            pa.field("to_country", pa.string()),
            pa.field("goods", pa.string()),
            pa.field("modality", pa.string(), nullable=False),
            pa.field("unit", pa.string()),
            pa.field("per_year", pa.bool_(), nullable=False),
            pa.field("period_start", pa.date32()),
            pa.field("period_end", pa.date32()),
            pa.field("n_docs", pa.int64(), nullable=False),
            pa.field("n_statements", pa.int64(), nullable=False),
            pa.field("doc_ids", pa.list_(pa.string())),
            pa.field("statement_ids", pa.list_(pa.string())),
            pa.field("min_value", pa.float64()),
            pa.field("max_value", pa.float64()),
            pa.field("agree", pa.bool_(), nullable=False),
        ]
    ),
    # one row per article and stage that raised; the article's other rows are left out
    "errors": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("stage", pa.string(), nullable=False),
            pa.field("error", pa.string(), nullable=False),
            pa.field("message", pa.string(), nullable=False),
        ]
    ),
}


def empty_frame(name: str) -> pd.DataFrame:
    return SCHEMAS[name].empty_table().to_pandas()


def has_value(cell: Any) -> bool:
    """Whether a cell of a table's row (:func:`rows_of`) holds a value: not None, NaN or NaT."""
    return cell is not None and cell is not pd.NaT and not (isinstance(cell, float) and math.isnan(cell))


def rows_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table as dicts, the same as ``frame.to_dict("records")`` but three times
    faster: pandas converts an Arrow-backed string column cell by cell, ``tolist`` at once."""
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*(frame[name].tolist() for name in names))]


def records_by_doc(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The rows of a table (:func:`rows_of`) grouped by ``doc_id``, each article's in the order
    of ``start``: one pass over the table, not one pandas selection per article (thousands per
    batch)."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for record in rows_of(frame.sort_values(["doc_id", "start"], kind="stable")):
        by_doc.setdefault(record["doc_id"], []).append(record)
    return by_doc


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Cast ``frame`` to the registered schema; missing or unexpected columns are an error."""
    schema = SCHEMAS[name]
    missing = [c for c in schema.names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema.names]
    if missing or extra:
        raise ValueError(f"table {name!r}: missing columns {missing}, unexpected columns {extra}")
    frame = frame[schema.names].copy()
    for f in schema:
        if pa.types.is_date(f.type) and frame[f.name].dtype != object:
            # an all-missing date column arrives as float NaN; dates arrive as datetime.date
            frame[f.name] = pd.to_datetime(frame[f.name]).dt.date.astype(object).where(frame[f.name].notna(), None)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def table_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / f"{name}.parquet"


def dataset_path(out_dir: Path, name: str) -> Path:
    """The folder of a table written in parts, one per batch (read as one table by pandas/DuckDB)."""
    return Path(out_dir) / name


def _write_atomically(table: pa.Table, path: Path) -> Path:
    return replace_atomically(path, lambda tmp: pq.write_table(table, tmp))


def write_table(name: str, frame: pd.DataFrame, out_dir: Path) -> Path:
    """Write ``frame`` as ``out_dir/name.parquet`` under its registered schema, atomically.

    A dataset folder of the same table (from an earlier ``facts run``) is removed, so the two
    can never disagree.
    """
    remove_table(name, out_dir, keep_file=True)
    return _write_atomically(to_arrow(name, frame), table_path(out_dir, name))


def part_path(name: str, out_dir: Path, part: str) -> Path:
    return dataset_path(out_dir, name) / f"part-{part}.parquet"


def write_part(name: str, frame: pd.DataFrame, out_dir: Path, part: str) -> Path:
    """Write one batch of a table as ``out_dir/name/part-PART.parquet``, atomically."""
    return _write_atomically(to_arrow(name, frame), part_path(name, out_dir, part))


def part_paths(name: str, out_dir: Path) -> list[Path]:
    folder = dataset_path(out_dir, name)
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def merge_parts(name: str, out_dir: Path, parts: list[str]) -> Path:
    """The given parts of a table, in that order, as one file ``out_dir/name.parquet``, written
    part by part."""
    schema = SCHEMAS[name]

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part_path(name, out_dir, part), schema=schema))

    return replace_atomically(table_path(out_dir, name), write)


def remove_table(name: str, out_dir: Path, *, keep_file: bool = False, keep_parts: bool = False) -> None:
    if not keep_file:
        table_path(out_dir, name).unlink(missing_ok=True)
    if not keep_parts:
        for part in part_paths(name, out_dir):
            part.unlink()
        folder = dataset_path(out_dir, name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def read_table(name: str, out_dir: Path) -> pd.DataFrame:
    """A table as one frame, from its single file or else from its dataset folder."""
    path = table_path(out_dir, name)
    if path.exists():
        return pq.read_table(path, schema=SCHEMAS[name]).to_pandas()
    parts = part_paths(name, out_dir)
    if not parts:
        raise FileNotFoundError(f"{path} not found: run the stage that writes {name!r} first (or `facts run`)")
    return pa.concat_tables(pq.read_table(p, schema=SCHEMAS[name]) for p in parts).to_pandas()


def iter_table(name: str, out_dir: Path, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
    """A table's ``columns`` a piece at a time (a row group of its single file, or a part of its
    dataset folder), for a reader of a whole run that must not hold all of it at once."""
    path = table_path(out_dir, name)
    if path.exists():
        for batch in pq.ParquetFile(path).iter_batches(columns=list(columns)):
            yield batch.to_pandas()
        return
    for part in part_paths(name, out_dir):
        yield pq.read_table(part, schema=SCHEMAS[name], columns=list(columns)).to_pandas()


# what each table and column means, for the README's data dictionary (a test wants every column
# described); a column means the same in every table unless TABLE_COLUMN_MEANINGS says otherwise
TABLE_MEANINGS = {
    "documents": "ingest: one row per input article, readable or not",
    "normalized": "normalize: the folded text the rules run over, with the map back to raw offsets",
    "sentences": "sentences: one row per sentence of each article",
    **{f"facts_{t}": f"match: the `{t}` facts, one row per fact" for t in FACT_TYPES},
    f"facts_{NAMED_DOCUMENT}": "match: quoted titles of signed documents, one row per title (not in `facts`)",
    "facts_links": "link: one row per figure (money, doc_count, percent, quantity) with its time and its person",
    "statements": "statements: one row per figure (money, doc_count, percent, quantity) that is not the growth or fall of another figure: what it measures, between whom, actual or target (`rules/statements.yaml`)",
    "claims": "statements, at the end of a run: the statements of all its articles with the same measure, parties, direction, goods, modality, unit and rate whose periods all overlap, one row per claim (an undated statement is a claim alone)",
    "errors": "run: one row per article and stage that raised (the article is `failed` in `documents`)",
    "facts": "factsheet: every fact of every type in the output contract's columns (null where a column does not apply to the row's type), plus each figure's links",
}
COLUMN_MEANINGS = {
    "doc_id": "the article's id: its path below the input folder without `.txt` (the file name for a flat folder), or a table input's `doc_id`",
    "fact_id": "`doc_id:fact_type:start-end`, a fact's id in every table and in `facts.csv`",
    "fact_type": "`money`, `doc_count`, `date`, `official`, `percent` or `quantity`",
    "start": "raw character offset where the fact begins",
    "end": "raw character offset where the fact ends (exclusive)",
    "text": "the fact's text, exactly `documents.text[start:end]`",
    "sentence_id": "the sentence that holds the fact (`sentences.sentence_id`)",
    "rule_id": "the rule in `rules/` that found the fact",
    "amount": "money: a single amount, in units of the currency",
    "amount_min": "money: lower bound of a range",
    "amount_max": "money: upper bound of a range",
    "currency": "money: ISO 4217 code; toman is `IRT`",
    "count": "doc_count: how many documents",
    "kind": "doc_count: what kind of document (`سند`, `توافق`, `یادداشت تفاهم` ...)",
    "date_start": "date: first day of the Gregorian interval the text denotes (inclusive)",
    "date_end": "date: last day of that interval (inclusive)",
    "calendar": "date: the calendar the text is written in: `gregorian`, `jalali`, `hijri`",
    "precision": "date: `day`, `week`, `month`, `year`, `decade` or `century`",
    "name": "official: the person's canonical full name",
    "title": "official: the office (`رئیس‌جمهور`, `وزیر امور خارجه` ...)",
    "country": "official: the country or body the office belongs to",
    "value": "percent and quantity: the number (`44.9` for ۴۴.۹ درصد)",
    "value_min": "percent: lower bound of a range",
    "value_max": "percent: upper bound of a range",
    "unit": "quantity: the unit (`تن`, `نفر` ...)",
    "source_path": "the file the article was read from (`FILE:N` for record N of a table input)",
    "sha256": "SHA-256 of the file's bytes (finds duplicate articles)",
    "status": "`ok`, `empty`, `undecodable`, `binary`, `too_large`, `unreadable`, `invalid`, `duplicate` or `failed`; later stages skip an article that is not `ok`",
    "published": "the publication date as a table input gives it (JSONL/CSV/Parquet `published`; ISO `2024-07-30` or Jalali `1384/02/17`): relative dates are read from it when the text has no dateline",
    "source": "the source as a table input gives it (JSONL/CSV/Parquet `source`)",
    "stage": "errors: the stage that raised (`normalize`, `sentences`, `match`, `link`, `statements`)",
    "error": "errors: the exception's type",
    "message": "errors: the exception's message",
    "reason": "why the status is not `ok`",
    "encoding": "the encoding the file was decoded with (`utf-8`, `utf-8-sig`, `utf-16`, `cp1256`, ...)",
    "n_chars": "length of the raw text in characters",
    "dateline_text": "the dateline as written in the header (`date 2025-12-13`, `تاریخ : 1403,سه شنبه 09 مرداد`)",
    "dateline_start": "raw offset where the dateline begins",
    "dateline_end": "raw offset where the dateline ends (exclusive)",
    "dateline_date": "the dateline's day, Gregorian",
    "dateline_calendar": "the calendar the dateline is written in",
    "dateline_rule_id": "the header rule that read the dateline",
    "dateline_time": "the clock time written with the dateline (`17:07`), if any",
    "time": "date: the clock time written with the date (`17:07`), if any",
    "news_code": "the agency's news code, when the header has one",
    "agency": "the reporting agency (`ایسنا` from `به گزارش ایسنا`)",
    "shift_at": "normalized offsets from which characters dropped by the fold shift the raw offsets",
    "shift_by": "how many raw characters were dropped before the matching `shift_at` in total",
    "when_start": "figures: first day of the date that governs the figure (its clause, its sentence or the dateline)",
    "when_end": "figures: last day of that date",
    "when_fact_id": "figures: the date fact `when` comes from (the dateline's fact for `link.when.dateline`)",
    "when_rule_id": "figures: the `rules/link.yaml` rule that chose `when`",
    "who": "figures: canonical name of the official the figure is attributed to",
    "who_fact_id": "figures: the official mention `who` comes from",
    "who_rule_id": "figures: the `rules/link.yaml` rule that chose `who`",
    "measure": "what is measured (`rules/lexicons/measure.yaml`): `trade`, `exports`, `imports`, `transit`, `contracts`, `price`, `agreements_signed`, `population`, ... or `other`",
    "measure_text": "statements: the words that say what is measured (`حجم تجارت`, `صادر کرد`, `امضا`)",
    "measure_start": "statements: raw offset where `measure_text` begins",
    "measure_end": "statements: raw offset where `measure_text` ends (exclusive)",
    "parties": "the countries the figure is between (the country lexicon's names, as `country`): those of its sentence, completed from the article's two most named countries when the measure needs two (`trade`, `agreements_signed`)",
    "from_country": "directed measures (`exports`, `imports`): the country the goods leave",
    "to_country": "directed measures: the country the goods go to",
    "goods": "what is traded or moved when the sentence names it (`جو`, `کالا`, `نفت`; `rules/lexicons/goods.yaml`)",
    "modality": "`actual`, `target` (`هدف‌گذاری`, `تا … افزایش یابد`, `خواهد شد`), `forecast` (`پیش‌بینی`) or `estimate` (`برآورد`)",
    "bound": "statements: `exact`, `about` (`حدود`, `نزدیک به`), `at_least` (`بیش از`) or `at_most` (`کمتر از`)",
    "change_percent": "statements: the growth (positive) or fall (negative) in percent stated with the figure (`۴۴.۹ درصد رشد`)",
    "change_fact_id": "statements: the percent fact that states the change (the statement's own fact for a growth stated alone, `افزایش ۲۹ درصدی تجارت`)",
    "change_basis": "statements: what the change is measured against: `same_period_last_year`, `previous_year`, `previous_month`, `previous_quarter`",
    "period_start": "first day of the period the figure is about (the link stage's `when_start`)",
    "period_end": "last day of that period (`when_end`)",
    "per_year": "true for a rate per year (`سالانه`)",
    "claim_id": "claims: `claim:` and a hash of its statements' ids",
    "n_docs": "claims: how many articles state it",
    "n_statements": "claims: how many statements it gathers",
    "doc_ids": "claims: the articles that state it",
    "statement_ids": "claims: its statements (`statements.fact_id`)",
    "min_value": "claims: the smallest value of its statements (the low end of a range), in `unit`",
    "max_value": "claims: the largest value (the high end of a range), in `unit`",
    "agree": "claims: every value lies within every other's bounds (exact within 1%, `about` within 10%, `at_least`/`at_most` open on one side)",
}
TABLE_COLUMN_MEANINGS = {
    ("documents", "text"): "the raw article text, as decoded; every offset points into it",
    ("normalized", "text"): "the folded text (ASCII digits, ی/ک, invisibles dropped) the rules match",
    ("sentences", "start"): "raw offset where the sentence begins",
    ("sentences", "end"): "raw offset where the sentence ends (exclusive)",
    ("sentences", "text"): "the sentence, exactly `documents.text[start:end]`",
    ("sentences", "sentence_id"): "the sentence's number in its article, from 0",
    ("statements", "source"): "statements: the organisation the sentence cites for the figure (`بر اساس گزارش گمرک` → `گمرک`; `rules/lexicons/organisation.yaml`)",
    ("statements", "rule_id"): "statements: the `rules/statements.yaml` rule that decided the measure",
    ("statements", "fact_id"): "the figure's fact (`facts.fact_id`), which is also the statement's id",
    ("statements", "who"): "the official the figure is attributed to (the link stage's `who`)",
    ("claims", "unit"): "claims: the unit its values share: the currency (money), the unit (quantity), `documents`, `%`, or `% change` (a growth stated alone); there is no conversion between currencies",
    (f"facts_{NAMED_DOCUMENT}", "title"): "the document's title as quoted (`یادداشت تفاهم همکاری میان ...`)",
    (f"facts_{NAMED_DOCUMENT}", "kind"): "how the title begins: `یادداشت تفاهم`, `برنامه`, `قرارداد` ...",
}


def column_meaning(table: str, column: str) -> str:
    return TABLE_COLUMN_MEANINGS.get((table, column)) or COLUMN_MEANINGS.get(column, "")


def data_dictionary() -> str:
    """The README's table of every table and column, generated from the registry."""
    lines = []
    for name, schema in SCHEMAS.items():
        lines += [f"#### `{name}`", "", TABLE_MEANINGS.get(name, ""), ""]
        lines += ["| column | type | nullable | meaning |", "|---|---|---|---|"]
        lines += [f"| `{f.name}` | {f.type} | {'yes' if f.nullable else 'no'} | {column_meaning(name, f.name)} |" for f in schema]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(data_dictionary(), end="")
