"""The link stage: every figure's time and person, on the seed articles.

The facts linked here are the seed gold facts (plus the second mention of Tokayev that the
officials matcher reports), so these tests pin the linking rules independently of how well
the matchers do; tests/test_pipeline_e2e.py checks the same links on the pipeline's own facts.
"""

import bisect
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline.link import link_facts
from pipeline.rules import default_rules

TOKAYEV = "قاسم ژومارت توکایف"


@pytest.fixture(scope="module")
def gold_links(seed_run, seed_gold):
    documents = pd.read_parquet(seed_run / "documents.parquet")
    sentences = pd.read_parquet(seed_run / "sentences.parquet")
    normalized = pd.read_parquet(seed_run / "normalized.parquet")
    raw = dict(zip(documents.doc_id, documents.text))
    gold = [g for g in seed_gold if not g.get("ignore")]
    second_tokayev = raw["002_94cbfc6595e639c6"].index("توقایف از تهران")
    gold.append({"doc": "002_94cbfc6595e639c6", "type": "official", "text": "توقایف", "name": TOKAYEV,
                 "title": "رئیس‌جمهور", "country": "قزاقستان", "start": second_tokayev, "end": second_tokayev + 6})
    starts = sentences.groupby("doc_id")["start"].apply(list).to_dict()
    rows = []
    for g in gold:
        row = {k: v for k, v in g.items() if k not in ("doc", "type", "aliases", "alt")}
        row |= {"doc_id": g["doc"], "fact_type": g["type"], "fact_id": f"{g['doc']}:{g['type']}:{g['start']}-{g['end']}",
                "rule_id": "gold", "sentence_id": bisect.bisect_right(starts[g["doc"]], g["start"]) - 1}
        if g["type"] == "date":
            row |= {"date_start": dt.date.fromisoformat(g["date_start"]), "date_end": dt.date.fromisoformat(g["date_end"])}
        rows.append(row)
    for d in documents.itertuples():  # the datelines, as the pipeline emits them
        if pd.notna(d.dateline_start):
            fact_id = f"{d.doc_id}:date:{int(d.dateline_start)}-{int(d.dateline_end)}"
            for row in rows:
                if row["fact_id"] == fact_id:
                    row["rule_id"] = d.dateline_rule_id
    links = link_facts(pd.DataFrame(rows), sentences, normalized, default_rules())
    facts = pd.DataFrame(rows).merge(links, on="fact_id")
    return facts.set_index(["doc_id", "text"])


def _link(links, doc, text):
    row = links.loc[(doc, text)]
    return (str(row.when_start), str(row.when_end), row.who if isinstance(row.who, str) else None)


def test_seed_examples(gold_links):
    assert _link(gold_links, "002_94cbfc6595e639c6", "۲۴ توافق") == ("2022-06-01", "2022-06-30", TOKAYEV)
    assert _link(gold_links, "002_94cbfc6595e639c6", "۲۳۵ میلیون دلار") == ("2022-06-01", "2022-06-30", TOKAYEV)
    assert _link(gold_links, "002_94cbfc6595e639c6", "۳۱۰.۸ میلیون دلار")[:2] == ("2025-01-01", "2025-09-30")
    assert _link(gold_links, "001_dc0e3ef97df6e412", "۳۰۰ تا ۴۰۰ میلیون دلار") == ("2025-12-10", "2025-12-10", "مسعود پزشکیان")
    assert _link(gold_links, "000_342ea1a21e0b3a4c", "۱۴ سند") == ("2025-12-13", "2025-12-13", "مسعود پزشکیان")
    assert _link(gold_links, "004_9a4f045b5da87826", "۲۶۵ میلیون و ۲۰۰ هزار دلار") == ("2021-03-21", "2022-03-20", None)


def test_rule_ids_say_how_a_link_was_made(gold_links):
    row = gold_links.loc[("001_dc0e3ef97df6e412", "۳۰۰ تا ۴۰۰ میلیون دلار")]
    assert (row.when_rule_id, row.who_rule_id) == ("link.when.dateline", "link.who.pronoun")
    row = gold_links.loc[("000_342ea1a21e0b3a4c", "۱۴ سند")]
    assert row.who_rule_id == "link.who.title"
    row = gold_links.loc[("002_94cbfc6595e639c6", "۲۴ توافق")]
    assert (row.when_rule_id, row.who_rule_id) == ("link.when.same_clause", "link.who.same_sentence")


def test_no_date_from_another_sentence_without_a_dateline(gold_links):
    # 002 has no dateline: a figure in a sentence without a date stays undated
    row = gold_links.loc[("002_94cbfc6595e639c6", "۵۰۰ هزار تن")]
    assert pd.isna(row.when_start)


def test_every_link_rule_names_a_known_strategy():
    from pipeline.link import STRATEGIES

    assert {r.producer for r in default_rules().for_type("link")} <= set(STRATEGIES)


@pytest.mark.parametrize("seed", ["001_dc0e3ef97df6e412", "004_9a4f045b5da87826"])
def test_an_html_page_links_as_its_text_does(seed):
    # linking reads the normalized text, where markup is blanked and a <p> ends a paragraph: a
    # quotation opened in one paragraph does not run into the next
    from pipeline.run import extract_text

    raw = (Path(__file__).resolve().parent.parent / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in raw.split("\n")) + "</body></html>"
    columns = ["fact_type", "text", "when_start", "when_end", "who", "who_rule_id"]
    plain, from_page = extract_text(raw, seed)[columns], extract_text(page, seed)[columns]
    pd.testing.assert_frame_equal(from_page, plain)
    assert from_page.who.notna().sum() >= 1


def test_a_paragraph_without_a_figure_or_an_official_is_not_read():
    """Link reads only the paragraphs that hold a figure or an official: a quotation runs to the
    end of its paragraph, and a later paragraph's pronoun still finds the official named before."""
    from pipeline.link import _sentences
    from pipeline.normalize import normalize_text
    from pipeline.run import extract_text

    text = (
        "عباس عراقچی وزیر امور خارجه گفت: ما آماده همکاری هستیم. حجم تجارت دو کشور ۲ میلیارد دلار است.\n"
        "این سفر دو روز طول می‌کشد و دیدارهای زیادی دارد.\n"
        "وی افزود: سرمایه‌گذاری ۵۰۰ میلیون دلار خواهد بود.\n"
    )
    facts = extract_text(text, "doc")
    money = facts[facts.fact_type == "money"]
    assert money.text.tolist() == ["۲ میلیارد دلار", "۵۰۰ میلیون دلار"]
    assert money.who.tolist() == ["عباس عراقچی"] * 2
    assert money.who_rule_id.tolist() == ["link.who.paragraph_speaker", "link.who.pronoun"]

    folded, offsets = normalize_text(text)
    rows = [(i, text.index(s), text.index(s) + len(s)) for i, s in enumerate(
        ["عباس عراقچی وزیر امور خارجه گفت: ما آماده همکاری هستیم.", "حجم تجارت دو کشور ۲ میلیارد دلار است.",
         "این سفر دو روز طول می‌کشد و دیدارهای زیادی دارد.", "وی افزود: سرمایه‌گذاری ۵۰۰ میلیون دلار خواهد بود."])]
    records = facts[facts.fact_type != "date"].to_dict("records")
    speech = {r.id: r for r in default_rules().for_type("link")}["link.who.quote_speaker"]
    sentences = _sentences(folded, offsets, rows, records, speech)
    assert [s is None for s in sentences] == [False, False, True, False]
    assert sentences[1].continues_quote_of is sentences[0]
