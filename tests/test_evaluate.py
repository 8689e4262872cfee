import pandas as pd

from pipeline.evaluate import evaluate


def _facts(rows):
    return pd.DataFrame(rows)


def test_span_overlap_strict_and_value_accuracy():
    gold = [
        {"doc": "d", "type": "money", "text": "x", "start": 0, "end": 10, "amount": 5.0, "currency": "USD"},
        {"doc": "d", "type": "money", "text": "y", "start": 20, "end": 30, "amount": 7.0, "currency": "USD"},
        {"doc": "d", "type": "money", "text": "z", "start": 40, "end": 50, "ignore": True},
    ]
    facts = _facts(
        [
            {"doc_id": "d", "fact_type": "money", "start": 2, "end": 8, "amount": 5.0, "currency": "USD"},
            {"doc_id": "d", "fact_type": "money", "start": 20, "end": 30, "amount": 9.0, "currency": "USD"},
            {"doc_id": "d", "fact_type": "money", "start": 41, "end": 45, "amount": 1.0, "currency": "USD"},
            {"doc_id": "d", "fact_type": "money", "start": 60, "end": 65, "amount": 1.0, "currency": "USD"},
        ]
    )
    s = evaluate(gold, facts)["scores"]["money"]
    assert (s["gold"], s["predicted"], s["matched"], s["strict"]) == (2, 3, 2, 1)
    assert s["value_accuracy"] == 0.5


def test_officials_fold_mentions_and_accept_aliases_and_honorifics():
    gold = [
        {"doc": "d", "type": "official", "text": "توکایف", "name": "قاسم ژومارت توکایف", "aliases": ["توکایف"],
         "title": "رئیس\u200cجمهور", "country": "قزاقستان", "start": 0, "end": 6},
    ]
    facts = _facts(
        [
            {"doc_id": "d", "fact_type": "official", "start": 0, "end": 11, "name": "آقای توکایف", "title": "رئیس جمهور", "country": "قزاقستان"},
            {"doc_id": "d", "fact_type": "official", "start": 50, "end": 56, "name": "آقای توکایف", "title": "رئیسجمهور", "country": "قزاقستان"},
        ]
    )
    s = evaluate(gold, facts)["scores"]["official"]
    assert (s["gold"], s["predicted"], s["matched"], s["strict"]) == (1, 1, 1, 1)


def test_an_officials_value_is_the_title_and_the_country():
    """A reviewer's fix of an official's title or country changes the score."""
    gold = {"doc": "d", "type": "official", "text": "پوتین", "name": "ولادیمیر پوتین", "title": "رئیس‌جمهور", "country": "روسیه",
            "start": 0, "end": 5}
    predicted = {"doc_id": "d", "fact_type": "official", "start": 0, "end": 5, "name": "ولادیمیر پوتین", "title": "رئیس‌جمهور", "country": "روسیه"}

    def value_accuracy(gold_line, fact):
        return evaluate([gold_line], _facts([fact]))["scores"]["official"]["value_accuracy"]

    assert value_accuracy(gold, predicted) == 1.0
    assert value_accuracy(gold | {"country": "بلاروس"}, predicted) == 0.0
    assert value_accuracy(gold | {"title": "نخست‌وزیر"}, predicted) == 0.0
    assert value_accuracy(gold, predicted | {"country": None}) == 0.0
    assert value_accuracy({k: v for k, v in gold.items() if k != "country"}, predicted | {"country": None}) == 1.0


def test_date_alternatives_count_as_strict():
    gold = [{"doc": "d", "type": "date", "text": "x", "start": 0, "end": 5, "date_start": "2025-01-01",
             "date_end": "2025-09-30", "alt": [["2025-01-01", "2025-12-31"]]}]
    facts = _facts([{"doc_id": "d", "fact_type": "date", "start": 0, "end": 5, "date_start": "2025-01-01", "date_end": "2025-12-31"}])
    assert evaluate(gold, facts)["scores"]["date"]["strict"] == 1


def test_date_absolute_leaves_out_relative_dates():
    gold = [{"doc": "d", "type": "date", "text": "x", "start": 0, "end": 5, "date_start": "2025-01-01", "date_end": "2025-12-31"}]
    facts = _facts(
        [
            {"doc_id": "d", "fact_type": "date", "start": 0, "end": 5, "rule_id": "date.year", "date_start": "2025-01-01", "date_end": "2025-12-31"},
            {"doc_id": "d", "fact_type": "date", "start": 9, "end": 14, "rule_id": "date.relative.period"},
        ]
    )
    scores = evaluate(gold, facts)["scores"]
    assert (scores["date"]["predicted"], scores["date_absolute"]["predicted"]) == (2, 1)
    assert scores["date_absolute"]["strict_f1"] == 1.0
