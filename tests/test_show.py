"""facts show: the terminal table and the HTML with every fact highlighted."""

from html.parser import HTMLParser

import pandas as pd
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.show import highlight, value_text

DOC = "001_dc0e3ef97df6e412"


class Marks(HTMLParser):
    """The text inside each fact's marks (nested marks give their text to every open one)."""

    def __init__(self):
        super().__init__()
        self.open: list[dict] = []
        self.facts: dict[str, dict] = {}
        self.rtl = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.rtl |= attrs.get("dir") == "rtl"
        if tag == "mark":
            fact = self.facts.setdefault(attrs["data-fact-id"], {"text": "", "type": attrs["data-type"], "title": attrs["title"]})
            self.open.append(fact)

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        for fact in self.open:
            fact["text"] += data


def _marks(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


def test_html_of_a_seed_article_highlights_every_fact(seed_run, seed_facts, tmp_path):
    page = tmp_path / "doc.html"
    done = CliRunner().invoke(app, ["show", DOC, "--out", str(seed_run), "--html", str(page)])
    assert done.exit_code == 0, done.output
    marks = _marks(page.read_text(encoding="utf-8"))
    expected = seed_facts[seed_facts.doc_id == DOC]
    assert len(expected) >= 2
    assert {k: (m["text"], m["type"]) for k, m in marks.facts.items()} == {
        f.fact_id: (f.text, f.fact_type) for f in expected.itertuples()
    }
    assert marks.rtl
    money = marks.facts[f"{DOC}:money:1785-1807"]
    assert "amount_min=300,000,000" in money["title"] and "currency=USD" in money["title"]


def test_every_seed_article_page_of_the_run_index(seed_run, seed_facts, tmp_path):
    index = tmp_path / "run.html"
    done = CliRunner().invoke(app, ["show", "--out", str(seed_run), "--html", str(index)])
    assert done.exit_code == 0, done.output
    links = [line for line in index.read_text(encoding="utf-8").splitlines() if "run_docs/" in line]
    assert len(links) == seed_facts.doc_id.nunique() == 5
    for doc_id, facts in seed_facts.groupby("doc_id"):
        marks = _marks((tmp_path / "run_docs" / f"{doc_id}.html").read_text(encoding="utf-8"))
        assert {k: m["text"] for k, m in marks.facts.items()} == dict(zip(facts.fact_id, facts.text))


def test_overlapping_facts_of_every_type_keep_their_text():
    raw = "در ۱۴۰۳ رئیس‌جمهور مسعود پزشکیان ۴۴.۹ درصد و ۱۴ سند و ۹۰ میلیون نفر"
    spans = {"date": "۱۴۰۳", "official": "رئیس‌جمهور مسعود پزشکیان", "percent": "۴۴.۹ درصد", "doc_count": "۱۴ سند", "quantity": "۹۰ میلیون نفر"}
    facts = [{"fact_id": t, "fact_type": t, "start": raw.index(s), "end": raw.index(s) + len(s), "rule_id": f"{t}.x"} for t, s in spans.items()]
    name_start = raw.index("مسعود")
    facts.append({"fact_id": "name", "fact_type": "official", "start": name_start, "end": name_start + 13, "rule_id": "official.name",
                  "name": "مسعود پزشکیان", "title": None})
    facts.append({"fact_id": "crossing", "fact_type": "money", "start": name_start + 6, "end": raw.index("درصد"), "rule_id": "money.x"})
    marks = _marks(highlight(raw, facts))
    assert {k: m["text"] for k, m in marks.facts.items()} == {f["fact_id"]: raw[f["start"] : f["end"]] for f in facts}
    assert marks.facts["name"]["title"] == "official: name=مسعود پزشکیان · official.name"


def test_value_text_names_the_columns_of_the_type():
    assert value_text({"fact_type": "quantity", "value": 90_000_000.0, "unit": "نفر", "amount": 1.0}) == "value=90,000,000 unit=نفر"
    assert value_text({"fact_type": "percent", "value": 44.9, "value_min": float("nan")}) == "value=44.9"
    assert value_text({"fact_type": "date", "date_start": pd.Timestamp("2024-03-20").date(), "date_end": None}) == "date_start=2024-03-20"


def test_terminal_table_and_unknown_document(seed_run):
    runner = CliRunner()
    shown = runner.invoke(app, ["show", DOC, "--out", str(seed_run)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "۳۰۰ تا ۴۰۰ میلیون دلار" in shown.output and "money.range" in shown.output
    missing = runner.invoke(app, ["show", "nope", "--out", str(seed_run)])
    assert missing.exit_code == 2 and "no document 'nope'" in missing.output
