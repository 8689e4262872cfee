"""`make extract`'s output on the seeds, checked against the seed gold."""

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.evaluate import evaluate
from pipeline.schemas import MATCHED_TYPES, SCHEMAS

ROOT = Path(__file__).resolve().parent.parent


def test_every_table_is_written_with_its_schema(seed_run):
    for name in ["documents", "normalized", "sentences", "facts"] + [f"facts_{t}" for t in MATCHED_TYPES]:
        assert pq.read_schema(seed_run / f"{name}.parquet").names == SCHEMAS[name].names, name


def test_every_fact_points_at_its_raw_text(seed_facts):
    assert len(seed_facts)
    for fact in seed_facts.itertuples():
        raw = (ROOT / "seeds" / f"{fact.doc_id}.txt").read_text(encoding="utf-8")
        assert raw[fact.start : fact.end] == fact.text


def test_sentence_ids_hold_the_fact(seed_run, seed_facts):
    sentences = pd.read_parquet(seed_run / "sentences.parquet").set_index(["doc_id", "sentence_id"])
    for fact in seed_facts.itertuples():
        sentence = sentences.loc[(fact.doc_id, fact.sentence_id)]
        assert sentence.start <= fact.start < sentence.end


def test_money_matches_the_seed_gold_exactly(seed_facts, seed_gold):
    money = [g for g in seed_gold if g["type"] == "money"]
    result = evaluate(money, seed_facts[seed_facts.fact_type == "money"])
    assert result["scores"]["money"]["strict_f1"] == 1.0


def test_money_values(seed_facts):
    money = seed_facts[seed_facts.fact_type == "money"].set_index("text")
    assert money.loc["۲۶۵ میلیون و ۲۰۰ هزار دلار", "amount"] == 265_200_000
    assert money.loc["۳۱۰.۸ میلیون دلار", "amount"] == pytest.approx(310_800_000)
    row = money.loc["۳۰۰ تا ۴۰۰ میلیون دلار"]
    assert (row.amount_min, row.amount_max, row.currency) == (300_000_000, 400_000_000, "USD")
    assert (row.start, row.end) == (1785, 1807)
    assert row.rule_id == "money.range"


def test_datelines_of_the_three_seeds_that_have_one(seed_facts, seed_gold):
    datelines = seed_facts[seed_facts.rule_id.str.startswith("header.dateline")]
    got = {(f.doc_id, f.start, f.end, str(f.date_start)) for f in datelines.itertuples()}
    assert got == {
        ("000_342ea1a21e0b3a4c", 6, 16, "2025-12-13"),
        ("001_dc0e3ef97df6e412", 6, 16, "2025-12-10"),
        ("003_47dfac17c01f8fdb", 8, 29, "2024-07-30"),
    }


def test_review_csv_opens_in_a_spreadsheet(seed_run, seed_facts):
    raw = (seed_run / "facts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    review = pd.read_csv(seed_run / "facts.csv", encoding="utf-8-sig")
    assert len(review) == len(seed_facts)
    assert {"sentence", "dateline", "agency", "verdict"} <= set(review.columns)
    row = review[review.text == "۲۳۵ میلیون دلار"].iloc[0]
    assert "۲۳۵ میلیون دلار" in row.sentence


def test_contract_types(seed_run):
    schema = pq.read_schema(seed_run / "facts.parquet")
    assert str(schema.field("start").type) == "int64"
    assert str(schema.field("date_start").type) == "date32[day]"
    assert str(schema.field("count").type) == "int64"


def test_readme_data_dictionary_matches_the_schema_registry():
    from pipeline.schemas import data_dictionary

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- tables:begin -->\n", "<!-- tables:end -->"
    assert readme[readme.index(begin) + len(begin) : readme.index(end)] == data_dictionary(), (
        "README tables drifted: regenerate with `.venv/bin/python -m pipeline.schemas`"
    )


def test_a_run_without_any_dateline_writes_its_tables(tmp_path):
    from pipeline.run import run_pipeline

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("صادرات ۲۳۵ میلیون دلار بود.", encoding="utf-8")
    run_pipeline(tmp_path / "in", tmp_path / "out")
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents.dateline_date.isna().all()
    assert pd.read_parquet(tmp_path / "out" / "facts.parquet").amount.tolist() == [235_000_000]


def test_every_table_and_column_of_the_data_dictionary_says_what_it_means():
    from pipeline.schemas import TABLE_MEANINGS, column_meaning

    undescribed = [f"{name}.{f.name}" for name, schema in SCHEMAS.items() for f in schema if not column_meaning(name, f.name)]
    assert not undescribed, "describe these columns in pipeline/schemas.py COLUMN_MEANINGS"
    assert set(TABLE_MEANINGS) == set(SCHEMAS)
