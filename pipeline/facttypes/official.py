"""Officials: who holds which office of which country, one canonical name per person.

The producers read one match each (an office beside a name, a registry name, or any name-like
word); :func:`fold_people` then reads the whole article: it gathers the mentions of each person
(a later surname, `آقای رئیسی`, a spelling variant like `توقایف`) and gives every mention the
person's canonical name (the fullest the article gives, or the registry's), office and country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pipeline.cache import compiled
from pipeline.candidates import resolve_overlaps
from pipeline.facttypes import MatchContext, finalizer, producer
from pipeline.given_names import source_given_names
from pipeline.hazm_data import word_frequencies  # a frequent word is an ordinary word
from pipeline.normalize import ZWNJ, name_key

WORD = re.compile(r"[^\s«»،,:]+")
WORD_BEFORE = re.compile("([\u0621-\u06cc\u200c]+)[^\\S\n]+\\Z")
PLURAL = re.compile("(?:\u200cها|\u200c?های|\u200c?هایی)$")
# after a name: `، OFFICE و ` up to the next name (an office of at most five words)
_OFFICE_AND = re.compile(r"[^\S\n]*[،,][^\S\n]*(?:[^\s،,.:;!?؟«»\"]+[^\S\n]+){1,5}و[^\S\n]+")


def _options(ctx: MatchContext) -> dict:
    return ctx.rules.options("official")


def _frequency_at_least(word: str, option: str, ctx: MatchContext) -> bool:
    return word_frequencies().get(word, 0) >= _options(ctx)[option]


def _has_surname_ending(word: str, ctx: MatchContext) -> bool:
    return word.endswith(tuple(_options(ctx).get("surname_endings", [])))


def _is_common(word: str, ctx: MatchContext) -> bool:
    return word in _common(ctx)


def _common(ctx: MatchContext) -> frozenset[str]:
    """The ordinary words: those at least ``common_word_frequency`` times in hazm's list."""
    return _common_words(_options(ctx)["common_word_frequency"])


@lru_cache(maxsize=2)
def _common_words(frequency: int) -> frozenset[str]:
    """The words of hazm's list at least ``frequency`` times in its corpus: ordinary words, not names."""
    return frozenset(word for word, count in word_frequencies().items() if count >= frequency)


def _is_frequent_inside(word: str, ctx: MatchContext) -> bool:
    """Too frequent a word to stand inside a name (`تمام`, `وارد`), unless a name or `بن`/`آل`."""
    if _is_given_name(word, ctx) or ctx.lexicon_value("name_particle", word):
        return False
    return _frequency_at_least(word, "common_inner_word_frequency", ctx)


@lru_cache(maxsize=1)
def past_stems() -> frozenset[str]:
    """Past stems of hazm's verb list (`خواست` of `خواستند`)."""
    from pipeline.hazm_data import verbs_list

    return frozenset(verb.split("#")[0] for verb in verbs_list() if verb.split("#")[0])


@lru_cache(maxsize=1)
def present_stems() -> frozenset[str]:
    """Present stems of hazm's verb list (`خواه` of `بخواهد`)."""
    from pipeline.hazm_data import verbs_list

    return frozenset(verb.split("#")[1] for verb in verbs_list() if "#" in verb and verb.split("#")[1])


SUBJUNCTIVE = re.compile("^(?:ب|ن|نمی|می)\u200c?")


def _is_verb(word: str, ctx: MatchContext) -> bool:
    """A past stem with a person ending (`خواستند`), or a present stem with a mood prefix and a
    person ending (`بخواهد`, `نمی‌کند`)."""
    endings = _options(ctx).get("verb_endings", [])
    if any(word.endswith(e) and word[: len(word) - len(e)] in past_stems() for e in endings):
        return True
    prefix = SUBJUNCTIVE.match(word)
    if not prefix:
        return False
    rest = word[prefix.end() :]
    return any(e and rest.endswith(e) and rest[: len(rest) - len(e)] in present_stems() for e in endings)


def _is_given_name(word: str, ctx: MatchContext) -> bool:
    """A given name of `given_name.yaml`, or of the name source (:mod:`pipeline.given_names`)
    when the word is not an ordinary word too (`پیام`, `شورا` are in the source)."""
    if ctx.lexicon_value("given_name", word) is not None:
        return True
    if name_key(word) not in source_given_names() or _frequency_at_least(word, "source_name_max_frequency", ctx):
        return False
    # `سنای` (of `رئیس سنای پارلمان`) is a word with its ezafe, not the name سنای
    return not (word.endswith("ی") and _frequency_at_least(word[:-1], "source_name_max_frequency", ctx))


def _is_ordinary_word(word: str, ctx: MatchContext) -> bool:
    """A word of hazm's word list that is neither a given name nor an honorific."""
    known = word in word_frequencies()
    return known and not _is_given_name(word, ctx) and not ctx.lexicon_value("honorific", word)


def _words(m: re.Match, group: str, ctx: MatchContext) -> list[tuple[int, int, str]]:
    """The words of a group, a compound given name or surname written apart (`هدایت الله`,
    `نعمت زاده`) as one word."""
    base = m.start(group)
    words = [(base + w.start(), base + w.end(), w.group()) for w in WORD.finditer(m.group(group))]
    for i in range(len(words) - 2, -1, -1):
        (start, _, first), (_, end, tail) = words[i], words[i + 1]
        given = ctx.lexicon_value("given_name_tail", tail) and name_key(first + tail) in source_given_names()
        # (after a given name, `علی پور` may be a given name and a surname, and after a common
        # word, `در گردش پور قاضی`, the ending starts a name: both left as two words)
        surname = ctx.lexicon_value("surname_suffix", tail) and not (
            ctx.lexicon_value("honorific", first) or _is_given_name(first, ctx) or _is_common(first, ctx)
        )
        if given or surname:
            words[i : i + 2] = [(start, end, ctx.text[start:end])]
    return words


def _split_honorifics(words, ctx: MatchContext):
    """Leading honorifics (one to three words: `حجت الاسلام والمسلمین`) and the name after them."""
    honorifics, i = [], 0
    while i < len(words):
        for n in (3, 2, 1):
            phrase = " ".join(w for _, _, w in words[i : i + n])
            kind = ctx.lexicon_value("honorific", phrase) if i + n <= len(words) else None
            if kind:
                honorifics.append((words[i][0], words[i + n - 1][1], phrase, kind))
                i += n
                break
        else:
            break
    return honorifics, words[i:]


def _fallen(honorifics, ctx: MatchContext) -> bool:
    """An honorific of someone who has died (`شهید`): their office is history."""
    return any(h[2] in _options(ctx).get("honorifics_of_the_dead", []) for h in honorifics)


def _name_value(honorifics, core) -> str:
    """The name as the person is called: kept honorifics (`شیخ`, `سردار`) and the name words."""
    return " ".join([h[2] for h in honorifics if h[3] == "keep"] + [w for _, _, w in core])


def _starts_full_name(words, i: int, ctx: MatchContext) -> bool:
    """Word ``i`` is a given name: a trusted one, or one of the name source, not very frequent,
    before a surname with a surname's ending (`ابوذر ابراهیمی`)."""
    word = words[i][2]
    if _is_given_name(word, ctx):
        return True
    if i + 1 >= len(words) or name_key(word) not in source_given_names() or _is_common(word, ctx):
        return False
    surname = words[i + 1][2]
    return _has_surname_ending(surname, ctx) and _surname_like(surname, ctx, alone=False)


def _from_name_start(words, ctx: MatchContext):
    """The words from the first given name or honorific on (`ماجرای علیرضا ...`), or, with
    neither, after the leading words of the word list (`داماد ...`)."""
    starts = [i for i in range(len(words)) if _starts_full_name(words, i, ctx) or _split_honorifics(words[i:], ctx)[0]]
    if starts:
        return words[starts[0] :]
    while words and _is_ordinary_word(words[0][2], ctx):
        words = words[1:]
    return words


def _looks_like_name(core, honorifics, quoted: bool, ctx: MatchContext, name_at_boundary: bool = False) -> bool:
    """Words that can be a person's name: it starts with a given name, an honorific or a quote,
    or with a word unknown to the word list (a foreign surname: `توکایف`); no word inside is very
    frequent or a plural; longer than four words only with `بن`/`آل`."""
    words = [w for _, _, w in core]
    if any(PLURAL.search(w) for w in words) or any(ctx.lexicon_value("name_stop_noun", w) for w in words[:-1]):
        return False  # `عمران سازمان ملل متحد`: a given name before a body's name is no person
    first = words[0]
    if len(words) == 1 and _is_given_name(first, ctx):
        return False  # `وزیر ... حمید`: a given name alone is a name cut short
    vouched = bool(honorifics) or quoted or _starts_full_name(core, 0, ctx) or name_at_boundary
    if not vouched and (len(name_key(first)) < 3 or first in word_frequencies() or _is_verb(first, ctx) or _inflected_word(first)):
        return False
    if not quoted and any(_is_frequent_inside(w, ctx) for w in words[1:]):  # `« چاک گرامی »`
        return False
    return len(words) <= 4 or any(ctx.lexicon_value("name_particle", w) for w in words)


VERB_PARTICLE = re.compile("^(?:بر|در|باز|فرا|فرو|وا)\u200c?")  # `برگزیده` is `گزیده` with بر
VERB_PREFIX = re.compile("^(?:ن?می|به|بی)\u200c")


def _is_verb_like(word: str) -> bool:
    """A past stem (`زد`), a past participle (`گرفته`) or a prefixed verb or adverb (`می‌شود`,
    `به‌شدت`); not a stem with a person ending, which nouns share (`مردم`)."""
    stem = word[:-1]
    participle = word.endswith("ه") and (stem in past_stems() or VERB_PARTICLE.sub("", stem) in past_stems())
    return bool(VERB_PREFIX.search(word)) or participle or word in past_stems()


def _is_plural_verb(word: str) -> bool:
    """A past stem with a plural person ending (`داشتیم`, `گفتند`); a singular one is shared by
    nouns (`مردم`)."""
    return any(word.endswith(e) and word[: -len(e)] in past_stems() for e in ("یم", "ید", "ند"))


def _complement(m: re.Match, title: str, name_first: bool, ctx: MatchContext) -> str | None:
    """The words that say which office. After a name they run up to a function word or verb,
    so they count only after a head that needs them (`رئیس`, `مدیرعامل`: option
    `complement_titles`), not ending in a plural (`نماینده اصلاح‌طلب بهارستان فعالیت‌های` is no
    office), and they stop before a verb (`نماینده مردم تهران گفته`)."""
    complement = (m.groupdict().get("complement") or "").split()
    if not complement or not name_first:
        return " ".join(complement) or None
    heads = _options(ctx).get("complement_titles", [])
    if (title not in heads and title.split()[0] not in heads) or PLURAL.search(complement[-1]):
        return None
    words: list[str] = []
    for i, word in enumerate(complement):
        # a bare past stem or a participle inside is a noun's part (`محیط زیست استان`, `دیده بان
        # حقوق بشر`); at the end it is a verb
        inside = i < len(complement) - 1 and not VERB_PREFIX.search(word)
        if (_is_verb_like(word) and not inside) or _is_plural_verb(word):
            break
        words.append(word)
    while words and words[-1] == "و":
        words.pop()
    return " ".join(words) or None


@dataclass(frozen=True)
class Office:
    """An office as the lexicon knows it (``canonical``: `وزیر امور خارجه` for `وزیر خارجه`, with
    its complement), which decides how rules treat it, and as the article writes it
    (``written``: head, `سابق`/`منتخب`, complement), which is the fact's `title`."""

    canonical: str | None
    written: str | None
    ruler: bool = False
    complement: str | None = None


def _office(m: re.Match, ctx: MatchContext, name_first: bool) -> Office:
    """The office of a match: its head, the modifier after it and the complement it takes."""
    surface = m.group("title")
    head = ctx.lexicon_value("official_title", surface)
    if head is None and (head := ctx.lexicon_value("official_title_plural", surface)):
        surface = head  # one person's share of `رؤسای جمهور`
    if head is None and (head := ctx.lexicon_value("office_duty", surface)):
        surface = head  # `به ریاست X`, `X که ریاست ... را بر عهده دارد`: the office of the duty
    kept = _options(ctx).get("title_modifiers", [])
    modifier = [w for w in (m.groupdict().get("modifier") or "").split() if w in kept]
    if not head:
        ruler = ctx.lexicon_value("ruler_title", surface)
        return Office(ruler, " ".join([surface, *modifier]) if ruler else None, ruler=True)
    complement = _complement(m, head, name_first, ctx)
    written = " ".join([" ".join(surface.split()), *modifier, *(complement.split() if complement else [])])
    return Office(f"{head} {complement}" if complement else head, written, complement=complement)


def _names_no_public_office(m: re.Match, complement: str | None, name_first: bool, ctx: MatchContext) -> bool:
    """An office of sport or culture (`not_an_office.yaml`), whose holder is no official: in the
    complement, or, after a name, right after the office, where a number or a time word ended
    the complement (`رئیس فدراسیون دو و میدانی`, `رئیس هفته نامه`)."""
    words = (complement or "").split()
    pairs = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)]
    if any(ctx.lexicon_value("not_an_office", w) for w in words + pairs):
        return True
    office_parts = [m.end(g) for g, text in m.groupdict().items() if text and g in ("title", "modifier", "country", "complement")]
    if not name_first or not office_parts:
        return False
    after = _lexicon_regex(rf"[^\S\n]+(?:{ctx.rules.lexicon('not_an_office').regex})")
    return after.match(ctx.text, max(office_parts)) is not None


def _complement_country(complement: str | None, ctx: MatchContext) -> str | None:
    """The country an office's complement names, the last if several (`وزیر تغییر اقلیم پاکستان`,
    `نماینده سابق پارلمان عراق و عضو ...`)."""
    countries = [c for w in (complement or "").split() if (c := ctx.lexicon_value("country", w))]
    return countries[-1] if countries else None


CLOSING_QUOTE = re.compile(r'[^\S\n]*[»"”]')
QUOTES_BEFORE = re.compile(r'[«"“][^\S\n]*\Z')
EMPTY_QUOTES = re.compile(r"[^\S\n]*«[^\S\n]*»")
EMPTY_QUOTES_BEFORE = re.compile(r"«[^\S\n]*»[^\S\n]*\Z")
BOUNDARY_BEFORE = re.compile(r"(?:^|[.!?؟:؛،,«»\"“”()\-–])[^\S\n]*$")
SURNAME_CONTEXT = 40  # characters looked back for the punctuation or line start before a surname


def _inflected_word(word: str) -> bool:
    """A word of the word list in a form the list lacks: without its tanvin (`قطعا`, `رسما`),
    with a pronoun (`انتخابش`), an ezafe (`سرمای`) or a plural ending (`استانداران`), or a
    comparative or superlative (`قوی‌تر`)."""
    frequencies = word_frequencies()
    if "ترین" in word or word.endswith("\u200cتر") or word + "\u064b" in frequencies or word[:-1] + "\u064b" + word[-1:] in frequencies:
        return True
    if word.endswith("ان") and not word.endswith("یان") and word[:-2] in frequencies:
        return True
    if word.endswith(("ای", "وی")) and word[:-1] in frequencies:
        return True  # `سرمای`: a word and its ezafe
    return word.endswith("ش") and word[:-1] in frequencies


def _surname_like(word: str, ctx: MatchContext, alone: bool) -> bool:
    """A word that may be a surname standing alone. Not a country's adjective, plural, verb or
    comparative, nor a word of the list without its tanvin (`قطعا`) or ezafe (`استعفای`). A word
    in `ی` is a surname when its stem is a given name (`حمیدی`, `کاظمی`; not `اجتماعی`) or it is
    unknown to the word list; a word with another surname ending (`surname_endings`: `کولیوند`,
    `زارع‌زاده`) when it is rarer than `surname_max_frequency`; any other word only when the list
    does not know it (`بولتون`), or after a given name when it is rare (`هلن کلارک`: :func:`_rare`)."""
    frequencies = word_frequencies()
    if len(name_key(word)) < 3 or PLURAL.search(word) or _is_verb(word, ctx) or ctx.lexicon_value("country", word):
        return False
    if _inflected_word(word):
        return False
    if word.endswith("ی"):
        stem = word[:-2] if word.endswith("یی") else word[:-1]
        if word not in frequencies:  # `زارعی`, but not the ezafe of `استعفای` (after a vowel)
            return not stem.endswith(("ا", "و")) or not _frequency_at_least(stem, "surname_max_frequency", ctx)
        return _is_given_name(stem, ctx)
    if _has_surname_ending(word, ctx):
        return not _frequency_at_least(word, "surname_max_frequency", ctx)
    return word not in frequencies if alone else _rare(word, ctx)


def _rare(word: str, ctx: MatchContext) -> bool:
    """A word the word list does not know, or knows as rarer than option `rare_word_frequency`
    (foreign names are there: `کلارک`, `مانفرد`)."""
    return not _frequency_at_least(word, "rare_word_frequency", ctx)


def _unknown_stem_surname(word: str, ctx: MatchContext) -> bool:
    """A word in ی whose stem the word list lacks and is no noun of a verb (`ریاحی`; not
    `شهرسازی`, `جمع‌بندی`, `بازنشستگی`)."""
    stem = word[:-1]
    if not word.endswith("ی") or ZWNJ in word or stem.endswith("گ") or word_frequencies().get(stem) or _is_common(word, ctx):
        return False
    return not any(stem[i:] in present_stems() for i in range(len(stem) - 2))  # `شهر` + `ساز`


def _name_after_boundary(words, ctx: MatchContext, apposition: bool) -> bool:
    """The words before an office are a name although no known given name starts them: they start
    a line or follow punctuation (or, a surname alone, a function word: `آن‌طور که سلیمانی مدیرکل`),
    and they are a surname alone (`زارعی وزیر کشور`, `حمیدی رئیس
    پلیس راه`), a name of the name source, however ordinary a word, and a surname (`مینا رستمی ،
    رییس`), or, set off from the office by a comma or dash, up to three rare words ending in a
    surname (`گیدو وستروله ، وزیر`)."""
    longest = 3 if apposition else 2
    if not 1 <= len(words) <= longest:
        return False
    start = words[0][0]
    before = WORD_BEFORE.search(ctx.text, max(0, start - SURNAME_CONTEXT), start)
    # after a function word, only a surname alone with a surname's ending (`که ستاری معاون`)
    after_function_word = (
        len(words) == 1
        and _has_surname_ending(words[0][2], ctx)
        and before is not None
        and ctx.lexicon_value("name_stop", before.group(1)) == "function"
    )
    if not (after_function_word or BOUNDARY_BEFORE.search(ctx.text, max(0, start - SURNAME_CONTEXT), start)):
        return False
    first = [w for _, _, w in words[:-1]]
    if any(_inflected_word(w) or _is_verb(w, ctx) for w in first):
        return False
    if any(_is_given_name(w, ctx) for _, _, w in words[1:-1]):
        return False  # `باوجوداین نورالدین نعمتی`: the name starts at its given name
    if apposition:  # `کلیفورد کوبچان ، مسئول`; at a sentence's opening, `هری رید ، رهبر`
        if any(_is_common(w, ctx) for w in first) and not _opens_sentence(ctx.text, start):
            return False
    elif len(words) == 3 or len(words) == 2 and not (name_key(first[0]) in source_given_names() or _rare(first[0], ctx)):
        return False  # two words: a name of the source or a foreign given name (`هلن کلارک`), and a surname
    last = words[-1][2]
    if _surname_like(last, ctx, alone=len(words) == 1):
        return True
    if apposition and len(words) == 1 and _unknown_stem_surname(last, ctx):
        return True  # set off by a comma, a word in ی of a stem the word list lacks (`ریاحی ، مدیرعامل`)
    if len(words) == 2 and not _is_common(first[0], ctx) and last.endswith("ی") and not _is_common(last, ctx):
        if name_key(first[0]) in source_given_names() and name_key(last[:-1]) in source_given_names():
            return True  # a given name and a surname made of one (`سورنا ستاری`; not `حکم آزادی`)
    # two or three words opening a sentence, set off by a comma: a foreign name, however like a
    # Persian word its surname is (`هری رید ، رهبر`, `کلاخود برانداز ، معاون`)
    opening_apposition = apposition and len(words) > 1 and _opens_sentence(ctx.text, start)
    return opening_apposition and not (_is_common(last, ctx) or PLURAL.search(last) or _inflected_word(last))


APPOSITION = re.compile(r"[،,\-–(]")
NEXT_WORD = re.compile(r"[^\S\n]+([^\s«»،,:.!?؟؛]+)")


def _after_body_noun(start: int, ctx: MatchContext) -> bool:
    """The word before offset ``start`` (and its opening quote) names a body named after people."""
    before = WORD_BEFORE.search(QUOTES_BEFORE.sub("", ctx.text[max(0, start - SURNAME_CONTEXT) : start]))
    return before is not None and ctx.lexicon_value("organisation_noun", before.group(1)) is not None


def _duty_written_apart(m: re.Match, ctx: MatchContext) -> bool:
    """The office's head is the first word of a duty written apart (`دبیر کلی`, `مدیر عاملی`:
    office_duty.yaml), which names the years of an office (`دوران مدیر عاملی X`), not an office
    and its complement."""
    duty = _lexicon_regex(ctx.rules.lexicon("office_duty").regex).match(ctx.text, m.start("title"))
    return duty is not None and duty.end() > m.end("title")


def _named_official(m: re.Match, ctx: MatchContext, name_first: bool):
    """The values of an office-beside-a-name match, or None when the words are not a name."""
    if _duty_written_apart(m, ctx):
        return None  # `دوران مدیر عاملی X`: the duty مدیرعاملی, not the office مدیر and its complement عاملی
    words = _words(m, "span", ctx)
    # a name in quotes (`«کریم امیری» رئیس`), not a quotation that starts with it (`« هنوز بازپرس`)
    quoted = m.groupdict().get("quote") is not None and CLOSING_QUOTE.match(ctx.text, m.end("span")) is not None
    # quotes an archive emptied (`« » منگ هون گوی « »`: each pair closed at once) quote the name too
    start = m.start("span")
    quoted = quoted or bool(EMPTY_QUOTES_BEFORE.search(ctx.text, max(0, start - 8), start) and EMPTY_QUOTES.match(ctx.text, m.end("span")))
    apposition = name_first and APPOSITION.search(ctx.text, m.end("span"), m.start("title")) is not None
    name_at_boundary = name_first and _name_after_boundary(words, ctx, apposition)
    if name_first and not (name_at_boundary or quoted):  # `در پی سفر مسعود پزشکیان رئیس‌جمهور`: the run may start with other words
        words = _from_name_start(words, ctx)
    honorifics, core = _split_honorifics(words, ctx)
    if name_first and _fallen(honorifics, ctx):
        return None  # `شهید شفیع‌زاده به‌عنوان فرمانده`: a fallen commander's office is history
    if not name_first:  # `شهباز شریف وارد اسلام‌آباد شد`, `جیمز ماتیس زد`, `علی کاظمی افتتاح شد`
        core = _name_before_verb(core, ctx)
    if not core:
        return None
    office = _office(m, ctx, name_first)
    title, ruler, complement = office.canonical, office.ruler, office.complement
    if title in _options(ctx).get("titles_needing_complement", []) and not complement:
        return None  # `عضو`, `مسئول`, `مدیر` alone say no office
    if _names_no_public_office(m, complement, name_first, ctx):
        return None  # `نماینده وزن ۸۶ کیلوگرم`, `دبیر جشنواره فیلم فجر`
    if not name_first and complement and ctx.lexicon_value("organisation_noun", complement.split()[-1]):
        return None  # `رئیس بیمارستان جان هاپکینز`: the name is the hospital's
    if not name_first and _after_body_noun(m.start("span"), ctx):
        return None  # `مشاور مرکز اطلاعات دفاعی در دانشگاه «جورج تون»`: the name is the university's
    country_surface = m.groupdict().get("country")
    if not _looks_like_name(core, honorifics, quoted, ctx, name_at_boundary):
        return None
    vouched = honorifics or quoted or _starts_full_name(core, 0, ctx) or name_at_boundary
    # an office of another country vouches for a name before it that the word list does not know
    # (`ناریشکین رئیس وقت دومای روسیه`), as a country after an office does for one after it
    foreign = _complement_country(complement, ctx) not in (None, _options(ctx).get("home_country"))
    if not (vouched or country_surface or name_first and foreign):
        return None  # `رئیس سنای پارلمان`, `فرهنگی معاون`: an office's complement or a phrase
    if not name_first and quoted and len(core) == 1 and not _is_given_name(core[0][2], ctx):
        return None  # `شهردار «بوردو»`, `دبیر سوگواره «خمسه»`: one quoted word after an office names a place or a body
    if name_first and quoted and not honorifics and len(core) == 1 and not _surname_like(core[0][2], ctx, alone=True):
        return None  # `« شگفت‌آور » مدیر`: one quoted word before an office is a name only as a surname
    if not name_first and not vouched and not re.search("[،,:]", ctx.text[m.end("title") : m.start("span")]):
        return None  # `رئیس‌جمهور آمریکا هیجانی و ...`: an unknown word after an office is no name
    if not name_first and not country_surface and title in _options(ctx).get("dependent_titles", []):
        if not re.search("[،,:«]", ctx.text[m.end("title") : m.start("span")]):
            return None  # `مشاور دونالد ترامپ`: the name is whose adviser, not the adviser
    country = ctx.lexicon_value("country", country_surface) if country_surface else _complement_country(complement, ctx)
    anaphor = m.start("country") if country_surface and country is None else None
    if ruler and country is None and anaphor is None:
        return None  # `امیر حاتمی`, `شاه سلطان حسین`: a given name or history, not an office
    start = (honorifics[0][0] if honorifics else core[0][0]) if name_first else m.start("span")
    end = core[-1][1]
    return {
        "name": _name_value(honorifics, core),
        "title": office.written,
        "_office": title,
        "country": country,
        "_core": [w for _, _, w in core],
        "_span": (start, end),
        "_anaphor_at": anaphor,
        "_ruler": ruler,
    }


@producer("official", "title_name")
def title_name(m, ctx):
    """`رئیس‌جمهور روسیه ولادیمیر پوتین`, `رئیس جمهور این کشور آقای توکایف`."""
    return _named_official(m, ctx, name_first=False)


@producer("official", "name_title")
def name_title(m, ctx):
    """`مسعود پزشکیان، رئیس‌جمهور`, `«مائولن آشیمبایف» رئیس سنای پارلمان قزاقستان`."""
    return _named_official(m, ctx, name_first=True)


class ListMember:
    """One person of a list sharing a plural office (`X و Y، رؤسای جمهور ایران و روسیه`): the
    match read as if it named only person ``n`` and the n-th country, so the producers of one
    name apply."""

    def __init__(self, m: re.Match, n: int):
        self.m, self.n = m, n

    def _group(self, group: str) -> str:
        return {"span": f"name{self.n}", "country": f"country{self.n}"}.get(group, group)

    def group(self, group: str):
        name = self._group(group)
        return self.m.group(name) if name in self.m.re.groupindex else None

    def start(self, group: str) -> int:
        return self.m.start(self._group(group))

    def end(self, group: str) -> int:
        return self.m.end(self._group(group))

    def groupdict(self) -> dict:
        return {g: self.group(g) for g in ("span", "country", "title", "complement", "modifier", "quote")}


def _list_member(m: re.Match, ctx: MatchContext, n: int):
    name_first = m.start("name1") < m.start("title")
    values = _named_official(ListMember(m, n), ctx, name_first)
    if values is None and name_first and (other := _named_official(ListMember(m, 2 if n == 1 else 1), ctx, name_first)):
        values = _surname_beside(ListMember(m, n), other, ctx)
    return values


def _surname_beside(member: ListMember, other: dict, ctx: MatchContext) -> dict | None:
    """A surname alone listed with a name the rules read (`کواکبیان ، حسن‌پور و مقصودی نمایندگان
    تهران`): the list vouches for a word with a surname's ending that is no common, inflected or
    plural word nor a verb; it shares the office."""
    words = (member.group("span") or "").split()
    if not words or (len(words) > 1 and not _is_ordinary_word(words[-2], ctx)):
        return None  # the run's last word, after ordinary words at most (`پرسش کواکبیان`)
    word = words[-1]
    if not _has_surname_ending(word, ctx) or len(name_key(word)) < 4:
        return None
    if _is_common(word, ctx) or _inflected_word(word) or PLURAL.search(word) or _is_verb(word, ctx):
        return None
    end = member.end("span")
    return {**other, "name": word, "_core": [word], "_span": (end - len(word), end)}


@producer("official", "one_of_office")
def one_of_office(m, ctx):
    """`X، یکی از فرماندهان ارتش عراق`: one of an office's holders; not of offices that many hold
    without office (`از مدیران`, `از اعضای حزب`: option `one_of_excluded`)."""
    head = ctx.lexicon_value("official_title_plural", m.group("title"))
    if head in _options(ctx).get("one_of_excluded", []):
        return None
    return _named_official(m, ctx, name_first=True)


@producer("official", "list_first")
def list_first(m, ctx):
    """The first person of `X و Y، رؤسای جمهور ایران و روسیه` (or with the office first)."""
    return _list_member(m, ctx, 1)


@producer("official", "list_second")
def list_second(m, ctx):
    """The second person of such a list, with the second country."""
    return _list_member(m, ctx, 2)


@producer("official", "list_third")
def list_third(m, ctx):
    """The first of three people under one plural office (`X ، Y و Z نمایندگان تهران ، سیرجان و
    سبزوار`): Y and Z are the list's first and second."""
    return _list_member(m, ctx, 3)


def _registry_entry(canonical: str, ctx: MatchContext) -> dict:
    return {
        "name": canonical,
        "title": ctx.lexicon_value("official_registry_title", canonical),
        "_office": ctx.lexicon_value("official_registry_title", canonical),
        "country": ctx.lexicon_value("official_registry_country", canonical),
        "_registry": canonical,
    }


def _given_name_before(m: re.Match, ctx: MatchContext) -> str | None:
    """The word right before the match when it looks like another given name: a known one
    (`حسن` of `حسن قالیباف اصل`) or an uncommon word that is no function word (`هابیل علی‌اف`)."""
    before = WORD_BEFORE.search(ctx.text, max(0, m.start() - 40), m.start())
    word = before.group(1) if before else None
    if not word or _is_given_name(word, ctx):
        return word
    lexicons = ("name_stop", "name_stop_noun", "honorific", "official_title", "ruler_title", "country")
    if _is_common(word, ctx) or len(name_key(word)) < 3 or any(ctx.lexicon_value(x, word) for x in lexicons):
        return None
    return word


SENTENCE_BREAK = re.compile(r"[.!?؟\n]")
LEAD_IN = re.compile(r"[^\S\n]*(?:به[^\S\n]+گزارش[^،,:\n]{0,60}[،,:])?[^\S\n]*")
HEADLINE_WORDS = re.compile(r"(?:[\u0621-\u06cc\u200c]+[^\S\n]+){2,}[\u0621-\u06cc]")


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset ``at`` starts."""
    breaks = [m.end() for m in SENTENCE_BREAK.finditer(text, max(0, at - 400), at)]
    return breaks[-1] if breaks else max(0, at - 400)


def _opens_sentence(text: str, at: int) -> bool:
    """Offset ``at`` opens a sentence, after a lead-in (`به گزارش ایسنا ،`) if any."""
    start = _sentence_start(text, at)
    after_break = start == 0 or SENTENCE_BREAK.match(text, start - 1) is not None
    return after_break and LEAD_IN.fullmatch(text, start, at) is not None


def _headline(text: str) -> tuple[int, int] | None:
    """The first line of an article that reads as a headline (three words or more)."""
    position = 0
    for line in text.split("\n")[:4]:
        if HEADLINE_WORDS.search(line):
            return position, position + len(line)
        position += len(line) + 1
    return None


def _office_at(text: str, start: int, end: int, ctx: MatchContext) -> Office | None:
    """An office that opens ``text[start:end]`` (after `به گزارش …،`) and names nobody: its head
    and the words after it that say which one (`وزیر نیرو`, `رئیس سازمان بنادر`)."""
    lead = LEAD_IN.match(text, start, end)
    head = _lexicon_regex(ctx.rules.lexicon("official_title").regex).match(text, lead.end(), end)
    if head is None:
        return None
    canonical = ctx.lexicon_value("official_title", head.group())
    complement = []
    for word in WORD.finditer(text, head.end(), end):
        between = text[head.end() if not complement else complement[-1].end() : word.start()]
        w = word.group()
        if len(complement) == 4 or between.strip() or _is_verb_like(w) or _is_verb(w, ctx):
            break
        if _is_given_name(w, ctx) or any(ctx.lexicon_value(x, w) for x in ("honorific", "name_stop")):
            if _is_given_name(w, ctx) or ctx.lexicon_value("honorific", w):
                return None  # `وزیر نیرو رضا کاظمی`: the office names its holder itself
            break
        complement.append(word)
    words = " ".join(c.group() for c in complement) or None
    written = " ".join([" ".join(head.group().split()), *(words.split() if words else [])])
    if canonical in _options(ctx).get("titles_needing_complement", []) and not words:
        return None
    return Office(f"{canonical} {words}" if words else canonical, written, complement=words)


@producer("official", "speaker_office")
def speaker_office(m, ctx):
    """A full name that opens a sentence of reported speech (`رضا کاظمی در نشست خبری گفت`),
    with an office the article names without a name just before: in its headline when the
    sentence is in the lead (`وزیر نیرو: …`), or opening the sentence before (`معاون وزیر نیرو از
    … خبر داد. رضا کاظمی افزود`). The office is the article's; the name must be a full one."""
    honorifics, core = _split_honorifics(_words(m, "span", ctx), ctx)
    if len(core) < 2 or not _is_given_name(core[0][2], ctx) or not _looks_like_name(core, honorifics, False, ctx):
        return None
    if any(_is_frequent_inside(w, ctx) or _is_verb(w, ctx) for _, _, w in core[1:]):
        return None
    text, start = ctx.text, _sentence_start(ctx.text, m.start("span"))
    office = None
    headline = _headline(text)
    lead = _options(ctx).get("lead_characters", 0)
    if headline and headline[1] < m.start("span") <= headline[1] + lead:
        office = _office_at(text, headline[0], headline[1], ctx)
    if office is None and start > 1:
        office = _office_at(text, _sentence_start(text, start - 1), start - 1, ctx)
    if office is None:
        return None
    start_at = honorifics[0][0] if honorifics else core[0][0]
    return {
        "name": _name_value(honorifics, core),
        "title": office.written,
        "_office": office.canonical,
        "country": _complement_country(office.complement, ctx),
        "_core": [w for _, _, w in core],
        "_span": (start_at, core[-1][1]),
        "_ruler": False,
        "_office_elsewhere": True,
    }



def _name_before_verb(core, ctx: MatchContext):
    """A name's words up to a very frequent word, a verb, an office, or the noun of a compound verb
    (`جعفری یادآور شد`, `کلینتون وضع شد`, `علی کاظمی تصویب شد`). The word before a light verb
    stays when the name would be cut short without it: nothing left, or a given name alone
    (`استعفای وزیر کشور علی کاظمی شد`, `سرهنگ جعفری شد`)."""
    ends = [i for i, (_, _, w) in enumerate(core) if i and (_is_frequent_inside(w, ctx) or _is_verb(w, ctx) or _is_verb_like(w) or ctx.lexicon_value("official_title", w))]
    core = core[: ends[0]] if ends else core
    after = NEXT_WORD.match(ctx.text, core[-1][1]) if core else None
    if after and after.group(1) in _options(ctx).get("light_verbs", []):
        rest = core[:-1]
        if rest and not (len(rest) == 1 and _is_given_name(rest[0][2], ctx)):
            core = rest
    return core


@producer("official", "rank_name")
def rank_name(m, ctx):
    """`سرهنگ یوسف سپهوند`, `ژنرال مایکل فلین`, `سردار جعفری`: a rank with no office beside the
    name is the person's title until the article or the registry names an office. The name starts
    with a given name or a surname and ends before an office, a verb or the noun of a compound
    verb (`جعفری یادآور شد`); a fallen commander (`سردار شهید ...`) holds no office."""
    honorifics, core = _split_honorifics(_words(m, "span", ctx), ctx)
    ranks = [h for h in honorifics if ctx.lexicon_value("military_rank", h[2])]
    if not ranks or honorifics[0] is not ranks[0] or _fallen(honorifics, ctx):
        return None
    core = _name_before_verb(core, ctx)
    if not core or not _looks_like_name(core, honorifics, False, ctx):
        return None
    first = core[0][2]
    if _is_verb(first, ctx) or _is_verb_like(first):
        return None  # `سرهنگ نیستم`
    # after a rank, a given name of the source starts a full name unless very frequent
    # (`سرهنگ ستار خسروی`, not `سردار بزرگ حاج احمد`)
    given = _is_given_name(first, ctx) or (
        len(core) > 1 and name_key(first) in source_given_names() and not _frequency_at_least(first, "common_inner_word_frequency", ctx)
    )
    if not (given or _rare(first, ctx) or _surname_like(first, ctx, alone=len(core) == 1)):
        return None  # `ژنرال بازنشسته`, `سردار سازندگی`: a rank and an ordinary word
    rank = ctx.lexicon_value("military_rank", ranks[-1][2])
    return {
        "name": _name_value(honorifics, core),
        "title": rank,
        "_office": rank,
        "_weak_office": True,
        "country": None,
        "_core": [w for _, _, w in core],
        "_span": (honorifics[0][0], core[-1][1]),
        "_ruler": False,
    }


@producer("official", "term_of_office")
def term_of_office(m, ctx):
    """`دوره ریاست‌جمهوری بیل کلینتون`, `زمان وزارت حاجی بابایی`: the name after the years of an
    office held it. A full name, a quoted one or a surname alone; the name ends at a very frequent
    word or a verb."""
    honorifics, core = _split_honorifics(_words(m, "span", ctx), ctx)
    core = _name_before_verb(core, ctx)
    quoted = m.group("quote") is not None and CLOSING_QUOTE.match(ctx.text, core[-1][1] if core else m.end("span")) is not None
    if not core or not _looks_like_name(core, honorifics, quoted, ctx):
        return None
    if not (quoted or honorifics or _starts_full_name(core, 0, ctx) or _surname_like(core[-1][2], ctx, alone=len(core) == 1)):
        return None  # `دوران ریاست جمهوری با ترامپ`
    office = _office(m, ctx, name_first=False)
    return {
        "name": _name_value(honorifics, core),
        "title": office.written,
        "_office": office.canonical,
        "country": None,
        "_core": [w for _, _, w in core],
        "_span": ((honorifics or core)[0][0], core[-1][1]),
        "_ruler": False,
        "_weak_office": True,
    }


@producer("official", "registry")
def registry(m, ctx):
    """A name of rules/lexicons/official_registry.yaml, with the office the registry gives."""
    honorifics, core = _split_honorifics(_words(m, "span", ctx), ctx)
    # a kept honorific may be part of the registry's name (`سردار بردی محمداف`, `شیخ تمیم ...`)
    named = (_name_value(honorifics, core), " ".join(w for _, _, w in core)) if core else ()
    canonical = next((c for c in (ctx.lexicon_value("official_registry", n) for n in named) if c), None)
    if not canonical or _given_name_before(m, ctx):
        return None  # `حسن قالیباف اصل` is not محمدباقر قالیباف
    return _registry_entry(canonical, ctx) | {"_core": canonical.split()}


@producer("official", "mention", on_request=True)
def mention(m, ctx):
    """Any name-like word but an ordinary one, kept as its match: :func:`fold_people` reads it
    only when the word can name a person found, and most words of an article cannot."""
    words = WORD.findall(m.group("span"))
    if not words or _is_common(words[-1], ctx):
        return None  # what _may_name_someone would say first, before a candidate is made
    return {"_mention": m}


def _mention_word(m: re.Match, ctx: MatchContext) -> tuple[str, str | None] | None:
    """The one name word of a mention (after its honorifics) and the given name before it."""
    honorifics, core = _split_honorifics(_words(m, "span", ctx), ctx)
    if len(core) != 1:
        return None
    return core[0][2], _given_name_before(m, ctx)


def _ends_key(word: str) -> tuple[str, str]:
    """What :func:`same_word` keeps of a word in every spelling: its first letter and last two."""
    key = name_key(word)
    return key[:1], key[-2:]


def _surname_keys(people: list[Person]) -> set[tuple[str, str]]:
    """The :func:`_ends_key` of every surname a mention may name (:func:`_names_surname`)."""
    return {_ends_key(p.core[-1]) for p in people if len(name_key(p.core[-1])) >= 3}


def _may_name_someone(m: re.Match, surnames: set, ctx: MatchContext) -> bool:
    """A cheap test a mention must pass to name a person: its last word (the name word, if it
    has one) is no ordinary word and spells a surname found or a registry name. Most
    name-like words of an article fail it, and need not be read further."""
    words = WORD.findall(m.group("span"))
    if not words or _is_common(words[-1], ctx):
        return False
    return _ends_key(words[-1]) in surnames or _registry_word(words[-1], ctx) is not None


def _skeleton(key: str, ctx: MatchContext) -> str:
    variants = ctx.rules.lexicon("letter_variant").values
    return "".join(variants.get(ch, ch) for ch in key)


def same_word(a: str, b: str, ctx: MatchContext) -> bool:
    """One name word in two spellings: equal keys, or (for longer words) one letter added,
    dropped or swapped for its variant (`توکایف`/`توقایف`, `تمیم`/`تیمیم`), keeping the first
    letter and the last two (`سنای` is not `سنایی`)."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 4 or ka[0] != kb[0] or ka[-2:] != kb[-2:] or not _one_edit(ka, kb):
        return False
    return _skeleton(ka, ctx) == _skeleton(kb, ctx)


def _one_edit(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def same_name(short: list[str], long: list[str], ctx: MatchContext) -> bool:
    """`short` names the person `long` names: it is a suffix of it (`پزشکیان` of
    `مسعود پزشکیان`), or both read the same with spaces removed (`بردی محمد اف`)."""
    if len(short) > len(long):
        short, long = long, short
    if all(same_word(a, b, ctx) for a, b in zip(reversed(short), reversed(long))):
        return True
    return same_word("".join(short), "".join(long), ctx)


def _titles_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ka, kb = name_key(a), name_key(b)
    return ka in kb or kb in ka


@dataclass
class Person:
    core: list[str]
    name: str
    title: str | None = None  # as the article writes it (or the registry's, if the article doesn't)
    office: str | None = None  # as the lexicon knows it: what two mentions' offices are compared by
    country: str | None = None
    ruler: bool = False
    registry: str | None = None
    office_in_text: bool = False  # named beside an office in this article, not only by the registry
    weak_title: bool = False  # a rank (`سرهنگ`) or an office held once (`دوران وزارت X`): any office named replaces it
    coordinated_country: str | None = None  # see _share_country
    mentions: list = field(default_factory=list)

    def take(self, cand) -> None:
        """Add a mention; a fuller name becomes the person's name."""
        v = cand.values
        self.mentions.append(cand)
        if len(v.get("_core", [])) > len(self.core) and not v.get("_registry"):
            self.core, self.name = v["_core"], v["name"]
        self.registry = self.registry or v.get("_registry")
        if v.get("_registry"):
            if self.weak_title:
                self.title = self.office = None
                self.weak_title = False
            self.title = self.title or v.get("title")
            self.office = self.office or v.get("_office")
            self.country = self.country or v.get("country")
        elif v.get("_weak_office"):
            self.office_in_text = True
            if self.title is None:
                self.title, self.office, self.weak_title = v["title"], v["_office"], True
        elif v.get("_office_elsewhere") and self.office_in_text and not self.weak_title:
            pass  # an office from the headline or the sentence before yields to one beside the name
        else:  # the article's own words about the office win over the registry's
            self.office_in_text, self.weak_title = True, False
            self.title = v.get("title") or self.title
            self.office = v.get("_office") or self.office
            self.country = v.get("country") or self.country
            self.ruler = self.ruler or bool(v.get("_ruler"))
            self.coordinated_country = self.coordinated_country or v.get("_coordinated_country")


def _last_country(ctx: MatchContext, before: int) -> str | None:
    """The country named last before ``before``: what `این کشور` refers to."""
    pattern = _lexicon_regex(ctx.rules.lexicon("country").regex)
    found = None
    for m in pattern.finditer(ctx.text, 0, before):
        found = m.group()
    return ctx.lexicon_value("country", found) if found else None


def _lexicon_regex(regex: str) -> re.Pattern:
    """A lexicon's regex that also ends at a word's end."""
    return compiled(regex + r"(?![\w\u200c])")


def _find_person(people: list[Person], core: list[str], title, registry_name, ctx) -> Person | None:
    for person in reversed(people):  # the person named most recently
        if registry_name and person.registry == registry_name:
            return person
        if same_name(core, person.core, ctx) and _titles_agree(title, person.office):
            return person
    return None


def _registry_name(person: Person, ctx: MatchContext) -> str | None:
    """The registry person whose name this one's is (spelling variants allowed), if the
    registry gives them the same office: `تیمیم بن حمد آل ثانی`, `رئیسی` as president."""
    return REGISTRY_NAMES.get((tuple(person.core), person.office), ctx)


def _registry_name_of(core_and_title: tuple, ctx: MatchContext) -> str | None:
    core, title = core_and_title
    lexicon = ctx.rules.lexicon("official_registry")
    by_ends = _registry_index(ctx).forms_by_ends
    # only forms whose last word, or whose words run together, end like the name's can be it
    candidates = set(by_ends.get(_ends_key(core[-1]), ())) | set(by_ends.get(_ends_key("".join(core)), ()))
    for _, form in sorted(candidates):
        canonical = lexicon.value(form)
        office = ctx.lexicon_value("official_registry_title", canonical)
        if same_name(list(core), form.split(), ctx) and _titles_agree(title, office):
            return canonical
    return None


def _bare_word_names(word: str, name_word: str, ctx: MatchContext) -> bool:
    """A word standing alone names ``name_word``: the same word, or a spelling variant that is
    not itself a word of the language (`توقایف` yes, `توقیف` no)."""
    if name_key(word) == name_key(name_word):
        return True
    return word not in word_frequencies() and same_word(word, name_word, ctx)


def _names_surname(word: str, person: Person, ctx: MatchContext, given: str | None) -> bool:
    """``word`` is the person's surname, and the given name before it (if any) is theirs
    (`هیلاری کلینتون` is not `بیل کلینتون`)."""
    surname = person.core[-1]
    if given and not any(same_word(given, w, ctx) for w in person.core[:-1]):
        return False
    return len(name_key(surname)) >= 3 and _bare_word_names(word, surname, ctx)


class RulesMemo:
    """Answers of ``compute(key, ctx)`` remembered per rule set: every article asks again about
    the same words and names, and each answer compares them with every registry form. An entry
    holds its rule set, so an id reused by a new rule set is not mistaken for it; a long run
    meets ever new words, so all are forgotten now and then."""

    LIMIT = 1 << 17

    def __init__(self, compute):
        self.compute = compute
        self.known: dict[tuple[int, object], tuple] = {}

    def get(self, key, ctx: MatchContext):
        known = self.known.get((id(ctx.rules), key))
        if known is None or known[0] is not ctx.rules:
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            known = self.known[(id(ctx.rules), key)] = (ctx.rules, self.compute(key, ctx))
        return known[1]


def _registry_word(word: str, ctx: MatchContext) -> str | None:
    """The registry person a one-word mention names, allowing for a swapped letter
    (`توقایف`) but not an added one (`پزشکان` is not `پزشکیان`)."""
    return REGISTRY_WORDS.get(word, ctx)


def _registry_person(word: str, ctx: MatchContext) -> str | None:
    lexicon = ctx.rules.lexicon("official_registry")
    for form in _registry_index(ctx).forms_by_shape.get(_shape(word), []):
        if _bare_word_names(word, form, ctx):
            return lexicon.value(form)
    return None


REGISTRY_WORDS = RulesMemo(_registry_person)
REGISTRY_NAMES = RulesMemo(_registry_name_of)


@dataclass(frozen=True)
class RegistryIndex:
    """The registry's one-word forms by their :func:`_shape` (in the lexicon's order), every
    shape a one-word mention of a registry person may have (see :func:`_may_be_named`), and
    every form, with its place in the lexicon, by the :func:`_ends_key` of its last word and of
    its words run together (what :func:`same_name` compares)."""

    forms_by_shape: dict[tuple, list[str]]
    mention_shapes: frozenset[tuple[int, str, str]]
    forms_by_ends: dict[tuple[str, str], list[tuple[int, str]]]


def _registry_index(ctx: MatchContext) -> RegistryIndex:
    return REGISTRY_INDEXES.get("official_registry", ctx)


def _index_of(lexicon_name: str, ctx: MatchContext) -> RegistryIndex:
    lexicon = ctx.rules.lexicon(lexicon_name)
    by_shape: dict[tuple, list[str]] = {}
    for form in lexicon.forms:
        if " " not in form.strip():
            by_shape.setdefault(_shape(form), []).append(form)
    by_ends: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for position, form in enumerate(lexicon.forms):
        words = form.split()
        for key in {_ends_key(words[-1]), _ends_key("".join(words))}:
            by_ends.setdefault(key, []).append((position, form))
    canonical = [Person(core=name.split(), name=name) for name in set(lexicon.values.values())]
    return RegistryIndex(by_shape, frozenset(_surname_shapes(canonical) | set(by_shape)), by_ends)


REGISTRY_INDEXES = RulesMemo(_index_of)


def _home_country(person: Person, ctx: MatchContext) -> str | None:
    """The writer's own country for an office named without one (`مسعود پزشکیان، رئیس‌جمهور`):
    when the person's given name is one of the home groups of `given_name.yaml`, or of the
    (Iranian) name source before a surname that is no rare foreign word (a home surname's ending,
    or a word of hazm's list: `حسن نوری`, not `هلن کلارک`), or a surname alone has a home
    surname's ending (`زارعی`). A foreign or unknown name (`جیمز کومی رئیس ...`, `بچل`) and a
    ruler's office get no country."""
    options = _options(ctx)
    first = person.core[0]
    if person.ruler:
        return None
    origin = ctx.lexicon_value("given_name", first)
    if origin is not None:
        home = origin in options.get("home_given_names", [])
    elif len(person.core) == 1:
        home = first.endswith(tuple(options.get("home_surname_endings", [])))
    else:  # a name of the source is also foreign (`هلن کلارک`): its surname must be a home one too
        last = person.core[-1]
        home = name_key(first) in source_given_names() and (
            last.endswith(tuple(options.get("home_surname_endings", []))) or _is_given_name(last, ctx) or not _rare(last, ctx)
        )
    return options.get("home_country") if home else None


def _offices_named(ctx: MatchContext) -> set[str]:
    """The offices the article names somewhere (`رئیس جمهور قزاقستان ...`; a ruler's, which is
    an office only before a country: `امیر قطر`)."""
    lexicon, rulers = ctx.rules.lexicon("official_title"), ctx.rules.lexicon("ruler_title")
    named = {lexicon.value(m.group()) for m in _lexicon_regex(lexicon.regex).finditer(ctx.text)}
    ruler_of = _lexicon_regex(f"(?P<ruler>{rulers.regex})[^\\S\\n]+{ctx.rules.lexicon('country').regex}")
    return named | {rulers.value(m.group("ruler")) for m in ruler_of.finditer(ctx.text)}


@lru_cache(maxsize=1 << 16)
def _shape(word: str) -> tuple[int, str, str]:
    """What :func:`same_word` keeps of a word, with its length: two spellings of one name word
    have the same first letter and last two, and lengths at most one apart."""
    key = name_key(word)
    return len(key), key[:1], key[-2:]


def _surname_shapes(people: list[Person]) -> set[tuple[int, str, str]]:
    """The shapes of every word that may name one of ``people`` (:func:`_names_surname`)."""
    shapes = set()
    for person in people:
        length, first, last = _shape(person.core[-1])
        if length >= 3:
            shapes |= {(length - 1, first, last), (length, first, last), (length + 1, first, last)}
    return shapes


def _may_be_named(people: list[Person], ctx: MatchContext) -> Callable[[str], bool]:
    """A test the name word of a mention (its last: the others are honorifics) must pass to
    name one of ``people`` or a registry person: no common word, and the shape of one of their
    names. Most words of an article fail it and are not read further."""
    shapes = _surname_shapes(people) | _registry_index(ctx).mention_shapes
    common = _common(ctx)
    return lambda word: word not in common and _shape(word) in shapes


def _mention_starts(may_name: Callable[[str], bool], ctx: MatchContext) -> list[int]:
    """Where a mention may start: at each word that ``may_name`` (asked once per distinct word
    of the article but a common one), or at the first of the honorifics right before it
    (`آقای دکتر عراقچی`)."""
    starts = set()
    honorifics_before: dict[int, int] | None = None  # where honorifics end → where they start
    for start in ctx.words.starts_of(may_name, skip=_common(ctx)):
        if honorifics_before is None:
            honorifics_before = {m.end(): m.start() for m in ctx.rules.macro("honorific_before_name").finditer(ctx.text)}
        while start in honorifics_before:
            start = honorifics_before[start]
        starts.add(start)
    return sorted(starts)


def _share_country(named: list, ctx: MatchContext) -> None:
    """`قربانقلی بردی محمداف، رهبر و سردار بردی محمداف رئیس‌جمهور ترکمنستان`: two people with
    their offices joined by و, the country written once, after the second: the first person's
    office is of that country too, unless the article gives them one (or they are the writer's own)."""
    for first, second in zip(named, named[1:]):
        in_text = [c for c in (first, second) if not c.values.get("_registry") and c.values.get("title")]
        if (len(in_text) == 2 and first.values.get("country") is None and second.values.get("country")
                and _OFFICE_AND.fullmatch(ctx.text, first.end, second.start)):
            first.values["_coordinated_country"] = second.values["country"]


@finalizer("official")
def fold_people(candidates: list, ctx: MatchContext) -> list:
    """One person per name in the article: every mention gets the person's canonical name,
    office and country; name-like words that name nobody found are dropped."""
    for cand in candidates:
        if "_span" in cand.values:
            cand.start, cand.end = cand.values["_span"]
        if cand.values.get("_anaphor_at") is not None:
            cand.values["country"] = _last_country(ctx, cand.values["_anaphor_at"])
    named = resolve_overlaps([c for c in candidates if "_mention" not in c.values])
    # a rank and a surname (`سردار نقدی` in a headline) is a later mention of a full name first
    named.sort(key=lambda c: bool(c.values.get("_weak_office")) and len(c.values["_core"]) == 1)
    _share_country(named, ctx)
    people: list[Person] = []
    for cand in named:
        v = cand.values
        office = None if v.get("_office_elsewhere") or v.get("_weak_office") else v.get("_office")
        person = _find_person(people, v["_core"], office, v.get("_registry"), ctx)
        if person is None:
            person = Person(core=v["_core"], name=v["name"])
            people.append(person)
        person.take(cand)
    taken = [(c.start, c.end) for c in named]
    surnames = _surname_keys(people)
    may_name = _may_be_named(people, ctx)
    mentions = ctx.requested(
        "official", "mention", _mention_starts(may_name, ctx), lambda m: may_name(m.group("span").rsplit(None, 1)[-1])
    )
    for cand in mentions:
        m = cand.values["_mention"]
        if any(s < cand.end and cand.start < e for s, e in taken):
            continue
        if not _may_name_someone(m, surnames, ctx) or (mentioned := _mention_word(m, ctx)) is None:
            continue
        word, given = mentioned
        if _is_common(word, ctx):
            continue  # `صدر`, `توقف`: an ordinary word, however like a surname it looks
        person = next((p for p in reversed(people) if _names_surname(word, p, ctx, given)), None)
        if person is None and not given and (canonical := _registry_word(word, ctx)):
            person = next((p for p in people if p.registry == canonical), None)
            if person is None:
                entry = _registry_entry(canonical, ctx)
                person = Person(core=canonical.split(), name=canonical, registry=canonical,
                                title=entry["title"], office=entry["_office"], country=entry["country"])
                people.append(person)
                surnames |= _surname_keys([person])
        if person is not None:
            person.mentions.append(cand)
    facts, offices_named = [], None
    for person in people:
        if not person.office_in_text:
            offices_named = _offices_named(ctx) if offices_named is None else offices_named
            if not any(person.office == o or (person.office or "").startswith(o + " ") for o in offices_named):
                continue  # a registry name in an article that never names the office: maybe another time
        name = person.registry or _registry_name(person, ctx) or person.name
        country = person.country or _home_country(person, ctx) or person.coordinated_country
        for cand in person.mentions:
            cand.values = {"name": name, "title": person.title, "country": country}
            facts.append(cand)
    return facts
