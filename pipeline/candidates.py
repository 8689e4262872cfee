"""A candidate fact: a rule's match that its producer accepted, with the values it gave; and which
of overlapping candidates of one fact type is kept.

The match stage makes candidates (``pipeline/match.py``) and a fact type's finalizer may work on
them (``pipeline/facttypes/``); both read this module, which reads neither.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    fact_type: str
    start: int  # normalized offsets until mapped
    end: int
    rule_id: str
    priority: int
    values: dict[str, Any] = field(default_factory=dict)


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
