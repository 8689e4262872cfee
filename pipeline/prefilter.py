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
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Callable

import ahocorasick

from pipeline import pattern_syntax
from pipeline.cache import compiled

# what the needs and widths read here depend on: the code that read them, this module and the
# pattern parser (as imported, not as on disk now)
READER_VERSION = hashlib.sha256(b"".join(Path(m).read_bytes() for m in (__file__, pattern_syntax.__file__))).hexdigest()[:16]
MAX_STRINGS = 4096  # larger literal sets are not worth the automaton's memory
NEEDS_KEPT = 3  # the most selective needs of a rule; more seldom skip another line
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


NO_LETTER = pattern_syntax.parse(r"[^\W\d_]")  # the class a word-boundary assertion rules out
CLASS_WILDCARDS = {  # the classes a wildcard stands for
    pattern_syntax.parse(pattern)[0][1]: wildcard
    for pattern, wildcard in ((r"\s", SPACE), (r"[\s\u200c]", SPACE_OR_ZWNJ), (r"[\u200c\s]", SPACE_OR_ZWNJ), (r"\d", DIGIT))
}


def _rules_out_letters(nodes: tuple) -> bool:
    r"""The nodes of a negative look-around of one character from a class that holds every
    letter: ``(?<![^\W\d_])``, ``(?![\w\u200c])``, ``(?<!\w)``."""
    if nodes == NO_LETTER:
        return True
    return len(nodes) == 1 and nodes[0][0] == "class" and not nodes[0][2] and ("category", "word") in nodes[0][1]


class LiteralReader:
    """Reads the literal needs and the least width of patterns written with ``{placeholders}``
    (``pipeline/pattern_syntax.py``); each fragment (a lexicon or macro) is parsed and read once
    and shared by every pattern that uses it."""

    def __init__(self, fragments: dict[str, str]):
        self.fragments = fragments
        self.read: dict[str, Literals] = {}
        self.trees: dict[str, tuple] = {}

    def needs(self, pattern: str) -> tuple[frozenset[str], ...]:
        return self.literals(pattern).needs

    def literals(self, pattern: str) -> Literals:
        try:
            return self._sequence(pattern_syntax.parse(pattern))
        except pattern_syntax.PatternSyntaxError:
            return ANYTHING  # a fragment that is only valid in its context: no prefilter

    def min_width(self, pattern: str) -> int | None:
        """The fewest characters a match spans (None: syntax the parser does not read)."""
        try:
            return pattern_syntax.min_width(pattern_syntax.parse(pattern), self._tree)
        except pattern_syntax.PatternSyntaxError:
            return None

    def _tree(self, name: str) -> tuple:
        if name not in self.trees:
            self.trees[name] = pattern_syntax.parse(self.fragments.get(name, ""))
        return self.trees[name]

    def _fragment(self, name: str) -> Literals:
        if name not in self.read:
            self.read[name] = ANYTHING  # a fragment that refers to itself reads as anything
            self.read[name] = self.literals(self.fragments.get(name, ""))
        return self.read[name]

    def _sequence(self, nodes: tuple) -> Literals:
        """Nodes one after another: each node's needs hold, and the strings where one node
        meets the next are needs too: ``{number}`` + `` `` + ``{currency}`` holds ``دلار``, …"""
        parts = [self._node(node) for node in nodes]
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

    def _node(self, node: tuple) -> Literals:
        kind = node[0]
        if kind == "char":
            return Literals.of(frozenset({node[1]}))
        if kind == "ref":
            return self._fragment(node[1])
        if kind == "class":
            items, negated = node[1], node[2]
            if any(item[0] == "ref" for item in items):
                # alternatives of placeholders and characters, merged into one class
                return self._branch([self._node(item) for item in items])
            if items in CLASS_WILDCARDS:
                return Literals.of(frozenset({CLASS_WILDCARDS[items]}))
            return Literals.of(None if negated else _class_chars(items))
        if kind == "group":
            return self._sequence(node[2])
        if kind == "atomic":
            return self._sequence(node[1])
        if kind == "branch":
            return self._branch([self._sequence(alternative) for alternative in node[1]])
        if kind == "repeat":
            _, low, high, body = node
            inner = self._sequence(body)
            if low == 0:
                optional = lambda s: None if s is None else s | NOTHING_KNOWN  # noqa: E731
                exact = optional(inner.exact) if high == 1 else None
                return Literals(exact, optional(inner.prefixes), optional(inner.suffixes))
            if low == high == 1:
                return inner
            return Literals(None, inner.prefixes, inner.suffixes, inner.needs)
        if kind == "look":
            _, behind, negative, body = node
            if negative and _rules_out_letters(body):
                return Literals.of(frozenset({WORD_START if behind else WORD_END}))
            if not negative and not behind:
                # a look-ahead's text is in the line too (a rule's scan ends at the line's end)
                return Literals(NOTHING_KNOWN, NOTHING_KNOWN, NOTHING_KNOWN, self._sequence(body).needs)
            return EMPTY  # zero width
        if kind == "at":
            return EMPTY
        return ANYTHING  # any character, a character that is not one, back-references

    @staticmethod
    def _branch(alternatives: list[Literals]) -> Literals:
        exact = _union(a.exact for a in alternatives)
        prefixes = _union(a.prefixes for a in alternatives)
        suffixes = _union(a.suffixes for a in alternatives)
        needs = [n for n in (exact, prefixes, suffixes) if n is not None]
        if all(a.needs for a in alternatives):  # one need from each alternative
            needs.append(frozenset().union(*(a.needs[0] for a in alternatives)))
        return Literals(exact, prefixes or NOTHING_KNOWN, suffixes or NOTHING_KNOWN, best_needs(needs))


def _class_chars(items: tuple) -> frozenset[str] | None:
    """The characters of a small class (None when it holds a category or a large range)."""
    chars: set[str] = set()
    for item in items:
        if item[0] == "char":
            chars.add(item[1])
        elif item[0] == "range" and ord(item[2]) - ord(item[1]) < 64:
            chars.update(chr(c) for c in range(ord(item[1]), ord(item[2]) + 1))
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
            self.key_searches[need_id] = need_finder(need)
        return self.key_searches[need_id]


def need_finder(need: frozenset[str]) -> Callable:
    """``find(text, start, end)``: one of ``need``'s strings in ``text[start:end]`` as plain text
    (its key: the word boundaries and spaces around it are left to the rule's regex), or None."""
    if need == ANY_DIGIT:
        return ANY_DIGIT_RE.search
    return _first_key_finder(tuple({key_of(s) for s in need}))


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

    def regions(self, key, trigger: str | None) -> list[tuple[int, int]]:
        """The lines a rule must scan: those holding its needs and a match of its file's trigger
        (a regex, compiled when a line needs it)."""
        lines = self.holding(key)
        if trigger is not None:
            lines = self._with_trigger(trigger, lines)
        return [self.line(i) for i in self._lines(lines)]

    def _with_trigger(self, trigger: str, lines: set[int] | None) -> set[int]:
        """Those of ``lines`` (None: all) that hold a match of ``trigger``, searched for only on
        lines that hold its needs and some rule asks about."""
        key = ("holding", trigger)
        if key not in self.cache:
            self.cache[key] = self.holding(trigger)
        holding = self.cache[key]
        if holding is not None:
            lines = holding if lines is None else lines & holding
        found = []
        for i in self._lines(lines):
            key = (trigger, i)
            if key not in self.cache:
                self.cache[key] = compiled(trigger).search(self.text, *self.line(i)) is not None
            if self.cache[key]:
                found.append(i)
        return set(found)

    def _lines(self, lines: set[int] | None):
        return range(len(self.starts)) if lines is None else sorted(lines)
