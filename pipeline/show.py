"""show: a look at one document (or a whole run) — its facts as a terminal table, and as HTML
with every fact highlighted in the article.

The HTML is written here rather than by displaCy's span renderer: facts are character spans of
the raw text (displaCy's spans are token spans) and the value must show on hover, which displaCy's
templates have no place for. Each fact is a ``<mark>`` with ``data-fact-id``, ``data-type`` and
a ``title`` (the hover text); where facts overlap, the overlapping stretch is nested marks, so
every fact's characters stay inside marks carrying its id.

The pages are right to left, so every left-to-right piece is isolated: ids, dates and English
titles are ``<bdi dir="ltr">`` that do not wrap (else the bidi algorithm reads ``000_342ea…`` as
``342ea…_000`` and a line may break inside ``2025-12-13``), and a fact's type label is an
isolated left-to-right box at the start of its mark, so it never lands between a number and its
noun (``۲۷ doc_count نسخه خطی``).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from pipeline.schemas import FACT_TYPES, VALUE_FIELDS, has_value, read_table, table_path

TYPE_COLORS = {
    "money": "#c8e6c9",
    "doc_count": "#ffe0b2",
    "date": "#bbdefb",
    "official": "#f8bbd0",
    "percent": "#d1c4e9",
    "quantity": "#fff59d",
}


def read_facts(out_dir: Path) -> pd.DataFrame:
    """The run's facts: ``facts.parquet``, or a ``facts/`` Parquet dataset."""
    for path in (table_path(out_dir, "facts"), Path(out_dir) / "facts"):
        if path.exists():
            return pd.read_parquet(path)
    raise FileNotFoundError(f"no facts in {out_dir}: run `facts run INPUT --out {out_dir}` first")


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


def value_text(fact: dict) -> str:
    """A fact's value columns as ``name=value`` pairs (the columns its type has, non-empty ones)."""
    fields = VALUE_FIELDS.get(fact.get("fact_type"), [])
    return " ".join(f"{f.name}={_format(fact[f.name])}" for f in fields if has_value(fact.get(f.name)))


def document_facts(facts: pd.DataFrame, doc_id: str) -> list[dict]:
    rows = facts[facts.doc_id == doc_id].sort_values(["start", "end"], kind="stable")
    return rows.to_dict("records")


def document_row(documents: pd.DataFrame, doc_id: str) -> dict | None:
    """The ``documents`` row of ``doc_id`` (None when the run has no such document)."""
    rows = documents[documents.doc_id == doc_id]
    return rows.iloc[0].to_dict() if len(rows) else None


def facts_table(doc_id: str, facts: list[dict], header: dict | None = None):
    """One document's facts as a rich table."""
    from rich.table import Table

    header = header or {}
    caption = f"dateline {header.get('dateline_date') or '—'} · agency {header.get('agency') or '—'}"
    table = Table(title=f"{doc_id}: {len(facts)} facts", caption=caption)
    for column in ("type", "text", "value", "span", "sentence", "rule"):
        table.add_column(column, no_wrap=column in ("span", "rule"))
    for f in facts:
        sentence = f.get("sentence_id")
        table.add_row(
            f["fact_type"], f["text"], value_text(f), f"{f['start']}-{f['end']}",
            str(int(sentence)) if has_value(sentence) else "", f["rule_id"],
        )
    return table


def run_summary(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document: dateline, agency, status and its number of facts of each type."""
    counts = pd.crosstab(facts.doc_id, facts.fact_type).reindex(columns=list(FACT_TYPES), fill_value=0)
    summary = documents.set_index("doc_id")[["status", "dateline_date", "agency"]].join(counts)
    summary[list(FACT_TYPES)] = summary[list(FACT_TYPES)].fillna(0).astype(int)
    return summary.reset_index()


def run_table(summary: pd.DataFrame):
    from rich.table import Table

    table = Table(title=f"{len(summary)} documents")
    columns = ["doc_id", "status", "dateline_date", "agency", *FACT_TYPES]
    for column in columns:
        table.add_column(column, justify="right" if column in FACT_TYPES else "left", no_wrap=column == "doc_id")
    for row in summary[columns].itertuples(index=False):
        table.add_row(*("" if not has_value(v) else str(v) for v in row))
    return table


def claims_table(claims: pd.DataFrame):
    """A run's claims as a rich table: what, between whom, when, how much, and who says so."""
    from rich.table import Table

    table = Table(title=f"{len(claims)} claims")
    for column in ("measure", "parties", "modality", "period", "values", "agree", "articles"):
        table.add_column(column, justify="right" if column == "values" else "left")
    for c in claims.to_dict("records"):
        direction = f" ({c['from_country']} → {c['to_country']})" if has_value(c["from_country"]) or has_value(c["to_country"]) else ""
        period = f"{c['period_start']} … {c['period_end']}" if has_value(c["period_start"]) else "undated"
        low, high = (_format(c[k]) if has_value(c[k]) else "?" for k in ("min_value", "max_value"))
        values = f"{low}{'' if low == high else ' – ' + high} {c['unit'] or ''}{' per year' if c['per_year'] else ''}"
        table.add_row(
            c["measure"] + (f" ({c['goods']})" if has_value(c["goods"]) else ""), "، ".join(c["parties"]) + direction, c["modality"], period, values,
            "yes" if c["agree"] else "no", "\n".join(c["doc_ids"]),
        )
    return table


def _mark_open(fact: dict, first: bool) -> str:
    hover = f"{fact['fact_type']}: {value_text(fact) or 'no value'} · {fact['rule_id']}"
    label = f' data-label="{html.escape(fact["fact_type"])}"' if first else ""
    return (
        f'<mark class="fact" data-fact-id="{html.escape(fact["fact_id"])}" data-type="{html.escape(fact["fact_type"])}"'
        f' title="{html.escape(hover)}"{label}>'
    )


def highlight(raw: str, facts: list[dict]) -> str:
    """The raw article as HTML with every fact in ``<mark>``s (nested where facts overlap)."""
    cuts = sorted({0, len(raw)} | {f["start"] for f in facts} | {f["end"] for f in facts})
    outer_first = sorted(facts, key=lambda f: (f["start"], -f["end"]))
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [f for f in outer_first if f["start"] <= a and b <= f["end"]]
        parts += [_mark_open(f, f["start"] == a) for f in covering]
        parts.append(html.escape(raw[a:b]))
        parts.append("</mark>" * len(covering))
    return "".join(parts)


STYLE = "\n".join(
    [
        "body { font-family: Vazirmatn, Tahoma, 'DejaVu Sans', sans-serif; max-width: 60em; margin: 2em auto; line-height: 2.2; }",
        ".article { white-space: pre-wrap; }",
        "mark.fact { padding: 0.1em 0.15em; border-radius: 0.3em; cursor: help; }",
        "mark.fact mark.fact { border-bottom: 2px solid #555; }",  # a fact inside another
        # the label is an isolated left-to-right box; which side of it the text follows depends
        # on the text's direction, so it keeps a space on both
        "mark.fact[data-label]::before { content: attr(data-label); font-size: 0.6em; font-weight: bold; margin: 0 0.3em;"
        " direction: ltr; unicode-bidi: isolate; }",
        "bdi.ltr { white-space: nowrap; }",
        "table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; }",
    ]
    + [f'mark.fact[data-type="{t}"], .legend [data-type="{t}"] {{ background: {c}; }}' for t, c in TYPE_COLORS.items()]
)


def ltr(text: str) -> str:
    """A left-to-right piece (an id, a date, English) isolated from the right-to-left text around it."""
    return f'<bdi dir="ltr" class="ltr">{html.escape(text)}</bdi>'


def page(title: str, body: str) -> str:
    legend = " ".join(f'<span data-type="{t}">{ltr(t)}</span>' for t in FACT_TYPES)
    return (
        f'<!DOCTYPE html>\n<html lang="fa" dir="rtl">\n<head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>\n{STYLE}\n</style></head>\n<body>\n<h1>{ltr(title)}</h1>\n"
        f'<p class="legend">{legend}</p>\n{body}\n</body>\n</html>\n'
    )


def document_html(doc_id: str, raw: str, facts: list[dict]) -> str:
    return page(doc_id, f'<div class="article" dir="rtl">{highlight(raw, facts)}</div>')


def index_html(summary: pd.DataFrame, link_dir: str) -> str:
    head = "".join(f"<th>{c}</th>" for c in ["doc_id", "status", "dateline", "agency", *FACT_TYPES])
    rows = []
    for r in summary.to_dict("records"):
        href = html.escape(f"{quote(link_dir)}/{quote(r['doc_id'])}.html")
        cells = [f'<a href="{href}">{ltr(r["doc_id"])}</a>', ltr(r["status"])]
        cells.append(ltr(str(r["dateline_date"])) if has_value(r["dateline_date"]) else "")
        cells.append(html.escape(r["agency"]) if has_value(r["agency"]) else "")
        cells += [str(r[t]) for t in FACT_TYPES]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return page(f"{len(summary)} documents", f"<table><tr>{head}</tr>\n" + "\n".join(rows) + "\n</table>")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_document_html(out_dir: Path, doc_id: str, path: Path) -> Path:
    document = document_row(read_table("documents", out_dir), doc_id) or {}
    return _write(path, document_html(doc_id, document.get("text") or "", document_facts(read_facts(out_dir), doc_id)))


def write_run_html(out_dir: Path, path: Path) -> Path:
    """An index page at ``path`` and one page per document in the folder ``<path stem>_docs`` beside it."""
    facts, documents = read_facts(out_dir), read_table("documents", out_dir)
    link_dir = f"{path.stem}_docs"
    by_doc = {doc_id: group for doc_id, group in facts.groupby("doc_id")}
    for doc in documents.itertuples():
        doc_facts = document_facts(by_doc[doc.doc_id], doc.doc_id) if doc.doc_id in by_doc else []
        _write(path.parent / link_dir / f"{doc.doc_id}.html", document_html(doc.doc_id, doc.text or "", doc_facts))
    return _write(path, index_html(run_summary(facts, documents), link_dir))
