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


def test_compare_reports_lost_added_and_changed_facts():
    import pandas as pd

    from bench.compare import compare

    before = pd.DataFrame({"fact_id": ["d:money:0-5", "d:money:9-12"], "fact_type": "money",
                           "text": ["۵ دلار", "۹ دلار"], "rule_id": "money.amount", "amount": [5.0, 9.0]})
    after = pd.DataFrame({"fact_id": ["d:money:0-5", "d:money:20-25"], "fact_type": "money",
                          "text": ["۵ دلار", "۷ دلار"], "rule_id": "money.amount", "amount": [6.0, 7.0]})
    result = compare(before, after)
    assert result["lost"].fact_id.tolist() == ["d:money:9-12"]
    assert result["added"].fact_id.tolist() == ["d:money:20-25"]
    assert result["changed"][["fact_id", "column", "before", "after"]].values.tolist() == [
        ["d:money:0-5", "amount", 5.0, 6.0]]


def test_match_parts_reports_each_part_and_leaves_the_matcher_as_it_was(tmp_path, capsys, monkeypatch):
    import sys

    from bench import match_parts
    from pipeline import match

    corpus = generate(3, tmp_path / "corpus", seed=3)
    run_pipeline(corpus, tmp_path / "out")
    before = (match.scan_regions, match.get_producer, match.get_finalizer, match.ArticleLines.__init__, match.ArticleLines.regions)
    monkeypatch.setattr(sys, "argv", ["match_parts", str(tmp_path / "out")])
    match_parts.main()
    printed = capsys.readouterr().out
    assert "match stage: 3 articles" in printed
    assert all(part in printed for part in ("scans money", "finalizer official", "lines: the automaton's pass", "the rest"))
    assert (match.scan_regions, match.get_producer, match.get_finalizer, match.ArticleLines.__init__, match.ArticleLines.regions) == before


def test_a_real_corpus_is_measured_as_it_is_and_never_written_into(tmp_path):
    import pytest

    from bench.run import is_corpus

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "article.txt").write_text("رئیس‌جمهور گفت.", encoding="utf-8")
    assert is_corpus(mine)
    with pytest.raises(SystemExit, match="article.txt"):
        generate(5, mine)
    assert [p.name for p in mine.rglob("*")] == ["article.txt"]
    generated = generate(5, tmp_path / "generated")
    assert not is_corpus(generated) and generate(5, generated) == generated
    assert len(list(generate(7, generated).rglob("*.txt"))) == 7  # its own files it may write again


def test_the_bench_tools_say_in_one_line_what_folder_they_need(tmp_path, monkeypatch):
    import sys

    import pytest

    from bench import compare, match_parts

    for tool, argv in ((compare, [str(tmp_path), str(tmp_path)]), (match_parts, [str(tmp_path)])):
        monkeypatch.setattr(sys, "argv", ["tool", *argv])
        with pytest.raises(SystemExit, match="output folder of `facts run`") as exc:
            tool.main()
        assert "\n" not in str(exc.value)
