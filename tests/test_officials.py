"""Named officials: seed scores with and without the registry, mention folding, spelling variants."""

import shutil

import pandas as pd
import pytest

from pipeline.evaluate import evaluate
from pipeline.facttypes.official import same_name, same_word
from pipeline.facttypes import MatchContext
from pipeline.rulefiles import RULES_DIR
from pipeline.rules import default_rules, load_rules
from pipeline.run import extract_text, run_pipeline

from conftest import ROOT


def _officials(text: str, rules=None):
    facts = extract_text(text, rules=rules)
    return facts[facts.fact_type == "official"][["text", "name", "title", "country"]].to_dict("records")


def test_seed_officials_reach_strict_f1(seed_facts, seed_gold):
    score = evaluate(seed_gold, seed_facts)["scores"]["official"]
    assert score["strict_f1"] >= 0.95, score


@pytest.fixture(scope="module")
def rules_without_registry(tmp_path_factory):
    rules_dir = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(RULES_DIR, rules_dir)
    (rules_dir / "lexicons" / "official_registry.yaml").write_text("entries: {}\n", encoding="utf-8")
    return load_rules(rules_dir)


def test_seed_officials_do_not_depend_on_the_registry(rules_without_registry, seed_gold, tmp_path):
    run_pipeline(ROOT / "seeds", tmp_path, rules_without_registry)
    import pandas as pd

    facts = pd.read_parquet(tmp_path / "facts.parquet")
    score = evaluate(seed_gold, facts)["scores"]["official"]
    assert score["strict_f1"] >= 0.85, score


def test_a_person_never_seen_before_is_found_beside_an_office(rules_without_registry):
    found = _officials("رئیس‌جمهور روسیه ولادیمیر پوتین روز دوشنبه وارد تهران شد.", rules_without_registry)
    assert found == [{"text": "ولادیمیر پوتین", "name": "ولادیمیر پوتین", "title": "رئیس‌جمهور", "country": "روسیه"}]


def test_later_mentions_fold_into_the_full_name_and_keep_their_offsets():
    text = (
        "سفری که جاپاروف رئیس‌جمهور قرقیزستان به تهران داشت مهم بود. "
        "صدیر جاپاروف رئیس‌جمهور قرقیزستان گفت روابط خوب است. آقای جاپاروف افزود که همکاری ادامه دارد."
    )
    facts = extract_text(text)
    people = facts[facts.fact_type == "official"]
    assert set(people.name) == {"صدیر جاپاروف"}
    assert list(people.text) == ["جاپاروف", "صدیر جاپاروف", "آقای جاپاروف"]
    assert all(text[r.start : r.end] == r.text for r in people.itertuples())


def test_spelling_variants_fold_into_one_person():
    text = "وزیر خارجه قزاقستان مراد نورتلیو به تهران آمد. نورتلئو گفت روابط خوب است."
    assert {f["name"] for f in _officials(text)} == {"مراد نورتلیو"}


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("توکایف", "توقایف", True),
        ("تمیم", "تیمیم", True),
        ("رحمان", "رحمانی", False),
        ("مکرون", "مقارن", False),
        ("توکایف", "توقیف", False),
    ],
)
def test_same_word(a, b, same):
    ctx = MatchContext(rules=default_rules())
    assert same_word(a, b, ctx) is same


def test_a_name_written_apart_is_the_same_name():
    ctx = MatchContext(rules=default_rules())
    assert same_name(["بردی", "محمد", "اف"], ["بردی", "محمداف"], ctx)
    assert same_name(["پزشکیان"], ["مسعود", "پزشکیان"], ctx)
    assert not same_name(["سردار", "بردی", "محمداف"], ["قربانقلی", "بردی", "محمداف"], ctx)


def test_a_verb_after_an_office_is_not_a_name():
    text = "رهبران قبایل از حیدر عبادی، نخست‌وزیر این کشور خواستند تا فرمانده را برکنار کند."
    assert [(f["name"], f["title"]) for f in _officials(text)] == [("حیدر عبادی", "نخست‌وزیر")]


def test_an_office_complement_does_not_swallow_the_next_person():
    text = "مصطفی کواکبیان نماینده تهران و مصطفی تاج‌زاده در این مراسم حضور دارند."
    assert [f["name"] for f in _officials(text)] == ["مصطفی کواکبیان"]


def test_a_surname_after_another_first_name_is_another_person():
    text = "حیدر علی‌اف رئیس‌جمهور آذربایجان به تهران آمد. هابیل علی‌اف خواننده آذری نیز آمد."
    assert [f["text"] for f in _officials(text)] == ["حیدر علی‌اف"]


def test_this_country_is_the_country_named_last():
    text = "سفر بعدی به ترکمنستان است که با دعوت رسمی رئیسجمهور محترم این کشور، بردی محمداف، انجام می‌گیرد."
    (found,) = _officials(text)
    assert (found["text"], found["title"], found["country"]) == ("بردی محمداف", "رئیسجمهور", "ترکمنستان")


@pytest.mark.parametrize(
    "text",
    [
        "آثار ابوعلی ابراهیم قوناکول با فردوسی، حافظ و سعدی آشنایی داشته است.",
        "مولانا و سعدی و خیام در فرهنگ مردم منطقه جایگاه ویژه‌ای دارند.",
        "ابن سینا و ابونصر فارابی از دانشمندان بزرگ بودند.",
        "با نخست‌وزیر پاکستان، رئیس‌جمهور عراق و نخست‌وزیر میانمار گفت‌وگو کردیم.",
        "رئیس جمهور قزاقستان تأکید کرد که ایران شریکی قابل اعتماد است.",
    ],
)
def test_poets_scholars_and_unnamed_offices_are_not_officials(text):
    assert _officials(text) == []


def test_every_mention_of_the_seed_run_names_its_person(seed_facts):
    officials = seed_facts[seed_facts.fact_type == "official"]
    assert officials.name.notna().all() and officials.title.notna().all()
    raw = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    assert all(raw[r.doc_id][r.start : r.end] == r.text for r in officials.itertuples())


def test_an_office_that_names_its_holder_gives_no_office_to_the_next_speaker():
    text = "وزیر نیرو رضا کاظمی امروز به تبریز رفت. علی مرادی گفت که طرح آماده است."
    assert [(f["name"], f["title"]) for f in _officials(text)] == [("رضا کاظمی", "وزیر نیرو")]


def test_a_foreign_name_without_a_country_gets_none():
    text = "« استیفن بدلی » مشاور سابق امنیت ملی گفت"
    assert _officials(text) == [{"text": "استیفن بدلی", "name": "استیفن بدلی", "title": "مشاور سابق امنیت ملی", "country": None}]


@pytest.mark.parametrize("text, country", [
    ("هلن کلارک رئیس برنامه عمران سازمان ملل متحد گفت", None),  # a given name Iranians use too, a foreign surname
    ("حسن نوری رئیس سازمان بنادر گفت", "ایران"),
    ("محمد مشکینی مدیرعامل شرکت نفت و گاز پارس گفت", "ایران"),
])
def test_a_name_of_the_name_source_is_the_writers_countrys_only_with_a_home_surname(text, country):
    (found,) = _officials(text)
    assert (None if pd.isna(found["country"]) else found["country"]) == country


def test_the_title_is_the_articles_own_words():
    text = "حسین کمالی وزیر کار و امور اجتماعی در این نشست گفت"
    assert [(f["name"], f["title"]) for f in _officials(text)] == [("حسین کمالی", "وزیر کار و امور اجتماعی")]


def test_one_quoted_word_after_an_office_is_the_place_not_the_holder():
    text = "آلن کوپه شهردار «بوردو» و نخست‌وزیر پیشین فرانسه است."
    assert [(f["name"], f["title"]) for f in _officials(text)] == [("آلن کوپه", "شهردار")]


@pytest.mark.parametrize(
    "text, countries",
    [
        # the country written once, after the second office, is the first person's too
        ("در دیدار با قربانقلی بردی محمداف، رهبر و سردار بردی محمداف رئیس‌جمهور ترکمنستان گفت‌وگو شد.", ["ترکمنستان", "ترکمنستان"]),
        # the writer's own country for a Persian name wins
        ("مسعود پزشکیان، رئیس‌جمهور و ولادیمیر پوتین رئیس‌جمهور روسیه دیدار کردند.", ["ایران", "روسیه"]),
        # not joined by و: another sentence
        ("قربانقلی بردی محمداف، رهبر. سردار بردی محمداف رئیس‌جمهور ترکمنستان گفت.", [None, "ترکمنستان"]),
    ],
)
def test_two_offices_joined_by_and_share_the_country_written_after_the_second(text, countries):
    found = _officials(text)
    assert [None if pd.isna(f["country"]) else f["country"] for f in found] == countries


@pytest.mark.parametrize("duty", ["مدیر عاملی", "مدیر\u200cعاملی", "مدیرعاملی", "مدير عاملي", "دبیر کلی", "دبير کلي"])
def test_a_duty_written_apart_is_the_years_of_an_office_not_an_office_and_its_complement(duty):
    """`دوران مدیر عاملی X` is X's years as مدیرعامل, however the duty is spaced or spelled, and
    the name ends before the noun of the compound verb `تصویب شد`."""
    text = f"این قانون در دوران {duty} علی کاظمی تصویب شد."
    facts = extract_text(text)
    people = facts[facts.fact_type == "official"].to_dict("records")
    start = text.index("علی کاظمی")
    office = "مدیرعامل" if "عامل" in duty else "دبیرکل"
    assert [(p["start"], p["end"], p["name"], p["title"], p["rule_id"]) for p in people] == [
        (start, start + len("علی کاظمی"), "علی کاظمی", office, "official.term_of_office")
    ]
