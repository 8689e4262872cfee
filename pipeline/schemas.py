"""The schema registry: one declared Arrow schema per table, and the one writer that enforces it.

Table names say their stage: ``documents`` (ingest), ``normalized`` (normalize), ``sentences``,
``facts_<type>`` (match, one per fact type) and ``facts`` (factsheet, the contract in
``../shared/CONTRACT.md``) and ``errors``. Every Parquet write goes through :func:`write_table`
(one file) or :func:`write_part` (one batch of a dataset folder), which refuse missing or
unexpected columns and write atomically (temporary file, then rename), so a crash never leaves a
half-written file that a notebook would read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FACT_TYPES = ("money", "doc_count", "date", "official", "percent", "quantity")

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


def _facts_schema() -> pa.Schema:
    fields, seen = list(_SPAN), {f.name for f in _SPAN}
    for fact_type in FACT_TYPES:
        for f in VALUE_FIELDS[fact_type]:
            if f.name not in seen:
                fields.append(f)
                seen.add(f.name)
    return pa.schema(fields)


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
    "facts": _facts_schema(),
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
    """Write to a hidden temporary file, then rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


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
    path = table_path(out_dir, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    schema = SCHEMAS[name]
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part_path(name, out_dir, part), schema=schema))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


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


def data_dictionary() -> str:
    """The README's table of every table and column, generated from the registry."""
    lines = []
    for name, schema in SCHEMAS.items():
        lines += [f"#### `{name}`", "", "| column | type | nullable |", "|---|---|---|"]
        lines += [f"| `{f.name}` | {f.type} | {'yes' if f.nullable else 'no'} |" for f in schema]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(data_dictionary(), end="")
