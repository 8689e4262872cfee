"""Stage 6, factsheet: the per-type tables and their links → ``facts.parquet`` (the contract) and ``facts.csv``.

The CSV is for a reviewer in a spreadsheet: UTF-8 with BOM (so Persian shows), one row per fact
with the sentence around it, the article's dateline and agency, and an empty ``verdict`` column.
The reviewer's columns come first (verdict, type, text, values, sentence). Article text comes from
the web, so a text cell a spreadsheet would run as a formula is written behind a ``'``, which
``facts review import`` takes off again (:func:`unquote_formula`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.cache import replace_atomically
from pipeline.schemas import FACT_TYPES, SCHEMAS, VALUE_FIELDS

_VALUE_COLUMNS = list(dict.fromkeys(f.name for fields in VALUE_FIELDS.values() for f in fields))
_FIRST_COLUMNS = ["verdict", "fact_type", "text", *_VALUE_COLUMNS, "sentence"]
# facts.csv's columns: what a reviewer reads and edits first, then where the fact is and its links
CSV_COLUMNS = _FIRST_COLUMNS + [c for c in SCHEMAS["facts"].names + ["dateline", "agency"] if c not in _FIRST_COLUMNS]
_INTEGER_COLUMNS = [f.name for f in SCHEMAS["facts"] if pa.types.is_integer(f.type)]
# the cells that may hold text from the article (a number column never does: -2.8 stays a number)
CSV_TEXT_COLUMNS = [f.name for f in SCHEMAS["facts"] if pa.types.is_string(f.type)] + ["sentence", "dateline", "agency", "verdict"]
# a cell starting with one of these (after any quotes this defence added) runs as a formula in a spreadsheet
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def combine_facts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """facts_<type> tables → one table of every fact, ordered by document and position."""
    columns = [c for c in SCHEMAS["facts"].names if c not in SCHEMAS["facts_links"].names[1:]]
    parts = [tables[t].reindex(columns=columns) for t in FACT_TYPES if t in tables and len(tables[t])]
    if not parts:
        return pd.DataFrame(columns=columns)
    facts = pd.concat(parts, ignore_index=True)
    return facts.sort_values(["doc_id", "start", "end", "fact_type"], kind="stable").reset_index(drop=True)


def build_factsheet(facts: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """every fact + facts_links → the ``facts`` table of the contract, with when/who columns."""
    return facts.merge(links, on="fact_id", how="left").reindex(columns=SCHEMAS["facts"].names)


def review_frame(facts: pd.DataFrame, documents: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """facts with the context a reviewer needs and an empty verdict column, as the CSV's cells:
    in :data:`CSV_COLUMNS` order, whole numbers as integers (``14``, not ``14.0``), formulas quoted."""
    # lists, not the columns themselves: pandas hands out an Arrow string column's cells one by one, slowly
    sentence_text = dict(zip(zip(sentences.doc_id.tolist(), sentences.sentence_id.tolist()), sentences.text.tolist()))
    review = facts.copy()
    review["sentence"] = [sentence_text.get(k) for k in zip(facts.doc_id.tolist(), facts.sentence_id.tolist())]
    header = documents.set_index("doc_id")
    review["dateline"] = facts.doc_id.map(header["dateline_date"].astype("string"))
    review["agency"] = facts.doc_id.map(header["agency"])
    review["verdict"] = ""
    review = review.reindex(columns=CSV_COLUMNS)
    review[_INTEGER_COLUMNS] = review[_INTEGER_COLUMNS].astype("Int64")
    for column in CSV_TEXT_COLUMNS:
        review[column] = quote_formulas(review[column])
    return review


def quote_formulas(cells: pd.Series) -> pd.Series:
    """:func:`quote_formula` of a column's cells, tested at once by Arrow (a call per cell cost
    as much as writing the CSV); missing cells stay missing."""
    text = cells.astype("string[pyarrow]")
    is_formula = text.str.match(_FORMULA.pattern).fillna(False).astype(bool)
    return text.where(~is_formula, "'" + text)


def quote_formula(cell):
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+``, ``-``, ``@``,
    a tab or CR first), behind a ``'``; any other cell as it is."""
    return "'" + cell if isinstance(cell, str) and _FORMULA.match(cell) else cell


def unquote_formula(cell):
    """What :func:`quote_formula` wrote, as it was (a cell a spreadsheet saved without the ``'`` too)."""
    return cell[1:] if isinstance(cell, str) and cell.startswith("'") and _FORMULA.match(cell) else cell


def write_review_csv(review: pd.DataFrame, path: Path) -> Path:
    return replace_atomically(path, lambda tmp: review.to_csv(tmp, index=False, encoding="utf-8-sig"))
