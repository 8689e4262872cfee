"""The ``facts`` command: one sub-command per stage, ``run`` for all of them, and ``evaluate``."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import typer

from pipeline.ingest import DEFAULT_MAX_BYTES, InputError
from pipeline.rulefiles import RULES_DIR, RuleError
from pipeline.run import CSV_MAX_ROWS, DEFAULT_BATCH_SIZE

app = typer.Typer(
    help=(
        "Extract money figures, document counts, dates and named officials from Persian news.\n\n"
        "Reads a folder of .txt articles (searched recursively) or a JSONL, CSV or Parquet file with doc_id and "
        "text columns; writes Parquet tables and facts.csv (for review) into --out. "
        "Stages, each reading and writing Parquet in --out: ingest → normalize → sentences → "
        "match → link → factsheet → statements. `facts run INPUT --out DIR` runs them all. Then `facts show DOC_ID` looks at "
        "one article, `facts review import facts.csv` turns a reviewer's verdicts into gold JSONL, and "
        "`facts evaluate` scores a run against gold. See README (Running on real archives), "
        "README (Review) and README (Evaluate).\n\n"
        "Example: facts run seeds --out data/out && facts evaluate --gold tests/data/seeds.gold.jsonl "
        "--facts data/out/facts.parquet"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _out_folder(out: Path) -> Path:
    """--out is a folder (created if missing); a file there is a mistake, said in one line."""
    if out.exists() and not out.is_dir():
        _fail(f"--out {out} is a file, not a folder")
    return out


OUT = typer.Option(Path("data/out"), "--out", help="Folder of the pipeline's tables.", callback=_out_folder)


def _rules(rules_dir: Path = RULES_DIR):
    from pipeline.rules import default_rules, load_rules

    try:
        return default_rules() if rules_dir == RULES_DIR else load_rules(rules_dir)
    except RuleError as exc:
        _fail(f"the rules cannot be loaded: {exc}")


@app.command()
def run(
    input_path: Path = typer.Argument(
        ..., help="A folder of .txt articles (searched recursively), one .txt file, or a JSONL/CSV/Parquet file with doc_id and text columns."
    ),
    out: Path = OUT,
    workers: int = typer.Option(None, "--workers", help="Worker processes (default: the number of cores)."),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", help="Articles per batch (one Parquet part per batch)."),
    max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 1e6, "--max-mb", help="Inputs larger than this are recorded as too_large."),
    scheduler: str = typer.Option(None, "--scheduler", help="Run the batches on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any input is not ok (empty, undecodable, ...), not only on stage errors."),
    rules_dir: Path = typer.Option(
        RULES_DIR, "--rules", show_default="the project's rules/",
        help="The rules folder: lexicons, patterns and their examples; see README (Rules are data).",
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar (on a terminal)."),
) -> None:
    """Run every stage on INPUT and write all tables plus facts.csv into --out.

    Tables are dataset folders DIR/<table>/ (one part per batch), plus DIR/facts.parquet.

    Batches an earlier run in --out finished are not run again (resume, incremental).

    Exit status: 0 done (unreadable inputs are in documents.parquet with a reason);
    1 a stage failed on an article (errors.parquet), or with --strict an input was not ok;
    2 nothing ran (broken rules, no input).

    Example: facts run seeds --out data/out
    """
    import os

    from pipeline.run import run_pipeline

    rules = _rules(rules_dir)
    with _progress_bar(progress) as advance:
        try:
            summary = run_pipeline(
                input_path, out, rules, workers=workers or os.cpu_count() or 1, batch_size=batch_size,
                max_bytes=int(max_mb * 1e6), scheduler=scheduler, rules_dir=rules_dir, on_batch=advance,
            )
        except (InputError, RuntimeError) as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            typer.secho(f"interrupted: the finished batches are kept in {out}; the same command resumes", fg="red", err=True)
            raise typer.Exit(130) from None
    typer.echo(summary.line())
    csv = f" and {out}/facts.csv" if summary.csv_written else f"; no facts.csv (over {CSV_MAX_ROWS:,} rows: open the Parquet)"
    typer.echo(f"wrote {out}/facts.parquet (and the {out}/facts/ dataset){csv}")
    if summary.failed:
        typer.secho(f"{summary.errors} article(s) failed in a stage: see {out}/errors.parquet", fg="red", err=True)
    if summary.failed or (strict and summary.not_ok):
        raise typer.Exit(1)


@contextmanager
def _progress_bar(enabled: bool):
    """A rich progress bar on stderr showing articles and articles/s; yields its advance function."""
    import sys

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("articles"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not (enabled and sys.stderr.isatty())) as bar:
        task = bar.add_task("run", total=None, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.0f}/s" if speed else "")

        yield advance


@app.command()
def ingest(input_path: Path = typer.Argument(..., help="A folder of .txt articles or one file."), out: Path = OUT) -> None:
    """Stage 1: reads INPUT (.txt articles) → writes --out/documents.parquet (raw text, hash, dateline, agency, status).

    Example: facts ingest seeds --out data/out
    """
    from pipeline.ingest import ingest as ingest_stage
    from pipeline.schemas import write_table

    try:
        documents = ingest_stage(input_path, _rules())
    except (InputError, FileNotFoundError) as exc:
        _fail(str(exc))
    typer.echo(f"wrote {write_table('documents', documents, out)} ({len(documents)} documents)")


@app.command()
def normalize(out: Path = OUT) -> None:
    """Stage 2: reads --out/documents.parquet → writes --out/normalized.parquet (folded text + offset map to the raw text).

    Example: facts normalize --out data/out
    """
    from pipeline.normalize import normalize_documents
    from pipeline.schemas import write_table

    normalized = normalize_documents(_read("documents", out))
    typer.echo(f"wrote {write_table('normalized', normalized, out)} ({len(normalized)} documents)")


@app.command()
def sentences(out: Path = OUT) -> None:
    """Stage 3: reads --out/documents + normalized.parquet → writes --out/sentences.parquet (raw offsets).

    Example: facts sentences --out data/out
    """
    from pipeline.schemas import write_table
    from pipeline.sentences import split_documents

    table = split_documents(_read("documents", out), _read("normalized", out))
    typer.echo(f"wrote {write_table('sentences', table, out)} ({len(table)} sentences)")


@app.command()
def match(out: Path = OUT) -> None:
    """Stage 4: reads rules/ and --out/documents, normalized, sentences.parquet → writes --out/facts_<type>.parquet, one per fact type.

    Example: facts match --out data/out
    """
    from pipeline.match import match_documents
    from pipeline.schemas import write_table

    tables = match_documents(_read("documents", out), _read("normalized", out), _read("sentences", out), _rules())
    for fact_type, frame in tables.items():
        typer.echo(f"wrote {write_table(f'facts_{fact_type}', frame, out)} ({len(frame)} facts)")


@app.command()
def link(out: Path = OUT) -> None:
    """Stage 5: reads --out/sentences, normalized and facts_<type>.parquet → writes --out/facts_links.parquet.

    Gives every figure (money, doc_count, percent, quantity) its time and its person; rules in rules/link.yaml.
    Example: facts link --out data/out
    """
    from pipeline.factsheet import combine_facts
    from pipeline.link import link_facts
    from pipeline.schemas import FACT_TYPES, write_table

    facts = combine_facts({t: _read(f"facts_{t}", out) for t in FACT_TYPES})
    links = link_facts(facts, _read("sentences", out), _read("normalized", out), _rules())
    typer.echo(f"wrote {write_table('facts_links', links, out)} ({len(links)} figures)")


@app.command()
def factsheet(out: Path = OUT) -> None:
    """Stage 6: reads --out/facts_<type>.parquet and facts_links.parquet → writes --out/facts.parquet (the contract) and --out/facts.csv for review.

    Example: facts factsheet --out data/out
    """
    from pipeline.factsheet import build_factsheet, combine_facts, review_frame, write_review_csv
    from pipeline.schemas import FACT_TYPES, write_table

    facts = build_factsheet(combine_facts({t: _read(f"facts_{t}", out) for t in FACT_TYPES}), _read("facts_links", out))
    write_table("facts", facts, out)
    write_review_csv(review_frame(facts, _read("documents", out), _read("sentences", out)), out / "facts.csv")
    typer.echo(f"wrote {out}/facts.parquet and {out}/facts.csv ({len(facts)} facts)")


@app.command()
def statements(out: Path = OUT) -> None:
    """Stage 7: reads --out/facts.parquet, sentences, normalized and documents → writes --out/statements.parquet and --out/claims.parquet.

    What each figure measures, between whom, actual or target (rules/statements.yaml), and the
    same statement across the articles of the run (claims).
    Example: facts statements --out data/out
    """
    from pipeline.schemas import write_table
    from pipeline.statements import build_claims, build_statements

    rules = _rules()
    table = build_statements(_read("facts", out), _read("sentences", out), _read("normalized", out), _read("documents", out), rules)
    write_table("statements", table, out)
    claims = build_claims(table, rules)
    typer.echo(f"wrote {write_table('claims', claims, out)} and {out}/statements.parquet ({len(table)} statements, {len(claims)} claims)")


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Gold facts, JSON lines; the format is in README (Evaluate)."),
    facts: Path = typer.Option(Path("data/out/facts.parquet"), "--facts", help="A facts.parquet written by `facts run`."),
    json_out: Path = typer.Option(None, "--json", help="Where to write the scores as JSON (default: next to --facts)."),
    only_gold_docs: bool = typer.Option(False, "--only-gold-docs", help="Score only documents named in the gold file, such as a review's (there, what the run finds in rows left without a verdict counts as false positives: README (Review))."),
) -> None:
    """Precision, recall, F1 and value accuracy per fact type against a gold JSONL.

    Reads --gold and --facts; prints the scores (and the facts a reviewer marked wrong that the run
    still finds) and writes them as JSON to --json.

    Example: facts evaluate --gold tests/data/seeds.gold.jsonl --facts data/out/facts.parquet
    """
    import pandas as pd

    from pipeline.evaluate import evaluate as score, format_report, load_gold

    for path in (gold, facts):
        if not path.exists():
            _fail(f"{path} does not exist" + (" (run `facts run INPUT --out DIR` first)" if path == facts else ""))
    result = score(load_gold(gold), pd.read_parquet(facts), only_gold_docs=only_gold_docs)
    typer.echo(format_report(result))
    json_out = json_out or facts.with_name("evaluation.json")
    json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    typer.echo(f"wrote {json_out}")


@app.command()
def show(
    doc_id: str = typer.Argument(None, help="The document to show (a .txt file's name without .txt); leave out for the whole run."),
    out: Path = OUT,
    html: Path = typer.Option(None, "--html", help="Also write HTML: the article with its facts highlighted (for the whole run: an index page)."),
    claims: bool = typer.Option(False, "--claims", help="Show the run's claims instead: each statement of a measure between countries, with its period, values and articles."),
) -> None:
    """One document's facts as a table in the terminal; --html writes the article with every fact highlighted.

    Reads --out/facts.parquet and --out/documents.parquet (written by `facts run`). Without DOC_ID:
    a table of every document with its fact counts, and --html writes an index page plus one page per
    document in the folder <FILE stem>_docs beside it. Hover over a highlighted fact to see its value.

    With --claims: the run's claims (--out/claims.parquet), one row per measure, parties,
    modality and period, with the smallest and largest value and the articles that state it.

    Example: facts show 001_dc0e3ef97df6e412 --out data/out --html /tmp/001.html
    """
    from rich.console import Console

    if claims:
        from pipeline.show import claims_table

        Console().print(claims_table(_read("claims", out)))
        return

    from pipeline.show import (
        document_facts, document_row, facts_table, read_facts, run_summary, run_table, write_document_html, write_run_html,
    )

    try:
        facts, documents = read_facts(out), _read("documents", out)
    except FileNotFoundError as exc:
        _fail(str(exc))
    console = Console()
    if doc_id is None:
        console.print(run_table(run_summary(facts, documents)))
        if html:
            typer.echo(f"wrote {write_run_html(out, html)}")
        return
    header = document_row(documents, doc_id)
    if header is None:
        _fail(f"no document {doc_id!r} in {out} (documents: {', '.join(sorted(documents.doc_id)[:5])} …)")
    console.print(facts_table(doc_id, document_facts(facts, doc_id), header))
    if html:
        typer.echo(f"wrote {write_document_html(out, doc_id, html)}")


review_app = typer.Typer(
    help="The reviewer's loop: facts.csv with verdicts → gold JSONL for `facts evaluate`.",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


@review_app.command("import")
def review_import(
    csv: Path = typer.Argument(..., help="A facts.csv whose verdict column a reviewer filled (ok, fixed, wrong, ignore, missed)."),
    gold: Path = typer.Option(Path("data/gold/review.jsonl"), "--gold", help="The gold JSONL to create or merge into."),
    run_dir: Path = typer.Option(None, "--out", help="The run the CSV came from (default: the CSV's folder); its facts and documents tell edited rows and fix offsets."),
    replace: bool = typer.Option(False, "--replace", help="Let the review win where it disagrees with a line already in --gold."),
) -> None:
    """Reviewer verdicts in facts.csv → gold JSONL (merged into --gold, never overwritten silently).

    Reads CSV (and facts.parquet + documents.parquet of the run beside it); writes --gold. Rows marked
    ok, fixed (or with edited values), ignore, or added by the reviewer become gold facts; rows marked
    wrong are recorded as rejected, and `facts evaluate` lists them when a run still predicts them.
    The format is described in README (Review).

    Example: facts review import data/out/facts.csv --gold data/gold/review.jsonl && facts evaluate --gold data/gold/review.jsonl --facts data/out/facts.parquet --only-gold-docs
    """
    from pipeline.review import ReviewError, import_review

    if not csv.exists():
        _fail(f"{csv} does not exist (write one with `facts run INPUT --out DIR`)")
    try:
        summary = import_review(csv, gold, run_dir, replace)
    except ReviewError as exc:
        _fail(str(exc))
    for warning in summary.warnings:
        typer.secho(f"warning: {warning}", fg="yellow", err=True)
    typer.echo(f"{summary.line()}\nwrote {gold}")


def _read(name: str, out: Path):
    from pipeline.schemas import read_table

    try:
        return read_table(name, out)
    except FileNotFoundError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    app()
