"""Stage 7, statements: what each figure measures, between whom, actual or target — and claims.

An analyst does not want "۳۱۰.۸ میلیون دلار"; they want "trade between Iran and Kazakhstan,
January–September 2025, 310.8 million USD, up 44.9% on the same period a year before". For each
figure (money, doc_count, percent, quantity) of the fact sheet this stage reads, in the figure's
sentence, its measure, parties, direction, goods, modality, bound, change and cited source, and
takes its time and speaker from the link stage (``when_*``, ``who``). Every cue is a rule of
``rules/statements.yaml`` over lexicons of ``rules/lexicons/``. A percentage that is the growth
or fall of another figure of its sentence becomes that figure's ``change_percent`` rather than a
statement of its own.

Claims gather the statements of a whole run: the same measure, parties, direction, modality and
unit over overlapping periods are one claim, with the range of its values and whether they agree.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable

import pandas as pd

from pipeline.link import FIGURE_TYPES
from pipeline.normalize import OffsetMap, fold_span, read_normalized
from pipeline.rules import Rule, RuleSet, default_rules
from pipeline.schemas import SCHEMAS, STATEMENT_VALUE_COLUMNS, empty_frame, has_value, records_by_doc

WORD = re.compile(r"[^\s\u200c]+")
STATEMENT_COLUMNS = SCHEMAS["statements"].names
LINK_COLUMNS = {"when_start": "period_start", "when_end": "period_end", "who": "who"}
# what a statement needs of its figure's row of ``facts``
FIGURE_COLUMNS = ["fact_id", "doc_id", "fact_type", "text", "start", "end", "sentence_id", *STATEMENT_VALUE_COLUMNS, *LINK_COLUMNS, "who_fact_id"]


def _words(text: str) -> int:
    return len(WORD.findall(text))


@dataclass
class Passage:
    """A sentence of an article, folded for the rules, with the matches of each cue remembered."""

    start: int  # raw offset of the sentence
    norm: str
    offsets: OffsetMap
    rules: dict[str, Rule]
    figures: list["Figure"] = field(default_factory=list)  # in the order of the text
    _found: dict[str, list[re.Match]] = field(default_factory=dict)  # by pattern

    def raw_pos(self, pos: int, *, is_end: bool = False) -> int:
        return self.start + self.offsets.to_raw(pos, is_end=is_end)

    def norm_pos(self, raw_pos: int) -> int:
        return self.offsets.to_norm(raw_pos - self.start)

    def found(self, rule_id: str) -> list[re.Match]:
        """Every match of a rule's cue in the sentence (rules sharing a pattern share the scan;
        a sentence without the cue's needs is not scanned)."""
        rule = self.rules[rule_id]
        matches = self._found.get(rule.regex)
        if matches is None:
            matches = self._found[rule.regex] = list(rule.pattern.finditer(self.norm)) if rule.may_match(self.norm) else []
        return matches

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around ``pos``: between the marks of ``statement.clause``."""
        marks = self.found("statement.clause")
        lo = max((m.end() for m in marks if m.end() <= pos), default=0)
        hi = min((m.start() for m in marks if m.start() >= pos), default=len(self.norm))
        return lo, hi

    def words_between(self, a: int, b: int) -> int:
        """Words from ``a`` to ``b``, another figure counting as one word (``به ارزش ۲۶۵ میلیون و ۲۰۰ هزار دلار``)."""
        if a >= b:
            return 0
        inside = [(f.start, f.end) for f in self.figures if a <= f.start and f.end <= b]
        return _words(self.norm[a:b]) - sum(_words(self.norm[s:e]) - 1 for s, e in inside)


@dataclass
class Figure:
    """A figure and what the stage has read about it so far."""

    fact: dict
    start: int  # folded offsets in its passage
    end: int
    passage: Passage
    row: dict[str, Any] = field(default_factory=dict)
    measure_match: re.Match | None = None  # the words of its measure (folded)
    change_sign: int | None = None  # a percentage that is a growth (+1) or a fall (-1)
    has_change: bool = False  # a later percentage of its sentence is its change
    is_change: bool = False  # a percentage that is an earlier figure's change (no statement of its own)

    @property
    def fact_type(self) -> str:
        return self.fact["fact_type"]

    @cached_property
    def clause(self) -> tuple[int, int]:
        return self.passage.clause(self.start)


Cue = tuple[Any, re.Match | None]  # (the value decided, the match that decided it)
Strategy = Callable[[Figure, Rule, "Article"], "Cue | None"]
MEASURE_STRATEGIES: dict[str, Strategy] = {}


def measure_strategy(name: str) -> Callable[[Strategy], Strategy]:
    def register(fn: Strategy) -> Strategy:
        MEASURE_STRATEGIES[name] = fn
        return fn

    return register


@measure_strategy("signed_documents")
def signed_documents(figure, rule, article):
    if figure.fact_type != "doc_count":
        return None
    cues = figure.passage.found(rule.id)
    return (rule.options["measure"], min(cues, key=lambda m: abs(m.start() - figure.start))) if cues else None


@measure_strategy("documents")
def documents(figure, rule, article):
    return (rule.options["measure"], None) if figure.fact_type == "doc_count" else None


def _scope(figure: Figure, rule: Rule) -> tuple[int, int]:
    return figure.clause if rule.options["scope"] == "clause" else (0, len(figure.passage.norm))


@measure_strategy("measure_before")
def measure_before(figure, rule, article):
    lo, _ = _scope(figure, rule)
    passage = figure.passage
    before = [m for m in passage.found(rule.id) if m.start() >= lo and m.end() <= figure.end]
    if not before:
        return None
    nearest = max(before, key=lambda m: m.end())
    if passage.words_between(nearest.end(), figure.start) > rule.options["max_words"]:
        return None
    return article.lexicon_value("measure", nearest.group("measure")), nearest


@measure_strategy("measure_after")
def measure_after(figure, rule, article):
    _, hi = _scope(figure, rule)
    nearest = _nearest_after(figure.passage.found(rule.id), figure.end, hi, rule.options["max_words"], figure.passage)
    return (article.lexicon_value("measure", nearest.group("measure")), nearest) if nearest else None


@measure_strategy("previous_figure")
def previous_figure(figure, rule, article):
    earlier = [f for f in figure.passage.figures if f.end <= figure.start and f.fact_type == figure.fact_type]
    if not earlier or earlier[-1].row.get("measure") in (None, "other"):
        return None
    return earlier[-1].row["measure"], earlier[-1].measure_match


@measure_strategy("other")
def other(figure, rule, article):
    return "other", None


class Article:
    """One article's sentences, figures and rules, and what is read once per article."""

    def __init__(self, raw: str, folded: tuple[str, OffsetMap], rules: RuleSet, official_country: dict[str, str]):
        self.raw = raw
        self.folded_text, self.folded_offsets = folded  # its row of ``normalized``
        self.official_country = official_country  # fact_id of an official mention → its country
        self.ruleset = rules
        self.rules = {r.id: r for r in rules.for_type("statement")}
        self.measure_rules = self.rules_of("statement.measure.")
        self.source_rules = self.rules_of("statement.source.")

    def lexicon_value(self, lexicon: str, surface: str) -> Any:
        return self.ruleset.lexicon(lexicon).value(surface)

    def passage(self, start: int, end: int) -> Passage:
        norm, offsets = fold_span(self.folded_text, self.folded_offsets, start, end)
        return Passage(start, norm, offsets, self.rules)

    @cached_property
    def country_pair(self) -> list[str]:
        """The article's own pair: the two countries it names most (the first named wins a tie)."""
        pattern, country = self.rules["statement.parties"].pattern, self.ruleset.lexicon("country")
        counts = Counter(country.value(m.group("country")) for m in pattern.finditer(self.folded_text))
        return [name for name, _ in counts.most_common(2) if name]

    def rules_of(self, prefix: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.id.startswith(prefix)]


def _nearest_after(matches: list[re.Match], pos: int, hi: int, max_words: int, passage: Passage) -> re.Match | None:
    after = [m for m in matches if pos <= m.start() and m.end() <= hi]
    nearest = min(after, key=lambda m: m.start(), default=None)
    return nearest if nearest and passage.words_between(pos, nearest.start()) <= max_words else None


def _nearest_before(matches: list[re.Match], lo: int, pos: int, max_words: int, passage: Passage) -> re.Match | None:
    before = [m for m in matches if lo <= m.start() and m.end() <= pos]
    nearest = max(before, key=lambda m: m.end(), default=None)
    return nearest if nearest and passage.words_between(nearest.end(), pos) <= max_words else None


def _measure(figure: Figure, article: Article) -> None:
    for rule in article.measure_rules:
        decision = MEASURE_STRATEGIES[rule.producer](figure, rule, article)
        if decision:
            measure, match = decision
            figure.row |= {"measure": measure, "rule_id": rule.id}
            if match is not None:
                passage = figure.passage
                start, end = passage.raw_pos(match.start()), passage.raw_pos(match.end(), is_end=True)
                figure.row |= {"measure_text": article.raw[start:end], "measure_start": start, "measure_end": end}
                figure.measure_match = match
            return


def _change_sign(figure: Figure, article: Article) -> int | None:
    """+1 or -1 when the percentage is a growth or fall (a change word next to it), else None."""
    rule = article.rules["statement.change.word"]
    passage = figure.passage
    lo, hi = figure.clause
    # a word of its measure is no change (رشد اقتصادی ۸ درصدی)
    measure_lo, measure_hi = figure.measure_match.span() if figure.measure_match else (0, 0)
    cues = [m for m in passage.found(rule.id) if m.end() <= measure_lo or m.start() >= measure_hi]
    before = _nearest_before(cues, lo, figure.start, rule.options["words_before"], passage)
    after = _nearest_after(cues, figure.end, hi, rule.options["words_after"], passage)
    cue = before or after
    if cue is None:
        return None
    return -1 if article.lexicon_value("change_word", cue.group()) == "down" else 1


def _signed(value: float, sign: int) -> float:
    return -abs(value) if sign < 0 else value


def _changes(figures: list[Figure], article: Article) -> list[Figure]:
    """Percentages that are the change of an earlier figure of their sentence go to that figure
    (``change_percent``); the figures left are the statements."""
    coordinated = article.rules["statement.change.coordinated"].pattern
    dimension_rule = article.rules["statement.change.dimension"].pattern
    previous_change: Figure | None = None
    for i, figure in enumerate(figures):
        if figure.fact_type != "percent" or pd.isna(figure.fact.get("value")):
            continue
        figure.change_sign = _change_sign(figure, article)
        if figure.change_sign is None and previous_change is not None and previous_change.passage is figure.passage:
            if coordinated.fullmatch(figure.passage.norm, previous_change.end, figure.start):
                figure.change_sign = previous_change.change_sign
        if figure.change_sign is None:
            continue
        previous_change = figure
        dimension = dimension_rule.match(figure.passage.norm, figure.end)
        wanted = article.lexicon_value("change_dimension", dimension.group("dimension")) if dimension else None
        target = next(
            (
                earlier for earlier in reversed(figures[:i])
                if earlier.passage is figure.passage and earlier.change_sign is None and not earlier.has_change
                and earlier.end <= figure.start and wanted in (None, earlier.fact_type)
            ),
            None,
        )
        change = _signed(float(figure.fact["value"]), figure.change_sign)
        (target or figure).row |= {"change_percent": change, "change_fact_id": figure.fact["fact_id"], "change_basis": _change_basis(figure, article)}
        if target is not None:
            target.has_change = figure.is_change = True
    return [f for f in figures if not f.is_change]


def _change_basis(figure: Figure, article: Article) -> str | None:
    cues = figure.passage.found("statement.change.basis")
    nearest = min(cues, key=lambda m: min(abs(m.end() - figure.start), abs(m.start() - figure.end)), default=None)
    return article.lexicon_value("change_basis", nearest.group()) if nearest else None


def _modality(figure: Figure, article: Article) -> str:
    passage = figure.passage
    _, hi = figure.clause
    frame = article.rules["statement.modality.frame"]
    cues = passage.found(frame.id)
    cue = _nearest_before(cues, 0, figure.start, frame.options["words_before"], passage)
    cue = cue or _nearest_after(cues, figure.end, hi, frame.options["words_after"], passage)
    if cue:
        return article.lexicon_value("modality", cue.group())
    verb = article.rules["statement.modality.verb"]
    cue = _nearest_after(passage.found(verb.id), figure.end, hi, verb.options["words_after"], passage)
    return article.lexicon_value("modality_verb", cue.group()) if cue else "actual"


def _bound(figure: Figure, article: Article) -> str:
    passage = figure.passage
    lo, _ = figure.clause
    cue = article.rules["statement.bound"].pattern.search(passage.norm, lo, figure.start)
    return article.lexicon_value("bound", cue.group().strip()) if cue else "exact"


def _per_year(figure: Figure, article: Article) -> bool:
    rule = article.rules["statement.rate.per_year"]
    passage = figure.passage
    lo, hi = figure.clause
    cues = passage.found(rule.id)
    near = rule.options["words_around"]
    return bool(_nearest_before(cues, lo, figure.start, near, passage) or _nearest_after(cues, figure.end, hi, near, passage))


def _goods(figure: Figure, article: Article) -> str | None:
    pattern = article.rules["statement.goods"].pattern
    for pos in (figure.end, figure.measure_match and figure.measure_match.end()):
        match = pattern.match(figure.passage.norm, pos) if pos is not None else None
        if match:
            return article.lexicon_value("goods", match.group("goods"))
    return None


def _parties(figure: Figure, article: Article) -> None:
    """``parties`` and, for a directed measure, ``from_country`` / ``to_country``."""
    rule = article.rules["statement.parties"]
    passage, measure = figure.passage, figure.row["measure"]
    mentions = [(m, article.lexicon_value("country", m.group("country"))) for m in passage.found(rule.id)]
    lo, hi = figure.clause
    in_clause = [name for m, name in mentions if name and lo <= m.start() and m.end() <= hi]
    parties = list(dict.fromkeys(in_clause or [name for _, name in mentions if name]))
    if measure in rule.options["two_party_measures"] and len(parties) < 2:
        # "our trade" is the speaker's country's; then the countries the article is about
        speaker = article.official_country.get(figure.fact.get("who_fact_id"))
        parties += [name for name in dict.fromkeys([speaker, *article.country_pair]) if name and name not in parties][: 2 - len(parties)]
    figure.row["parties"] = parties
    own_role = rule.options["directed_measures"].get(measure)
    if own_role is None:
        return
    direction = article.rules["statement.direction"].pattern
    marked, unmarked = {}, []
    for match, name in mentions:
        cue = direction.search(passage.norm, max(0, match.start() - 20), match.start())
        if cue:
            marked.setdefault(article.lexicon_value("direction", cue.group("direction")), name)
        else:
            unmarked.append((match, name))
    measure_end = figure.measure_match.end() if figure.measure_match else None
    after_measure = [name for m, name in unmarked if measure_end is not None and m.start() >= measure_end
                     and passage.words_between(measure_end, m.start()) <= 1]
    subject = [name for m, name in unmarked if m.end() <= figure.start]
    owner = (after_measure or subject or [None])[0]
    other_role = "to" if own_role == "from" else "from"
    sides = {own_role: owner, other_role: marked.get(other_role)}
    figure.row |= {"from_country": sides["from"], "to_country": sides["to"]}


def _source(figure: Figure, article: Article) -> str | None:
    for rule in article.source_rules:
        cues = figure.passage.found(rule.id)
        if cues:
            return article.lexicon_value("organisation", cues[0].group("source"))
    return None


def _statement(figure: Figure, article: Article) -> dict:
    fact = figure.fact
    row = {column: fact.get(column) for column in ("fact_id", "doc_id", "fact_type", "text", *STATEMENT_VALUE_COLUMNS)}
    row |= {new: fact.get(old) for old, new in LINK_COLUMNS.items()}
    _parties(figure, article)
    row |= figure.row
    row |= {
        "goods": _goods(figure, article),
        "modality": _modality(figure, article),
        "bound": _bound(figure, article),
        "per_year": _per_year(figure, article),
        "source": _source(figure, article),
    }
    return row


def _passage_starts(sentences: dict, figures: list[dict]) -> dict[int, int]:
    """sentence_id → the first sentence of its passage: a figure that runs across a sentence end
    (``۹ . ۲ درصد``, a decimal written with spaces) joins the sentences it spans into one passage."""
    joined = set()
    for fact in figures:
        sentence_id = int(fact["sentence_id"])
        while sentence_id + 1 in sentences and sentences[sentence_id + 1][0] < fact["end"]:
            joined.add(sentence_id)
            sentence_id += 1
    first_of: dict[int, int] = {}
    for sentence_id in sorted(sentences):
        first_of[sentence_id] = first_of[sentence_id - 1] if sentence_id - 1 in joined else sentence_id
    return first_of


def document_statements(
    raw: str, folded: tuple[str, OffsetMap], sentences: dict, figures: list[dict], official_country: dict[str, str], rules: RuleSet
) -> list[dict]:
    """The statements of one article (``folded``: its row of ``normalized``; ``sentences``: its
    (start, end) by ``sentence_id``; ``figures``: its figure facts by ``start``, with their link columns;
    ``official_country``: the country of each official mention)."""
    article = Article(raw, folded, rules, official_country)
    first_of = _passage_starts(sentences, figures)
    passages: dict[int, Passage] = {}
    read: list[Figure] = []
    for fact in figures:
        first = first_of[int(fact["sentence_id"])]
        passage = passages.get(first)
        if passage is None:
            last = max(s for s, f in first_of.items() if f == first)
            passage = passages[first] = article.passage(sentences[first][0], sentences[last][1])
        read.append(Figure(fact, passage.norm_pos(fact["start"]), passage.norm_pos(fact["end"]), passage))
        passage.figures.append(read[-1])
    for figure in read:
        _measure(figure, article)
    return [_statement(figure, article) for figure in _changes(read, article)]


def build_statements(
    facts: pd.DataFrame, sentences: pd.DataFrame, normalized: pd.DataFrame, documents: pd.DataFrame, rules: RuleSet | None = None
) -> pd.DataFrame:
    """facts (with their links) + sentences + normalized + documents → ``statements``: one row
    per figure that is not the change of another."""
    rules = rules or default_rules()
    figures = facts.loc[facts.fact_type.isin(FIGURE_TYPES) & facts.sentence_id.notna(), FIGURE_COLUMNS]
    if figures.empty:
        return empty_frame("statements")
    raw_by_id = dict(zip(documents.doc_id.tolist(), documents.text.tolist()))
    folded_by_id = read_normalized(normalized)
    officials = facts[(facts.fact_type == "official") & facts.fact_id.isin(set(figures.who_fact_id.dropna()))]
    official_country = dict(zip(officials.fact_id.tolist(), officials.country.tolist()))
    sentences_by_doc: dict[str, dict[int, tuple[int, int]]] = {}
    for doc_id, sentence_id, start, end in zip(*(sentences[c].tolist() for c in ("doc_id", "sentence_id", "start", "end"))):
        sentences_by_doc.setdefault(doc_id, {})[sentence_id] = (start, end)
    rows: list[dict] = []
    for doc_id, doc_figures in records_by_doc(figures).items():
        rows += document_statements(raw_by_id[doc_id], folded_by_id[doc_id], sentences_by_doc[doc_id], doc_figures, official_country, rules)
    return pd.DataFrame(rows).reindex(columns=STATEMENT_COLUMNS) if rows else empty_frame("statements")


# --- claims -------------------------------------------------------------------------------


def _unit_of(statement: dict) -> str | None:
    """The unit a claim's values share: the currency, the quantity's unit, `documents`, `%`, or
    `% change` for a percentage that is itself a growth or fall."""
    if statement["fact_type"] == "percent":
        return "% change" if statement.get("change_fact_id") == statement["fact_id"] else "%"
    return {"money": statement.get("currency"), "doc_count": "documents"}.get(statement["fact_type"], statement.get("unit"))


def _value_range(statement: dict) -> tuple[float, float] | None:
    columns = {"money": ("amount", "amount_min", "amount_max"), "doc_count": ("count", None, None),
               "percent": ("value", "value_min", "value_max"), "quantity": ("value", None, None)}[statement["fact_type"]]
    single, low, high = (statement.get(c) if c else None for c in columns)
    if has_value(single):
        return float(single), float(single)
    if has_value(low) and has_value(high):
        return float(low), float(high)
    return None


@dataclass(frozen=True, slots=True)
class _Member:
    """What a claim keeps of one of its statements (a run's claims hold every statement of a
    known measure: kept small, they fit in memory at 100,000 articles)."""

    fact_id: str
    doc_id: str
    low: float
    high: float
    bound: str
    period: tuple[Any, Any] | None


def _member(statement: dict, value_range: tuple[float, float]) -> _Member:
    start, end = statement["period_start"], statement["period_end"]
    period = (start, end) if has_value(start) and has_value(end) else None
    return _Member(statement["fact_id"], statement["doc_id"], *value_range, statement["bound"], period)


def _bounds(member: _Member, tolerance: dict[str, float]) -> tuple[float, float]:
    """The values a statement allows: its value or range widened by its bound's tolerance."""
    slack = tolerance["about_tolerance"] if member.bound == "about" else tolerance["exact_tolerance"]
    low, high = member.low - abs(member.low) * slack, member.high + abs(member.high) * slack
    if member.bound == "at_least":
        high = math.inf
    elif member.bound == "at_most":
        low = -math.inf
    return low, high


def _cluster(members: list[_Member]) -> list[list[_Member]]:
    """Statements whose periods all overlap one another, earliest first; an undated statement is
    a claim alone (nothing shows it is about the same time as another)."""
    undated = [[m] for m in members if m.period is None]
    clusters: list[tuple[list[_Member], Any, Any]] = []  # members, latest start, earliest end
    for member in sorted((m for m in members if m.period is not None), key=lambda m: m.period):
        start, end = member.period
        for k, (together, latest_start, earliest_end) in enumerate(clusters):
            if start <= earliest_end and latest_start <= end:
                clusters[k] = (together + [member], max(latest_start, start), min(earliest_end, end))
                break
        else:
            clusters.append(([member], start, end))
    return [together for together, _, _ in clusters] + undated


CLAIM_KEY = ("measure", "parties", "from_country", "to_country", "goods", "modality", "unit", "per_year")
# the statements' columns claims are made of (a run of 100,000 articles reads no more of them)
CLAIM_INPUTS = tuple(dict.fromkeys(
    ("fact_id", "doc_id", "fact_type", "bound", "change_fact_id", "period_start", "period_end", *CLAIM_KEY, *STATEMENT_VALUE_COLUMNS)
))


def build_claims(statements: pd.DataFrame | Iterable[pd.DataFrame], rules: RuleSet | None = None) -> pd.DataFrame:
    """statements of a whole run (a frame, or its pieces one after another: only what claims
    keep of each statement is held) → ``claims``: the same measure, parties, direction, goods,
    modality, unit and rate over overlapping periods, across articles. Figures of no known
    measure (`other`) or without a value make no claim."""
    rules = rules or default_rules()
    tolerance = {r.producer: r.options for r in rules.for_type("statement")}["agree"]
    groups: dict[tuple, list[_Member]] = {}
    for piece in [statements] if isinstance(statements, pd.DataFrame) else statements:
        known = piece.loc[piece.measure != "other", list(CLAIM_INPUTS)]
        for values in zip(*(known[c].tolist() for c in CLAIM_INPUTS)):  # a row's dict at a time
            statement = dict(zip(CLAIM_INPUTS, values))
            value_range = _value_range(statement)
            if value_range is None:
                continue
            statement["unit"] = _unit_of(statement)
            statement["parties"] = sorted(statement["parties"]) if statement["parties"] is not None else []
            key = tuple(tuple(statement[c]) if c == "parties" else _or_none(statement[c]) for c in CLAIM_KEY)
            groups.setdefault(key, []).append(_member(statement, value_range))
    rows = []
    for key, members in groups.items():
        for cluster in _cluster(members):
            rows.append(_claim(dict(zip(CLAIM_KEY, key)), cluster, tolerance))
    if not rows:
        return empty_frame("claims")
    claims = pd.DataFrame(rows).reindex(columns=SCHEMAS["claims"].names)
    return claims.sort_values(["measure", "modality", "period_start", "claim_id"], kind="stable", na_position="last").reset_index(drop=True)


def _or_none(value: Any) -> Any:
    return value if has_value(value) else None


def _claim(key: dict, members: list[_Member], tolerance: dict[str, float]) -> dict:
    members = sorted(members, key=lambda m: (m.doc_id, m.fact_id))
    bounds = [_bounds(m, tolerance) for m in members]
    periods = [m.period for m in members if m.period is not None]
    statement_ids = [m.fact_id for m in members]
    return key | {
        "claim_id": "claim:" + hashlib.sha1("\0".join(statement_ids).encode()).hexdigest()[:16],
        "parties": list(key["parties"]),
        "period_start": min((p[0] for p in periods), default=None),
        "period_end": max((p[1] for p in periods), default=None),
        "n_docs": len({m.doc_id for m in members}),
        "n_statements": len(members),
        "doc_ids": sorted({m.doc_id for m in members}),
        "statement_ids": statement_ids,
        "min_value": min(m.low for m in members),
        "max_value": max(m.high for m in members),
        "agree": max(low for low, _ in bounds) <= min(high for _, high in bounds),
    }
