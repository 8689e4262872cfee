"""The number reader: values of numbers (table-driven), where numbers start and end, ordinals."""

import re

import pytest

from pipeline.normalize import normalize_text
from pipeline.numbers import is_indefinite_article, parse_digits, parse_number
from pipeline.rules import default_rules, expand

LEXICONS = default_rules().lexicons

# (text as written, value): digits of three scripts, words, and the two mixed
CASES = [
    # digits and separators
    ("۳۱۰.۸", 310.8),
    ("۳۱۰٫۸", 310.8),
    ("٣١٠٫٨", 310.8),
    ("310.8", 310.8),
    ("۳/۵", 3.5),
    ("1,250,000", 1_250_000),
    ("1.200.000", 1_200_000),
    ("۱۲٬۵۰۰", 12_500),
    ("۱۲,۵", 12.5),
    ("3591 . 5", 3591.5),  # tokenized decimal
    ("0 . 73", 0.73),
    ("10 . 000", 10_000),  # a lone ".000" groups thousands
    ("۰", 0),
    ("۲۰۲۲", 2022),
    # words
    ("صفر", 0),
    ("یک", 1),
    ("یه", 1),
    ("هشت", 8),
    ("شیش", 6),
    ("پونزده", 15),
    ("هجده", 18),
    ("هیجده", 18),
    ("بیست و یک", 21),
    ("سی و چهار", 34),
    ("نود و نه", 99),
    ("صد", 100),
    ("یکصد", 100),
    ("یک صد", 100),
    ("یک‌صد و بیست", 120),
    ("دویست و شصت و پنج", 265),
    ("سیصد و پنج", 305),
    ("نهصد و نود و نه", 999),
    ("پونصد", 500),
    ("هزار", 1000),
    ("هزار و سیصد و پنجاه", 1350),
    ("دو هزار و پانصد", 2500),
    ("بیست‌وپنج", 25),
    ("نیم", 0.5),
    ("یک و نیم", 1.5),
    ("دو و نیم میلیون", 2_500_000),
    ("دو میلیون و نیم", 2_500_000),
    ("نیم میلیون", 500_000),
    ("پنج میلیارد", 5_000_000_000),
    ("سه تریلیون", 3_000_000_000_000),
    ("هزار میلیارد", 1_000_000_000_000),
    ("یک میلیون و دویست هزار", 1_200_000),
    ("سیصد و پنجاه هزار", 350_000),
    ("دومیلیون", 2_000_000),  # glued
    ("دو ميليون", 2_000_000),  # Arabic ي
    # digits and words mixed
    ("۲ میلیون و ۵۰۰ هزار", 2_500_000),
    ("۲۶۵ میلیون و ۲۰۰ هزار", 265_200_000),
    ("۳ هزار میلیارد", 3_000_000_000_000),
    ("8 هزارميليارد", 8_000_000_000_000),
    ("۵‌میلیارد", 5_000_000_000),
    ("یک‌میلیون 700 هزار", 1_700_000),
    ("6 ميليون 400 هزار", 6_400_000),
    ("۱۲۰ هزار و ۵۰۰", 120_500),
    ("21 ميليون و 100 هزار", 21_100_000),
    ("80 ميليون و 481 هزار و 759", 80_481_759),
    ("4 . 6 ميليون", 4_600_000),
    ("۱٫۵ میلیارد", 1_500_000_000),
    ("2 و نیم", 2.5),
    # hundreds as two words; parts side by side without و
    ("هفت صد", 700),
    ("هفت‌صد", 700),
    ("سه صد و بیست هزار", 320_000),
    ("دو صد", 200),
    ("دو هزار سیصد و پانزده", 2315),
    ("هفتصد شصت هزار", 760_000),
    ("یک میلیون دویست و پنجاه هزار", 1_250_000),
    ("دوازده هزار بیست دو", 12_022),
    # و glued to the words it joins
    ("دوهزاروده", 2010),
    ("صدوبیست و پنج", 125),
    ("بیستوپنج", 25),
    ("سه‌هزارو ۶۰۰", 3600),
    # words then digits
    ("چهارصد و ۵۰ هزار", 450_000),
    ("۲ میلیون و پانصد هزار", 2_500_000),
    # fractions in words: the numerator is the longest falling part below the denominator
    ("سه دهم", 0.3),
    ("یک‌دهم", 0.1),
    ("دو و سه دهم", 2.3),
    ("دو و سه دهم میلیارد", 2_300_000_000),
    ("چهار و بیست و پنج صدم", 4.25),
    ("بیست و پنج صدم", 0.25),
    ("بیست و پنج دهم", 20.5),
    ("یک هزارم", 0.001),
    ("صد و بیست و پنج هزارم", 0.125),
    ("نوزده ممیز هفتاد و پنج صدم", 19.75),
    ("یک ممیز هفت‌دهم میلیارد", 1_700_000_000),
    ("۲ و ۵ دهم", 2.5),
    ("یک ده هزارم", 0.0001),  # the longest fraction word
    ("ده هزارم", 0.01),  # ten thousandths
    ("یک و پنج ده هزارم", 1.0005),
    ("یک میلیونم", 0.000001),
    # large scales
    ("دو کوادریلیون", 2e15),
    ("یک کوینتیلیون", 1e18),
]

# ordinals, found by {ordinal_number}: for dates (بیست و یکم مرداد) and centuries (قرن بیستم)
ORDINALS = [
    ("بیست و یکم", 21),
    ("هجدهم", 18),
    ("اول", 1),
    ("نخستین", 1),
    ("سی‌ام", 30),
    ("صد و بیستمین", 120),
    ("دو هزارمین", 2000),
    ("۲۱ام", 21),
    ("صد و دهم", 110),  # after و, دهم is an ordinal, not a fraction
    ("دهم", 10),
]


def _macro(name: str) -> re.Pattern:
    rules = default_rules()
    return re.compile(expand(f"{{{name}}}", rules.macros, name))


@pytest.mark.parametrize(
    "macro,text,value", [("number", t, v) for t, v in CASES] + [("ordinal_number", t, v) for t, v in ORDINALS]
)
def test_number_is_found_whole_and_read(macro, text, value):
    folded, _ = normalize_text(text)
    assert _macro(macro).fullmatch(folded), folded
    assert parse_number(folded, LEXICONS).value == pytest.approx(value)


# text -> the numbers found in it: two numbers side by side are not read as one
FOUND = [
    ("سال ۱۴۰۰ و ۲۰۰ میلیون دلار", ["1400", "200 میلیون"]),
    ("۳۰۰ و ۴۰۰ میلیون", ["300", "400 میلیون"]),
    ("150 و 26 ميليون", ["150", "26 میلیون"]),
    ("سیصد و چهارصد میلیون", ["سیصد", "چهارصد میلیون"]),
    ("نه یک ریال", ["نه", "یک"]),
    ("۱۴۰۰ دو میلیارد", ["1400", "دو میلیارد"]),
    ("دو کشور", ["دو"]),
    ("ارقام به ميليارد تومان است", []),  # a bare "billion" is a unit, not an amount
    ("هزار دلار", ["هزار"]),
    ("درصد", []),  # "صد" inside a word is not a number
    ("دوم", []),
    # a scale word glued to the word after it is not found by {number}: money.glued reads
    # "۷ هزارتومان" with {glued_scale}{glued_currency}; "میلیونر" is a word of its own
    ("۷ هزارتومان", ["7"]),
    ("۵ میلیونر", ["5"]),
    ("هزار یک شب", ["هزار", "یک"]),  # a lone unit after a scale word is not its last part
    ("صد و دهم", ["صد"]),  # an ordinal (صد و دهم = 110th), not a fraction
    ("روده بیستون صدوق", []),  # letters of number words glued with و inside other words
]

# text -> the ordinals found in it
ORDINALS_FOUND = [
    ("بیست و یکم مرداد", ["بیست و یکم"]),
    ("سال 1400 اولین سفر", ["اولین"]),
    ("۵۰ و دومین", ["دومین"]),
    ("قرن بیستم", ["بیستم"]),
]


@pytest.mark.parametrize("text,found", ORDINALS_FOUND)
def test_ordinals_found_in_text(text, found):
    folded, _ = normalize_text(text)
    assert [m.group() for m in _macro("ordinal_number").finditer(folded)] == found


@pytest.mark.parametrize("text,found", FOUND)
def test_numbers_found_in_text(text, found):
    folded, _ = normalize_text(text)
    assert [m.group() for m in _macro("number").finditer(folded)] == found


def test_a_date_is_not_a_number():
    assert parse_digits("1403/05/09") is None


def test_bilion_is_persian_long_scale_and_trilion_the_english_one():
    """بیلیون is 10^12 (after میلیارد = 10^9 in Persian's own scale), and تریلیون is 10^12 too, as
    news reads the English "trillion": the choice is documented in rules/lexicons/scale.yaml."""
    assert parse_number("دو بیلیون", LEXICONS).value == 2e12
    assert parse_number("دو تریلیون", LEXICONS).value == 2e12
    assert parse_number("دو میلیارد", LEXICONS).value == 2e9
    assert parse_number("یک بیلیارد", LEXICONS).value == 1e15


def test_trailing_scale_is_reported_for_ranges():
    folded, _ = normalize_text("۴۰۰ میلیون")
    assert parse_number(folded, LEXICONS).trailing_scale == 1_000_000


def test_one_as_a_word_is_an_article_but_not_as_a_digit():
    lexicons = default_rules().lexicons
    assert is_indefinite_article("یک", lexicons)
    assert not is_indefinite_article("1", lexicons)
    assert not is_indefinite_article("دو", lexicons)
