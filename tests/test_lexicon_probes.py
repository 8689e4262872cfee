"""Every form of every lexicon that carries a ``probe:`` is found, with its entry's value.

A new lexicon line is proven found with no example written for it: the probe's sentence is
filled with each form and must yield a fact of the probe's type whose text holds the form and
whose value column shows the entry's value (rules/lexicons/*.yaml, ``probe``;
``pipeline.lexicons.LexiconProbe``). The filled sentences of one lexicon are articles of one run of the pipeline
(one article each: in one text, the officials of all would be merged as one person's mentions).
"""

import functools
import re

import pandas as pd
import pytest

from pipeline.calendars import from_gregorian
from pipeline.ingest import document_from_text
from pipeline.lexicons import PROBE_READS, Lexicon
from pipeline.normalize import normalize_text
from pipeline.rulefiles import RuleError
from pipeline.rules import default_rules, load_rules
from pipeline.run import extract_tables, extract_text
from pipeline.schemas import has_value

from test_rules import _copy_rules

PROBED = [lexicon for lexicon in default_rules().lexicons.values() if lexicon.probe]
FORMS = [(lexicon.name, form, lexicon.value(form)) for lexicon in PROBED for form in lexicon.forms]


def _reads_kept(cell, fact, lexicon: Lexicon, form: str) -> str:
    return "keep" if normalize_text(form)[0] in cell else "drop"


def _reads_head(cell, fact, lexicon: Lexicon, form: str):
    """The value the column begins with: itself, or the one of the longest form it begins with."""
    value = lexicon.value(form)
    if cell == value or cell.startswith(f"{value} "):
        return value
    begins = re.match(lexicon.regex, cell)
    return begins and lexicon.value(begins.group())


# how each ``read`` of a probe gets the entry's value from the fact's column (PROBE_READS)
READERS = {
    "value": lambda cell, fact, lexicon, form: cell,
    "begins": _reads_head,
    "month": lambda cell, fact, lexicon, form: from_gregorian(fact["calendar"], cell)[1],
    "weekday": lambda cell, fact, lexicon, form: cell.isoweekday(),
    "kept": _reads_kept,
    "meridiem": lambda cell, fact, lexicon, form: "pm" if int(cell.split(":")[0]) >= 12 else "am",
}


def _filled(lexicon: Lexicon, form: str) -> str:
    """The probe's text with the form, and with what other lexicons say of the form's value."""
    text = lexicon.probe.text.replace("{form}", form)
    for name in lexicon.probe.fills:
        text = text.replace(f"{{{name}}}", str(default_rules().lexicon(name).value(lexicon.value(form))))
    return text


@functools.cache
def _facts_of_each_form(name: str) -> list[list[dict]]:
    """The facts of the probe's type in each form's article, from one run over all of them."""
    rules = default_rules()
    lexicon = rules.lexicon(name)
    articles = [document_from_text(str(i), _filled(lexicon, form), rules) for i, form in enumerate(lexicon.forms)]
    facts = extract_tables(pd.concat(articles, ignore_index=True), rules)["facts"]
    facts = facts[facts.fact_type == lexicon.probe.fact_type]
    return [facts[facts.doc_id == str(i)].to_dict("records") for i in range(len(lexicon.forms))]


def _shows(fact: dict, lexicon: Lexicon, form: str, value) -> bool:
    probe = lexicon.probe
    if probe.form_in_span and form not in fact["text"]:
        return False
    if probe.column is None:
        return True
    cell = fact[probe.column]
    return has_value(cell) and READERS[probe.read](cell, fact, lexicon, form) == value


@pytest.mark.parametrize("name,form,value", FORMS, ids=[f"{n}:{v}:{f}" for n, f, v in FORMS])
def test_every_form_of_a_probed_lexicon_is_found_with_its_value(name, form, value):
    lexicon = default_rules().lexicon(name)
    probe = lexicon.probe
    facts = _facts_of_each_form(name)[lexicon.forms.index(form)]
    proven = not facts if probe.negative else any(_shows(f, lexicon, form, value) for f in facts)
    if form in probe.unproven:
        assert not proven, f"{name}.yaml, {value}: {form}: proven now; take it out of the probe's 'unproven'"
        return
    shown = [(f["text"], f["rule_id"], f.get(probe.column)) for f in facts]
    wanted = "no" if probe.negative else f"a {probe.fact_type} fact showing {value!r}"
    assert proven, f"{name}.yaml, {value}: {form}: {_filled(lexicon, form)!r} should yield {wanted}; it yields (text, rule, {probe.column}): {shown}"


def _fact_types_without_a_form(name: str) -> set[str]:
    """The fact types of the probe's text with its form left out."""
    return set(extract_text(re.sub(r"\{form\}\s*", "", default_rules().lexicon(name).probe.text)).fact_type)


@pytest.mark.parametrize("name", [lexicon.name for lexicon in PROBED if lexicon.probe.negative])
def test_a_negative_probe_yields_its_fact_without_a_form(name):
    """What shows that a negative probe's forms stop the fact: without one, the text yields it."""
    assert default_rules().lexicon(name).probe.fact_type in _fact_types_without_a_form(name)


@pytest.mark.parametrize("name", [lexicon.name for lexicon in PROBED if not (lexicon.probe.column or lexicon.probe.form_in_span)])
def test_a_probe_that_asks_only_for_a_fact_yields_none_without_a_form(name):
    """What shows that such a probe's fact comes of its form (a money noun makes an amount
    money): without one, the text yields no fact of the type."""
    assert default_rules().lexicon(name).probe.fact_type not in _fact_types_without_a_form(name)


def test_every_read_a_probe_may_name_is_read_here():
    assert set(READERS) == set(PROBE_READS)


@pytest.mark.parametrize(
    "lexicon",
    ["currency", "currency_subunit", "scale", "gregorian_month", "jalali_month", "hijri_month", "weekday",
     "percent_word", "quantity_unit", "document_kind", "official_title", "country", "honorific",
     "military_rank", "official_registry"],
)
def test_the_lexicons_users_add_lines_to_carry_a_probe(lexicon):
    assert default_rules().lexicon(lexicon).probe is not None


@pytest.mark.parametrize(
    "probe,fault",
    [
        ('{text: "۵ {form}", fact_type: money, colour: red}', r"probe: unknown key\(s\) \['colour'\]"),
        ('{text: "۵ دلار", fact_type: money}', r"probe: 'text' must hold \{form\} once"),
        ('{text: "۵ {form}", fact_type: cash}', r"probe: 'fact_type' is one of .*, not 'cash'"),
        ('{text: "۵ {form}", fact_type: money, column: unit}', r"probe: 'column' 'unit' is not a column of money facts"),
        ('{text: "۵ {form}", fact_type: money, column: currency, read: twice}', r"probe: 'read' \(with a 'column'\) is one of"),
        ('{text: "۵ {form}", fact_type: money, form_in_span: maybe}', r"probe: 'form_in_span' and 'negative' are true or false"),
        ('{text: "۵ {form}", fact_type: money, negative: true, column: currency}', r"probe: a negative probe shows no value"),
        ('"۵ {form}"', r"probe: a probe is \{text: "),
        ('{text: "۵ {form}", fact_type: money, unproven: {پزو: why}}', r"probe: 'unproven' lists \['پزو'\], which are not forms"),
        ('{text: "۵ {form} {no_such}", fact_type: money}', r"probe: 'text' names unknown lexicon\(s\) \['no_such'\]"),
    ],
)
def test_a_bad_probe_is_reported_with_its_file_and_key(tmp_path, probe, fault):
    rules = _copy_rules(tmp_path)
    currency = rules / "lexicons" / "currency.yaml"
    text = currency.read_text(encoding="utf-8")
    currency.write_text(re.sub(r"(?m)^probe: .*$", lambda _: f"probe: {probe}", text), encoding="utf-8")
    with pytest.raises(RuleError, match=r"currency\.yaml: " + fault):
        load_rules(rules)


def test_an_unknown_key_of_a_lexicon_is_reported(tmp_path):
    rules = _copy_rules(tmp_path)
    (rules / "lexicons" / "extra.yaml").write_text("probes: {}\nentries: {a: [b]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"extra\.yaml: unknown key\(s\) \['probes'\]"):
        load_rules(rules)
