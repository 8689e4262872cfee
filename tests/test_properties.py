"""Property tests (hypothesis) on the normalizer and the matchers: any string, no exception,
offsets inside the text and pointing at it, normalizing twice changes nothing, and LF, CRLF and
CR line ends give the same facts.

The budget is fixed (``max_examples`` below, no deadline) and CI runs derandomized, so the
suite's time does not depend on luck.
"""

import os
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize_document, normalize_text
from pipeline.run import extract_text
from conftest import ROOT

BUDGET = settings(
    max_examples=150,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
# pieces of Persian news (numbers of three scripts, scale and currency words, datelines), the
# characters that trouble offsets (invisibles, ZWNJ, BOM, tatweel, CRLF) and markup
PIECES = [
    "۲۳۵", "٣١٠", "235", "310.8", "۱۲٫۵", "1,200", "میلیون", "ميليون", "میلیارد", "هزار", "و", "تا", "دلار",
    "دلاری", "تومان", "ریال", "یورو", "درصد", "%", "٪", "date 2025-12-13", "تاریخ : 1403,سه شنبه 09 مرداد",
    "رئیس\u200cجمهور", "رئیسجمهور", "ك", "ي", " ", "  ", "\n", "\r\n", ".", "،", "\u200c", "\u200d", "\u200e",
    "\u200f", "\ufeff", "ـ", "\u064b", "<p>", "</p>", "&amp;", "&#1776;", "<script>", "<!--",
]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)


@BUDGET
@given(TEXTS)
def test_normalizing_keeps_an_exact_map_and_is_idempotent(raw):
    text, offsets = normalize_document(raw)
    assert len(text) + (offsets.shift_by[-1] if offsets.shift_by else 0) == len(raw)
    for pos in range(len(text) + 1):
        assert 0 <= offsets.to_raw(pos) <= len(raw)
    assert normalize_text(text)[0] == text
    assert normalize_document(text)[0] == text


@BUDGET
@given(TEXTS)
def test_every_fact_points_at_its_raw_text(raw):
    facts = extract_text(raw)
    for fact in facts.itertuples():
        assert 0 <= fact.start < fact.end <= len(raw)
        assert raw[fact.start : fact.end] == fact.text


FACT_ID_SPAN = re.compile(r":(\d+)-(\d+)$")


def facts_with_line_ends(lf_text: str, line_end: str) -> pd.DataFrame:
    """The facts of ``lf_text`` saved with ``line_end`` instead of LF, their offsets (and the
    fact ids made of them) mapped back to ``lf_text``: equal to its own facts if line ends do
    not matter."""
    text = lf_text.replace("\n", line_end)
    facts = extract_text(text)
    for fact in facts.itertuples():  # each fact's offsets point at its own text
        assert text[fact.start : fact.end] == fact.text
    lf_break = "\n" if line_end == "\r\n" else line_end  # the last character of a line end

    def to_lf(pos: int) -> int:
        return pos - text.count("\r\n", 0, pos) if line_end == "\r\n" else pos

    def fact_id_to_lf(fact_id):
        if not isinstance(fact_id, str):
            return fact_id
        return FACT_ID_SPAN.sub(lambda m: f":{to_lf(int(m[1]))}-{to_lf(int(m[2]))}", fact_id)

    mapped = facts.assign(
        start=facts.start.map(to_lf),
        end=facts.end.map(to_lf),
        text=facts.text.str.replace("\r\n", "\n").str.replace(lf_break, "\n"),
    )
    for column in ("fact_id", "when_fact_id", "who_fact_id"):
        mapped[column] = facts[column].map(fact_id_to_lf).astype(facts[column].dtype)
    return mapped


LF_TEXTS = TEXTS.map(lambda t: t.replace("\r", ""))


@settings(BUDGET, max_examples=60)
@given(LF_TEXTS, st.sampled_from(["\r\n", "\r"]))
def test_line_ends_do_not_change_the_facts(lf_text, line_end):
    pd.testing.assert_frame_equal(facts_with_line_ends(lf_text, line_end), extract_text(lf_text))


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["CRLF", "CR"])
@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.stem[:3])
def test_a_seed_with_other_line_ends_has_the_same_facts(seed, line_end):
    lf_text = seed.read_text(encoding="utf-8")
    assert "\r" not in lf_text and lf_text.count("\n") > 5
    expected = extract_text(lf_text)
    assert len(expected) >= 5
    pd.testing.assert_frame_equal(facts_with_line_ends(lf_text, line_end), expected)


@pytest.mark.parametrize("line_end", ["\n", " \n", "\r\n", "\r"], ids=["LF", "space LF", "CRLF", "CR"])
def test_a_mention_at_the_start_of_a_line_after_a_heading(line_end):
    """The heading's last word is not read as a given name before the mention: a space before
    the line end, or a CR, once made it look like one (``$`` matches before a final LF)."""
    text = "رئیس‌جمهور قزاقستان قاسم ژومارت توکایف به تهران آمد.\nگفتگوی تلویزیونی" + line_end + "توکایف گفت"
    mention = text.rindex("توکایف")
    officials = extract_text(text).query("fact_type == 'official'")
    assert list(zip(officials.start, officials.name)) == [(text.index("قاسم"), "قاسم ژومارت توکایف"), (mention, "قاسم ژومارت توکایف")]
