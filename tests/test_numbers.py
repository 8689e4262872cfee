import pytest

from pipeline.normalize import normalize_text
from pipeline.numbers import parse_digits, parse_number

CASES = [
    ("۲۶۵ میلیون و ۲۰۰ هزار", 265_200_000),
    ("۳۱۰.۸", 310.8),
    ("۳۱۰٫۸", 310.8),
    ("۳/۵", 3.5),
    ("1,250,000", 1_250_000),
    ("1.200.000", 1_200_000),
    ("۱۲٬۵۰۰", 12_500),
    ("دو و نیم میلیون", 2_500_000),
    ("پنج میلیارد", 5_000_000_000),
    ("هزار میلیارد", 1_000_000_000_000),
    ("۳ هزار میلیارد", 3_000_000_000_000),
    ("یک صد", 100),
    ("یکصد", 100),
    ("دویست و شصت و پنج", 265),
    ("هشت", 8),
    ("نیم میلیون", 500_000),
    ("یک‌میلیون 700 هزار", 1_700_000),
    ("۱۲۰ هزار و ۵۰۰", 120_500),
    ("ميليون", 1_000_000),
    ("شیش", 6),
    ("پونزده", 15),
]


@pytest.mark.parametrize("text,value", CASES)
def test_parse_number(text, value):
    folded, _ = normalize_text(text)
    assert parse_number(folded).value == pytest.approx(value)


def test_a_date_is_not_a_number():
    assert parse_digits("1403/05/09") is None


def test_trailing_scale_is_reported_for_ranges():
    folded, _ = normalize_text("۴۰۰ میلیون")
    assert parse_number(folded).trailing_scale == 1_000_000
