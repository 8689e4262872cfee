"""Stage 4, match: run the rules of ``rules/`` over normalized text → one table per fact type.

Finding a span (the rule's regex) and resolving its value (the rule's producer) are separate
steps. Within a fact type, overlapping candidates are resolved by keeping the longest span
(then the earlier rule). Offsets are mapped back to the raw text, so ``raw[start:end] == text``.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Callable

import pandas as pd

from pipeline.candidates import Candidate, resolve_overlaps
from pipeline.facttypes import MatchContext, get_finalizer, get_producer, is_on_request
from pipeline.facttypes.date import read_published
from pipeline.normalize import OffsetMap, read_normalized
from pipeline.prefilter import ArticleLines
from pipeline.rules import Rule, RuleSet, StartsNear, default_rules
from pipeline.schemas import MATCHED_TYPES, SCHEMAS
from pipeline.tokens import ArticleWords


def find_candidates(lines: ArticleLines, ctx: MatchContext, fact_type: str) -> list[Candidate]:
    """Every match of every rule of ``fact_type`` that its producer accepts, looked for on the
    lines that hold the rule's needs (``pipeline/prefilter.py``); rules of producers registered
    ``on_request`` wait for the finalizer to ask (:func:`requested_candidates`)."""
    rules = [(i, r) for i, r in enumerate(ctx.rules.for_type(fact_type)) if not is_on_request(fact_type, r.producer)]
    return _candidates(lines, ctx, fact_type, rules)


def requested_candidates(
    ctx: MatchContext, fact_type: str, producer: str, starts: list[int] | None, accept: Callable[[re.Match], bool] | None = None
) -> list[Candidate]:
    """The candidates of the rules of ``producer`` that start at one of ``starts`` (in text
    order; None: anywhere on the lines that hold the rules' needs) and pass ``accept``, a cheap
    test of a match before its producer reads it."""
    rules = [(i, r) for i, r in enumerate(ctx.rules.for_type(fact_type)) if r.producer == producer]
    return _candidates(ctx.lines, ctx, fact_type, rules, starts, accept)


def _candidates(
    lines: ArticleLines, ctx: MatchContext, fact_type: str, rules, starts: list[int] | None = None, accept: Callable[[re.Match], bool] | None = None
) -> list[Candidate]:
    found = []
    matches_by_pattern: dict = {}  # rules that share a pattern (one per producer) scan once
    for priority, rule in rules:
        produce = get_producer(fact_type, rule.producer)
        # (keyed by strings: hashing a compiled pattern hashes all its code)
        scan = (rule.regex, rule.trigger_regex, rule.starts_near and rule.starts_near.key)
        if scan not in matches_by_pattern:
            matches_by_pattern[scan] = (
                scan_regions(rule, lines, lines.regions(rule.id, rule.trigger_regex))
                if starts is None
                else list(matches_at(rule.pattern, lines.text, starts, len(lines.text)))
            )
        if not matches_by_pattern[scan]:
            continue  # (a rule without lines to scan is not even compiled)
        group = "span" if "span" in rule.pattern.groupindex else 0
        for m in matches_by_pattern[scan]:
            if m.end(group) <= m.start(group) or (accept is not None and not accept(m)):
                continue
            values = produce(m, ctx)
            if values is not None:
                found.append(Candidate(fact_type, m.start(group), m.end(group), rule.id, priority, values))
    return found


TOKEN = re.compile(r"\S+")


def scan_regions(rule: Rule, lines: ArticleLines, regions: list[tuple[int, int]]) -> list[re.Match]:
    """The matches of ``rule.pattern.finditer`` over each region; for a rule with ``starts_near``,
    the same matches found by trying the pattern only where a match may start."""
    text = lines.text
    if rule.starts_near is None:
        return [m for start, end in regions for m in rule.pattern.finditer(text, start, end)]
    return [m for start, end in regions for m in _matches_near(rule, lines, start, end)]


def _matches_near(rule: Rule, lines: ArticleLines, start: int, end: int):
    return matches_at(rule.pattern, lines.text, _start_positions(rule.starts_near, lines, start, end), end)


def matches_at(pattern: re.Pattern, text: str, positions: list[int], end: int):
    """The matches of ``pattern`` before ``end`` that start at one of ``positions`` (in text
    order), as ``finditer`` finds them: the next match starts after the last one."""
    after = 0
    for position in positions:
        if position >= after and (m := pattern.match(text, position, end)):
            yield m
            after = m.end()


def _start_positions(near: StartsNear, lines: ArticleLines, start: int, end: int) -> list[int]:
    """Where in ``text[start:end]`` a match may start: from ``words_before`` words before each
    place ``at`` matches (rules that start near the same places ask once per line)."""
    key = (near.key, start, end)
    if key not in lines.cache:
        text, at, places, position = lines.text, near.at, [], start
        while found := at.search(text, position, end):  # every place, overlapping ones too
            places.append(found.start())
            position = found.start() + 1
        positions: set[int] = set(places)
        if places and near.words_before:
            tokens = [t.start() for t in TOKEN.finditer(text, start, end)]
            for place in places:
                i = bisect.bisect_right(tokens, place) - 1 - near.words_before  # the token at the place, then back
                positions.update(range(tokens[i] if i >= 0 else start, place))
        lines.cache[key] = sorted(positions)
    return lines.cache[key]


def dateline_fact(doc) -> dict[str, Any] | None:
    """The article's own dateline (found by ingest) as a date fact."""
    if pd.isna(doc.dateline_start) or pd.isna(doc.dateline_date):
        return None
    return {
        "fact_type": "date",
        "start": int(doc.dateline_start),
        "end": int(doc.dateline_end),
        "rule_id": doc.dateline_rule_id,
        "date_start": doc.dateline_date,
        "date_end": doc.dateline_date,
        "calendar": doc.dateline_calendar,
        "precision": "day",
        "time": None if pd.isna(doc.dateline_time) else doc.dateline_time,
    }


def date_anchor(doc, rules: RuleSet) -> tuple[Any, str | None, str | None]:
    """(day, calendar, source) that relative dates are read from: the article's dateline, else the
    ``published`` field of a table input; (None, None, None) when there is neither."""
    if not pd.isna(doc.dateline_date):
        return doc.dateline_date, doc.dateline_calendar, "dateline"
    published = read_published(rules, getattr(doc, "published", None))
    return (*published, "published") if published else (None, None, None)


def match_document(doc, text: str, offsets: OffsetMap, sentence_starts: list[int], rules: RuleSet) -> list[dict]:
    """All facts of one document, as rows with raw offsets."""
    dateline, calendar, anchor = date_anchor(doc, rules)
    lines = ArticleLines(text, rules.line_finder)
    ctx = MatchContext(
        rules=rules, text=text, dateline=dateline, dateline_calendar=calendar, anchor=anchor,
        lines=lines, words=ArticleWords(text, rules.macro("fa_word")), scan=requested_candidates,
    )
    rows = []
    header = dateline_fact(doc)
    if header:
        rows.append(header)
    for fact_type in MATCHED_TYPES:
        # a rule that finds the dateline again does not add a second fact
        taken = [(header["start"], header["end"])] if header and fact_type == "date" else []
        candidates = find_candidates(lines, ctx, fact_type)
        finish = get_finalizer(fact_type)
        if finish:
            candidates = finish(candidates, ctx)
        for cand in resolve_overlaps(candidates):
            start, end = offsets.span_to_raw(cand.start, cand.end)
            if any(s < end and start < e for s, e in taken):
                continue
            rows.append({"fact_type": fact_type, "start": start, "end": end, "rule_id": cand.rule_id, **cand.values})
    raw = doc.text
    for row in rows:
        row["doc_id"] = doc.doc_id
        row["text"] = raw[row["start"] : row["end"]]
        row["fact_id"] = f"{doc.doc_id}:{row['fact_type']}:{row['start']}-{row['end']}"
        row["sentence_id"] = max(bisect.bisect_right(sentence_starts, row["start"]) - 1, 0)
    return rows


def match_documents(
    documents: pd.DataFrame, normalized: pd.DataFrame, sentences: pd.DataFrame, rules: RuleSet | None = None
) -> dict[str, pd.DataFrame]:
    """documents + normalized + sentences → ``facts_<type>`` tables."""
    rules = rules or default_rules()
    docs = {d.doc_id: d for d in documents.itertuples(index=False)}
    starts = sentences.groupby("doc_id")["start"].apply(list).to_dict()
    rows: list[dict] = []
    for doc_id, (text, offsets) in read_normalized(normalized).items():
        rows.extend(match_document(docs[doc_id], text, offsets, starts.get(doc_id, [0]), rules))
    return facts_by_type(rows)


def facts_by_type(rows: list[dict]) -> dict[str, pd.DataFrame]:
    tables = {}
    for fact_type in MATCHED_TYPES:
        columns = SCHEMAS[f"facts_{fact_type}"].names
        typed = [{c: r.get(c) for c in columns} for r in rows if r["fact_type"] == fact_type]
        tables[fact_type] = pd.DataFrame(typed, columns=columns)
    return tables
