"""Stage 5, link: join every figure (money, doc_count, percent, quantity) to its time and person.

An analyst wants "235 million dollars — June 2022 — Tokayev" on one row. For each figure this
stage finds ``when`` (the date that governs it in its sentence, else the article's dateline)
and ``who`` (the official the sentence attributes it to: the speaker of reported speech, a
pronoun or bare office resolved to the official it stands for, or the official named in the
sentence). The strategies and their cues are the rules of ``rules/link.yaml``; the id of the
rule that decided lands in ``when_rule_id`` / ``who_rule_id`` so a reviewer can judge it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import pandas as pd

from pipeline.normalize import OffsetMap, fold_span, read_normalized
from pipeline.lexicons import form_parts
from pipeline.rules import Rule, RuleSet, default_rules
from pipeline.schemas import records_by_doc

FIGURE_TYPES = ("money", "doc_count", "percent", "quantity")
# what linking reads of a fact (the records of a table with all the other columns cost twice as much)
FACT_COLUMNS = ["fact_id", "doc_id", "fact_type", "start", "end", "sentence_id", "date_start", "date_end", "name", "text", "title", "country"]
LINK_COLUMNS = ["fact_id", "when_start", "when_end", "when_fact_id", "when_rule_id", "who", "who_fact_id", "who_rule_id"]


@dataclass
class Sentence:
    """A sentence of one document, with what linking needs to know about it."""

    sentence_id: int
    start: int
    end: int
    paragraph: int
    norm: str
    offsets: OffsetMap
    speech_cue: tuple[int, int] | None = None  # raw span of the cue that reports speech
    opens_quote: bool = False  # the cue ends in ":" and the quotation runs to the paragraph's end
    continues_quote_of: "Sentence | None" = None
    officials: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)

    def raw_pos(self, norm_pos: int, *, is_end: bool = False) -> int:
        return self.start + self.offsets.to_raw(norm_pos, is_end=is_end)

    def norm_pos(self, raw_pos: int) -> int:
        """The normalized offset of a raw offset of the sentence that folding kept (a fact's start,
        a fact's end, a cue's start); dropped marks make it a little smaller."""
        return self.offsets.to_norm(raw_pos - self.start)

    @property
    def quoted_from(self) -> int | None:
        """Raw offset from which the sentence is someone's reported speech, if it is."""
        if self.speech_cue:
            return self.speech_cue[1]
        return self.start if self.continues_quote_of else None


@dataclass
class Document:
    sentences: list[Sentence | None]  # by sentence_id; None: not read (see _sentences)
    officials: list[dict]
    dateline: dict | None
    rules: dict[str, Rule]
    country_of: Callable[[str], str | None]  # the country lexicon's canonical name of a form

    def sentence_of(self, fact: dict) -> Sentence:
        return self.sentences[int(fact["sentence_id"])]

    def in_quote(self, fact: dict) -> bool:
        quoted_from = self.sentence_of(fact).quoted_from
        return quoted_from is not None and fact["start"] >= quoted_from

    def salient_official(self, before: int) -> dict | None:
        """The last official named before ``before`` outside anyone's quotation."""
        named = [o for o in self.officials if o["start"] < before and not self.in_quote(o)]
        return named[-1] if named else None


Decision = tuple[dict, str]  # (the fact that decides, the rule id)
Strategy = Callable[[dict, Sentence, Document, Rule], "Decision | None"]
STRATEGIES: dict[str, Strategy] = {}


def strategy(name: str) -> Callable[[Strategy], Strategy]:
    def register(fn: Strategy) -> Strategy:
        STRATEGIES[name] = fn
        return fn

    return register


def _nearest(figure: dict, candidates: list[dict]) -> dict | None:
    """Earlier candidates first (Persian puts time and subject before the verb), nearest first."""
    before = [c for c in candidates if c["end"] <= figure["start"]]
    after = [c for c in candidates if c["start"] >= figure["end"]]
    if before:
        return max(before, key=lambda c: c["end"])
    return min(after, key=lambda c: c["start"]) if after else None


@strategy("date_in_clause")
def date_in_clause(figure, sentence, doc, rule):
    def same_clause(date: dict) -> bool:
        lo, hi = sorted((date["start"], figure["start"]))
        between = sentence.norm[sentence.norm_pos(lo) : sentence.norm_pos(hi)]
        return not rule.pattern.search(between)

    date = _nearest(figure, [d for d in sentence.dates if same_clause(d)])
    return (date, rule.id) if date else None


@strategy("date_in_sentence")
def date_in_sentence(figure, sentence, doc, rule):
    date = _nearest(figure, sentence.dates)
    return (date, rule.id) if date else None


@strategy("dateline")
def dateline(figure, sentence, doc, rule):
    if doc.dateline is None or rule.pattern.search(sentence.norm):
        return None
    return doc.dateline, rule.id


@lru_cache(maxsize=1 << 12)
def _title_regex(title: str) -> re.Pattern:
    """An official's title as the article wrote it (`رئیسجمهور`), found however another sentence
    spaces it (`رئیس جمهور`, `رئیس‌جمهور`): a space or ZWNJ may stand between any two letters."""
    letters = "".join(form_parts(title))  # the parts come without their spaces and ZWNJs
    return re.compile(r"[\s\u200c]?".join(re.escape(ch) for ch in letters))


def _speaker(sentence: Sentence, zone_end: int, doc: Document) -> Decision | None:
    """Who speaks in ``sentence``: the official named before ``zone_end``, or the official a
    pronoun or bare office there stands for."""
    named = [o for o in sentence.officials if o["start"] < zone_end]
    if named:
        return named[0], doc.rules["link.who.quote_speaker"].id
    zone = sentence.norm[: sentence.norm_pos(zone_end)]
    pronoun = doc.rules["link.who.pronoun"]
    if pronoun.pattern.search(zone):
        official = doc.salient_official(sentence.start)
        return (official, pronoun.id) if official else None
    bare_title = doc.rules["link.who.title"]
    for official in reversed([o for o in doc.officials if o["start"] < sentence.start and not doc.in_quote(o)]):
        title = official.get("title")
        office = _title_regex(title).search(zone) if isinstance(title, str) and title else None
        if office is None:
            continue
        # "رئیس‌جمهور کشورمان" is Iran's president, not the Kazakh one named last
        country = bare_title.pattern.match(zone, office.end())
        if country and doc.country_of(country.group("country")) not in (None, official.get("country")):
            continue
        return official, bare_title.id
    return None


@strategy("quote_speaker")
def quote_speaker(figure, sentence, doc, rule):
    if sentence.speech_cue is None or figure["start"] < sentence.speech_cue[1]:
        return None
    return _speaker(sentence, sentence.speech_cue[0], doc)


@strategy("pronoun_speaker")
def pronoun_speaker(figure, sentence, doc, rule):
    """A sentence whose subject is a pronoun, without a quotation (وی ... امضا کرد)."""
    if sentence.speech_cue is not None or not rule.pattern.match(sentence.norm):
        return None
    official = doc.salient_official(sentence.start)
    return (official, rule.id) if official else None


@strategy("title_speaker")
def title_speaker(figure, sentence, doc, rule):
    """A sentence whose subject is a bare office, without a quotation (رئیس‌جمهور ... گفت که)."""
    if sentence.speech_cue is not None or sentence.officials:
        return None
    decision = _speaker(sentence, figure["start"], doc)
    return decision if decision and decision[1] == rule.id else None


@strategy("according_to")
def according_to(figure, sentence, doc, rule):
    cue = rule.pattern.search(sentence.norm)
    if cue is None:
        return None
    after = sentence.raw_pos(cue.end())
    named = [o for o in sentence.officials if o["start"] >= after]
    if named and named[0]["start"] - after <= 1:
        return named[0], rule.id
    if doc.rules["link.who.pronoun"].pattern.match(sentence.norm, cue.end()):
        official = doc.salient_official(sentence.start)
        return (official, rule.id) if official else None
    return None


@strategy("official_in_sentence")
def official_in_sentence(figure, sentence, doc, rule):
    outside_quote = [o for o in sentence.officials if not doc.in_quote(o)]
    chosen = (outside_quote or sentence.officials or [None])[0]
    return (chosen, rule.id) if chosen else None


@strategy("paragraph_speaker")
def paragraph_speaker(figure, sentence, doc, rule):
    opener = sentence.continues_quote_of
    if opener is None:
        return None
    decision = _speaker(opener, opener.speech_cue[0], doc)
    return (decision[0], rule.id) if decision else None


def _sentences(text: str, text_offsets: OffsetMap, rows: list[tuple[int, int, int]], facts: list[dict], speech: Rule) -> list[Sentence | None]:
    """The article's sentences, each with its slice of the article's folded ``text``; None for
    the sentences of a paragraph without a figure or an official, which nothing asks about (a
    quotation runs within its paragraph)."""
    # a paragraph ends at a line break of the folded text: any raw line end (CRLF, CR, LF) but a wrap
    line_breaks = [m.start() for m in re.finditer("\n", text)]
    paragraphs = [bisect.bisect_left(line_breaks, text_offsets.to_norm(start)) for _, start, _ in rows]
    read = {paragraphs[int(f["sentence_id"])] for f in facts if f["fact_type"] == "official" or f["fact_type"] in FIGURE_TYPES}
    sentences: list[Sentence | None] = []
    for (sentence_id, start, end), paragraph in zip(rows, paragraphs):
        if paragraph not in read:
            sentences.append(None)
            continue
        norm, offsets = fold_span(text, text_offsets, start, end)
        sentence = Sentence(sentence_id, start, end, paragraph, norm, offsets)
        cue = speech.pattern.search(norm)
        if cue:
            sentence.speech_cue = (sentence.raw_pos(cue.start()), sentence.raw_pos(cue.end(), is_end=True))
            sentence.opens_quote = ":" in cue.group()
        previous = sentences[-1] if sentences else None
        if cue is None and previous is not None and previous.paragraph == sentence.paragraph:
            sentence.continues_quote_of = previous if previous.opens_quote else previous.continues_quote_of
        sentences.append(sentence)
    for fact in facts:
        sentence = sentences[int(fact["sentence_id"])]
        if sentence is None:
            continue
        if fact["fact_type"] == "official":
            sentence.officials.append(fact)
        elif fact["fact_type"] == "date" and not pd.isna(fact.get("date_start")):
            sentence.dates.append(fact)
    return sentences


def _decide(figure: dict, sentence: Sentence, doc: Document, prefix: str) -> Decision | None:
    for rule in doc.rules.values():
        if rule.id.startswith(prefix):
            decision = STRATEGIES[rule.producer](figure, sentence, doc, rule)
            if decision:
                return decision
    return None


def link_document(
    folded: tuple[str, OffsetMap], sentences: list, records: list[dict], dateline_fact_id: str | None, rules: RuleSet
) -> list[dict]:
    """The links of one document's figures (``folded``: its row of ``normalized``; ``sentences``:
    its (sentence_id, start, end) by ``sentence_id``; ``records``: its facts by ``start``)."""
    link_rules = {r.id: r for r in rules.for_type("link")}
    doc = Document(
        sentences=_sentences(*folded, sentences, records, link_rules["link.who.quote_speaker"]),
        officials=[f for f in records if f["fact_type"] == "official"],
        dateline=next((f for f in records if f["fact_id"] == dateline_fact_id), None),
        rules=link_rules,
        country_of=rules.lexicon("country").value,
    )
    links = []
    for figure in records:
        if figure["fact_type"] not in FIGURE_TYPES:
            continue
        sentence = doc.sentence_of(figure)
        link: dict[str, Any] = {"fact_id": figure["fact_id"]}
        when = _decide(figure, sentence, doc, "link.when.")
        if when:
            date, rule_id = when
            link |= {"when_start": date["date_start"], "when_end": date["date_end"], "when_fact_id": date["fact_id"], "when_rule_id": rule_id}
        who = _decide(figure, sentence, doc, "link.who.")
        if who:
            official, rule_id = who
            link |= {"who": official.get("name") or official["text"], "who_fact_id": official["fact_id"], "who_rule_id": rule_id}
        links.append(link)
    return links


def link_facts(facts: pd.DataFrame, sentences: pd.DataFrame, normalized: pd.DataFrame, rules: RuleSet | None = None) -> pd.DataFrame:
    """facts + sentences + normalized → ``facts_links``: one row per figure."""
    rules = rules or default_rules()
    folded_by_id = read_normalized(normalized)
    datelines = facts[facts.rule_id.str.startswith("header.dateline", na=False)].set_index("doc_id")["fact_id"].to_dict()
    # one pass over each table, not one pandas selection per article (thousands per batch)
    sentences_by_doc: dict[str, list[tuple[int, int, int]]] = {}
    ordered = sentences.sort_values(["doc_id", "sentence_id"])
    for doc_id, *span in zip(*(ordered[c].tolist() for c in ("doc_id", "sentence_id", "start", "end"))):
        sentences_by_doc.setdefault(doc_id, []).append(tuple(span))
    rows: list[dict] = []
    for doc_id, records in records_by_doc(facts.reindex(columns=FACT_COLUMNS)).items():
        if not any(r["fact_type"] in FIGURE_TYPES for r in records):
            continue
        rows += link_document(folded_by_id[doc_id], sentences_by_doc[doc_id], records, datelines.get(doc_id), rules)
    return pd.DataFrame(rows, columns=LINK_COLUMNS)
