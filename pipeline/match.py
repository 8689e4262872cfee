"""Stage 4, match: run the rules of ``rules/`` over normalized text → one table per fact type.

Finding a span (the rule's regex) and resolving its value (the rule's producer) are separate
steps. Within a fact type, overlapping candidates are resolved by keeping the longest span
(then the earlier rule). Offsets are mapped back to the raw text, so ``raw[start:end] == text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from pipeline.facttypes import MatchContext, get_finalizer, get_producer
from pipeline.normalize import OffsetMap
from pipeline.rules import RuleSet, default_rules
from pipeline.schemas import MATCHED_TYPES, SCHEMAS


@dataclass
class Candidate:
    fact_type: str
    start: int  # normalized offsets until mapped
    end: int
    rule_id: str
    priority: int
    values: dict[str, Any] = field(default_factory=dict)


def trigger_regions(text: str, trigger: re.Pattern | None) -> list[tuple[int, int]]:
    """The lines of ``text`` that hold a match of ``trigger`` (all of it without a trigger).

    Python's ``re`` scans every position once per rule; most lines of an article hold no
    currency, percent sign or unit, so the rules of such a file need not look at them.
    """
    if trigger is None:
        return [(0, len(text))]
    regions: list[tuple[int, int]] = []
    for m in trigger.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


@lru_cache(maxsize=512)
def required_parts(pattern: str, flags: int) -> tuple[re.Pattern, ...]:
    """The named groups every match of ``pattern`` holds (at its top level, not optional), as
    patterns of their own: `(?P<title>{official_title_plural})` of a list of officials.

    A region in which one of them is nowhere found holds no match, so the rule need not scan it
    (rare words such as plural titles let most articles skip the costliest rules)."""
    parts, depth, i, opened = [], 0, 0, []
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 1
        elif ch == "[":
            i = _class_end(pattern, i)
        elif ch == "(":
            opened.append(i)
            depth += 1
        elif ch == ")":
            depth -= 1
            start = opened.pop()
            name = re.match(r"\(\?P<(\w+)>", pattern[start:])
            optional = pattern[i + 1 : i + 2] in ("?", "*", "{")
            if depth == 0 and name and not optional:
                parts.append(pattern[start + name.end() : i])
        elif ch == "|" and depth == 0:
            return ()  # alternatives at the top: no part is in every match
        i += 1
    own = [p for p in parts if not re.search(r"\\[1-9]|\(\?P=|\(\?\(", p)]  # no back-references
    return tuple(re.compile(p, flags) for p in own)


def _class_end(pattern: str, i: int) -> int:
    """The index of the ``]`` closing the character class opened at ``pattern[i]``."""
    i += 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def find_candidates(text: str, ctx: MatchContext, fact_type: str) -> list[Candidate]:
    """Every match of every rule of ``fact_type`` that its producer accepts."""
    found = []
    regions_by_trigger: dict = {}
    matches_by_pattern: dict = {}  # rules that share a pattern (one per producer) scan once
    part_found: dict = {}

    def has_part(part: re.Pattern, region: tuple[int, int]) -> bool:
        if (part, region) not in part_found:
            part_found[part, region] = part.search(text, *region) is not None
        return part_found[part, region]

    for priority, rule in enumerate(ctx.rules.for_type(fact_type)):
        produce = get_producer(fact_type, rule.producer)
        group = "span" if "span" in rule.pattern.groupindex else 0
        if rule.trigger not in regions_by_trigger:
            regions_by_trigger[rule.trigger] = trigger_regions(text, rule.trigger)
        scan = (rule.pattern.pattern, rule.pattern.flags, rule.trigger)
        if scan not in matches_by_pattern:
            parts = required_parts(rule.pattern.pattern, rule.pattern.flags)
            regions = [region for region in regions_by_trigger[rule.trigger] if all(has_part(part, region) for part in parts)]
            matches_by_pattern[scan] = [m for start, end in regions for m in rule.pattern.finditer(text, start, end)]
        for m in matches_by_pattern[scan]:
            if m.end(group) <= m.start(group):
                continue
            values = produce(m, ctx)
            if values is not None:
                found.append(Candidate(fact_type, m.start(group), m.end(group), rule.id, priority, values))
    return found


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (ties: the earlier rule, then the earlier span)."""
    kept: list[Candidate] = []
    occupied: list[tuple[int, int]] = []
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        i = bisect.bisect_left(occupied, (cand.start, cand.start))
        before = occupied[i - 1] if i else None
        after = occupied[i] if i < len(occupied) else None
        if (before and before[1] > cand.start) or (after and after[0] < cand.end):
            continue
        occupied.insert(i, (cand.start, cand.end))
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


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


def match_document(doc, text: str, offsets: OffsetMap, sentence_starts: list[int], rules: RuleSet) -> list[dict]:
    """All facts of one document, as rows with raw offsets."""
    dateline = None if pd.isna(doc.dateline_date) else doc.dateline_date
    calendar = doc.dateline_calendar if dateline else None
    ctx = MatchContext(rules=rules, text=text, dateline=dateline, dateline_calendar=calendar)
    rows = []
    header = dateline_fact(doc)
    if header:
        rows.append(header)
    for fact_type in MATCHED_TYPES:
        # a rule that finds the dateline again does not add a second fact
        taken = [(header["start"], header["end"])] if header and fact_type == "date" else []
        candidates = find_candidates(text, ctx, fact_type)
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
    for norm in normalized.itertuples(index=False):
        offsets = OffsetMap(tuple(norm.shift_at), tuple(norm.shift_by))
        rows.extend(match_document(docs[norm.doc_id], norm.text, offsets, starts.get(norm.doc_id, [0]), rules))
    return facts_by_type(rows)


def facts_by_type(rows: list[dict]) -> dict[str, pd.DataFrame]:
    tables = {}
    for fact_type in MATCHED_TYPES:
        columns = SCHEMAS[f"facts_{fact_type}"].names
        typed = [{c: r.get(c) for c in columns} for r in rows if r["fact_type"] == fact_type]
        tables[fact_type] = pd.DataFrame(typed, columns=columns)
    return tables
