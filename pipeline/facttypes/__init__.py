"""Producers: the functions that turn a rule's regex match into a fact's values.

A rule in ``rules/TYPE.yaml`` names its producer; the producer lives in
``pipeline/facttypes/TYPE.py`` and is registered with :func:`producer`. It receives the match
and the :class:`MatchContext` and returns the fact's value columns, or None to reject the match
(the text looked right but is not a fact of this type).

A fact type may also register one :func:`finalizer`: a document-level step that sees all the
candidates of one document at once (e.g. to fold later mentions of a person into the first).
A producer registered ``on_request`` is not run over the article with the others: it reads
only the matches the finalizer asks for (:meth:`MatchContext.requested`), for
rules that match nearly every word when only the finalizer can tell the few that matter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any, Callable

from pipeline.rules import RuleSet

Producer = Callable[[re.Match, "MatchContext"], "dict[str, Any] | None"]
PRODUCERS: dict[tuple[str, str], Producer] = {}
ON_REQUEST: set[tuple[str, str]] = set()
Finalizer = Callable[[list, "MatchContext"], list]
FINALIZERS: dict[str, Finalizer] = {}
MODULES = ("header", "money", "date", "doc_count", "official", "percent", "quantity", "named_document")


@dataclass(frozen=True)
class MatchContext:
    """What a producer may look at besides its match: the rules' lexicons and the document."""

    rules: RuleSet
    text: str = ""  # the document's normalized text
    dateline: dt.date | None = None
    dateline_calendar: str | None = None  # the calendar the dateline is written in
    anchor: str | None = None  # where ``dateline`` comes from: "dateline", or "published" (a table's field)
    lines: Any = None  # the article's lines (pipeline.prefilter.ArticleLines) while matching
    words: Any = None  # the article's words (pipeline.tokens.ArticleWords) while matching
    scan: Any = None  # the match stage's scan for candidates (pipeline.match.requested_candidates)

    def lexicon_value(self, lexicon: str, surface: str | None) -> Any:
        return None if surface is None else self.rules.lexicon(lexicon).value(surface)

    def requested(self, fact_type: str, producer: str, starts: list[int] | None, accept: Callable | None = None) -> list:
        """The candidates of the rules of an ``on_request`` producer that start at one of
        ``starts`` and pass ``accept`` (see :func:`pipeline.match.requested_candidates`)."""
        return self.scan(self, fact_type, producer, starts, accept)


def producer(fact_type: str, name: str, *, on_request: bool = False) -> Callable[[Producer], Producer]:
    def register(fn: Producer) -> Producer:
        PRODUCERS[(fact_type, name)] = fn
        if on_request:
            ON_REQUEST.add((fact_type, name))
        return fn

    return register


def finalizer(fact_type: str) -> Callable[[Finalizer], Finalizer]:
    """Register ``fn(candidates, ctx) -> candidates``, run on one document's candidates of
    ``fact_type`` before overlaps are resolved."""

    def register(fn: Finalizer) -> Finalizer:
        FINALIZERS[fact_type] = fn
        return fn

    return register


@lru_cache(maxsize=1)
def _load_modules() -> None:
    """Import every fact type's module once (importing one directly must not hide the others)."""
    for module in MODULES:
        try:
            import_module(f"pipeline.facttypes.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"pipeline.facttypes.{module}":
                raise


def get_finalizer(fact_type: str) -> Finalizer | None:
    _load_modules()
    return FINALIZERS.get(fact_type)


def is_on_request(fact_type: str, name: str) -> bool:
    _load_modules()
    return (fact_type, name) in ON_REQUEST


def get_producer(fact_type: str, name: str) -> Producer:
    _load_modules()
    try:
        return PRODUCERS[(fact_type, name)]
    except KeyError:
        raise KeyError(f"no producer {name!r} for fact type {fact_type!r} in pipeline/facttypes/{fact_type}.py") from None
