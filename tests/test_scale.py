"""Streaming runs: table inputs, partitioned outputs, incremental re-runs, workers and Dask."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import pipeline.run
from pipeline.cli import app
from pipeline.run import run_pipeline
from pipeline.schemas import read_table

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def sorted_facts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["doc_id", "start", "fact_type"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def folder_facts(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("folder")
    run_pipeline(ROOT / "seeds", out, batch_size=2)
    return pd.read_parquet(out / "facts.parquet")


def seed_records() -> list[dict]:
    return [
        {"doc_id": p.stem, "text": p.read_text(encoding="utf-8"), "published": "2025-12-13", "source": "seeds", "extra": 1}
        for p in SEEDS
    ]


def write_jsonl(path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_records()), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_table_inputs_give_the_facts_of_the_folder(suffix, tmp_path, folder_facts):
    table = tmp_path / f"articles{suffix}"
    if suffix == ".jsonl":
        write_jsonl(table)
    elif suffix == ".csv":
        pd.DataFrame(seed_records()).to_csv(table, index=False)
    else:
        pd.DataFrame(seed_records()).to_parquet(table)
    run_pipeline(table, tmp_path / "out", batch_size=2)
    facts, expected = sorted_facts(pd.read_parquet(tmp_path / "out" / "facts.parquet")), sorted_facts(folder_facts)
    # the seed without a dateline reads its relative date (and the figure it governs) from `published`
    anchored = facts.rule_id.str.endswith("@published")
    assert facts[anchored].text.tolist() == ["سال گذشته"] and expected[anchored].date_start.isna().all()
    assert facts[anchored].date_start.tolist() == [pd.Timestamp("2024-01-01").date()]
    same = ~anchored & ~facts.when_fact_id.isin(facts.fact_id[anchored])
    pd.testing.assert_frame_equal(facts[same], expected[same])
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert set(documents.published) == {"2025-12-13"} and set(documents.source) == {"seeds"}
    assert documents.source_path.iloc[0] == f"{table}:1"


def test_bad_table_records_are_listed_not_fatal(tmp_path):
    table = tmp_path / "articles.jsonl"
    table.write_text('{"doc_id": "a", "text": "۲۳۵ میلیون دلار"}\nnot json\n{"text": "no id"}\n{"doc_id": "a", "text": "again"}\n', encoding="utf-8")
    summary = run_pipeline(table, tmp_path / "out")
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents.status.tolist() == ["ok", "invalid", "invalid", "duplicate"]
    assert documents.reason.notna().tolist() == [False, True, True, True]
    assert summary.not_ok == {"invalid": 2, "duplicate": 1}


def test_a_table_without_text_column_stops_before_any_article(tmp_path):
    table = tmp_path / "articles.csv"
    pd.DataFrame({"doc_id": ["a"], "body": ["x"]}).to_csv(table, index=False)
    result = CliRunner().invoke(app, ["run", str(table), "--out", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 2
    assert "no column(s) ['text']" in result.output


def test_partitioned_outputs_read_as_one_table(tmp_path, folder_facts):
    import duckdb

    run_pipeline(ROOT / "seeds", tmp_path, batch_size=1)
    assert len(list((tmp_path / "facts").glob("part-*.parquet"))) == len(SEEDS)
    pd.testing.assert_frame_equal(sorted_facts(pd.read_parquet(tmp_path / "facts")), sorted_facts(folder_facts))
    n_facts = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/facts/*.parquet')").fetchall()[0][0]
    assert n_facts == len(folder_facts)
    assert len(pd.read_parquet(tmp_path / "documents")) == len(SEEDS)


def test_a_large_run_keeps_its_text_tables_as_datasets(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.run, "SINGLE_FILE_MAX_DOCS", 2)
    monkeypatch.setattr(pipeline.run, "CSV_MAX_ROWS", 1)
    (tmp_path / "documents.parquet").write_bytes(b"stale")
    result = CliRunner().invoke(app, ["run", str(ROOT / "seeds"), "--out", str(tmp_path), "--batch-size", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "no facts.csv (over" in result.output
    assert not (tmp_path / "facts.csv").exists()
    assert not (tmp_path / "documents.parquet").exists()
    assert (tmp_path / "facts.parquet").exists()
    assert len(read_table("documents", tmp_path)) == len(SEEDS)


def test_a_rerun_skips_unchanged_batches_and_a_rules_change_redoes_all(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", corpus)
    first = run_pipeline(corpus, tmp_path / "out", batch_size=1)  # one batch per article
    assert (first.batches_run, first.batches_skipped) == (5, 0)
    with monkeypatch.context() as patched:  # a finished batch is known by its files' bytes: none is decoded
        patched.setattr(pipeline.run, "decode_item", lambda *args: pytest.fail("a skipped batch was decoded"))
        again = run_pipeline(corpus, tmp_path / "out", batch_size=1)
    assert (again.batches_run, again.batches_skipped) == (0, 5)
    assert again.facts == first.facts and again.documents == first.documents

    last = SEEDS[-1].name
    (corpus / last).write_text((corpus / last).read_text(encoding="utf-8") + "\nواردات ۹ میلیون دلار بود.", encoding="utf-8")
    changed = run_pipeline(corpus, tmp_path / "out", batch_size=1)
    assert (changed.batches_run, changed.batches_skipped) == (1, 4)
    assert changed.facts["money"] == first.facts["money"] + 1

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "macros.yaml").write_text((rules / "macros.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    redone = run_pipeline(corpus, tmp_path / "out", batch_size=1, rules_dir=rules)
    assert (redone.batches_run, redone.batches_skipped) == (5, 0)

    (corpus / last).unlink()
    fewer = run_pipeline(corpus, tmp_path / "out", batch_size=1, rules_dir=rules)
    assert len(list((tmp_path / "out" / "facts").glob("part-*"))) == len(list((tmp_path / "out" / "_batches").glob("part-*.json"))) == len(list((tmp_path / "out" / "_batches").glob("part-*.csv"))) == 4
    assert len(pd.read_parquet(tmp_path / "out" / "documents")) == fewer.documents == len(SEEDS) - 1


def test_an_added_article_reruns_only_its_batch(tmp_path):
    from bench.generate import generate

    corpus = generate(60, tmp_path / "in", seed=3)
    first = run_pipeline(corpus, tmp_path / "out", batch_size=8)
    assert first.batches_run > 3
    (corpus / "000" / "bench_000010a.txt").write_text("صادرات ۲۳۵ میلیون دلار بود.", encoding="utf-8")
    again = run_pipeline(corpus, tmp_path / "out", batch_size=8)
    assert again.batches_run == 1
    assert again.documents == 61 and again.facts["money"] == first.facts["money"] + 1
    facts = pd.read_parquet(tmp_path / "out" / "facts.parquet")
    assert facts.doc_id.is_monotonic_increasing  # merged in input order
    assert len(pd.read_parquet(tmp_path / "out" / "facts")) == len(facts)


def test_worker_processes_give_the_same_tables(tmp_path, folder_facts):
    summary = run_pipeline(ROOT / "seeds", tmp_path, batch_size=1, workers=2)
    assert summary.batches_run == len(SEEDS)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "facts.parquet"), folder_facts)


def test_a_dask_cluster_gives_the_same_facts(tmp_path, folder_facts):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        result = CliRunner().invoke(
            app, ["run", str(ROOT / "seeds"), "--out", str(tmp_path), "--batch-size", "1", "--scheduler", cluster.scheduler_address, "--no-progress"]
        )
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "facts.parquet"), folder_facts)
    assert len(list((tmp_path / "facts").glob("part-*.parquet"))) == len(SEEDS)


def test_an_empty_folder_gives_empty_tables(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(tmp_path / "out" / "facts.parquet").empty
    assert pd.read_parquet(tmp_path / "out" / "documents.parquet").empty
    assert pd.read_csv(tmp_path / "out" / "facts.csv", encoding="utf-8-sig").empty
