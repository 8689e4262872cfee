"""Lexicons: ``rules/lexicons/NAME.yaml``, each a list of surface forms and the value each stands
for, and the regex of a list of forms (a trie: one try per word, not one per form).

Data with the least code on it: the number reader (``pipeline/numbers.py``) and the rules
(``pipeline/rules.py``) are built from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pipeline.normalize import ZWNJ, fold_key, fold_table
from pipeline.rulefiles import RuleError, load_yaml

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


VALUES_REMEMBERED = 1 << 16  # surfaces per lexicon whose value is kept (then forgotten at once)


@dataclass(frozen=True)
class Lexicon:
    """A named word list: surface forms and the value each one stands for."""

    name: str
    values: dict[str, Any]  # fold_key(form) -> value
    forms: tuple[str, ...]

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
    return Lexicon(path.stem, values, tuple(forms))
