"""Our parser of rule patterns (pipeline/pattern_syntax.py) and what the prefilter reads off its
trees: the needs of real rule patterns and the fewest characters a match spans."""

import pytest

from pipeline.pattern_syntax import PatternSyntaxError, parse
from pipeline.prefilter import ANY_DIGIT, DIGIT, SPACE, SPACE_OR_ZWNJ, WORD_END, WORD_START, LiteralReader
from pipeline.lexicons import Lexicon
from pipeline.rulefiles import RULES_DIR, load_yaml
from pipeline.rules import default_rules

DIGITS = ("class", (("category", "digit"),), False)


def _rule_pattern(rule_id: str) -> str:
    """A rule's pattern as written in its file, with its placeholders."""
    rules = load_yaml(RULES_DIR / f"{rule_id.split('.')[0]}.yaml")["rules"]
    return next(rule["pattern"] for rule in rules if rule["id"] == rule_id)


def test_groups_repeats_classes_and_placeholders_parse_into_nodes():
    assert parse(r"(?P<n>\d{1,3})(?:ها)*?[^\W\d_]{money}") == (
        ("group", "n", (("repeat", 1, 3, (DIGITS,)),)),
        ("repeat", 0, None, (("char", "ه"), ("char", "ا"))),  # a non-capturing group is its nodes
        ("class", (("category", "not_word"), ("category", "digit"), ("char", "_")), True),
        ("ref", "money"),
    )
    assert parse(r"(?<!\w)(?=x)\b.") == (
        ("look", True, True, (("class", (("category", "word"),), False),)),
        ("look", False, False, (("char", "x"),)),
        ("at", "word_boundary"),
        ("any",),
    )


def test_alternatives_are_simplified_as_re_does():
    assert parse("(?:ab|ac)") == (("char", "a"), ("class", (("char", "b"), ("char", "c")), False))
    assert parse("(?:{a}|{b}|[xy])") == (("class", (("ref", "a"), ("ref", "b"), ("char", "x"), ("char", "y")), False),)
    assert parse("x{2}|y{,3}?|a{b") == (
        ("branch", ((("repeat", 2, 2, (("char", "x"),)),), (("repeat", 0, 3, (("char", "y"),)),), (("char", "a"), ("char", "{"), ("char", "b")))),
    )


def test_escapes_ranges_and_back_references():
    assert parse(r"[\u200c\s\-a-c]\n\.") == (
        ("class", (("char", "\u200c"), ("category", "space"), ("char", "-"), ("range", "a", "c")), False),
        ("char", "\n"),
        ("char", "."),
    )
    assert parse(r"(?P<sep>[-/])\d(?P=sep)")[-1] == ("backref", "sep")


@pytest.mark.parametrize("pattern", ["(?i)x", "(?i:x)", r"(x)\1", "(?(1)a|b)", "(?P=missing)", "a)", "[a", "*a"])
def test_syntax_not_read_is_an_error_and_reads_as_nothing_known(pattern):
    with pytest.raises(PatternSyntaxError):
        parse(pattern)
    assert LiteralReader({}).needs(pattern) == ()
    assert LiteralReader({}).min_width(pattern) is None


def test_a_currency_rule_needs_a_currency_form_at_a_word_start():
    currency = Lexicon("currency", {}, ("دلار", "یورو", "ین ژاپن")).regex
    reader = LiteralReader({"currency": currency})
    forms = {WORD_START + "دلار", WORD_START + "یورو", WORD_START + "ین" + SPACE_OR_ZWNJ + "ژاپن", WORD_START + "ینژاپن"}
    pattern = r"(?P<n>\d+)[\s\u200c]*(?P<currency>{currency})"
    assert reader.needs(pattern + r"(?![\w\u200c])") == (frozenset(f + WORD_END for f in forms), ANY_DIGIT)
    # an optional group adds no need; the same words after the currency are one
    assert reader.needs(pattern + r"(?:\s+آمریکا)?") == (frozenset(forms), ANY_DIGIT)
    assert reader.needs(pattern + r"\s+آمریکا")[0] == frozenset({SPACE + "آمریکا"})


def test_needs_of_real_rules():
    reader = LiteralReader(default_rules().macros)
    # the sign typed before the digits: the sign, then a digit
    assert reader.needs(_rule_pattern("percent.sign_first")) == (frozenset({"%" + DIGIT}),)
    # `(?<![^\W\d_])(?:بین|میان)\s+`: a look-behind that rules out letters marks a word start
    between = reader.needs(_rule_pattern("percent.between"))
    assert between[0] == frozenset({WORD_START + "بین" + SPACE, WORD_START + "میان" + SPACE})


def test_the_least_width_of_a_match():
    reader = LiteralReader({"a": "ab|c", "b": "xyz"})
    assert reader.min_width(r"(?:ها)?\d{2,4}") == 2
    assert reader.min_width("{a}x?") == 1
    assert reader.min_width("(?:{a}|{b})") == 1  # alternatives of placeholders: the narrowest
    assert reader.min_width(r"(?P<sep>[-/]{2})\d(?P=sep)") == 5
    assert reader.min_width(r"(?=x)(?<!y)\b^$") == 0
    assert reader.min_width("(?>ab)+c*") == 2
