"""Stage 6, factsheet: the per-type tables and their links → ``facts.parquet`` (the contract) and ``facts.csv``.

The CSV is for a reviewer in a spreadsheet: UTF-8 with BOM (so Persian shows), one row per fact
with the sentence around it, the article's dateline and agency, and an empty ``verdict`` column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.cache import replace_atomically
from pipeline.schemas import FACT_TYPES, SCHEMAS

CSV_CONTEXT_COLUMNS = ["sentence", "dateline", "agency", "verdict"]


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
    """facts with the context a reviewer needs and an empty verdict column."""
    sentence_text = dict(zip(zip(sentences.doc_id, sentences.sentence_id), sentences.text))
    review = facts.copy()
    review["sentence"] = [sentence_text.get(k) for k in zip(facts.doc_id, facts.sentence_id)]
    header = documents.set_index("doc_id")
    review["dateline"] = facts.doc_id.map(header["dateline_date"].astype("string"))
    review["agency"] = facts.doc_id.map(header["agency"])
    review["verdict"] = ""
    return review


def write_review_csv(review: pd.DataFrame, path: Path) -> Path:
    return replace_atomically(path, lambda tmp: review.to_csv(tmp, index=False, encoding="utf-8-sig"))
