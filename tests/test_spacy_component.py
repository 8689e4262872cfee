"""The spaCy component ``persian_facts``: the pipeline's facts as spans of a Doc."""

import re
from datetime import date
from importlib.metadata import entry_points

import pandas as pd
import pytest
import spacy
from spacy import displacy
from spacy.tokens import DocBin

import pipeline.spacy_component  # noqa: F401 - registers the factory (the entry point does it once installed)
from conftest import ROOT

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def facts_nlp(doc_id: str = "doc") -> spacy.Language:
    nlp = spacy.blank("fa")
    nlp.add_pipe("persian_facts", config={"doc_id": doc_id})
    return nlp


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_spans_are_the_facts_of_the_run(seed, seed_facts):
    doc = facts_nlp(seed.stem)(seed.read_text(encoding="utf-8"))
    spans = doc.spans["facts"]
    expected = seed_facts[seed_facts.doc_id == seed.stem]
    assert len(spans) == len(expected) > 0
    assert [(s.label_, s.start_char, s.end_char, s.text) for s in spans] == list(
        zip(expected.fact_type, expected.start, expected.end, expected.text)
    )
    run_rows = [
        {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items() if pd.notna(v)}
        for row in expected.to_dict("records")
    ]
    assert [s._.fact for s in spans] == run_rows  # values, rule ids, links: the facts.parquet row


def test_a_token_that_runs_past_a_fact_is_split_at_its_edge():
    doc = facts_nlp()("در این جلسه سه نماینده‌ای از مجلس بودند و ۳۱۰.۸ میلیون دلار تصویب شد.")
    spans = {s.text: s for s in doc.spans["facts"]}
    people = spans["سه نماینده"]  # spaCy's token was نماینده‌ای
    assert (people.label_, people.start_char, people.end_char) == ("quantity", 12, 22)
    assert [t.text for t in people] == ["سه", "نماینده"] and doc[people.end].text == "\u200cای"
    money = spans["۳۱۰.۸ میلیون دلار"]  # three tokens for the number, one fact
    assert money._.fact["amount"] == 310_800_000 and money._.fact["currency"] == "USD"
    assert money._.fact["rule_id"] == "money.amount"


def test_a_doc_with_facts_serializes():
    doc = facts_nlp()("در ۱۴ خرداد ۱۴۰۳ رئیس‌جمهور آقای پزشکیان گفت ۱۲ سند همکاری امضا شد.")
    stored = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    (back,) = DocBin().from_bytes(stored).get_docs(spacy.blank("fa").vocab)
    facts = {s.label_: s._.fact for s in back.spans["facts"]}
    assert facts["date"]["date_start"] == "2024-06-03" and facts["date"]["calendar"] == "jalali"
    assert facts["doc_count"]["count"] == 12 and facts["official"]["name"] == "مسعود پزشکیان"


def test_displacy_span_view_shows_the_facts():
    doc = facts_nlp()("رئیس‌جمهور آقای پزشکیان گفت ۱۲ سند همکاری امضا شد.")
    page = displacy.render(doc, style="span", options={"spans_key": "facts"})
    assert 'class="spans" style="line-height: 2.5; direction: rtl"' in page
    underlined = re.findall(r'position: relative; height: 60px;">\s*(\S+)', page)  # the tokens of a span
    assert underlined == ["آقای", "پزشکیان", "۱۲", "سند", "همکاری"]
    assert re.findall(r'border-radius: 3px">\s*(\w+)\s*</span>', page) == ["official", "doc_count"]  # labels


def test_the_factory_is_an_entry_point_of_the_package():
    (found,) = [e for e in entry_points(group="spacy_factories") if e.name == "persian_facts"]
    assert found.value == "pipeline.spacy_component:make_persian_facts"
