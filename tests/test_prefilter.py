"""The prefilter (pipeline/prefilter.py) and the caches (pipeline/cache.py) change speed, never facts."""

import pickle
import random
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import pipeline.facttypes.official as official
import pipeline.cache as cache
import pipeline.match as match
from pipeline.normalize import _name_key
from pipeline.normalize import normalize_text
from pipeline.normalize import fold_key
from pipeline.prefilter import ANY_DIGIT, WORD_START, ArticleLines, LineFinder, LiteralReader
from pipeline.cache import compiled
from pipeline.rules import default_rules, load_rules, rules_from_files
from pipeline.run import extract_text

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
WORD_START_RE = r"(?<![^\W\d_])"


def test_a_lexicon_placeholder_is_read_as_its_words_at_a_word_start():
    reader = LiteralReader({"currency": WORD_START_RE + "(?:دلار|یورو)"})
    assert reader.needs(r"(?P<n>\d+)[\s\u200c]*(?P<currency>{currency})") == (
        frozenset({WORD_START + "دلار", WORD_START + "یورو"}),
        ANY_DIGIT,  # the last resort: a line with a digit
    )


def test_a_rule_that_needs_only_a_digit_skips_lines_without_one():
    (need,) = LiteralReader({}).needs(r"(?<!\d)\d{4}(?!\d)")
    lines = ArticleLines("سال ۲۰۲۴ بود\nبدون عدد\n1403", LineFinder({"year": (need,)}))
    assert [lines.text_of(lines.line_of(start)) for start, _ in lines.regions("year", None)] == ["سال ۲۰۲۴ بود", "1403"]


def test_strings_of_items_side_by_side_join_into_longer_needs():
    (need,) = LiteralReader({}).needs("سال(?:ها|های)? ?(?:گذشته|آینده)")
    assert {"سال گذشته", "سالهای آینده", "سالآینده"} <= need and len(need) == 12


def test_a_pattern_without_literal_text_has_no_need_and_runs_on_every_line():
    assert LiteralReader({}).needs(r"(?:x)?\w+\d*") == ()
    finder = LineFinder({"rule": ()})
    lines = ArticleLines("a\nb\nc", finder)
    assert lines.regions("rule", None) == [(0, 1), (2, 3), (4, 5)]


def test_a_word_start_need_skips_lines_where_its_letters_are_inside_a_word():
    finder = LineFinder({"yen": (frozenset({WORD_START + "ین"}),)})
    text = "این خبر است\n۵۰۰ ین ژاپن\nشیرین"
    (region,) = ArticleLines(text, finder).regions("yen", None)
    assert text[slice(*region)] == "۵۰۰ ین ژاپن"


def _every_position(rule, lines, regions):
    """What scan_regions finds when the rule is tried at every position (no starts_near)."""
    return [m for start, end in regions for m in rule.pattern.finditer(lines.text, start, end)]


def test_a_rule_that_starts_near_a_place_finds_what_trying_every_position_finds():
    rules = default_rules()
    near = [r for r in rules.rules if r.starts_near]
    texts = [ex["text"] for r in rules.rules for ex in r.examples] + [neg for r in rules.rules for neg in r.negatives]
    texts += [p.read_text(encoding="utf-8") for p in SEEDS]
    texts += ["گفت،«مسعود پزشکیان» ، رئیس‌جمهور و علی احمدی نایب‌رئیس مجلس و حسن روحانی معاون رئیس جمهور"]
    found = 0
    for rule in near:
        for text in texts:
            text = normalize_text(text)[0]
            lines = ArticleLines(text, rules.line_finder)
            regions = [lines.line(i) for i in range(len(lines.starts))]
            expected = [m.span() for m in _every_position(rule, lines, regions)]
            assert [m.span() for m in match.scan_regions(rule, lines, regions)] == expected, (rule.id, text[:60])
            found += len(expected)
    assert len(near) > 5 and found > 50


def _facts_without_prefilter(monkeypatch, texts):
    """The facts of ``texts`` when every rule scans every line and every mention is read."""
    with monkeypatch.context() as patched:
        patched.setattr(ArticleLines, "holding", lambda self, key: None)
        patched.setattr(match, "scan_regions", _every_position)
        patched.setattr(official, "_may_be_named", lambda people, ctx: lambda word: True)
        patched.setattr(official, "_mention_starts", lambda may_name, ctx: None)  # every line
        return [extract_text(t) for t in texts]


def test_every_example_and_seed_gives_the_same_facts_with_and_without_the_prefilter(monkeypatch):
    rules = default_rules()
    texts = [ex["text"] for r in rules.rules for ex in r.examples] + [p.read_text(encoding="utf-8") for p in SEEDS]
    texts += [neg for r in rules.rules for neg in r.negatives]
    slow = _facts_without_prefilter(monkeypatch, texts)
    fast = [extract_text(t) for t in texts]
    assert sum(len(f) for f in fast) > 300
    for text, a, b in zip(texts, slow, fast):
        pd.testing.assert_frame_equal(a, b, obj=text[:60])


def test_every_rule_with_text_of_its_own_has_a_need_to_find_its_lines():
    rules = default_rules()
    # rules that may match any word or any clause: their lines cannot be told apart
    everywhere = {"official.mention", "link.when.same_sentence", "link.who.same_sentence", "link.who.paragraph_speaker",
                  "statement.measure.documents", "statement.measure.previous_figure", "statement.measure.other", "statement.change.coordinated", "statement.claim.agree"}
    assert [r.id for r in rules.rules if not r.needs and r.id not in everywhere] == []


def test_rules_load_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_CACHE_DIR", str(tmp_path))
    first = load_rules()
    assert list(tmp_path.glob("rules-*.pickle"))
    second = load_rules()  # from the cache
    text = SEEDS[0].read_text(encoding="utf-8")
    for a, b in zip(first.rules, second.rules):
        assert (a.id, a.pattern.pattern, a.pattern.groupindex, a.needs) == (b.id, b.pattern.pattern, b.pattern.groupindex, b.needs)
        assert [m.span() for m in a.pattern.finditer(text)] == [m.span() for m in b.pattern.finditer(text)]


def test_a_pattern_known_to_compile_is_compiled_when_first_used(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_CACHE_DIR", str(tmp_path))
    load_rules()  # checks that every pattern compiles, and keeps that
    compiled.cache_clear()
    calls = []
    monkeypatch.setattr(cache, "re", SimpleNamespace(compile=lambda regex: calls.append(regex) or re.compile(regex)))
    rules = load_rules()
    assert calls == []
    year = next(r for r in rules.rules if r.id == "date.numeric_ymd")
    assert year.pattern.search("1403/05/01")["year"] == "1403"
    assert calls == [year.regex]


def test_a_torn_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_CACHE_DIR", str(tmp_path))
    load_rules()
    (cache,) = tmp_path.glob("rules-*.pickle")
    cache.write_bytes(b"not a pickle")
    assert load_rules().rules[0].pattern.search("1403/05/01") is not None
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("FACTS_CACHE_DIR", str(blocked))  # a file where the folder should be
    assert len(load_rules().rules) == len(default_rules().rules)


def test_a_rule_set_travels_to_a_worker_as_its_files():
    rules = default_rules()
    payload = pickle.dumps(rules)
    assert len(payload) < 1_000_000  # text, not compiled regexes
    travelled = pickle.loads(payload)
    assert travelled is rules_from_files(rules.files)  # built once per process
    assert [(r.id, r.pattern.pattern) for r in travelled.rules] == [(r.id, r.pattern.pattern) for r in rules.rules]
    text = SEEDS[1].read_text(encoding="utf-8")
    pd.testing.assert_frame_equal(extract_text(text, rules=travelled), extract_text(text, rules=rules))


def test_name_keys_by_table_are_the_keys_step_by_step():
    def step_by_step(name):
        text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
        return fold_key(text).replace("آ", "ا")

    alphabet = [chr(c) for c in [*range(0x20, 0x7F), *range(0x600, 0x700), *range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]]
    alphabet += ["\u200c", "\u200d", "\u00a0", "\u2009", "\u064b", "\u0301", "\U0001d400"]
    rng = random.Random(7)
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(5_000)]
    assert [_name_key(n) for n in names] == [step_by_step(n) for n in names]


@pytest.mark.parametrize("word", ["رئیس‌جمهور", "آیت‌الله", "مُحَمَّد", "ﻻریجانی", "كاظم"])
def test_name_keys_of_names_as_written(word):
    assert _name_key(word) == fold_key("".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))).replace("آ", "ا")
