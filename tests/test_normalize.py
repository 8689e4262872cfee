from pipeline.normalize import OffsetMap, fold_key, fold_span, normalize_text
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


def test_a_sentence_ends_after_its_last_mark_before_white_space():
    text = "چه؟! نه... بله.بله ?! آری.\n. خط\tدوم…"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["چه؟!", "نه...", "بله.بله ?!", "آری.", ". خط\tدوم…"]


def test_a_span_cut_out_of_the_folded_article_is_the_span_folded_alone():
    raw = "كتاب\u064e خوب، ۱۲ سند\u200f امضا\u200e\u200e شد"  # a diacritic at 4, marks at 17, 23 and 24 are dropped
    text, offsets = normalize_text(raw)
    for start, end in [(0, 4), (0, 10), (6, 13), (11, 28), (13, 27), (18, 28), (0, len(raw))]:
        alone, alone_offsets = normalize_text(raw[start:end])
        cut, cut_offsets = fold_span(text, offsets, start, end)
        assert (cut, cut_offsets) == (alone, alone_offsets), (start, end)
    assert fold_span(text, offsets, 11, 28) == ("12 سند امضا شد", OffsetMap((6, 11), (1, 3)))
    assert offsets == OffsetMap((4, 16, 21), (1, 2, 4))
    assert offsets.sliced(5, 20) == OffsetMap((11,), (1,))  # the run at 4 lies before the slice, the one at 21 after


def test_a_raw_offset_maps_back_to_its_folded_offset():
    raw = "كتاب\u064e خوب، ۱۲ سند\u200f امضا شد"  # a diacritic at 4 and an RLM at 17 are dropped
    text, offsets = normalize_text(raw)
    assert offsets.to_norm(0) == 0 and offsets.to_norm(6) == 5 and offsets.to_norm(18) == 16
    assert text[offsets.to_norm(11) : offsets.to_norm(13)] == "12"
    assert all(offsets.to_norm(offsets.to_raw(pos)) == pos for pos in range(len(text) + 1))
