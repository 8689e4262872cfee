"""Property tests (hypothesis) on the normalizer and the matchers: any string, no exception,
offsets inside the text and pointing at it, normalizing twice changes nothing.

The budget is fixed (``max_examples`` below, no deadline) and CI runs derandomized, so the
suite's time does not depend on luck.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize_document, normalize_text
from pipeline.run import extract_text

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
