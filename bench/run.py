"""The benchmark: MB/s, articles/s, facts/s and peak RSS of the whole pipeline and of each stage.

    python -m bench.run --articles 10000          # what `make bench` runs
    python -m bench.run --corpus DIR --workers 1  # a folder of your own .txt articles, as it is

1. the whole pipeline: `facts run CORPUS --out TMP --workers W` as a user runs it (a fresh
   output folder, so nothing is skipped), for each W of --workers; peak RSS is the largest sum
   over the process tree (the run and its workers), sampled every 0.1 s, and CPU s the tree's
   CPU time, so MB/CPU-s is the throughput of one core that is not shared;
2. each stage alone, in this process on one core, over the first --stage-articles articles,
   once every stage has run over a few of them (its one-time set-up is not timed);
3. the reference, measured in the same run on those articles: hazm's ``Normalizer().normalize``
   (the Persian text tool everyone has), and the pipeline's and the match stage's throughput as
   multiples of it.
The machine's load and the speed-up a trivially parallel loop gets are printed first, since a
shared machine depresses every figure.
Benchmarks report; the tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent


def sample_tree(process: psutil.Process, cpu_by_pid: dict[int, float]) -> int:
    """The process tree's total RSS now; records each process's CPU seconds in ``cpu_by_pid``."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
            times = p.cpu_times()
            cpu_by_pid[p.pid] = times.user + times.system
        except psutil.Error:
            pass
    return total


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_ceiling(workers: int, n: int = 10_000_000) -> float:
    """The speed-up a trivially parallel CPU loop gets from ``workers`` processes right now: on a
    machine shared with other jobs it is below ``workers``, and so is the pipeline's."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    _spin(n)
    alone = time.perf_counter() - started
    with ProcessPoolExecutor(workers) as pool:
        started = time.perf_counter()
        list(pool.map(_spin, [n] * workers))
        together = time.perf_counter() - started
    return workers * alone / together


def run_whole(corpus: Path, workers: int, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as out:
        command = [str(ROOT / ".venv/bin/facts"), "run", str(corpus), "--out", out, "--workers", str(workers), "--no-progress", *extra]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        process, peak, cpu_by_pid = psutil.Process(child.pid), 0, {}
        while child.poll() is None:
            peak = max(peak, sample_tree(process, cpu_by_pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        output = child.stdout.read()
        if child.returncode != 0:
            sys.exit(f"facts run failed ({child.returncode}):\n{output}")
        import pyarrow.parquet as pq

        n_facts = pq.read_metadata(Path(out) / "facts.parquet").num_rows
    return {"seconds": seconds, "cpu": sum(cpu_by_pid.values()), "peak_rss": peak, "facts": n_facts, "summary": output.splitlines()[0]}


def is_corpus(folder: Path) -> bool:
    """True for a folder of .txt articles that the generator did not write (a real corpus to
    measure on, never to be written into)."""
    return not (folder / ".complete").exists() and any(folder.rglob("*.txt"))


WARM_UP = 50  # articles every stage reads once before the stages are timed


def run_stages(corpus: Path, n_articles: int) -> tuple[list[tuple[str, float]], Any, int]:
    """Seconds of each stage over the first ``n_articles`` of the corpus, in this process, after
    every stage has run once over the first ``WARM_UP`` of them (a long run compiles its rules and
    imports its producers once: timed cold, 1,000 articles would count that set-up, seconds for
    the match stage, as if it were work per article); also the documents and the number of facts."""
    from pipeline.factsheet import build_factsheet, combine_facts
    from pipeline.ingest import documents_frame, ingest_item, iter_inputs
    from pipeline.link import link_facts
    from pipeline.match import match_documents
    from pipeline.normalize import normalize_documents
    from pipeline.rules import default_rules
    from pipeline.run import extract_tables
    from pipeline.schemas import write_part
    from pipeline.sentences import split_documents
    from pipeline.statements import build_claims, build_statements

    rules = default_rules()
    items = [item for _, item in zip(range(n_articles), iter_inputs(corpus))]
    extract_tables(documents_frame([ingest_item(i, rules) for i in items[:WARM_UP]]), rules)
    timings = []

    def timed(name, fn, *args):
        started = time.perf_counter()
        result = fn(*args)
        timings.append((name, time.perf_counter() - started))
        return result

    documents = timed("ingest (read, decode, hash, header)", lambda: documents_frame([ingest_item(i, rules) for i in items]))
    normalized = timed("normalize", normalize_documents, documents)
    sentences = timed("sentences", split_documents, documents, normalized)
    typed = timed("match", match_documents, documents, normalized, sentences, rules)
    every_fact = combine_facts(typed)
    links = timed("link", link_facts, every_fact, sentences, normalized, rules)
    facts = timed("factsheet", build_factsheet, every_fact, links)
    statements = timed("statements", build_statements, facts, sentences, normalized, documents, rules)
    timed("claims", build_claims, statements, rules)
    tables = extract_tables(documents, rules)
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as out:
        timed("write (every table, Parquet)", lambda: [write_part(n, t, Path(out), "bench") for n, t in tables.items()])
    return timings, documents, len(tables["facts"])


def hazm_seconds(texts: list[str]) -> float:
    """Seconds hazm's full ``Normalizer().normalize`` takes over ``texts`` on one core."""
    from hazm import Normalizer

    normalizer = Normalizer()
    started = time.perf_counter()
    for text in texts:
        normalizer.normalize(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", default=f"1,{os.cpu_count() or 1}", help="comma-separated worker counts to run")
    parser.add_argument("--stage-articles", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a folder of .txt articles, read as it is (--articles is then its count); default: bench/corpus/N, generated if missing")
    args = parser.parse_args()

    if args.corpus is not None and is_corpus(args.corpus):
        corpus, args.articles = args.corpus, sum(1 for _ in args.corpus.rglob("*.txt"))
    else:
        corpus = generate(args.articles, args.corpus or ROOT / "bench" / "corpus" / str(args.articles))
    mb = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 1e6
    load = os.getloadavg()[0]
    print(f"corpus: {args.articles} articles, {mb:.1f} MB of text ({corpus}); {os.cpu_count()} cores, load average {load:.1f}")
    counts = [int(w) for w in args.workers.split(",")]
    ceiling = parallel_ceiling(max(counts))
    print(f"(now a trivially parallel loop gets {ceiling:.2f}x from {max(counts)} processes: the ceiling for the speed-up below)")
    print("\nwhole pipeline (facts run, fresh --out):")
    print(f"{'workers':>7} {'seconds':>8} {'MB/s':>7} {'MB/s/core':>9} {'articles/s':>10} {'facts/s':>8} {'peak RSS':>9} {'CPU s':>7} {'MB/CPU-s':>8}")
    baseline, one_core = None, None
    for workers in counts:
        r = run_whole(corpus, workers, [])
        baseline = baseline or r["seconds"]
        one_core = one_core or mb / r["cpu"]
        print(
            f"{workers:>7} {r['seconds']:>8.1f} {mb / r['seconds']:>7.2f} {mb / r['seconds'] / workers:>9.2f} "
            f"{args.articles / r['seconds']:>10.0f} {r['facts'] / r['seconds']:>8.0f} {r['peak_rss'] / 2**20:>7.0f}MB"
            f" {r['cpu']:>7.1f} {mb / r['cpu']:>8.2f}   speed-up {baseline / r['seconds']:.2f}x"
        )
    print(f"  ({r['summary']})")

    timings, documents, n_facts = run_stages(corpus, args.stage_articles)
    stage_mb = sum(len(text.encode()) for text in documents.text.dropna()) / 1e6
    n_docs = len(documents)
    print(f"\neach stage alone, one core, first {n_docs} articles ({stage_mb:.1f} MB, {n_facts} facts):")
    print(f"{'stage':<36} {'seconds':>8} {'MB/s':>8} {'articles/s':>10} {'facts/s':>9}")
    for name, seconds in timings:
        print(f"{name:<36} {seconds:>8.2f} {stage_mb / seconds:>8.1f} {n_docs / seconds:>10.0f} {n_facts / seconds:>9.0f}")
    print(f"peak RSS of this process: {psutil.Process().memory_info().rss / 2**20:.0f} MB (stages on {n_docs} articles)")
    reference = stage_mb / hazm_seconds(documents.text.dropna().tolist())
    match_mb_s = stage_mb / dict(timings)["match"]
    print(f"\nreference, same articles, one core: hazm Normalizer().normalize {reference:.2f} MB/s;"
          f" the whole pipeline (one worker, MB/CPU-s) is {one_core / reference:.2f}x it, the match stage {match_mb_s / reference:.2f}x")


if __name__ == "__main__":
    main()
