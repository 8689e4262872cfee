"""Every rule's examples and negatives, and the rule files' own consistency."""

import datetime as dt
from pathlib import Path

import pytest

import pandas as pd

from pipeline.ingest import document_from_text
from pipeline.rules import RuleError, default_rules, load_rules
from pipeline.run import extract_tables
from pipeline.schemas import NAMED_DOCUMENT

RULES = default_rules().rules
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

    from pipeline.rules import RULES_DIR

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
