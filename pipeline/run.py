"""The stages chained: an input (folder or table file) → every table, or one string → its facts.

``facts run`` streams: inputs are cut into batches (about ``batch_size`` articles, with ends
that depend on the articles, not on their positions), each batch runs every stage (in this
process, in a pool of worker processes, or on a Dask cluster) and is written as one part per
table, ``DIR/<table>/part-<name>.parquet``, named by a hash of the batch's articles (ids and
content hashes) and of the rules version; a manifest (``DIR/_batches/part-<name>.json``) then
marks it done. A batch already done is not run again, so an interrupted run resumes, a re-run
after editing or adding articles redoes only their batches, and a rules change redoes
everything. At the end the parts of batches no longer in the input are removed,
``DIR/facts.parquet`` is merged from the parts (always) and so are the other
``DIR/<table>.parquet`` for runs of at most ``SINGLE_FILE_MAX_DOCS`` articles; ``facts.csv`` is
written while a spreadsheet can open it.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from pipeline.cache import replace_atomically
from pipeline.factsheet import CSV_COLUMNS, build_factsheet, combine_facts, review_frame
from pipeline.ingest import DEFAULT_MAX_BYTES, InputItem, check_input, decode_item, document_from_text, documents_frame, iter_inputs, read_item
from pipeline.link import link_facts
from pipeline.match import facts_by_type, match_document
from pipeline.normalize import normalize_document
from pipeline.rulefiles import RULES_DIR
from pipeline.rules import RuleSet, default_rules, load_rules
from pipeline.schemas import (
    MATCHED_TYPES, SCHEMAS, empty_frame, iter_table, merge_parts, part_path, part_paths, read_table, remove_table, write_part,
    write_table,
)
from pipeline.sentences import sentence_rows
from pipeline.statements import CLAIM_INPUTS, build_claims, build_statements

DEFAULT_BATCH_SIZE = 200  # articles; small enough that 2 workers share even a few thousand evenly
SINGLE_FILE_MAX_DOCS = 2_000  # larger runs keep their big tables (text) as datasets only
CSV_MAX_ROWS = 1_000_000  # a spreadsheet opens at most 1,048,576 rows
SCHEDULER_TIMEOUT = "5s"  # a scheduler that does not answer by then is not there (a typo, a stopped cluster)
BATCH_TABLES = (
    "documents", "normalized", "sentences", *(f"facts_{t}" for t in MATCHED_TYPES), "facts_links", "facts", "statements", "errors",
)
ALWAYS_MERGED = ("facts", "statements")  # single files whatever the run's size (claims are read from statements)
MANIFESTS = "_batches"
PART_NAME_CHARS = 20  # of a batch's hash: its parts' file names
CODE_DIR = Path(__file__).resolve().parent
CODE_NOT_IN_TABLES = {"cli.py", "evaluate.py", "show.py", "review.py", "spacy_component.py"}  # editing these does not change any table


@dataclass
class RunSummary:
    documents: int = 0
    ok: int = 0
    not_ok: dict[str, int] = field(default_factory=dict)  # status → count (empty, undecodable, failed, ...)
    errors: int = 0  # stage failures (rows of the errors table)
    facts: dict[str, int] = field(default_factory=dict)
    batches_run: int = 0
    batches_skipped: int = 0
    seconds: float = 0.0
    csv_written: bool = True

    def add(self, counts: dict[str, Any]) -> None:
        self.documents += counts["documents"]
        self.errors += counts["errors"]
        for status, n in counts["status"].items():
            if status == "ok":
                self.ok += n
            else:
                self.not_ok[status] = self.not_ok.get(status, 0) + n
        for fact_type, n in counts["facts"].items():
            self.facts[fact_type] = self.facts.get(fact_type, 0) + n

    @property
    def failed(self) -> bool:
        """Did a stage fail on an article (a fault of the pipeline, not of the input)?"""
        return self.errors > 0

    def line(self) -> str:
        not_ok = sum(self.not_ok.values())
        counts = ", ".join(f"{t} {n}" for t, n in sorted(self.facts.items()) if n)
        why = f" ({', '.join(f'{k} {v}' for k, v in sorted(self.not_ok.items()))})" if not_ok else ""
        rate = f"; {self.documents / self.seconds:.3g} articles/s" if self.seconds else ""
        skipped = f", {self.batches_skipped} of {self.batches_run + self.batches_skipped} batches unchanged" if self.batches_skipped else ""
        return (
            f"{self.documents} documents, {self.ok} ok, {not_ok} not processed{why}, "
            f"{self.errors} stage errors; facts: {counts or 'none'}{rate}{skipped}"
        )


def extract_tables(documents: pd.DataFrame, rules: RuleSet) -> dict[str, pd.DataFrame]:
    """documents → every later table, article by article.

    An article on which a stage raises is listed in ``errors`` (stage, exception, message),
    gets status ``failed`` in the returned ``documents``, and adds no rows to the later tables:
    one bad article never stops the others.
    """
    documents = documents.copy()
    normalized: list[dict] = []
    sentences: list[dict] = []
    facts: list[dict] = []
    failures: dict[str, tuple[str, Exception]] = {}  # doc_id → (stage, exception)
    for doc in documents.itertuples(index=False):
        if doc.status != "ok":
            continue
        stage = "normalize"
        try:
            text, offsets = normalize_document(doc.text)
            stage = "sentences"
            doc_sentences = sentence_rows(doc.doc_id, doc.text, text, offsets)
            stage = "match"
            starts = [s["start"] for s in doc_sentences] or [0]
            doc_facts = match_document(doc, text, offsets, starts, rules)
        except Exception as exc:  # noqa: BLE001 - any fault of one article is recorded, not raised
            failures[doc.doc_id] = (stage, exc)
            continue
        normalized.append({"doc_id": doc.doc_id, "text": text, "shift_at": list(offsets.shift_at), "shift_by": list(offsets.shift_by)})
        sentences.extend(doc_sentences)
        facts.extend(doc_facts)
    tables = {
        "normalized": pd.DataFrame(normalized, columns=SCHEMAS["normalized"].names),
        "sentences": pd.DataFrame(sentences, columns=SCHEMAS["sentences"].names),
    }
    tables |= {f"facts_{t}": frame for t, frame in facts_by_type(facts).items()}
    every_fact = combine_facts({t: tables[f"facts_{t}"] for t in MATCHED_TYPES})
    readable = documents[documents.status == "ok"]  # unique doc_ids (a duplicate is not ok)
    links, link_failures = _isolating_failures(link_facts, "facts_links", every_fact, tables["sentences"], tables["normalized"], rules=rules)
    failures |= {doc_id: ("link", exc) for doc_id, exc in link_failures.items()}
    tables |= {"facts_links": links, "facts": build_factsheet(every_fact, links)}
    statements, statement_failures = _isolating_failures(
        build_statements, "statements", tables["facts"], tables["sentences"], tables["normalized"], readable, rules=rules
    )
    failures |= {doc_id: ("statements", exc) for doc_id, exc in statement_failures.items()}
    tables["statements"] = statements
    if link_failures or statement_failures:  # drop the rows these articles got before a stage failed
        tables = {name: _without_documents(frame, link_failures | statement_failures) for name, frame in tables.items()}
    return {"documents": _mark_failed(documents, failures)} | tables | {"errors": _errors_frame(failures)}


def _isolating_failures(
    stage: Callable[..., pd.DataFrame], table: str, facts: pd.DataFrame, *inputs: pd.DataFrame, rules: RuleSet
) -> tuple[pd.DataFrame, dict[str, Exception]]:
    """A per-article stage (link, statements) on a batch, ``stage(facts, *inputs, rules)`` (each
    input a table with a ``doc_id``); if it raises, each article is run alone, so only the faulty
    ones fail (the stages work on whole tables, which is faster when nothing fails)."""
    try:
        return stage(facts, *inputs, rules), {}
    except Exception:  # noqa: BLE001 - find the article(s) at fault below
        pass
    frames, failures = [], {}
    for doc_id, doc_facts in facts.groupby("doc_id"):
        try:
            frames.append(stage(doc_facts, *(frame[frame.doc_id == doc_id] for frame in inputs), rules))
        except Exception as exc:  # noqa: BLE001 - any fault of one article is recorded, not raised
            failures[doc_id] = exc
    return (pd.concat(frames, ignore_index=True) if frames else empty_frame(table)), failures


def _without_documents(frame: pd.DataFrame, doc_ids: Iterable[str]) -> pd.DataFrame:
    doc_of_row = frame.doc_id if "doc_id" in frame else frame.fact_id.str.rsplit(":", n=2).str[0]
    return frame[~doc_of_row.isin(list(doc_ids))].reset_index(drop=True)


def _mark_failed(documents: pd.DataFrame, failures: dict[str, tuple[str, Exception]]) -> pd.DataFrame:
    for doc_id, (stage, exc) in failures.items():
        row = (documents.doc_id == doc_id) & (documents.status == "ok")
        documents.loc[row, "status"] = "failed"
        documents.loc[row, "reason"] = f"{stage} failed: {type(exc).__name__}: {str(exc) or repr(exc)}"
    return documents


def _errors_frame(failures: dict[str, tuple[str, Exception]]) -> pd.DataFrame:
    rows = [
        {"doc_id": doc_id, "stage": stage, "error": type(exc).__name__, "message": str(exc) or repr(exc)}
        for doc_id, (stage, exc) in failures.items()
    ]
    return pd.DataFrame(rows, columns=SCHEMAS["errors"].names)


def extract_text(text: str, doc_id: str = "doc", rules: RuleSet | None = None) -> pd.DataFrame:
    """The facts of one article given as a string (the ``facts`` table)."""
    rules = rules or default_rules()
    return extract_tables(document_from_text(doc_id, text, rules), rules)["facts"]


def rules_version(rules_dir: Path = RULES_DIR) -> str:
    """A hash of the rule files and of the code that computes the tables: when it changes,
    every batch re-runs."""
    digest = hashlib.sha256()
    code = [p for p in sorted(CODE_DIR.rglob("*.py")) if p.name not in CODE_NOT_IN_TABLES]
    files = sorted(Path(rules_dir).rglob("*.yaml")) + code
    for path in files:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class BatchResult:
    index: int  # position of the batch in the input (the order of the merged tables)
    part: str  # the batch's name: its parts are DIR/<table>/part-<part>.parquet
    counts: dict[str, Any]
    skipped: bool = False  # done by an earlier run (same articles, same rules): nothing to write
    tables: dict[str, pd.DataFrame] | None = None  # None when the worker wrote the parts itself


def batch_part(version: str, max_bytes: int, rows: list[dict[str, Any]]) -> str:
    """A batch's name: a hash of its articles as read (ids, content hashes, statuses; see
    ``read_item``) and the rules version."""
    digest = hashlib.sha256(f"{version}\0{max_bytes}\0".encode())
    for row in rows:
        values = (row.get(column) for column in ("doc_id", "source_path", "sha256", "status", "published", "source"))
        digest.update("\0".join("" if v is None else str(v) for v in values).encode() + b"\n")
    return digest.hexdigest()[:PART_NAME_CHARS]


def run_batch(
    index: int, items: list[InputItem], rules: RuleSet, version: str, max_bytes: int, done: frozenset[str], out_dir: Path | None = None
) -> BatchResult:
    """Read a batch's inputs and, unless a finished batch of the same name exists (``done``),
    decode them and run every later stage on them.

    A plain function of its arguments, so a worker process or a Dask worker on another machine
    runs it as well as this process. With ``out_dir`` (a folder this worker can write) it
    writes the batch's parts itself and returns only the counts; otherwise it returns the tables.
    """
    read = [read_item(item, max_bytes) for item in items]
    part = batch_part(version, max_bytes, [row for row, _ in read])
    if part in done:
        return BatchResult(index, part, {}, skipped=True)
    documents = documents_frame([decode_item(row, content, rules) for row, content in read])
    tables = extract_tables(documents, rules)
    counts = {
        "documents": len(documents),
        "status": tables["documents"].status.value_counts().to_dict(),
        "errors": len(tables["errors"]),
        "facts": tables["facts"].fact_type.value_counts().to_dict(),
    }
    if out_dir is None:
        return BatchResult(index, part, counts, tables=tables)
    BatchStore(out_dir).write_parts(part, tables)
    return BatchResult(index, part, counts)


def iter_batches(items: Iterable[InputItem], batch_size: int) -> Iterator[list[InputItem]]:
    """Batches whose ends depend on the articles, not on their positions.

    A batch ends after an article whose id hashes to 0 modulo ``batch_size`` (so batches hold
    ``batch_size`` articles on average, and at most four times as many): adding, removing or
    editing an article changes only the batch it is in, and a re-run skips all the others.
    """
    batch: list[InputItem] = []
    for item in items:
        batch.append(item)
        id_hash = int.from_bytes(hashlib.blake2b(item.doc_id.encode(), digest_size=8).digest(), "big")
        if id_hash % batch_size == 0 or len(batch) >= 4 * batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


class BatchStore:
    """The parts and manifests of one output folder."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.manifests = self.out_dir / MANIFESTS

    def manifest_path(self, part: str) -> Path:
        return self.manifests / f"part-{part}.json"

    def manifest(self, part: str) -> dict[str, Any]:
        return json.loads(self.manifest_path(part).read_text(encoding="utf-8"))

    def done(self) -> frozenset[str]:
        """The batches an earlier run finished: a manifest and every part."""
        if not self.manifests.is_dir():
            return frozenset()
        parts = (path.stem.removeprefix("part-") for path in self.manifests.glob("part-*.json"))
        return frozenset(p for p in parts if all(path.exists() for path in self.part_paths(p)))

    def review_path(self, part: str) -> Path:
        """The batch's rows of facts.csv (no header), written where the batch ran, so that
        the end of the run only joins them."""
        return self.manifests / f"part-{part}.csv"

    def part_paths(self, part: str) -> list[Path]:
        return [part_path(name, self.out_dir, part) for name in BATCH_TABLES] + [self.review_path(part)]

    def write_parts(self, part: str, tables: dict[str, pd.DataFrame]) -> None:
        """Every part of a batch; its manifest goes first (it is rewritten once all are there)."""
        self.manifest_path(part).unlink(missing_ok=True)
        for name in BATCH_TABLES:
            write_part(name, tables[name], self.out_dir, part)
        documents = tables["documents"]
        # only ok articles have facts, and their doc_ids are unique (a duplicate is not ok)
        review = review_frame(tables["facts"], documents[documents.status == "ok"], tables["sentences"])
        rows = review.to_csv(header=False, index=False)
        replace_atomically(self.review_path(part), lambda tmp: tmp.write_text(rows, encoding="utf-8"))

    def write_manifest(self, result: BatchResult) -> None:
        """Marks a batch complete, with its counts for the summary of a later run that skips it."""
        manifest = json.dumps({"counts": result.counts})
        replace_atomically(self.manifest_path(result.part), lambda tmp: tmp.write_text(manifest, encoding="utf-8"))

    def keep_only(self, parts: Iterable[str]) -> None:
        """Remove the batches of earlier runs that this run does not have (edited or gone articles)."""
        keep = {f"part-{p}" for p in parts}
        stale = [path for path in self.manifests.glob("part-*.json") if path.stem not in keep] if self.manifests.is_dir() else []
        for name in BATCH_TABLES:
            stale += [path for path in part_paths(name, self.out_dir) if path.stem not in keep]
        if self.manifests.is_dir():
            stale += [path for path in self.manifests.glob("part-*.csv") if path.stem not in keep]
        for path in stale:
            path.unlink()


def run_pipeline(
    input_path: Path,
    out_dir: Path,
    rules: RuleSet | None = None,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    scheduler: str | None = None,
    rules_dir: Path = RULES_DIR,
    on_batch: Callable[[int], None] | None = None,
) -> RunSummary:
    """Every stage on ``input_path``; every table into ``out_dir`` plus the review CSV.

    ``workers`` > 1 runs batches in worker processes; ``scheduler`` (``tcp://HOST:8786``) runs
    them on a Dask cluster instead. ``on_batch`` is told the number of articles of each
    finished batch (a progress bar).
    """
    started = time.perf_counter()
    check_input(input_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_temporary_files(out_dir)
    rules = rules or (default_rules() if Path(rules_dir) == RULES_DIR else load_rules(rules_dir))
    version = rules_version(rules_dir)
    store = BatchStore(out_dir)
    done = store.done()
    # local workers write their parts; Dask workers may not see this folder
    writer_dir = out_dir if scheduler is None and workers > 1 else None
    tasks = (
        (index, items, rules, version, max_bytes, done, writer_dir)
        for index, items in enumerate(iter_batches(iter_inputs(Path(input_path)), batch_size))
    )
    summary = RunSummary()
    parts_in_order: dict[int, str] = {}

    def finish(result: BatchResult, n_items: int) -> None:
        parts_in_order[result.index] = result.part
        if result.skipped:
            summary.batches_skipped += 1
            summary.add(store.manifest(result.part)["counts"])
        else:
            summary.batches_run += 1
            if result.tables is not None:
                store.write_parts(result.part, result.tables)
            store.write_manifest(result)
            summary.add(result.counts)
        if on_batch:
            on_batch(n_items)

    _run_tasks(tasks, finish, workers=workers, scheduler=scheduler)
    parts = [parts_in_order[i] for i in sorted(parts_in_order)]
    store.keep_only(parts)
    _merge_outputs(out_dir, parts, summary, rules)
    summary.seconds = time.perf_counter() - started
    return summary


def _remove_temporary_files(out_dir: Path) -> None:
    """Hidden temporary files a killed run left behind (readers never saw them)."""
    if out_dir.is_dir():
        for tmp in [*out_dir.glob(".*.tmp"), *out_dir.glob("*/.*.tmp")]:
            tmp.unlink(missing_ok=True)


def _run_tasks(tasks: Iterator[tuple], finish: Callable[[BatchResult, int], None], *, workers: int, scheduler: str | None) -> None:
    """Run every batch task, at most a few ahead of the writer (bounded memory)."""
    ahead = list(islice(tasks, 2))
    tasks = chain(ahead, tasks)
    if scheduler is None and (workers <= 1 or len(ahead) < 2):  # one batch: no pool to start
        for task in tasks:
            finish(run_batch(*task), len(task[1]))
        return
    pool, wait_first, slots = _executor(workers, scheduler)
    pending: dict[Any, int] = {}
    try:
        for task in tasks:
            pending[pool.submit(run_batch, *task)] = len(task[1])
            while len(pending) >= 2 * slots:
                for future in wait_first(list(pending)):
                    finish(future.result(), pending.pop(future))
        while pending:
            for future in wait_first(list(pending)):
                finish(future.result(), pending.pop(future))
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(cancel_futures=True) if scheduler is None else pool.close()


def _executor(workers: int, scheduler: str | None):
    """A pool with ``submit``, a function that waits for the first finished futures, and how
    many batches the pool runs at once."""
    if scheduler is not None:
        try:
            from distributed import Client
            from distributed import wait as dask_wait
        except ImportError as exc:
            raise RuntimeError("--scheduler needs Dask: install the project's `dask` extra") from exc
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, ValueError) as exc:  # refused, unreachable, or not an address
            raise RuntimeError(f"cannot reach the Dask scheduler {scheduler}: {str(exc).splitlines()[0]}") from None
        slots = max(sum(client.nthreads().values()), 1)
        return client, lambda futures: dask_wait(futures, return_when="FIRST_COMPLETED").done, slots
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # forkserver, not fork (the parent runs threads: progress bar, Arrow): workers fork from a
    # server that imported the pipeline once, so none of them pays the imports again
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.run"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return pool, lambda futures: wait(futures, return_when=FIRST_COMPLETED).done, workers


def _merge_outputs(out_dir: Path, parts: list[str], summary: RunSummary, rules: RuleSet) -> None:
    """The single-file tables and the review CSV, merged part by part in input order (bounded
    memory), and the claims of the whole run, gathered from its statements."""
    for name in BATCH_TABLES:
        if name in ALWAYS_MERGED or summary.documents <= SINGLE_FILE_MAX_DOCS:
            merge_parts(name, out_dir, parts)
        else:
            remove_table(name, out_dir, keep_parts=True)
    write_table("claims", build_claims(iter_table("statements", out_dir, CLAIM_INPUTS), rules), out_dir)
    csv_path = out_dir / "facts.csv"
    summary.csv_written = sum(summary.facts.values()) <= CSV_MAX_ROWS
    if summary.csv_written:
        _write_review_csv(out_dir, parts, csv_path)
    else:
        csv_path.unlink(missing_ok=True)


def _write_review_csv(out_dir: Path, parts: list[str], path: Path) -> None:
    """facts.csv (UTF-8 with BOM): the header, then each batch's rows as its run wrote them."""
    store = BatchStore(out_dir)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as csv_file:
            csv_file.write(codecs.BOM_UTF8 + (",".join(CSV_COLUMNS) + "\n").encode("utf-8"))
            for part in parts:
                with open(store.review_path(part), "rb") as rows:
                    shutil.copyfileobj(rows, csv_file)

    replace_atomically(path, write)
