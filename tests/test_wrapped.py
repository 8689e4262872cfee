"""Hard-wrapped archives: a line break inside a paragraph of a text stored with a line break every
60-140 characters is read as a space, so facts and sentences cross it; offsets still point into
the raw text, line breaks included."""

from pathlib import Path

import pytest

from pipeline.normalize import normalize_document, normalize_text, wrapped_breaks
from pipeline.run import extract_text
from pipeline.sentences import sentence_rows

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

# a news item as an archive stores it: a title, then a paragraph broken every ~60 characters
WRAPPED = "\n".join(
    [
        "وام ۷۰ میلیون دلاری برای نیروگاه جنوب",
        "",
        "وزیر اقتصاد روز دوشنبه در نشست خبری با خبرنگاران گفت که دولت",
        "برای ساخت نیروگاه تازه‌ای در جنوب کشور وامی تا سقف ۷۰ میلیون",
        "دلار از بانک توسعه آسیایی دریافت خواهد کرد و بازپرداخت آن از",
        "سال آینده آغاز می‌شود. او افزود که سهم نیروگاه از برق کشور به ۳ .",
        "۵ درصد می‌رسد و ساخت آن تا پایان سال ۱۴۰۵ به پایان خواهد رسید.",
    ]
)


def hard_wrap(text: str, width: int) -> str:
    """``text`` as an archive stores it: each line broken at single spaces so that no line runs
    past ``width`` (a longer word stays whole). A space becomes the line break, so every offset
    stays the same."""
    wrapped = list(text)
    line_start, last_space = 0, None
    for i, ch in enumerate(text + " "):
        if ch == "\n":
            line_start, last_space = i + 1, None
        elif ch == " " and 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace():
            if i - line_start > width and last_space is not None:
                wrapped[last_space] = "\n"
                line_start = last_space + 1
            last_space = i
    return "".join(wrapped)


def test_hard_wrap_breaks_at_spaces_and_keeps_offsets():
    text = "یک دو سه چهار پنج شش هفت"
    assert hard_wrap(text, 9) == "یک دو سه\nچهار پنج\nشش هفت"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_wrapped_seed_gives_the_facts_of_the_original(seed):
    raw = seed.read_text(encoding="utf-8")
    wrapped = hard_wrap(raw, 70)
    assert len(wrapped_breaks(wrapped)) > wrapped.count("\n") - raw.count("\n") - 3  # nearly all wraps found
    original, from_wrapped = extract_text(raw, seed.stem), extract_text(wrapped, seed.stem)
    for fact in from_wrapped.itertuples():
        assert wrapped[fact.start : fact.end] == fact.text
    assert from_wrapped.text.str.replace("\n", " ").tolist() == original.text.tolist()
    values = [c for c in original.columns if c not in ("text", "sentence_id")]
    assert from_wrapped[values].astype(str).values.tolist() == original[values].astype(str).values.tolist()


def test_some_seed_facts_cross_a_wrap():
    crossing = [
        fact.text
        for seed in SEEDS
        for fact in extract_text(hard_wrap(seed.read_text(encoding="utf-8"), 70), seed.stem).itertuples()
        if "\n" in fact.text
    ]
    assert len(crossing) >= 3


def test_a_money_figure_split_by_a_wrap_is_found_with_raw_offsets_across_it():
    facts = extract_text(WRAPPED).set_index("text")
    start = WRAPPED.index("۷۰ میلیون\nدلار")
    loan = facts.loc["۷۰ میلیون\nدلار"]
    assert (loan.start, loan.end) == (start, start + len("۷۰ میلیون\nدلار"))
    assert (loan.amount, loan.currency) == (70_000_000, "USD")
    assert facts.loc["۷۰ میلیون دلاری"].amount == 70_000_000  # the title, a line of its own
    assert facts.loc["۳ .\n۵ درصد"].value == 3.5  # a dot between digits ends no sentence


def test_a_wrap_after_trailing_spaces_and_a_carriage_return_is_one_space():
    raw = WRAPPED.replace("سقف ۷۰ میلیون\n", "سقف ۷۰ میلیون \r\n").replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    facts = extract_text(raw).set_index("text")
    loan = facts.loc["۷۰ میلیون \r\nدلار"]
    assert raw[loan.start : loan.end] == "۷۰ میلیون \r\nدلار" and loan.amount == 70_000_000
    text, offsets = normalize_document(raw)
    assert "70 میلیون دلار از" in text  # one space (digits folded)
    assert offsets.to_raw(text.index("دلار از")) == raw.index("دلار از")


def test_sentences_cross_a_wrap_but_not_the_title():
    text, offsets = normalize_document(WRAPPED)
    sentences = [row["text"] for row in sentence_rows("doc", WRAPPED, text, offsets)]
    assert sentences[0] == "وام ۷۰ میلیون دلاری برای نیروگاه جنوب"
    assert sentences[1].startswith("وزیر اقتصاد") and sentences[1].endswith("آغاز می‌شود.")
    assert "۷۰ میلیون\nدلار" in sentences[1]


def test_headings_and_short_paragraphs_are_not_a_wrapped_text():
    text = "\n".join(
        [
            "سفر رئیس‌جمهور به قزاقستان",
            "تاریخ : 1403,سه شنبه 09 مرداد",
            "",
            "رئیس‌جمهور در سفر به آستانه با همتای خود دیدار کرد و دو کشور ۱۴ سند همکاری امضا کردند.",
            "حجم تجارت دو کشور در سال گذشته به ۷۰۰ میلیون دلار رسید و قرار است دو برابر شود.",
            "همکاری اقتصادی",
            "وزیر اقتصاد گفت که سرمایه‌گذاری مشترک تا پایان سال به ۲ میلیارد دلار خواهد رسید.",
            "دو کشور درباره مسیرهای ترانزیتی و روادید نیز گفتگو کردند و به توافق رسیدند.",
            "نشست بعدی",
            "نشست بعدی کمیسیون مشترک دو کشور در پاییز امسال در تهران برگزار خواهد شد.",
        ]
    )
    assert wrapped_breaks(text) == []
    assert normalize_document(text)[0].count("\n") == text.count("\n")


def test_a_wrap_maps_back_to_the_raw_line_break():
    text, offsets = normalize_text("الف \r\nب", [(3, 6)])
    assert text == "الف ب"
    assert offsets.span_to_raw(0, 5) == (0, 7)


def test_a_quotation_runs_across_wraps_to_the_end_of_its_paragraph():
    paragraph = (
        "عباس عراقچی، وزیر امور خارجه ایران روز دوشنبه در نشست خبری با خبرنگاران گفت: "
        "دو کشور در این سفر درباره همکاری‌های اقتصادی و ترانزیتی گفتگو کردند. "
        "حجم تجارت میان دو کشور در سال گذشته به ۷۰۰ میلیون دلار رسید و این رقم باید دو برابر شود. "
        "ما آماده‌ایم که سرمایه‌گذاری مشترک در بخش انرژی را تا ۲ میلیارد دلار افزایش دهیم."
    )
    wrapped = hard_wrap("سفر وزیر خارجه به آستانه\n\n" + paragraph + "\n", 60)
    money = extract_text(wrapped).query("fact_type == 'money'")
    assert money.text.tolist() == ["۷۰۰ میلیون دلار", "۲\nمیلیارد دلار"]
    assert money.who.tolist() == ["عباس عراقچی"] * 2  # the speaker of the paragraph, lines apart
    assert set(money.who_rule_id) == {"link.who.paragraph_speaker"}
