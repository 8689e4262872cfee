"""The words of an article, read once (pipeline/tokens.py)."""

from pipeline.rules import default_rules
from pipeline.tokens import ArticleWords


def _words(text: str) -> ArticleWords:
    return ArticleWords(text, default_rules().macro("fa_word"))


def test_distinct_words_keep_their_zwnj_joined_parts():
    words = _words("رئیس‌جمهور گفت: رئیس‌جمهور و وزیر ۱۲ میلیون")
    assert words.distinct == {"رئیس‌جمهور", "گفت", "و", "وزیر", "میلیون"}


def test_starts_of_finds_every_whole_occurrence_in_text_order():
    text = "آیکاوا گفت. سفیر آیکاوا‌ها و بیآیکاوا نه؛ «آیکاوا» آری"
    starts = _words(text).starts_of(lambda word: word == "آیکاوا")
    assert starts == [0, text.index("«") + 1]  # not in `آیکاوا‌ها`, nor in `بیآیکاوا`


def test_a_word_touched_by_a_zwnj_does_not_stand_alone():
    text = "۵‌میلیون دلار و میلیون"
    assert _words(text).starts_of(lambda word: word == "میلیون") == [text.rindex("میلیون")]


def test_skipped_words_are_never_asked_about():
    asked = []
    _words("در تهران در مشهد").starts_of(lambda word: asked.append(word) or False, skip=frozenset({"در"}))
    assert sorted(asked) == ["تهران", "مشهد"]
