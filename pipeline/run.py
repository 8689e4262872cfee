"""The stages chained: a folder of articles → every table, or one string → its facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.factsheet import build_factsheet, combine_facts, review_frame, write_review_csv
from pipeline.ingest import document_from_text, ingest
from pipeline.link import link_facts
from pipeline.match import match_documents
from pipeline.normalize import normalize_documents
from pipeline.rules import RuleSet, default_rules
from pipeline.schemas import write_table
from pipeline.sentences import split_documents


@dataclass
class RunSummary:
    documents: int
    ok: int
    failed: dict[str, int]
    facts: dict[str, int]

    def line(self) -> str:
        failed = sum(self.failed.values())
        counts = ", ".join(f"{t} {n}" for t, n in self.facts.items() if n)
        why = f" ({', '.join(f'{k} {v}' for k, v in self.failed.items())})" if failed else ""
        return f"{self.documents} documents, {self.ok} ok, {failed} not readable{why}; facts: {counts or 'none'}"


def extract_tables(documents: pd.DataFrame, rules: RuleSet) -> dict[str, pd.DataFrame]:
    """documents → every later table (normalized, sentences, facts_<type>, facts_links, facts)."""
    normalized = normalize_documents(documents)
    sentences = split_documents(documents, normalized)
    typed = match_documents(documents, normalized, sentences, rules)
    facts = combine_facts(typed)
    links = link_facts(facts, sentences, documents, rules)
    tables = {"normalized": normalized, "sentences": sentences}
    tables |= {f"facts_{t}": frame for t, frame in typed.items()}
    tables |= {"facts_links": links, "facts": build_factsheet(facts, links)}
    return tables


def run_pipeline(input_path: Path, out_dir: Path, rules: RuleSet | None = None) -> RunSummary:
    """Every stage on ``input_path``; every table into ``out_dir`` plus the review CSV."""
    rules = rules or default_rules()  # a broken rule file fails here, before any article is read
    out_dir = Path(out_dir)
    documents = ingest(input_path, rules)
    tables = {"documents": documents} | extract_tables(documents, rules)
    for name, frame in tables.items():
        write_table(name, frame, out_dir)
    write_review_csv(review_frame(tables["facts"], documents, tables["sentences"]), out_dir / "facts.csv")
    status = documents.status.value_counts().to_dict()
    return RunSummary(
        documents=len(documents),
        ok=status.pop("ok", 0),
        failed=status,
        facts=tables["facts"].fact_type.value_counts().to_dict(),
    )


def extract_text(text: str, doc_id: str = "doc", rules: RuleSet | None = None) -> pd.DataFrame:
    """The facts of one article given as a string (the ``facts`` table)."""
    rules = rules or default_rules()
    return extract_tables(document_from_text(doc_id, text, rules), rules)["facts"]
