"""The benchmark's corpus generator (the benchmark itself only reports; no test times anything)."""

from bench.generate import generate
from pipeline.run import run_pipeline


def test_generated_corpus_is_deterministic_and_varied(tmp_path):
    first = generate(30, tmp_path / "a", seed=1)
    second = generate(30, tmp_path / "b", seed=1)
    texts = [p.read_text(encoding="utf-8") for p in sorted(first.rglob("*.txt"))]
    assert len(texts) == 30
    assert texts == [p.read_text(encoding="utf-8") for p in sorted(second.rglob("*.txt"))]
    assert len(set(texts)) == 30


def test_generated_articles_run_through_the_pipeline(tmp_path):
    corpus = generate(20, tmp_path / "corpus", seed=2)
    summary = run_pipeline(corpus, tmp_path / "out")
    assert summary.ok == 20 and summary.facts.get("money", 0) > 0
