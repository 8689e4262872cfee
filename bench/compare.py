"""Fact by fact: what a change to matching lost, added and changed between two runs.

    python -m bench.compare BEFORE/facts.parquet AFTER/facts.parquet [--type official] [--show 20]
    python -m bench.compare BEFORE AFTER     # the output folders of two runs: their facts.parquet

Facts are keyed by `fact_id` (doc, type and raw offsets). A fact in one run only is lost or added;
a fact in both whose value columns differ is changed, column by column. The counts per type come
first, then up to `--show` examples of each kind, so a closing note can say what moved and why.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

# Columns that say where a fact is; every other column is a value to compare.
KEY_COLUMNS = ["fact_id", "doc_id", "fact_type", "start", "end", "text", "sentence_id"]


def _same(a, b) -> bool:
    """Equal values, NA equal to NA; lists and dates compared by their text."""
    a_missing = a is None or (isinstance(a, float) and pd.isna(a)) or a is pd.NaT
    b_missing = b is None or (isinstance(b, float) and pd.isna(b)) or b is pd.NaT
    if a_missing or b_missing:
        return a_missing and b_missing
    return str(a) == str(b)


def read_facts(path: Path) -> pd.DataFrame:
    """A run's fact sheet: ``path`` itself, or ``path/facts.parquet`` for an output folder."""
    sheet = path / "facts.parquet" if path.is_dir() else path
    if not sheet.is_file():
        raise SystemExit(f"{path}: no fact sheet here (give a facts.parquet or the output folder of `facts run`)")
    return pd.read_parquet(sheet)


def compare(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The lost, added and changed facts, each a frame with a `fact_type` column."""
    before = before.set_index("fact_id", drop=False)
    after = after.set_index("fact_id", drop=False)
    lost = before.loc[before.index.difference(after.index)]
    added = after.loc[after.index.difference(before.index)]
    both = before.index.intersection(after.index)
    value_columns = [c for c in before.columns if c in after.columns and c not in KEY_COLUMNS]
    rows = []
    for fact_id in both:
        b, a = before.loc[fact_id], after.loc[fact_id]
        for column in value_columns:
            if not _same(b[column], a[column]):
                rows.append({"fact_id": fact_id, "fact_type": b["fact_type"], "text": b["text"],
                             "column": column, "before": b[column], "after": a[column]})
    changed = pd.DataFrame(rows, columns=["fact_id", "fact_type", "text", "column", "before", "after"])
    return {"lost": lost.reset_index(drop=True), "added": added.reset_index(drop=True), "changed": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--type", dest="fact_type", default=None, help="only this fact type")
    parser.add_argument("--show", type=int, default=10, help="examples of each kind (default 10)")
    args = parser.parse_args()
    before, after = read_facts(args.before), read_facts(args.after)
    if args.fact_type:
        before = before[before.fact_type == args.fact_type]
        after = after[after.fact_type == args.fact_type]
    result = compare(before, after)
    types = sorted(set(before.fact_type) | set(after.fact_type))
    print(f"{'type':<10} {'before':>7} {'after':>7} {'lost':>6} {'added':>6} {'changed':>8}")
    for t in types:
        changed = result["changed"]
        print(f"{t:<10} {(before.fact_type == t).sum():>7} {(after.fact_type == t).sum():>7} "
              f"{(result['lost'].fact_type == t).sum():>6} {(result['added'].fact_type == t).sum():>6} "
              f"{changed[changed.fact_type == t].fact_id.nunique():>8}")
    for kind in ("lost", "added"):
        frame = result[kind]
        if len(frame):
            print(f"\n{kind} ({len(frame)}):")
            for row in frame.head(args.show).itertuples():
                print(f"  {row.fact_id}  {row.text!r}  {row.rule_id}")
    if len(result["changed"]):
        print(f"\nchanged ({len(result['changed'])} values):")
        for row in result["changed"].head(args.show).itertuples():
            print(f"  {row.fact_id}  {row.text!r}  {row.column}: {row.before!r} -> {row.after!r}")


if __name__ == "__main__":
    main()
