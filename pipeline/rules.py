"""Rules are data: this module loads ``rules/`` and compiles it, failing early and precisely.

Layout of ``rules/``:

- ``lexicons/NAME.yaml``: ``entries: {VALUE: [surface forms]}``; referenced in patterns as
  ``{NAME}``, which expands to the forms (longest first) with every space or ZWNJ inside a form
  matching a space, a ZWNJ or nothing (the seeds write ``رئیسجمهور``). A lexicon may carry a
  ``probe`` (:class:`LexiconProbe`): a sentence in which every one of its forms must yield a
  fact showing the form's value (tests/test_lexicon_probes.py).
- ``macros.yaml``: named regex fragments, also referenced as ``{NAME}``; they may use lexicons.
  A macro written as a list of lexicon names is one trie of all their forms: ``re`` walks one
  trie per word where an alternation of tries would walk each in turn.
- ``TYPE.yaml``: the rules of one fact type. Each rule has a dotted ``id`` (it becomes the
  fact's ``rule_id``), a ``pattern`` (a Python regex over normalized text), a ``producer``
  (the function in ``pipeline/facttypes/TYPE.py`` that turns the match into values) and
  ``examples``/``negatives`` that the tests run. A file may set a ``trigger``: a cheap regex
  that every match of its rules contains; lines of an article without it are not searched. A
  rule may set ``starts_near`` (:class:`StartsNear`): where its matches start, so that it is
  tried only there.

Any problem (bad YAML, unknown key, duplicate id, unknown ``{name}``, a pattern that does not
compile) raises :class:`RuleError` naming the file and the rule before any article is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline import prefilter
from pipeline.cache import RuleCache, compiled
from pipeline.pattern_syntax import PLACEHOLDER
from pipeline.prefilter import LineFinder, LiteralReader

# libyaml's loader when PyYAML was built with it: the rules load several times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULE_KEYS = {"id", "pattern", "producer", "examples", "negatives", "note", "options", "starts_near"}
FILE_KEYS = {"fact_type", "description", "rules", "trigger"}
CUE_OPTIONAL_TYPES = ("link", "statement")  # rule files whose rules name a strategy, not a fact's pattern
INNER_COMMA = re.compile(r"(?<=\S)\s*([،,])\s*(?=\S)")
ZWNJ = "\u200c"


class RuleError(ValueError):
    """A rule file that cannot be used; the message says which file, which rule and why."""


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: cannot read YAML: {exc}") from exc


def form_parts(form: str) -> list[str]:
    """A lexicon form, normalized, split at its spaces/ZWNJ (each may be written as a space, a
    ZWNJ or nothing); a comma inside is a part of its own, so that it may stand apart too
    (`وزیر صنعت ، معدن و تجارت`)."""
    from pipeline.normalize import fold_table

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
    from pipeline.schemas import FACT_TYPES, SCHEMAS

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
            from pipeline.normalize import fold_key

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


@dataclass(frozen=True)
class Rule:
    id: str
    fact_type: str
    regex: str  # the pattern with its placeholders expanded
    producer: str
    source: Path
    examples: tuple[dict, ...] = ()
    negatives: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    trigger_regex: str | None = None  # the file's prefilter: lines without a match are skipped
    needs: tuple[frozenset[str], ...] = ()  # literal sets every match holds one of (prefilter.py)
    starts_near: StartsNear | None = None  # where a match may start

    # Compiled when first used, not when loaded (load_rules has checked that they compile):
    # ``re.compile`` takes seconds for all the rules, and a few articles use a part of them.
    @cached_property
    def pattern(self) -> re.Pattern:
        return compiled(self.regex)

    @cached_property
    def trigger(self) -> re.Pattern | None:
        return None if self.trigger_regex is None else compiled(self.trigger_regex)


@dataclass(frozen=True)
class StartsNear:
    """A rule's ``starts_near: {at: REGEX, words_before: N}``: its promise that every match
    starts at a place where ``at`` matches or at most N words before one. The rule is then
    tried only there, not at every character of the line: most words of a line can start no
    name before an office, and no amount but where a number is."""

    at_regex: str
    words_before: int

    @cached_property
    def at(self) -> re.Pattern:
        return compiled(self.at_regex)

    @property
    def key(self) -> tuple[str, int]:
        """What tells two apart (hashing a compiled pattern hashes all its code)."""
        return self.at_regex, self.words_before


@dataclass(frozen=True)
class RuleSet:
    lexicons: dict[str, Lexicon]
    macros: dict[str, str]
    rules: tuple[Rule, ...]
    trigger_needs: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    files: tuple[tuple[str, str], ...] = ()  # (path under the rules folder, text) of every file

    def __reduce__(self):
        """A rule set travels to a worker process or a Dask worker as the text of its files and
        is built there again, once per process (from the compiled cache: fractions of a second),
        not as compiled regexes, which every unpickling would compile again (seconds)."""
        return rules_from_files, (self.files,)

    @cached_property
    def line_finder(self) -> LineFinder:
        """The automaton that finds, in one pass, the lines each rule and trigger of the match
        stage must scan (header rules read an article's first lines, link rules its sentences)."""
        from pipeline.schemas import MATCHED_TYPES

        return LineFinder({**{r.id: r.needs for r in self.rules if r.fact_type in MATCHED_TYPES}, **self.trigger_needs})

    @cached_property
    def _by_type(self) -> dict[str, tuple[Rule, ...]]:
        by_type: dict[str, list[Rule]] = {}
        for rule in self.rules:
            by_type.setdefault(rule.fact_type, []).append(rule)
        return {fact_type: tuple(rules) for fact_type, rules in by_type.items()}

    def for_type(self, fact_type: str) -> tuple[Rule, ...]:
        return self._by_type.get(fact_type, ())

    def lexicon(self, name: str) -> Lexicon:
        return self.lexicons[name]

    def options(self, fact_type: str) -> dict:
        """The ``options`` of the first rule of ``fact_type`` that has them (a file's rules
        share one block of options through a YAML anchor)."""
        return self._options.get(fact_type, {})

    @cached_property
    def _options(self) -> dict[str, dict]:
        options: dict[str, dict] = {}
        for rule in self.rules:
            if rule.options:
                options.setdefault(rule.fact_type, rule.options)
        return options


def load_lexicon(path: Path) -> Lexicon:
    from pipeline.normalize import fold_key

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


def expand(pattern: str, fragments: dict[str, str], where: str, _depth: int = 0) -> str:
    """Replace ``{name}`` placeholders with their regex fragments (recursively)."""
    if _depth > 10:
        raise RuleError(f"{where}: placeholders nest too deep (a macro refers to itself?)")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise RuleError(f"{where}: unknown placeholder {{{name}}}; known: {sorted(fragments)}")
        return "(?:" + expand(fragments[name], fragments, where, _depth + 1) + ")"

    return PLACEHOLDER.sub(sub, pattern)


def _macro_regex(fragment, lexicons: dict[str, Lexicon], where: str) -> str:
    """A macro's regex: as written, or (a list of lexicon names) one trie of their forms."""
    if isinstance(fragment, str):
        return fragment
    unknown = [n for n in fragment if n not in lexicons] if isinstance(fragment, list) else None
    if unknown is None or not fragment:
        raise RuleError(f"{where}: a macro is a regex string or a list of lexicon names")
    if unknown:
        raise RuleError(f"{where}: unknown lexicon(s) {unknown}; known: {sorted(lexicons)}")
    return forms_regex([form for name in fragment for form in lexicons[name].forms])


def _starts_near(raw, regex: str, raw_pattern: str, literals: LiteralReader, where: str, cache: RuleCache) -> StartsNear:
    """A rule's ``starts_near``, checked: the emulated scan of :func:`pipeline.match.scan_regions`
    finds what ``finditer`` finds only for patterns that cannot match the empty string."""
    if not isinstance(raw, dict) or set(raw) != {"at", "words_before"} or not isinstance(raw["at"], str):
        raise RuleError(f"{where}: 'starts_near' is {{at: REGEX, words_before: N}}")
    if not isinstance(raw["words_before"], int) or raw["words_before"] < 0:
        raise RuleError(f"{where}: starts_near's words_before is a number of words (0 or more)")
    width = cache.min_width(regex, lambda: literals.min_width(raw_pattern))
    if width is None:
        raise RuleError(f"{where}: starts_near needs a pattern whose least width can be read (no flags, conditionals or numbered back-references)")
    if width == 0:
        raise RuleError(f"{where}: a rule with starts_near must not match the empty string")
    return StartsNear(_checked(raw["at"], literals.fragments, f"{where}: starts_near", cache), raw["words_before"])


def _checked(pattern: str, fragments: dict[str, str], where: str, cache: RuleCache) -> str:
    """``pattern`` expanded, once checked that it compiles."""
    try:
        return cache.check(expand(pattern, fragments, where))
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from exc


def load_rules(rules_dir: Path = RULES_DIR) -> RuleSet:
    """Load and check every lexicon, macro and rule file under ``rules_dir``."""
    from pipeline.numbers import NUMBER_LEXICONS, number_macros

    if not rules_dir.is_dir():
        raise RuleError(f"the rules folder {rules_dir} does not exist")
    if not any(rules_dir.glob("*.yaml")):
        raise RuleError(f"{rules_dir} holds no rule files (TYPE.yaml): give a folder like the project's rules/")
    lexicons = {p.stem: load_lexicon(p) for p in sorted((rules_dir / "lexicons").glob("*.yaml"))}
    for lexicon in lexicons.values():
        unknown = [n for n in lexicon.probe.fills if n not in lexicons] if lexicon.probe else []
        if unknown:
            raise RuleError(f"{rules_dir / 'lexicons' / lexicon.name}.yaml: probe: 'text' names unknown lexicon(s) {unknown}")
    missing = [f"lexicons/{name}.yaml" for name in NUMBER_LEXICONS if name not in lexicons]
    if missing:
        raise RuleError(f"{rules_dir}: no {', '.join(missing)} (the number reader is made of them)")
    fragments = {name: lex.regex for name, lex in lexicons.items()}
    fragments.update(number_macros(lexicons))
    cache = RuleCache(prefilter.READER_VERSION)
    macros_file = rules_dir / "macros.yaml"
    macros = (load_yaml(macros_file) or {}) if macros_file.exists() else {}
    for name, fragment in macros.items():
        if name in fragments:
            raise RuleError(f"{macros_file}: macro {name!r} is also a lexicon or number macro")
        fragments[name] = _macro_regex(fragment, lexicons, f"{macros_file}: macro {name}")
    for name in macros:
        _checked(f"{{{name}}}", fragments, f"{macros_file}: macro {name}", cache)

    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    literals = LiteralReader(fragments)
    trigger_needs = {}
    for path in sorted(rules_dir.glob("*.yaml")):
        if path.name in ("macros.yaml", "normalize.yaml"):
            continue
        data = load_yaml(path)
        if not isinstance(data, dict) or "rules" not in data or "fact_type" not in data:
            raise RuleError(f"{path}: a rule file needs 'fact_type:' and 'rules:'")
        unknown = set(data) - FILE_KEYS
        if unknown:
            raise RuleError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(FILE_KEYS)}")
        trigger = _checked(data["trigger"], fragments, f"{path}: trigger", cache) if "trigger" in data else None
        if trigger:
            trigger_needs[trigger] = cache.needs(trigger, lambda: literals.needs(data["trigger"]))
        for raw_rule in data["rules"]:
            rule_id = raw_rule.get("id") if isinstance(raw_rule, dict) else None
            where = f"{path}: rule {rule_id or '(no id)'}"
            if not rule_id or not isinstance(raw_rule, dict):
                raise RuleError(f"{where}: every rule needs an 'id'")
            unknown = set(raw_rule) - RULE_KEYS
            if unknown:
                raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(RULE_KEYS)}")
            # link and statement rules (rules/link.yaml, rules/statements.yaml) name a strategy
            # and may need no cue to look for
            required = ("producer",) if data["fact_type"] in CUE_OPTIONAL_TYPES else ("pattern", "producer")
            for key in required:
                if not isinstance(raw_rule.get(key), str):
                    raise RuleError(f"{where}: '{key}' is missing or not a string")
            if rule_id in seen:
                raise RuleError(f"{where}: duplicate rule id, first defined in {seen[rule_id]}")
            if not rule_id.startswith(data["fact_type"] + "."):
                raise RuleError(f"{where}: rule ids of this file start with '{data['fact_type']}.'")
            seen[rule_id] = path
            raw_pattern = raw_rule.get("pattern", "(?!)")
            regex = _checked(raw_pattern, fragments, where, cache)
            near = raw_rule.get("starts_near")
            starts_near = _starts_near(near, regex, raw_pattern, literals, where, cache) if near is not None else None
            rules.append(
                Rule(
                    id=rule_id,
                    fact_type=data["fact_type"],
                    regex=regex,
                    producer=raw_rule["producer"],
                    source=path,
                    examples=tuple(raw_rule.get("examples") or ()),
                    negatives=tuple(raw_rule.get("negatives") or ()),
                    options=dict(raw_rule.get("options") or {}),
                    trigger_regex=trigger,
                    needs=cache.needs(regex, lambda: literals.needs(raw_pattern)),
                    starts_near=starts_near,
                )
            )
    cache.save()
    files = tuple((str(p.relative_to(rules_dir)), p.read_text(encoding="utf-8")) for p in sorted(rules_dir.rglob("*.yaml")))
    return RuleSet(lexicons, fragments, tuple(rules), trigger_needs, files)


@lru_cache(maxsize=4)
def rules_from_files(files: tuple[tuple[str, str], ...]) -> RuleSet:
    """The rule set ``files`` make (see :meth:`RuleSet.__reduce__`), loaded from a copy of them
    in the cache folder, or in a temporary folder if the cache is not writable."""
    import hashlib
    import tempfile

    from pipeline.cache import cache_dir

    digest = hashlib.sha256(repr(files).encode()).hexdigest()[:16]
    folder = cache_dir() / "rules" / digest
    if not _write_files(folder, files):
        folder = Path(tempfile.mkdtemp(prefix="facts-rules-"))
        _write_files(folder, files)
    return load_rules(folder)


def _write_files(folder: Path, files: tuple[tuple[str, str], ...]) -> bool:
    from pipeline.cache import write_atomic

    return all(
        (folder / name).exists() and (folder / name).read_text(encoding="utf-8") == text
        or write_atomic(folder / name, text.encode("utf-8"))
        for name, text in files
    )


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules(RULES_DIR)
