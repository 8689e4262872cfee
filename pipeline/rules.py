"""Rules are data: this module loads ``rules/`` and compiles it, failing early and precisely.

Layout of ``rules/``:

- ``lexicons/NAME.yaml``: ``entries: {VALUE: [surface forms]}``; referenced in patterns as
  ``{NAME}``, which expands to the forms (longest first) with every space or ZWNJ inside a form
  matching a space, a ZWNJ or nothing (the seeds write ``رئیسجمهور``). A lexicon may carry a
  ``probe`` (:class:`pipeline.lexicons.LexiconProbe`): a sentence in which every one of its forms must yield a
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
from typing import Any, Callable

from pipeline import prefilter
from pipeline.cache import RuleCache, compiled
from pipeline.lexicons import Lexicon, forms_regex, load_lexicon
from pipeline.numbers import NUMBER_LEXICONS, number_macros
from pipeline.prefilter import LineFinder, LiteralReader, need_finder
from pipeline.rulefiles import PLACEHOLDER, RULES_DIR, RuleError, load_yaml
from pipeline.schemas import MATCHED_TYPES

RULE_KEYS = {"id", "pattern", "producer", "examples", "negatives", "note", "options", "starts_near"}
FILE_KEYS = {"fact_type", "description", "rules", "trigger"}
CUE_OPTIONAL_TYPES = ("link", "statement")  # rule files whose rules name a strategy, not a fact's pattern


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

    def may_match(self, text: str) -> bool:
        """Whether ``text`` holds a string of each of the rule's needs (prefilter.py); a text that
        does not holds no match. The stages that run rules on many short texts (link and
        statements on sentences, ingest on an article's start) ask this before the regex: an
        automaton finds the needs faster than ``re`` tries a pattern at every position."""
        return all(find(text, 0, len(text)) is not None for find in self._need_finders)

    @cached_property
    def _need_finders(self) -> tuple[Callable, ...]:
        return tuple(need_finder(need) for need in self.needs)


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

    def macro(self, name: str) -> re.Pattern:
        """A macro of ``macros.yaml`` (or a lexicon) compiled alone, for code that looks for
        one piece of a rule (the words of an article: ``{fa_word}``)."""
        return compiled(expand(f"{{{name}}}", self.macros, f"macro {name}"))

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
