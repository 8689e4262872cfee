"""The syntax of rule patterns as a tree, read by our own small parser (not ``re``'s private one).

The prefilter (``pipeline/prefilter.py``) reads off a pattern the literal text every match holds,
and the rule loader the fewest characters a match spans; both walk this tree. It covers the regex
syntax the rules use, written short, with ``{placeholders}`` (lexicons and macros) as atoms of
their own: groups ``(?:`` ``(?P<name>`` ``(?>``, look-arounds, back-references ``(?P=name)``,
alternation, quantifiers (lazy and possessive too), character classes, escapes and anchors.
Anything else (flags, conditionals, numbered back-references) raises :class:`PatternSyntaxError`,
and a reader then knows nothing of the pattern, which is always safe.

A node is a tuple whose first item says what it is:

- ``("char", c)``, ``("not_char", c)``, ``("any",)``, ``("at", where)``: one character, one that
  is not ``c`` (``[^c]``), any character, an anchor (``start``, ``end``, ``start_of_text``,
  ``end_of_text``, ``word_boundary``, ``not_word_boundary``);
- ``("class", items, negated)``: a character class; items are ``("char", c)``, ``("range", lo,
  hi)``, ``("category", name)`` (``digit``, ``not_digit``, ``space``, ``not_space``, ``word``,
  ``not_word``) and, where alternatives of placeholders were merged, ``("ref", name)``;
- ``("ref", name)``: a ``{placeholder}``; ``("backref", name)``: ``(?P=name)``;
- ``("group", name, nodes)``: a capturing group (an unnamed one is numbered), ``("atomic", nodes)``;
- ``("branch", alternatives)``, ``("repeat", low, high, nodes)`` (``high`` None: no limit);
- ``("look", behind, negative, nodes)``: ``(?=`` ``(?!`` ``(?<=`` ``(?<!``.

Like ``re``'s parser, it splices non-capturing groups into the sequence around them, moves a
first item that all alternatives share out of them (``(?:ab|ac)`` reads as ``a(?:b|c)``) and
turns alternatives of single characters or classes into one class (``(?:a|[bc])`` is ``[abc]``),
so a pattern reads the same as it did when ``re``'s tree was read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from pipeline.rulefiles import PLACEHOLDER

ESCAPED_CHARS = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
CATEGORIES = {"d": "digit", "D": "not_digit", "s": "space", "S": "not_space", "w": "word", "W": "not_word"}
ANCHORS = {"A": "start_of_text", "Z": "end_of_text", "b": "word_boundary", "B": "not_word_boundary"}
HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
# items that two alternatives can share (a group, a repeat, a branch or a look-around is never
# taken for another one, as in re's parser)
SHAREABLE = {"char", "not_char", "class", "any", "at", "ref", "backref"}
QUANTIFIERS = {"?": (0, 1), "*": (0, None), "+": (1, None)}
REPEAT_BOUNDS = re.compile(r"(\d*)(,(\d*))?\}")
GROUP_OPENINGS = ("?:", "?>", "?=", "?!", "?<=", "?<!")
HEX = set("0123456789abcdefABCDEF")
OCTAL = re.compile("[0-7]{0,2}")


class PatternSyntaxError(ValueError):
    """Syntax this parser does not read (or that is not a regex at all)."""


def parse(pattern: str) -> tuple:
    """The nodes of ``pattern``, one after another."""
    return _Parser(pattern).parse()


def min_width(nodes: tuple, ref_nodes: Callable[[str], tuple]) -> int:
    """The fewest characters a match of ``nodes`` spans; ``ref_nodes(name)`` gives the nodes of
    a placeholder."""
    return _Widths(ref_nodes).of(nodes)


class _Widths:
    def __init__(self, ref_nodes: Callable[[str], tuple]):
        self.ref_nodes = ref_nodes
        self.groups: dict = {}  # the width of each group by name, for back-references

    def of(self, nodes: tuple) -> int:
        return sum(self._node(node) for node in nodes)

    def _node(self, node: tuple) -> int:
        kind = node[0]
        if kind in ("char", "not_char", "any"):
            return 1
        if kind == "class":  # alternatives of placeholders merged into a class: the narrowest
            return min(self._node(item) if item[0] == "ref" else 1 for item in node[1])
        if kind == "ref":
            return self.of(self.ref_nodes(node[1]))
        if kind == "group":
            self.groups[node[1]] = width = self.of(node[2])
            return width
        if kind == "atomic":
            return self.of(node[1])
        if kind == "branch":
            return min(self.of(alternative) for alternative in node[1])
        if kind == "repeat":
            return node[1] * self.of(node[3])
        if kind == "backref":
            return self.groups[node[1]]
        return 0  # anchors and look-arounds


class _Parser:
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.pos = 0
        self.group_count = 0
        self.group_names: set[str] = set()
        self.closed_groups: set[str | int] = set()  # (a back-reference refers to one of these)

    def parse(self) -> tuple:
        nodes = self._alternation()
        if self.pos < len(self.pattern):
            raise self._error("unbalanced parenthesis")
        return nodes

    def _error(self, message: str) -> PatternSyntaxError:
        return PatternSyntaxError(f"{message} at position {self.pos}")

    def _peek(self) -> str | None:
        return self.pattern[self.pos] if self.pos < len(self.pattern) else None

    def _next(self) -> str:
        if self.pos >= len(self.pattern):
            raise self._error("unexpected end of pattern")
        self.pos += 1
        return self.pattern[self.pos - 1]

    def _take(self, text: str) -> bool:
        if self.pattern.startswith(text, self.pos):
            self.pos += len(text)
            return True
        return False

    def _alternation(self) -> tuple:
        alternatives = [self._sequence()]
        while self._take("|"):
            alternatives.append(self._sequence())
        if len(alternatives) == 1:
            return alternatives[0]
        shared = []
        while all(alternatives) and alternatives[0][0][0] in SHAREABLE and all(a[0] == alternatives[0][0] for a in alternatives):
            shared.append(alternatives[0][0])
            alternatives = [a[1:] for a in alternatives]
        items = []
        for alternative in alternatives:
            if len(alternative) != 1 or not _merges_into_class(alternative[0]):
                return (*shared, ("branch", tuple(alternatives)))
            items.extend(alternative[0][1] if alternative[0][0] == "class" else [alternative[0]])
        return (*shared, ("class", tuple(dict.fromkeys(items)), False))

    def _sequence(self) -> tuple:
        nodes: list[tuple] = []
        while self._peek() not in (None, "|", ")"):
            char = self._next()
            if char in QUANTIFIERS:
                nodes[-1:] = [self._repeat(*QUANTIFIERS[char], nodes)]
            elif char == "{" and (placeholder := PLACEHOLDER.match(self.pattern, self.pos - 1)):
                self.pos = placeholder.end()
                nodes.append(("ref", placeholder.group(1)))
            elif char == "{" and (bounds := self._repeat_bounds()):
                nodes[-1:] = [self._repeat(*bounds, nodes)]
            elif char == "\\":
                nodes.append(self._escape(in_class=False))
            elif char == "[":
                nodes.append(self._class())
            elif char == "(":
                nodes.extend(self._group())
            elif char == ".":
                nodes.append(("any",))
            elif char in "^$":
                nodes.append(("at", "start" if char == "^" else "end"))
            else:
                nodes.append(("char", char))
        spliced: list[tuple] = []  # non-capturing groups become part of the sequence
        for node in nodes:
            spliced.extend(node[2] if node[0] == "group" and node[1] is None else [node])
        return tuple(spliced)

    def _repeat_bounds(self) -> tuple[int, int | None] | None:
        """After a ``{``: ``{m}``, ``{m,}``, ``{,n}``, ``{m,n}`` as (low, high), read on; else
        None (the ``{`` is a character)."""
        bounds = REPEAT_BOUNDS.match(self.pattern, self.pos)
        if bounds is None or bounds.group(0) == "}":
            return None
        self.pos = bounds.end()
        low = int(bounds.group(1) or 0)
        high = bounds.group(3) if bounds.group(2) else bounds.group(1)
        return low, int(high) if high else None

    def _repeat(self, low: int, high: int | None, nodes: list[tuple]) -> tuple:
        """The last of ``nodes`` repeated (a non-capturing group: its nodes)."""
        if not nodes or nodes[-1][0] in ("at", "repeat"):
            raise self._error("nothing to repeat")
        if high is not None and high < low:
            raise self._error("min repeat greater than max repeat")
        if not self._take("?"):  # lazy and possessive repeats match the same texts
            self._take("+")
        item = nodes[-1]
        body = item[2] if item[0] == "group" and item[1] is None else (item,)
        return ("repeat", low, high, body)

    def _group(self) -> list[tuple]:
        """After a ``(``: the group, look-around or back-reference (none for a comment)."""
        name = None
        if self._take("?P="):
            name = self._group_name(")")
            if name not in self.closed_groups:
                raise self._error(f"unknown group name {name!r} (or a group that is still open)")
            return [("backref", name)]
        if self._take("?#"):
            while self._next() != ")":
                pass
            return []
        if self._take("?P<"):
            name = self._group_name(">")
            if name in self.group_names:
                raise self._error(f"redefinition of group name {name!r}")
            self.group_names.add(name)
        elif not self.pattern.startswith("?", self.pos):
            self.group_count += 1
            name = self.group_count
        opening = next((o for o in GROUP_OPENINGS if self._take(o)), None) if name is None else "capture"
        if opening is None:
            raise self._error("unsupported group (flags or a conditional)")
        nodes = self._alternation()
        if not self._take(")"):
            raise self._error("missing ), unterminated subpattern")
        if opening == "capture":
            self.closed_groups.add(name)
            return [("group", name, nodes)]
        if opening == "?:":
            return [("group", None, nodes)]
        if opening == "?>":
            return [("atomic", nodes)]
        return [("look", opening.startswith("?<"), opening.endswith("!"), nodes)]

    def _group_name(self, end: str) -> str:
        name = self._until(end)
        if not name.isidentifier():
            raise self._error(f"bad group name {name!r}")
        return name

    def _until(self, end: str) -> str:
        """The text up to ``end``, read on past it."""
        close = self.pattern.find(end, self.pos)
        if close < 0:
            raise self._error(f"missing {end}")
        text, self.pos = self.pattern[self.pos : close], close + 1
        return text

    def _escape(self, in_class: bool) -> tuple:
        """After a ``\\``: a character, a category or (outside a class) an anchor."""
        letter = self._next()
        if in_class and letter == "b":
            return ("char", "\x08")  # backspace
        if letter in CATEGORIES:
            return ("category", CATEGORIES[letter]) if in_class else ("class", (("category", CATEGORIES[letter]),), False)
        if letter in ANCHORS and not in_class:
            return ("at", ANCHORS[letter])
        if letter in ESCAPED_CHARS:
            return ("char", ESCAPED_CHARS[letter])
        if letter in HEX_DIGITS:
            digits = self.pattern[self.pos : self.pos + HEX_DIGITS[letter]]
            if len(digits) != HEX_DIGITS[letter] or not all(d in HEX for d in digits):
                raise self._error(f"incomplete escape \\{letter}")
            self.pos += len(digits)
            return ("char", chr(int(digits, 16)))
        if letter == "N" and self._take("{"):
            try:
                return ("char", unicodedata.lookup(self._until("}")))
            except KeyError:
                raise self._error("undefined character name") from None
        if letter == "0":
            digits = OCTAL.match(self.pattern, self.pos).group(0)
            self.pos += len(digits)
            return ("char", chr(int("0" + digits, 8)))
        if letter.isascii() and letter.isalnum():
            raise self._error(f"unsupported escape \\{letter}")  # numbered back-references, bad escapes
        return ("char", letter)

    def _class(self) -> tuple:
        """After a ``[``: a class (one character, or one that is not it, when it holds one)."""
        negated = self._take("^")
        items: list[tuple] = []
        while True:
            char = self._next()
            if char == "]" and items:
                break
            item = self._escape(in_class=True) if char == "\\" else ("char", char)
            if self._take("-"):
                if self._peek() == "]":
                    items += [item, ("char", "-")]
                    self.pos += 1
                    break
                last = self._next()
                end = self._escape(in_class=True) if last == "\\" else ("char", last)
                if item[0] != "char" or end[0] != "char" or end[1] < item[1]:
                    raise self._error("bad character range")
                item = ("range", item[1], end[1])
            items.append(item)
        items = list(dict.fromkeys(items))
        if len(items) == 1 and items[0][0] == "char":
            return ("not_char", items[0][1]) if negated else items[0]
        return ("class", tuple(items), negated)


def _merges_into_class(node: tuple) -> bool:
    """An alternative that joins the others in one class when all are such: a character, a
    placeholder (as re read the stand-in character it once was) or a class that is not negated."""
    return node[0] in ("char", "ref") or (node[0] == "class" and not node[2])
