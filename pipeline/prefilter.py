"""Which lines of an article a rule needs to scan, found by one pass over the article.

Python's ``re`` tries a pattern at every position of the text, and most lines of an article hold
no fact of a given rule. Every match of a rule holds some literal text: one of the currency
words, one of the office titles, a digit. This module reads those *needs* off each pattern's
syntax (no list to keep by hand: a new rule or lexicon form brings its own), looks for all of
them at once with one Aho-Corasick automaton, and gives each rule the lines on which every one
of its needs is found; the rule's regex then runs on those lines only. A need is a set of
strings of which each match holds at least one, so a line without any of them holds no match:
the lines skipped are lines the full scan would have found nothing on. (Matches are taken to
lie within one line, as the rules write ``[^\\S\\n]`` where a fact may not cross one.)
"""

from __future__ import annotations

import bisect
import hashlib
import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Callable

import ahocorasick

# what the needs read here depend on: the code that read them (as imported, not as on disk now)
READER_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
MAX_STRINGS = 4096  # larger literal sets are not worth the automaton's memory
NEEDS_KEPT = 3  # the most selective needs of a rule; more seldom skip another line
PLACEHOLDER_BASE = 0xF0000  # private-use characters stand in for {placeholders} while parsing
# Besides plain characters, a literal string may hold marks where the pattern asserts that no
# letter is before / after (``(?<![^\W\d_])``, ``(?![\w\u200c])``: ``ین`` (yen) is in every
# line, a word ``ین`` is not) and wildcards for one character of a class (``[\s\u200c]``, the
# space between the words of a lexicon form; ``\d``). The automaton looks for the longest run of
# plain characters (the string's key); the rest is checked where the key is found.
WORD_START, WORD_END, SPACE, SPACE_OR_ZWNJ, DIGIT = "\x02", "\x03", "\x04", "\x05", "\x06"
# What each asserts where the key is found, as regex: a rule's own assertion (`(?<!\w)`,
# `(?<![^\W\d_])`, `(?![\w\u200c])`) rules out at least a `[^\W\d_]` there.
CHECKS = {
    WORD_START: r"(?<![^\W\d_])",
    WORD_END: r"(?![^\W\d_])",
    SPACE: r"\s",
    SPACE_OR_ZWNJ: r"[\s\u200c]",
    DIGIT: r"\d",
}
NOT_PLAIN = re.compile(f"[{''.join(CHECKS)}]")
# "a digit": no key for the automaton, but a line is quickly tested for one, and most rules
# about numbers and years have no rarer need than a digit and a common word (`می`, `تا`)
ANY_DIGIT = frozenset({DIGIT})


@dataclass(frozen=True)
class Literals:
    """What a piece of pattern tells about the text it matches (each set None when unknown or
    too large): ``exact``, every string it can match; ``prefixes``/``suffixes``, strings every
    match starts/ends with; ``needs``, sets of strings of which every match holds one."""

    exact: frozenset[str] | None
    prefixes: frozenset[str] | None = None
    suffixes: frozenset[str] | None = None
    needs: tuple[frozenset[str], ...] = ()

    @staticmethod
    def of(strings: frozenset[str] | None) -> "Literals":
        if strings is None or len(strings) > MAX_STRINGS:
            return ANYTHING
        return Literals(strings, strings, strings, best_needs([strings]))


NOTHING_KNOWN = frozenset({""})
ANYTHING = Literals(None, NOTHING_KNOWN, NOTHING_KNOWN)
EMPTY = Literals(NOTHING_KNOWN, NOTHING_KNOWN, NOTHING_KNOWN)


def rarity(need: frozenset[str]) -> tuple[float, int]:
    """How rare a line holding ``need`` is, to sort by (lower is rarer): a need is as common as
    its shortest string (``.`` is in every line, ``-۰۱`` seldom), then as its number of strings.
    Characters beside the key (marks, wildcards, other runs) count half a letter."""
    shortest = min(len(key_of(s)) + (len(s) - len(key_of(s))) / 2 for s in need)
    return -shortest, len(need)


def key_of(s: str) -> str:
    """The longest run of plain characters of ``s``: every text holding ``s`` holds it."""
    return max(NOT_PLAIN.split(s), key=len)


def _findable(s: str) -> bool:
    """A string whose key is more than a single letter (a letter is on every line)."""
    key = key_of(s)
    return len(key) > 1 or (key != "" and not key.isalpha())


def best_needs(needs) -> tuple[frozenset[str], ...]:
    """The rarest needs that the automaton can look for."""
    usable = {_shortest_covering(n) for n in needs if n and "" not in n and len(n) <= MAX_STRINGS}
    usable = {n for n in usable if n == ANY_DIGIT or all(_findable(s) for s in n)}
    kept: list[frozenset[str]] = []
    for need in sorted(usable, key=lambda n: (rarity(n), sorted(n))):
        # a need that a kept one implies (each kept string holds one of its strings) adds nothing
        if not any(all(any(t in s for t in need) for s in k) for k in kept):
            kept.append(need)
    return tuple(kept[:NEEDS_KEPT])


def _shortest_covering(need: frozenset[str]) -> frozenset[str]:
    """The need without strings that hold another of its strings (a line with ``دلار آمریکا``
    holds ``دلار``): the same lines, a smaller automaton."""
    kept: list[str] = []
    for s in sorted(need, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _concat(left: frozenset[str] | None, right: frozenset[str] | None) -> frozenset[str] | None:
    if left is None or right is None or len(left) * len(right) > MAX_STRINGS:
        return None
    return frozenset(a + b for a, b in product(left, right))


def _union(sets) -> frozenset[str] | None:
    sets = list(sets)
    if any(s is None for s in sets):
        return None
    union = frozenset().union(*sets)
    return union if len(union) <= MAX_STRINGS else None


NO_LETTER = sre_parse.parse(r"[^\W\d_]").data  # the class a word-boundary assertion rules out


CLASS_WILDCARDS = {}  # the parsed classes a wildcard stands for
for _pattern, _wildcard in ((r"\s", SPACE), (r"[\s\u200c]", SPACE_OR_ZWNJ), (r"[\u200c\s]", SPACE_OR_ZWNJ), (r"\d", DIGIT)):
    CLASS_WILDCARDS[repr(sre_parse.parse(_pattern).data[0][1])] = _wildcard


def _rules_out_letters(assertion) -> bool:
    r"""A negative look-around of one character from a class that holds every letter:
    ``(?<![^\W\d_])``, ``(?![\w\u200c])``, ``(?<!\w)``."""
    items = assertion.data
    if items == NO_LETTER:
        return True
    if len(items) != 1 or items[0][0] is not sre.IN:
        return False
    return (sre.CATEGORY, sre.CATEGORY_WORD) in items[0][1] and (sre.NEGATE, None) not in items[0][1]


class LiteralReader:
    """Reads the literal needs of patterns written with ``{placeholders}``; each fragment (a
    lexicon or macro) is read once and shared by every pattern that uses it."""

    def __init__(self, fragments: dict[str, str]):
        self.fragments = fragments
        self.names: list[str] = []
        self.read: dict[str, Literals] = {}

    def needs(self, pattern: str) -> tuple[frozenset[str], ...]:
        return self.literals(pattern).needs

    def literals(self, pattern: str) -> Literals:
        from pipeline.rules import PLACEHOLDER

        def mark(m: re.Match) -> str:
            name = m.group(1)
            if name not in self.names:
                self.names.append(name)
            return f"(?:{chr(PLACEHOLDER_BASE + self.names.index(name))})"

        try:
            tree = sre_parse.parse(PLACEHOLDER.sub(mark, pattern))
        except re.error:
            return ANYTHING  # a fragment that is only valid in its context: no prefilter
        return self._sequence(tree)

    def _fragment(self, name: str) -> Literals:
        if name not in self.read:
            self.read[name] = ANYTHING  # a fragment that refers to itself reads as anything
            self.read[name] = self.literals(self.fragments.get(name, ""))
        return self.read[name]

    def _sequence(self, items) -> Literals:
        """Items one after another: each item's needs hold, and the strings where one item
        meets the next are needs too: ``{number}`` + `` `` + ``{currency}`` holds ``دلار``, …"""
        parts = [self._item(*item) for item in items]
        needs = [need for part in parts for need in part.needs]
        here = NOTHING_KNOWN  # strings the text up to this point ends with
        for part in parts:
            joined = _concat(here, part.exact)
            if joined is not None:
                here = joined
                continue
            needs.append(_concat(here, part.prefixes) or here)
            # after an unknown part, what it ends with; after too many known strings, nothing
            here = part.suffixes if part.exact is None and part.suffixes is not None else NOTHING_KNOWN
        needs.append(here)
        exact = NOTHING_KNOWN
        for part in parts:
            exact = _concat(exact, part.exact)
        return Literals(exact, self._ends(parts, _concat), self._ends(parts[::-1], lambda a, b: _concat(b, a)), best_needs(needs))

    @staticmethod
    def _ends(parts: list[Literals], join) -> frozenset[str]:
        """The strings every match starts with (``join`` = concatenate) or, with the parts
        reversed and ``join`` flipped, ends with."""
        known = NOTHING_KNOWN
        for part in parts:
            whole = join(known, part.exact)
            if whole is None:
                edge = part.prefixes if join is _concat else part.suffixes
                return join(known, edge) or known
            known = whole
        return known

    def _item(self, op, av) -> Literals:
        if op is sre.LITERAL:
            if av >= PLACEHOLDER_BASE:
                return self._fragment(self.names[av - PLACEHOLDER_BASE])
            return Literals.of(frozenset({chr(av)}))
        if op is sre.IN:
            if any(o is sre.LITERAL and c >= PLACEHOLDER_BASE for o, c in av):
                # the parser turns `(?:{a}|{b})` into a class of two stand-in characters
                return self._branch([self._item(o, c) for o, c in av])
            if repr(av) in CLASS_WILDCARDS:
                return Literals.of(frozenset({CLASS_WILDCARDS[repr(av)]}))
            return Literals.of(_class_chars(av))
        if op is sre.SUBPATTERN:
            return self._sequence(av[3])
        if op is sre.ATOMIC_GROUP:
            return self._sequence(av)
        if op is sre.BRANCH:
            return self._branch([self._sequence(alt) for alt in av[1]])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            inner = self._sequence(body)
            if low == 0:
                optional = lambda s: None if s is None else s | NOTHING_KNOWN  # noqa: E731
                exact = optional(inner.exact) if high == 1 else None
                return Literals(exact, optional(inner.prefixes), optional(inner.suffixes))
            if low == high == 1:
                return inner
            return Literals(None, inner.prefixes, inner.suffixes, inner.needs)
        if op is sre.ASSERT_NOT and _rules_out_letters(av[1]):
            return Literals.of(frozenset({WORD_START if av[0] < 0 else WORD_END}))
        if op is sre.ASSERT and av[0] > 0:
            # a look-ahead's text is in the line too (a rule's scan ends at the line's end)
            return Literals(NOTHING_KNOWN, NOTHING_KNOWN, NOTHING_KNOWN, self._sequence(av[1]).needs)
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            return EMPTY  # zero width
        return ANYTHING  # any character, categories, back-references, conditionals

    @staticmethod
    def _branch(alternatives: list[Literals]) -> Literals:
        exact = _union(a.exact for a in alternatives)
        prefixes = _union(a.prefixes for a in alternatives)
        suffixes = _union(a.suffixes for a in alternatives)
        needs = [n for n in (exact, prefixes, suffixes) if n is not None]
        if all(a.needs for a in alternatives):  # one need from each alternative
            needs.append(frozenset().union(*(a.needs[0] for a in alternatives)))
        return Literals(exact, prefixes or NOTHING_KNOWN, suffixes or NOTHING_KNOWN, best_needs(needs))


def _class_chars(items) -> frozenset[str] | None:
    """The characters of a small positive character class (None for categories, negations)."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < 64:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(chars)


class LineFinder:
    """Finds the lines that hold a rule's needs: its rarest need by one automaton over the
    article (one pass for every rule), the others by looking for their keys on those lines."""

    def __init__(self, needs_by_key: dict):
        self.need_ids: dict[frozenset[str], int] = {}
        self.needs_by_key = {
            key: tuple(self.need_ids.setdefault(n, len(self.need_ids)) for n in needs)
            for key, needs in needs_by_key.items()
        }
        self.keys = [tuple({key_of(s) for s in need}) for need in self.need_ids]
        # built when first needed (most of the thousands are not, in a run): the regex that
        # checks what is around a key; a need's keys as one search for a line
        self.checks: dict[str, Callable] = {}
        self.key_searches: dict[int, Callable] = {}
        self.searchable = [need != ANY_DIGIT for need in self.need_ids]
        variants: dict[str, dict[tuple, set[int]]] = {}  # key → {(before, check) around it: need ids}
        self.needs = needs = list(self.need_ids)
        for ids in self.needs_by_key.values():
            if ids and self.searchable[ids[0]]:
                for s in needs[ids[0]]:
                    key, before, check = _key_and_check(s)
                    variants.setdefault(key, {}).setdefault((before, check), set()).add(ids[0])
        self.automaton = ahocorasick.Automaton()
        for key, by_check in variants.items():
            self.automaton.add_word(key, (len(key), tuple((*check, tuple(ids)) for check, ids in by_check.items())))
        self.has_keys = bool(variants)
        if self.has_keys:
            self.automaton.make_automaton()

    def lines_by_need(self, text: str, line_starts: list[int]) -> dict[int, set[int]]:
        """The lines holding each need that is some rule's rarest. A need found once on a line
        is not checked again on it (`در` is on every line, many times)."""
        lines: dict[int, set[int]] = {}
        if not self.has_keys:
            return lines
        line, next_line_at, found = -1, 0, set()  # the current line and the needs found on it
        checks = self.checks
        for end, (length, by_check) in self.automaton.iter(text):
            if end >= next_line_at:
                line = bisect.bisect_right(line_starts, end) - 1
                next_line_at = line_starts[line + 1] if line + 1 < len(line_starts) else len(text)
                found = set()
            start = end + 1 - length
            for before, check, ids in by_check:
                if found.issuperset(ids):
                    continue
                if check:  # what must be around the key (word boundaries, spaces, digits)
                    holds = checks.get(check) or self._compile_check(check)
                    if start < before or not holds(text, start - before):
                        continue
                found.update(ids)
                for need_id in ids:
                    lines.setdefault(need_id, set()).add(line)
        return lines

    def _compile_check(self, check: str) -> Callable:
        self.checks[check] = re.compile(check).match
        return self.checks[check]

    def key_search(self, need_id: int) -> Callable:
        """``find(text, start, end)``: one of the need's keys in ``text[start:end]``, or None."""
        if need_id not in self.key_searches:
            need = self.needs[need_id]
            self.key_searches[need_id] = ANY_DIGIT_RE.search if need == ANY_DIGIT else _first_key_finder(self.keys[need_id])
        return self.key_searches[need_id]


def _first_key_finder(keys: tuple[str, ...]) -> Callable:
    """``find(text, start, end)``: one of ``keys`` found in ``text[start:end]``, or None."""
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    automaton.make_automaton()
    return lambda text, start, end: next(automaton.iter(text, start, end), None)


def _key_and_check(s: str) -> tuple[str, int, str | None]:
    """``s``'s key, how many characters of ``s`` come before it, and the regex that tells
    whether ``s`` is in a text at a position (None when ``s`` is its key)."""
    key = key_of(s)
    if key == s:
        return key, 0, None
    before = sum(1 for ch in s[: s.index(key)] if ch not in (WORD_START, WORD_END))
    return key, before, "".join(CHECKS.get(ch) or re.escape(ch) for ch in s)


ANY_DIGIT_RE = re.compile(r"\d")


class ArticleLines:
    """The lines of one article and which rule must look at which of them."""

    def __init__(self, text: str, finder: LineFinder):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.finder = finder
        self.by_need = finder.lines_by_need(text, self.starts)
        self.cache: dict = {}

    def line_of(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def text_of(self, i: int) -> str:
        return self.text[slice(*self.line(i))]

    def line(self, i: int) -> tuple[int, int]:
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return self.starts[i], end

    def holding(self, key) -> set[int] | None:
        """The lines on which every need of ``key`` (a rule id, a trigger) is found; None if
        it has no needs (every line)."""
        ids = self.finder.needs_by_key.get(key, ())
        if not ids:
            return None
        if self.finder.searchable[ids[0]]:
            lines, ids = self.by_need.get(ids[0], set()), ids[1:]
        else:
            lines = set(range(len(self.starts)))
        for need_id in ids:
            lines = {i for i in lines if self._holds(need_id, i)}
        return lines

    def _holds(self, need_id: int, line: int) -> bool:
        """The line holds one of the need's strings (as plain text: its word boundaries are
        left to the rule's own regex)."""
        if (need_id, line) not in self.cache:
            self.cache[need_id, line] = self.finder.key_search(need_id)(self.text, *self.line(line)) is not None
        return self.cache[need_id, line]

    def regions(self, key, trigger: re.Pattern | None, only: set[int] | None = None) -> list[tuple[int, int]]:
        """The lines a rule must scan: those holding its needs and a match of its file's trigger
        (and among ``only``, if given)."""
        lines = self.holding(key)
        if only is not None:
            lines = only if lines is None else lines & only
        if trigger is not None:
            lines = self._with_trigger(trigger, lines)
        return [self.line(i) for i in self._lines(lines)]

    def _with_trigger(self, trigger: re.Pattern, lines: set[int] | None) -> set[int]:
        """Those of ``lines`` (None: all) that hold a match of ``trigger``, searched for only on
        lines that hold its needs and some rule asks about."""
        key = ("holding", trigger.pattern)
        if key not in self.cache:
            self.cache[key] = self.holding(trigger.pattern)
        holding = self.cache[key]
        if holding is not None:
            lines = holding if lines is None else lines & holding
        found = []
        for i in self._lines(lines):
            key = (trigger.pattern, i)  # (hashing a compiled pattern hashes all its code)
            if key not in self.cache:
                self.cache[key] = trigger.search(self.text, *self.line(i)) is not None
            if self.cache[key]:
                found.append(i)
        return set(found)

    def _lines(self, lines: set[int] | None):
        return range(len(self.starts)) if lines is None else sorted(lines)
