"""The words of an article, read once.

A rule that wants the words of some kind (a rare word shaped like the surname of a person found)
asks here: every distinct word of the article is looked up once, in a set or a dict, instead of
a regex of all such words being tried at every character of the text. The rule's own regex then
runs only where a word it wants stands.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable

from pipeline.normalize import ZWNJ


class ArticleWords:
    """The words of one text: what ``word`` matches (e.g. the rules' ``{fa_word}``: Persian
    letters, parts joined by ZWNJ), found in one pass when first asked for. A word stands
    where no letter and no ZWNJ touches it (not `میلیون` in `۵‌میلیون`)."""

    def __init__(self, text: str, word: re.Pattern):
        self.text = text
        self._word = word

    @cached_property
    def distinct(self) -> frozenset[str]:
        return frozenset(self._word.findall(self.text))

    def starts_of(self, keep: Callable[[str], bool], skip: frozenset[str] = frozenset()) -> list[int]:
        """Where the words for which ``keep`` holds start, in text order (``keep`` is asked
        once per distinct word not in ``skip``; most words of an article are then never looked
        at again)."""
        text, starts = self.text, []
        for word in filter(keep, self.distinct - skip):
            at = text.find(word)
            while at >= 0:
                if self._whole(at, at + len(word)):
                    starts.append(at)
                at = text.find(word, at + 1)
        return sorted(starts)

    def _whole(self, start: int, end: int) -> bool:
        found = self._word.match(self.text, start)
        before = self.text[start - 1 : start]
        return found is not None and found.end() == end and before != ZWNJ and not (before and self._word.match(before))
