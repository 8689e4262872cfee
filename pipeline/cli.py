"""The ``facts`` command: one sub-command per stage, ``run`` for all of them, and ``evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pipeline.rules import RuleError

app = typer.Typer(
    help=(
        "Extract money figures, document counts, dates and named officials from Persian news.\n\n"
        "Stages, each reading and writing Parquet in --out: ingest → normalize → sentences → "
        "match → link → factsheet. `facts run INPUT --out DIR` runs them all.\n\n"
        "Example: facts run seeds --out data/out && facts evaluate --gold tests/data/seeds.gold.jsonl "
        "--facts data/out/facts.parquet"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OUT = typer.Option(Path("data/out"), "--out", help="Folder of the pipeline's tables.")


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _rules():
    from pipeline.rules import default_rules

    try:
        return default_rules()
    except RuleError as exc:
        _fail(f"the rules cannot be loaded: {exc}")


@app.command()
def run(
    input_path: Path = typer.Argument(..., help="A folder of .txt articles (searched recursively) or one .txt file."),
    out: Path = OUT,
    workers: int = typer.Option(1, "--workers", help="Processes to use (more than 1 is not yet parallel)."),
) -> None:
    """Run every stage on INPUT and write all tables plus facts.csv into --out.

    Writes documents, normalized, sentences, facts_<type> and facts (.parquet) and facts.csv.
    Example: facts run seeds --out data/out
    """
    from pipeline.run import run_pipeline

    rules = _rules()
    try:
        summary = run_pipeline(input_path, out, rules)
    except FileNotFoundError as exc:
        _fail(str(exc))
    typer.echo(f"{summary.line()}\nwrote {out}/facts.parquet and {out}/facts.csv")


@app.command()
def ingest(input_path: Path = typer.Argument(..., help="A folder of .txt articles or one file."), out: Path = OUT) -> None:
    """Stage 1: read the articles → documents.parquet (raw text, hash, dateline, agency, status)."""
    from pipeline.ingest import ingest as ingest_stage
    from pipeline.schemas import write_table

    try:
        documents = ingest_stage(input_path, _rules())
    except FileNotFoundError as exc:
        _fail(str(exc))
    typer.echo(f"wrote {write_table('documents', documents, out)} ({len(documents)} documents)")


@app.command()
def normalize(out: Path = OUT) -> None:
    """Stage 2: documents.parquet → normalized.parquet (folded text + offset map to the raw text)."""
    from pipeline.normalize import normalize_documents
    from pipeline.schemas import read_table, write_table

    normalized = normalize_documents(_read("documents", out))
    typer.echo(f"wrote {write_table('normalized', normalized, out)} ({len(normalized)} documents)")


@app.command()
def sentences(out: Path = OUT) -> None:
    """Stage 3: documents + normalized → sentences.parquet (raw offsets)."""
    from pipeline.schemas import write_table
    from pipeline.sentences import split_documents

    table = split_documents(_read("documents", out), _read("normalized", out))
    typer.echo(f"wrote {write_table('sentences', table, out)} ({len(table)} sentences)")


@app.command()
def match(out: Path = OUT) -> None:
    """Stage 4: run the rules of rules/ → facts_<type>.parquet, one table per fact type."""
    from pipeline.match import match_documents
    from pipeline.schemas import write_table

    tables = match_documents(_read("documents", out), _read("normalized", out), _read("sentences", out), _rules())
    for fact_type, frame in tables.items():
        typer.echo(f"wrote {write_table(f'facts_{fact_type}', frame, out)} ({len(frame)} facts)")


@app.command()
def link(out: Path = OUT) -> None:
    """Stage 5: give every figure its time and its person → facts_links.parquet.

    Reads documents, sentences and facts_<type>; rules in rules/link.yaml.
    """
    from pipeline.factsheet import combine_facts
    from pipeline.link import link_facts
    from pipeline.schemas import FACT_TYPES, write_table

    facts = combine_facts({t: _read(f"facts_{t}", out) for t in FACT_TYPES})
    links = link_facts(facts, _read("sentences", out), _read("documents", out), _rules())
    typer.echo(f"wrote {write_table('facts_links', links, out)} ({len(links)} figures)")


@app.command()
def factsheet(out: Path = OUT) -> None:
    """Stage 6: facts_<type> + facts_links → facts.parquet (the contract) and facts.csv for review."""
    from pipeline.factsheet import build_factsheet, combine_facts, review_frame, write_review_csv
    from pipeline.schemas import FACT_TYPES, write_table

    facts = build_factsheet(combine_facts({t: _read(f"facts_{t}", out) for t in FACT_TYPES}), _read("facts_links", out))
    write_table("facts", facts, out)
    write_review_csv(review_frame(facts, _read("documents", out), _read("sentences", out)), out / "facts.csv")
    typer.echo(f"wrote {out}/facts.parquet and {out}/facts.csv ({len(facts)} facts)")


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Gold facts, JSON lines (format: shared/gold/README.md)."),
    facts: Path = typer.Option(Path("data/out/facts.parquet"), "--facts", help="A facts.parquet written by `facts run`."),
    json_out: Path = typer.Option(None, "--json", help="Where to write the scores as JSON (default: next to --facts)."),
    only_gold_docs: bool = typer.Option(False, "--only-gold-docs", help="Score only documents named in the gold file."),
) -> None:
    """Precision, recall, F1 and value accuracy per fact type against a gold JSONL.

    Example: facts evaluate --gold tests/data/seeds.gold.jsonl --facts data/out/facts.parquet
    """
    import pandas as pd

    from pipeline.evaluate import evaluate as score, format_report, load_gold

    for path in (gold, facts):
        if not path.exists():
            _fail(f"{path} not found" + (" (run `facts run INPUT --out DIR` first)" if path == facts else ""))
    result = score(load_gold(gold), pd.read_parquet(facts), only_gold_docs=only_gold_docs)
    typer.echo(format_report(result))
    json_out = json_out or facts.with_name("evaluation.json")
    json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    typer.echo(f"wrote {json_out}")


def _read(name: str, out: Path):
    from pipeline.schemas import read_table

    try:
        return read_table(name, out)
    except FileNotFoundError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    app()
