"""evaluate: score a facts table against gold JSONL (the format is in the README, section Evaluate).

Span types match one-to-one on overlapping raw spans within a document; a match is *strict*
when the value is right too. Officials are scored per document and person (mentions folded),
by name or alias; their value is the title and the country. Gold marked ``ignore`` neither rewards nor penalizes; ``novalue`` gold counts
a span match as strict. Value accuracy is strict matches / span matches.

Lines with ``"verdict": "wrong"`` (written by ``facts review import``) are facts a reviewer
rejected: they are not gold, and the report lists the predictions that still overlap one, so the
next run shows whether a rejected fact is still produced.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.normalize import name_key
from pipeline.schemas import FACT_TYPES

CORE_TYPES = ("money", "doc_count", "date", "official")
# dates resolved from the dateline (امروز, سال گذشته); gold marks them `ignore`, and the
# `date_absolute` row scores the other date facts alone
RELATIVE_DATE_RULES = "date.relative."
VALUE_KEYS = {
    "money": ("currency", "amount", "amount_min", "amount_max"),
    "doc_count": ("count",),
    "date": ("date_start", "date_end"),
    "percent": ("value",),
    "quantity": ("value",),
}


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        sp = self.strict / self.predicted if self.predicted else 0.0
        sr = self.strict / self.gold if self.gold else 0.0
        return asdict(self) | {
            "precision": p,
            "recall": r,
            "f1": self._f1(p, r),
            "strict_precision": sp,
            "strict_recall": sr,
            "strict_f1": self._f1(sp, sr),
            "value_accuracy": self.strict / self.matched if self.matched else 0.0,
        }


def load_gold(path: Path) -> list[dict]:
    gold = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    gold.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not a JSON line: {exc}") from exc
    return gold


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def value_is_right(fact_type: str, gold: dict, pred: dict) -> bool:
    if gold.get("novalue"):
        return True
    if fact_type == "date":
        ok_pairs = [(gold.get("date_start"), gold.get("date_end"))] + [tuple(p) for p in gold.get("alt", [])]
        return (str(pred.get("date_start")), str(pred.get("date_end"))) in ok_pairs
    keys = [k for k in VALUE_KEYS[fact_type] if k in gold]
    return bool(keys) and all(_same(gold[k], pred.get(k)) for k in keys)


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def score_spans(fact_type: str, gold: list[dict], pred: list[dict], score: Score) -> list[dict]:
    """One document's span facts of one type; returns the unmatched predictions (false positives)."""
    counted = [g for g in gold if not g.get("ignore")]
    score.gold += len(counted)
    free = list(pred)
    for g in counted:
        options = [p for p in free if _overlap(g, p) > 0]
        if not options:
            continue
        best = max(options, key=lambda p: (value_is_right(fact_type, g, p), _overlap(g, p)))
        free.remove(best)
        score.matched += 1
        score.strict += value_is_right(fact_type, g, best)
    ignored = [g for g in gold if g.get("ignore")]
    false_positives = [p for p in free if not any(_overlap(g, p) > 0 for g in ignored)]
    score.predicted += len(pred) - len(free) + len(false_positives)
    return false_positives


def _person_matches(pred_name: str, gold: dict) -> bool:
    keys = {name_key(gold.get("name"))} | {name_key(a) for a in gold.get("aliases", [])}
    key = name_key(pred_name)
    # an honorific or title may stay attached to the predicted name ("آقای توکایف")
    return any(k and (key == k or key.endswith(k)) for k in keys)


def _title_key(title: Any) -> str:
    return re.sub(r"\s+", "", name_key(title))


def _office_is_right(gold: dict, person: dict) -> bool:
    """An official's value: a title predicted for the person contains the gold title or is
    contained in it, and the person's country is the gold one (when the gold names one)."""
    gold_title = _title_key(gold.get("title"))
    titles = [key for key in map(_title_key, person["titles"]) if key]
    title_right = any(gold_title in key or key in gold_title for key in titles)
    return title_right and (not gold.get("country") or name_key(gold["country"]) in person["countries"])


def score_officials(gold: list[dict], pred: list[dict], score: Score) -> list[dict]:
    people: dict[str, dict] = {}
    for g in gold:
        person = people.setdefault(name_key(g["name"]), {**g, "aliases": set()})
        person["aliases"] |= set(g.get("aliases", [])) | {g["text"]}
        person["ignore"] = person.get("ignore", False) and g.get("ignore", False)
    predicted: dict[str, dict] = {}
    for p in pred:
        person = predicted.setdefault(name_key(p.get("name") or p["text"]),
                                      {"name": p.get("name") or p["text"], "titles": set(), "countries": set(), "facts": []})
        if isinstance(p.get("title"), str):
            person["titles"].add(p["title"])
        if isinstance(p.get("country"), str):
            person["countries"].add(name_key(p["country"]))
        person["facts"].append(p)
    counted = [g for g in people.values() if not g.get("ignore")]
    ignored = [g for g in people.values() if g.get("ignore")]
    score.gold += len(counted)
    free = list(predicted.values())
    for g in counted:
        options = [p for p in free if _person_matches(p["name"], g)]
        if not options:
            continue
        strict = [p for p in options if _office_is_right(g, p)]
        best = (strict or options)[0]
        free.remove(best)
        score.matched += 1
        score.strict += bool(strict)
    false_positives = [p for p in free if not any(_person_matches(p["name"], g) for g in ignored)]
    score.predicted += len(predicted) - len(free) + len(false_positives)
    return [f for p in false_positives for f in p["facts"][:1]]


def evaluate(gold: list[dict], facts: pd.DataFrame, only_gold_docs: bool = False) -> dict[str, Any]:
    """Scores per fact type and for the core types together.

    Every document of the gold file or the facts table is scored, so facts found in a document
    without gold facts count as false positives; ``only_gold_docs`` restricts scoring to the
    documents the gold file names (for a gold set that covers part of a run).
    """
    rejected = [g for g in gold if g.get("verdict") == "wrong"]
    gold = [g for g in gold if g.get("verdict") != "wrong"]
    docs = {g["doc"] for g in gold + rejected}
    if only_gold_docs:
        facts = facts[facts.doc_id.isin(docs)]
    docs |= set(facts.doc_id)
    pred_by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in facts.to_dict("records"):
        pred_by[(row["fact_type"], row["doc_id"])].append(row)
    gold_by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in gold:
        gold_by[(g["type"], g["doc"])].append(g)
    scores = {t: Score() for t in FACT_TYPES}
    false_positives: list[dict] = []
    for fact_type in FACT_TYPES:
        for doc in sorted(docs):
            g, p = gold_by.get((fact_type, doc), []), pred_by.get((fact_type, doc), [])
            if fact_type == "official":
                false_positives += score_officials(g, p, scores[fact_type])
            else:
                false_positives += score_spans(fact_type, g, p, scores[fact_type])
    core = Score()
    for t in CORE_TYPES:
        for k in ("gold", "predicted", "matched", "strict"):
            setattr(core, k, getattr(core, k) + getattr(scores[t], k))
    absolute = Score()
    for doc in sorted(docs):
        predicted = [p for p in pred_by.get(("date", doc), []) if not str(p.get("rule_id")).startswith(RELATIVE_DATE_RULES)]
        score_spans("date", gold_by.get(("date", doc), []), predicted, absolute)
    report = {t: s.as_dict() for t, s in scores.items()} | {"core": core.as_dict(), "date_absolute": absolute.as_dict()}
    return {
        "documents": len(docs),
        "scores": report,
        "false_positives": len(false_positives),
        "rejected": {"lines": len(rejected), "still_predicted": still_predicted(rejected, false_positives)},
    }


def still_predicted(rejected: list[dict], false_positives: list[dict]) -> list[dict]:
    """The rejected gold lines that an unmatched prediction overlaps, with the rule that made it."""
    found = []
    for g in rejected:
        for p in false_positives:
            same_person = g["type"] == "official" and _person_matches(p.get("name") or p["text"], {"name": g.get("name") or g["text"]})
            if (p["doc_id"], p["fact_type"]) == (g["doc"], g["type"]) and (_overlap(g, p) > 0 or same_person):
                found.append({"doc": g["doc"], "type": g["type"], "start": int(p["start"]), "end": int(p["end"]),
                              "text": p.get("text"), "rule_id": p.get("rule_id")})
                break
    return found


def format_report(result: dict[str, Any]) -> str:
    lines = [f"documents scored: {result['documents']}"]
    header = f"{'type':<13} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'strictF1':>8} {'value_acc':>9}"
    lines.append(header)
    for fact_type, s in result["scores"].items():
        if not (s["gold"] or s["predicted"]):
            continue
        lines.append(
            f"{fact_type:<13} {s['gold']:>5} {s['predicted']:>5} {s['matched']:>5} {s['precision']:>6.3f} "
            f"{s['recall']:>6.3f} {s['f1']:>6.3f} {s['strict_f1']:>8.3f} {s['value_accuracy']:>9.3f}"
        )
    rejected = result.get("rejected", {})
    if rejected.get("lines"):
        lines.append(f"marked wrong by review: {rejected['lines']}; still predicted (false positives): {len(rejected['still_predicted'])}")
        lines += [f"  {r['doc']} {r['type']} {r['start']}-{r['end']} {r['text']} ({r['rule_id']})" for r in rejected["still_predicted"]]
    return "\n".join(lines)
