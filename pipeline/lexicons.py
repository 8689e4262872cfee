"""Lexicons: ``rules/lexicons/NAME.yaml``, each a list of surface forms and the value each stands
for, and the regex of a list of forms (a trie: one try per word, not one per form).

Data with the least code on it: the number reader (``pipeline/numbers.py``) and the rules
(``pipeline/rules.py``) are built from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pipeline.normalize import ZWNJ, fold_key, fold_table
from pipeline.rulefiles import PLACEHOLDER, RuleError, load_yaml
from pipeline.schemas import FACT_TYPES, SCHEMAS

INNER_COMMA = re.compile(r"(?<=\S)\s*([،,])\s*(?=\S)")


def form_parts(form: str) -> list[str]:
    """A lexicon form, normalized, split at its spaces/ZWNJ (each may be written as a space, a
    ZWNJ or nothing); a comma inside is a part of its own, so that it may stand apart too
    (`وزیر صنعت ، معدن و تجارت`)."""
    folded = form.strip().translate(fold_table())  # as normalize_text folds (for a short string, faster)
    return re.split(rf"[\s{ZWNJ}]+", INNER_COMMA.sub(r" \1 ", folded))


@lru_cache(maxsize=1 << 12)
def form_regex(form: str) -> str:
    """A lexicon form as regex: internal spaces/ZWNJ match a space, a ZWNJ or nothing."""
    return rf"[\s{ZWNJ}]?".join(re.escape(p) for p in form_parts(form))


def forms_regex(forms) -> str:
    """Forms as one regex alternation, factored into a trie (longest match first).

    Python's ``re`` tries the alternatives of a flat ``a|b|c…`` one after another at every
    position; a lexicon of a thousand words then costs a thousand tries per word start. A trie
    tries only the words that share the text's first letters, so patterns built of lexicons
    scan many times faster (and compile faster). The trie is of letters only: where a form has
    a space or ZWNJ, the letter after it may follow one (an optional space or ZWNJ), so a form of n words
    is written once, not once for each of its 2^(n-1) ways to be spaced, and the next letter
    alone still decides the branch."""
    trie: dict = {}
    for form in forms:
        node = trie
        for i, part in enumerate(form_parts(form)):
            for j, letter in enumerate(part):
                edge = node.setdefault(letter, [{}, False])
                edge[1] = edge[1] or (i > 0 and j == 0)  # a separator may stand before this letter
                node = edge[0]
        node[None] = None
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    """The regex of a trie node; its end (``None``) comes last, so longer words win."""
    branches = [
        (rf"[\s{ZWNJ}]?" if spaced else "") + re.escape(letter) + _trie_regex(child)
        for letter, (child, spaced) in ((k, v) for k, v in node.items() if k is not None)
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if None not in node:
        return body
    return f"(?:{body})?"


LEXICON_KEYS = {"entries", "probe"}
PROBE_KEYS = {"text", "fact_type", "column", "read", "form_in_span", "unproven", "negative"}
# how a probe reads the entry's value off its column (tests/test_lexicon_probes.py reads them)
PROBE_READS = {
    "value": "the column holds the value",
    "begins": "the column begins with the value or with a form of the lexicon that stands for it (a title keeps the article's words, and a complement may follow)",
    "month": "the column is a date whose month, in the fact's calendar, is the value",
    "weekday": "the column is a date whose ISO weekday is the value",
    "kept": "the value is keep when the column holds the form, drop when it does not",
    "meridiem": "the column is a clock time (HH:MM): am before noon, pm from noon on",
}


@dataclass(frozen=True)
class LexiconProbe:
    """A lexicon's ``probe:``: ``text`` with ``{form}`` where each form goes, the fact type the
    filled text must yield there, and the column that shows the entry's value, read as ``read``
    says (:data:`PROBE_READS`). Without a column, the fact alone is the proof (a value no column
    shows). Another ``{NAME}`` in the text is the value lexicon NAME gives the entry's value
    (`{official_registry_title}`: a registry person's office). ``form_in_span: false`` when the
    fact's text is not where the form stands (an official's text is the name; the office and
    the country stand beside it). A lexicon of words that stop a fact (a place before a date:
    `خیابان ۱۵ خرداد`) has a ``negative: true`` probe: with any of its forms, the text yields no
    fact of the type. ``unproven: {FORM: why}`` lists forms the probe cannot prove, and why; the
    test checks that it still cannot."""

    text: str
    fact_type: str
    column: str | None = None
    read: str = "value"
    form_in_span: bool = True
    unproven: dict = field(default_factory=dict)
    negative: bool = False

    @property
    def fills(self) -> list[str]:
        """The lexicons whose values fill the text's other placeholders."""
        return [name for name in PLACEHOLDER.findall(self.text) if name != "form"]


def _probe(raw, path: Path, forms: list[str]) -> LexiconProbe:
    """A lexicon's probe, checked: a wrong key fails when the rules load, not in a test."""
    where = f"{path}: probe"
    if not isinstance(raw, dict) or not {"text", "fact_type"} <= set(raw):
        raise RuleError(f"{where}: a probe is {{text: '... {{form}} ...', fact_type: TYPE, column: COLUMN}}")
    unknown = set(raw) - PROBE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(PROBE_KEYS)}")
    if not isinstance(raw["text"], str) or raw["text"].count("{form}") != 1:
        raise RuleError(f"{where}: 'text' must hold {{form}} once")
    if raw["fact_type"] not in FACT_TYPES:
        raise RuleError(f"{where}: 'fact_type' is one of {list(FACT_TYPES)}, not {raw['fact_type']!r}")
    columns = SCHEMAS[f"facts_{raw['fact_type']}"].names
    if "column" in raw and raw["column"] not in columns:
        raise RuleError(f"{where}: 'column' {raw['column']!r} is not a column of {raw['fact_type']} facts: {columns}")
    if raw.get("read", "value") not in PROBE_READS or ("read" in raw and "column" not in raw):
        raise RuleError(f"{where}: 'read' (with a 'column') is one of {sorted(PROBE_READS)}")
    if not isinstance(raw.get("form_in_span", True), bool) or not isinstance(raw.get("negative", False), bool):
        raise RuleError(f"{where}: 'form_in_span' and 'negative' are true or false")
    if raw.get("negative") and "column" in raw:
        raise RuleError(f"{where}: a negative probe shows no value: no 'column'")
    if not isinstance(raw.get("unproven", {}), dict):
        raise RuleError(f"{where}: 'unproven' is {{FORM: why the probe cannot prove it}}")
    strays = [form for form in raw.get("unproven", {}) if form not in forms]
    if strays:
        raise RuleError(f"{where}: 'unproven' lists {strays}, which are not forms of the lexicon")
    return LexiconProbe(**raw)


VALUES_REMEMBERED = 1 << 16  # surfaces per lexicon whose value is kept (then forgotten at once)


@dataclass(frozen=True)
class Lexicon:
    """A named word list: surface forms and the value each one stands for."""

    name: str
    values: dict[str, Any]  # fold_key(form) -> value
    forms: tuple[str, ...]
    probe: LexiconProbe | None = None

    def value(self, surface: str) -> Any:
        """The value ``surface`` stands for (None if no form); remembered, as producers ask
        about the same words of every article."""
        known = self._value_of
        if surface not in known:
            if len(known) >= VALUES_REMEMBERED:
                known.clear()
            known[surface] = self.values.get(fold_key(surface))
        return known[surface]

    @cached_property
    def _value_of(self) -> dict[str, Any]:
        return {}

    @cached_property
    def regex(self) -> str:
        # a form starts a word; a digit may touch it ("1226تومانی", "۵۰درصد")
        return "(?<![^\\W\\d_])(?:" + forms_regex(self.forms) + ")"


def load_lexicon(path: Path) -> Lexicon:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        raise RuleError(f"{path}: a lexicon needs 'entries: {{VALUE: [forms]}}'")
    unknown = set(data) - LEXICON_KEYS
    if unknown:
        raise RuleError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(LEXICON_KEYS)}")
    values: dict[str, Any] = {}
    forms: list[str] = []
    for value, surfaces in data["entries"].items():
        if isinstance(surfaces, str):
            surfaces = [surfaces]
        if not isinstance(surfaces, list) or not all(isinstance(s, str) for s in surfaces):
            raise RuleError(f"{path}: entry {value!r} must list its surface forms as strings")
        for surface in surfaces:
            key = fold_key(surface)
            if key in values and values[key] != value:
                raise RuleError(
                    f"{path}: form {surface!r} stands for both {values[key]!r} and {value!r}"
                )
            values[key] = value
            forms.append(surface)
    probe = _probe(data["probe"], path, forms) if "probe" in data else None
    return Lexicon(path.stem, values, tuple(forms), probe)
