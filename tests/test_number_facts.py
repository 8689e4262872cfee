"""doc_count, percent, quantity and named documents: what each finds, and what it must not."""

import pytest

from pipeline.ingest import document_from_text
from pipeline.rules import default_rules
from pipeline.run import extract_tables, extract_text

# text -> the facts of the given type it holds: (span, values)
FOUND = [
    ("doc_count", "در این سفر ۱۴ سند همکاری امضا کردیم", [("۱۴ سند همکاری", {"count": 14, "kind": "سند"})]),
    ("doc_count", "هشت سند مهم بیندولتی امضا شد", [("هشت سند", {"count": 8, "kind": "سند"})]),
    ("doc_count", "۲۷ نسخه‌خطی", [("۲۷ نسخه‌خطی", {"count": 27, "kind": "نسخه خطی"})]),
    ("doc_count", "سه یادداشت‌تفاهم و ۲ موافقت‌نامه", [
        ("سه یادداشت‌تفاهم", {"count": 3, "kind": "یادداشت تفاهم"}),
        ("۲ موافقت‌نامه", {"count": 2, "kind": "موافقت‌نامه"}),
    ]),
    ("doc_count", "پنج فقره قرارداد", [("پنج فقره قرارداد", {"count": 5, "kind": "قرارداد"})]),
    ("doc_count", "ده تفاهمنامه‌ها", [("ده تفاهمنامه‌ها", {"count": 10, "kind": "تفاهم‌نامه"})]),
    ("doc_count", "دو کشور ۱۵ دیدار داشتند و قطار ۲۴ دستگاه واگن داشت", []),
    ("doc_count", "یک قرارداد بزرگ بسته شد", [("یک قرارداد", {"count": 1, "kind": "قرارداد"})]),
    ("doc_count", "در سال ۱۴۰۰ سند همکاری امضا شد", []),
    ("percent", "۴۴.۹ درصد رشد", [("۴۴.۹ درصد", {"value": 44.9})]),
    ("percent", "افزایش ۲۹ درصدی", [("۲۹ درصدی", {"value": 29.0})]),
    ("percent", "چهار درصد", [("چهار درصد", {"value": 4.0})]),
    ("percent", "سهم ۱۲٪ است", [("۱۲٪", {"value": 12.0})]),
    ("percent", "بین ۱۵ تا ۲۰ درصد", [("۱۵ تا ۲۰ درصد", {"value_min": 15.0, "value_max": 20.0})]),
    ("percent", "80 تا 95 درصد", [("80 تا 95 درصد", {"value_min": 80.0, "value_max": 95.0})]),
    ("percent", "رشد منفی ۲.۸ درصد", [("منفی ۲.۸ درصد", {"value": -2.8})]),
    ("percent", "رشد 5 . 4 درصد بود", [("5 . 4 درصد", {"value": 5.4})]),
    ("percent", "در سال 95 درصد کمی پرداخت شد", []),
    ("percent", "باید 50 % 30 نفر باشند", [("50 %", {"value": 50.0})]),
    ("quantity", "۵۰۰ هزار تن جو", [("۵۰۰ هزار تن", {"value": 500_000.0, "unit": "تن"})]),
    ("quantity", "۹۰ میلیون نفر جمعیت", [("۹۰ میلیون نفر", {"value": 90_000_000.0, "unit": "نفر"})]),
    ("quantity", "۵ هزار قزاق قومی", [("۵ هزار قزاق", {"value": 5000.0, "unit": "نفر"})]),
    ("quantity", "۲۷ میلیون بشکه نفت", [("۲۷ میلیون بشکه", {"value": 27_000_000.0, "unit": "بشکه"})]),
    ("quantity", "۲ میلیارد متر مکعب گاز", [("۲ میلیارد متر مکعب", {"value": 2e9, "unit": "متر مکعب"})]),
    ("quantity", "نیروگاه ۴۰۰ مگاواتی", [("۴۰۰ مگاواتی", {"value": 400.0, "unit": "مگاوات"})]),
    ("quantity", "۳۰۰ کیلومتر راه آهن", [("۳۰۰ کیلومتر", {"value": 300.0, "unit": "کیلومتر"})]),
    ("quantity", "دو کشور توافق کردند و نه‌تنها این", []),
]


@pytest.mark.parametrize("fact_type,text,expected", FOUND, ids=[f"{t}:{i}" for i, (t, _, _) in enumerate(FOUND)])
def test_number_facts(fact_type, text, expected):
    facts = extract_text(text)
    facts = facts[facts.fact_type == fact_type]
    assert list(facts.text) == [span for span, _ in expected]
    for (span, values), fact in zip(expected, facts.to_dict("records")):
        assert text[fact["start"] : fact["end"]] == span
        for key, value in values.items():
            assert fact[key] == (pytest.approx(value) if isinstance(value, float) else value), key


def test_named_documents_are_rows_of_their_own_table():
    text = (
        "«یادداشت تفاهم همکاری میان راه آهن ایران و شرکت راه آهن قزاقستان»، "
        "«برنامه مبادلات فرهنگی دو وزارت» از جمله اسناد منعقد شده است.\n"
        "او در «برنامه نود» گفت."
    )
    rules = default_rules()
    tables = extract_tables(document_from_text("doc", text, rules), rules)
    named = tables["facts_named_document"]
    assert list(named.kind) == ["یادداشت تفاهم", "برنامه"]
    assert list(named.title) == [
        "یادداشت تفاهم همکاری میان راه آهن ایران و شرکت راه آهن قزاقستان",
        "برنامه مبادلات فرهنگی دو وزارت",
    ]
    assert all(text[r.start : r.end] == r.title for r in named.itertuples())
    assert set(named.doc_id) == {"doc"}
    assert "named_document" not in set(tables["facts"].fact_type)


@pytest.mark.parametrize("fact_type,least", [("doc_count", 1.0), ("percent", 0.95), ("quantity", 0.95)])
def test_seed_gold(seed_facts, seed_gold, fact_type, least):
    from pipeline.evaluate import evaluate

    gold = [g for g in seed_gold if g["type"] == fact_type]
    result = evaluate(gold, seed_facts[seed_facts.fact_type == fact_type])
    assert result["scores"][fact_type]["strict_f1"] >= least


def test_seed_named_documents(seed_run):
    import pandas as pd

    named = pd.read_parquet(seed_run / "facts_named_document.parquet")
    assert len(named) == 8
    assert set(named.doc_id) == {"004_9a4f045b5da87826"}
    assert named.title.iloc[-1] == "یادداشت تفاهم همکاری میان راه آهن ایران و شرکت سهامی راه آهن ملی قزاقستان"
