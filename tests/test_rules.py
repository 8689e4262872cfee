"""Every rule's examples and negatives, and the rule files' own consistency."""

import datetime as dt
import re
from pathlib import Path

import pytest

import pandas as pd

from pipeline.ingest import document_from_text
from pipeline.lexicons import form_regex, forms_regex
from pipeline.rulefiles import RuleError
from pipeline.rules import default_rules, load_rules
from pipeline.run import extract_tables
from pipeline.schemas import NAMED_DOCUMENT

RULES = [r for r in default_rules().rules if r.fact_type != "statement"]  # statement examples: tests/test_statements.py
EXAMPLES = [(r, ex) for r in RULES for ex in r.examples]
NEGATIVES = [(r, neg) for r in RULES for neg in r.negatives]


def extract_text(text):
    """The facts of ``text`` and its named documents (a table of their own), in one frame."""
    rules = default_rules()
    tables = extract_tables(document_from_text("doc", text, rules), rules)
    return pd.concat([tables["facts"], tables[f"facts_{NAMED_DOCUMENT}"]], ignore_index=True)


def _expected_type(rule):
    return "date" if rule.fact_type == "header" else rule.fact_type


def test_rule_ids_are_unique_and_dotted():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(i.count(".") >= 1 and i.split(".")[0] == r.fact_type for i, r in zip(ids, RULES))


def test_every_fact_rule_has_an_example():
    missing = [r.id for r in RULES if not r.examples and r.fact_type not in ("header", "link")]
    assert not missing, f"rules without examples: {missing}"


@pytest.mark.parametrize("rule,example", EXAMPLES, ids=[f"{r.id}:{i}" for i, (r, _) in enumerate(EXAMPLES)])
def test_rule_example(rule, example):
    facts = extract_text(example["text"])
    for expected in example["facts"]:
        found = facts[(facts.text == expected["text"]) & (facts.fact_type == expected.get("type", _expected_type(rule)))]
        assert len(found) == 1, f"{expected['text']!r} not found in {facts[['text', 'rule_id']].to_dict('records')}"
        fact = found.iloc[0].to_dict()
        assert fact["rule_id"] == expected.get("rule_id", rule.id)
        assert example["text"][fact["start"] : fact["end"]] == expected["text"]
        for key, value in expected.items():
            if key in ("text", "type", "rule_id"):
                continue
            got = fact[key]
            if isinstance(value, dt.date):
                assert str(got) == value.isoformat(), key
            elif isinstance(value, (int, float)):
                assert got == pytest.approx(value), key
            else:
                assert got == value, key


@pytest.mark.parametrize("rule,text", NEGATIVES, ids=[f"{r.id}:{i}" for i, (r, _) in enumerate(NEGATIVES)])
def test_rule_negative(rule, text):
    facts = extract_text(text)
    assert facts[facts.fact_type == _expected_type(rule)].empty, facts.to_dict("records")


def _copy_rules(tmp_path: Path) -> Path:
    import shutil

    from pipeline.rulefiles import RULES_DIR

    shutil.copytree(RULES_DIR, tmp_path / "rules")
    return tmp_path / "rules"


def test_duplicate_rule_id_is_reported_with_file_and_id(tmp_path):
    rules = _copy_rules(tmp_path)
    text = (rules / "money.yaml").read_text(encoding="utf-8")
    (rules / "money.yaml").write_text(text.replace("id: money.amount", "id: money.range"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"money\.yaml: rule money\.range: duplicate rule id"):
        load_rules(rules)


def test_pattern_that_does_not_compile_is_reported(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "broken.yaml").write_text(
        "fact_type: money\nrules:\n  - id: money.broken\n    producer: amount\n    pattern: '(?P<number>[0-9'\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"broken\.yaml: rule money\.broken: pattern does not compile"):
        load_rules(rules)


def test_unknown_key_and_unknown_placeholder_are_reported(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "extra.yaml").write_text(
        "fact_type: money\nrules:\n  - id: money.x\n    producer: amount\n    pattern: '{nope}'\n", encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"unknown placeholder \{nope\}"):
        load_rules(rules)
    (rules / "extra.yaml").write_text(
        "fact_type: money\nrules:\n  - id: money.x\n    producer: amount\n    pattern: 'x'\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"unknown key\(s\) \['colour'\]"):
        load_rules(rules)


def test_a_malformed_starts_near_is_reported(tmp_path):
    rules = _copy_rules(tmp_path)
    rule = "fact_type: money\nrules:\n  - id: money.x\n    producer: amount\n    pattern: '{p}'\n    starts_near: {a}\n"
    extra = rules / "extra.yaml"
    extra.write_text(rule.format(p="x", a="{at: x}"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"rule money\.x: 'starts_near' is \{at: REGEX, words_before: N\}"):
        load_rules(rules)
    extra.write_text(rule.format(p="x?", a="{at: x, words_before: 2}"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"rule money\.x: a rule with starts_near must not match the empty string"):
        load_rules(rules)
    extra.write_text(rule.format(p="(?i:x)", a="{at: x, words_before: 2}"), encoding="utf-8")  # flags: not read
    with pytest.raises(RuleError, match=r"rule money\.x: starts_near needs a pattern whose least width can be read"):
        load_rules(rules)


@pytest.mark.parametrize("text", ["وزیر صنعت، معدن و تجارت", "وزیر صنعت ، معدن و تجارت", "وزیر صنعت،معدن و تجارت"])
def test_a_comma_inside_a_lexicon_form_may_stand_apart_or_not(text):
    assert re.fullmatch(form_regex("وزیر صنعت، معدن و تجارت"), text)


@pytest.mark.parametrize("text", ["کیلووات ساعت", "کیلو وات ساعت", "کیلووات‌ساعت", "کیلوواتساعت"])
def test_a_lexicon_trie_matches_the_longest_form_however_its_parts_are_spaced(text):
    # `کیلو وات` and `کیلووات ساعت` share a prefix written two ways: the longer form still wins
    pattern = forms_regex(["کیلو", "کیلووات", "کیلو وات", "کیلووات ساعت"])
    assert re.match(pattern, text).group() == text


def test_a_macro_listing_lexicons_matches_the_forms_of_each():
    rules = default_rules()
    listed = re.compile(f"(?:{rules.macros['not_in_a_name']})$")
    for name in ("name_stop", "official_title", "country", "jalali_month"):
        for form in rules.lexicon(name).forms[:20]:
            assert listed.match(form), (name, form)
    assert not listed.match("پزشکیان")


def test_a_macro_listing_an_unknown_lexicon_is_reported(tmp_path):
    rules = _copy_rules(tmp_path)
    macros = rules / "macros.yaml"
    macros.write_text(macros.read_text(encoding="utf-8") + "\nstops: [name_stop, no_such_list]\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"macros\.yaml: macro stops: unknown lexicon\(s\) \['no_such_list'\]"):
        load_rules(rules)
    macros.write_text(macros.read_text(encoding="utf-8").replace("stops: [name_stop, no_such_list]", "stops: {a: 1}"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"macro stops: a macro is a regex string or a list of lexicon names"):
        load_rules(rules)


@pytest.mark.parametrize("rule,example", [(r, ex) for r, ex in EXAMPLES if r.trigger is not None],
                         ids=[r.id for r, _ in EXAMPLES if r.trigger is not None])
def test_the_line_of_every_example_fact_holds_its_files_trigger(rule, example):
    """A file's trigger is a prefilter: a fact on a line without it would never be found."""
    from pipeline.normalize import normalize_text

    for expected in example["facts"]:
        start = example["text"].index(expected["text"])
        line_start = example["text"].rfind("\n", 0, start) + 1
        line_end = example["text"].find("\n", start)
        line, _ = normalize_text(example["text"][line_start : None if line_end < 0 else line_end])
        assert rule.trigger.search(line), f"{rule.source.name}: trigger misses {expected['text']!r}"


def test_a_rule_may_match_a_text_only_if_it_holds_its_needs():
    news_code = next(r for r in default_rules().for_type("header") if r.id == "header.news_code")
    assert news_code.may_match("کد خبر: 84721") and news_code.pattern.search("کد خبر: 84721").group("value") == "84721"
    assert not news_code.may_match("خبرگزاری ایسنا 84721")  # no «کد» nor «شناسه»: the regex is not tried


CUE_RULES = [r for r in default_rules().rules if r.fact_type in ("header", "link", "statement") and r.regex != "(?!)"]


@pytest.mark.parametrize("rule", CUE_RULES, ids=[r.id for r in CUE_RULES])
def test_every_example_text_a_cue_rule_matches_holds_its_needs(rule):
    """The stages that ask ``may_match`` before a cue's regex skip no text the regex matches."""
    from pipeline.normalize import normalize_text

    texts = [normalize_text(ex["text"])[0] for r in default_rules().rules for ex in r.examples]
    matched = [t for t in texts if rule.pattern.search(t)]
    assert all(rule.may_match(t) for t in matched), rule.id
