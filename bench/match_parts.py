"""Where the match stage's time goes, on the tables of a run: what a new engine must beat.

    python -m bench.match_parts RUN        # RUN: an output folder of `facts run`

Prints what each process pays once (loading the rules, compiling every pattern), then the match
stage over every article of RUN, all patterns compiled, with its parts: the regex scans of each
fact type, choosing each rule's lines (the automaton's pass over each article, then each rule's
lines), the producers and the finalizers of each fact type (a finalizer's time holds the
candidates it asks for: the officials' mentions). MB/s counts the articles' UTF-8 bytes. The
parts are timed by wrapping functions of ``pipeline/match.py`` for the run; the facts are the
same. Benchmarks report; no test times anything.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from pipeline import match
from pipeline.rules import default_rules


def clocked(function, seconds: Counter, label):
    """``function``, adding the time of each call to ``seconds[label(*args)]``."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label(*args)] += time.perf_counter() - start

    return wrapper


@contextmanager
def replaced(owner, name: str, replacement) -> Iterator[None]:
    """``owner.name`` is ``replacement`` while the block runs."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def timed(owner, name: str, seconds: Counter, label):
    """``owner.name`` adds its time to ``seconds[label(*args)]`` while the block runs."""
    return replaced(owner, name, clocked(getattr(owner, name), seconds, label))


def timed_lookups(lookup: str, seconds: Counter, part: str):
    """The functions ``match.<lookup>(fact_type, ...)`` returns add their time to
    ``seconds[f"{part} {fact_type}"]`` while the block runs."""
    original = getattr(match, lookup)

    def wrapped_lookup(fact_type, *names):
        found = original(fact_type, *names)
        return None if found is None else clocked(found, seconds, lambda *_: f"{part} {fact_type}")

    return replaced(match, lookup, wrapped_lookup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="an output folder of `facts run`")
    args = parser.parse_args()
    tables = [args.run / f"{name}.parquet" for name in ("documents", "normalized", "sentences")]
    if missing := [t.name for t in tables if not t.exists()]:
        raise SystemExit(f"{args.run}: no {', '.join(missing)} here (give the output folder of `facts run`)")
    documents, normalized, sentences = (pd.read_parquet(t) for t in tables)
    megabytes = normalized.text.str.encode("utf-8").str.len().sum() / 1e6

    start = time.perf_counter()
    rules = default_rules()
    loaded = time.perf_counter()
    patterns = [p for r in rules.rules for p in (r.pattern, r.trigger, r.starts_near and r.starts_near.at) if p]
    compiled = time.perf_counter()
    print(f"once per process: loading the rules {loaded - start:.2f} s, compiling their {len(patterns)} patterns {compiled - loaded:.2f} s")

    seconds: Counter = Counter()
    with (
        timed(match, "scan_regions", seconds, lambda rule, *_: f"scans {rule.fact_type}"),
        timed(match.ArticleLines, "__init__", seconds, lambda *_: "lines: the automaton's pass"),
        timed(match.ArticleLines, "regions", seconds, lambda *_: "lines: each rule's"),
        timed_lookups("get_producer", seconds, "producers"),
        timed_lookups("get_finalizer", seconds, "finalizer"),
    ):
        start = time.perf_counter()
        match.match_documents(documents, normalized, sentences, rules)
        total = time.perf_counter() - start
    print(f"match stage: {len(normalized)} articles, {megabytes:.2f} MB in {total:.2f} s ({megabytes / total:.2f} MB/s)")
    for part, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"  {part:32s} {spent:6.2f} s")
    print(f"  {'the rest':32s} {total - sum(seconds.values()):6.2f} s (offsets, rows; less where parts overlap)")


if __name__ == "__main__":
    main()
