from pipeline.normalize import fold_key, normalize_text
from pipeline.sentences import split_sentences


def test_digits_of_all_scripts_fold_to_ascii_and_keep_length():
    text, offsets = normalize_text("۳۱۰.۸ و ٣١٠ و 2025-12-13")
    assert text == "310.8 و 310 و 2025-12-13"
    assert offsets.shift_at == ()


def test_arabic_letter_forms_fold_to_persian():
    text, _ = normalize_text("ميليون كشور")
    assert text == "میلیون کشور"


def test_dropped_invisibles_map_back_to_raw():
    raw = "الف\u200fب ۲۳۵ میلیون\u200e دلار"
    text, offsets = normalize_text(raw)
    assert "\u200f" not in text and "\u200e" not in text
    start = text.index("235")
    end = text.index("دلار") + len("دلار")
    raw_start, raw_end = offsets.span_to_raw(start, end)
    assert raw[raw_start:raw_end] == "۲۳۵ میلیون\u200e دلار"


def test_span_ending_before_a_dropped_mark_excludes_it():
    raw = "دلار\u200e ریال"
    text, offsets = normalize_text(raw)
    assert offsets.span_to_raw(0, 4) == (0, 4)
    assert offsets.span_to_raw(5, 9) == (6, 10)


def test_zwnj_is_kept_and_fold_key_ignores_it():
    text, _ = normalize_text("رئیس\u200cجمهور")
    assert text == "رئیس\u200cجمهور"
    assert fold_key("رئیس\u200cجمهور") == fold_key("رئیسجمهور") == fold_key("رئیس جمهور")


def test_normalizing_twice_changes_nothing():
    once, _ = normalize_text("كشور ۱۲٫۵ درصد\u200f")
    twice, _ = normalize_text(once)
    assert once == twice


def test_sentences_do_not_split_inside_decimals():
    text = "صادرات 310.8 میلیون دلار بود. واردات کم شد!\nخط دوم"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["صادرات 310.8 میلیون دلار بود.", "واردات کم شد!", "خط دوم"]


def test_a_slice_without_dropped_marks_is_a_slice_of_the_folded_text():
    raw = "كتاب\u064e خوب، ۱۲ سند\u200f امضا شد"  # a diacritic at 4 and an RLM at 17 are dropped
    text, offsets = normalize_text(raw)
    assert offsets.dropped_before(6, 13) == 1  # one mark before, none inside
    assert text[6 - 1 : 13 - 1] == normalize_text(raw[6:13])[0] == "خوب، 12"
    assert offsets.dropped_before(0, 4) == 0
    assert offsets.dropped_before(18, len(raw)) == 2
    assert offsets.dropped_before(2, 6) is None and offsets.dropped_before(14, 18) is None


def test_a_raw_offset_maps_back_to_its_folded_offset():
    raw = "كتاب\u064e خوب، ۱۲ سند\u200f امضا شد"  # a diacritic at 4 and an RLM at 17 are dropped
    text, offsets = normalize_text(raw)
    assert offsets.to_norm(0) == 0 and offsets.to_norm(6) == 5 and offsets.to_norm(18) == 16
    assert text[offsets.to_norm(11) : offsets.to_norm(13)] == "12"
    assert all(offsets.to_norm(offsets.to_raw(pos)) == pos for pos in range(len(text) + 1))
