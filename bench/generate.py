"""A synthetic corpus: the seed articles' paragraphs recombined, with varied numbers, dates and names.

Each article takes a header like the seeds' (an ISO dateline, a Jalali dateline with news code,
or none), then paragraphs drawn from all seeds; in every paragraph the numbers are replaced by
other numbers (Persian or ASCII digits, with the seeds' separators), the Jalali/Gregorian years
and months shift, and the officials' names are swapped. Deterministic for a given seed.

    python -m bench.generate --articles 10000 --out bench/corpus/10000
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
NAMES = ["مسعود پزشکیان", "عباس عراقچی", "محمدباقر قالیباف", "محمدرضا عارف", "حسن روحانی", "علی لاریجانی"]
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
AGENCIES = ["ایسنا", "ایرنا", "مهر", "فارس", "تسنیم", "ایلنا"]
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
NUMBER = re.compile(r"(?P<iso>\d{4}-\d{2}-\d{2})|[0-9۰-۹]+(?:[.٫][0-9۰-۹]+)?", re.ASCII)


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs += [p.strip() for p in text.split("\n") if len(p.strip()) > 40]
    return paragraphs


def vary(paragraph: str, rng: random.Random) -> str:
    def new_number(m: re.Match) -> str:
        if m.group("iso"):
            return f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        digits = m.group()
        persian = any("۰" <= ch <= "۹" for ch in digits)
        whole = re.split("[.٫]", digits)[0].translate(ASCII_DIGITS)
        if len(whole) == 4 and whole[:2] in ("13", "14"):  # a Jalali year
            value = str(rng.randint(1390, 1404))
        elif len(whole) == 4 and whole[:2] in ("19", "20"):  # a Gregorian year
            value = str(rng.randint(1990, 2025))
        else:
            value = str(rng.randint(1, 10 ** min(len(whole), 4) - 1 or 9))
        if "." in digits or "٫" in digits:
            value += ("٫" if "٫" in digits else ".") + str(rng.randint(1, 9))
        return value.translate(PERSIAN_DIGITS) if persian else value

    paragraph = NUMBER.sub(new_number, paragraph)
    for name in NAMES:
        if name in paragraph:
            paragraph = paragraph.replace(name, rng.choice(NAMES))
    for month in JALALI_MONTHS:
        if month in paragraph:
            paragraph = paragraph.replace(month, rng.choice(JALALI_MONTHS))
    return paragraph


def header(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return f" date {rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} به گزارش {rng.choice(AGENCIES)}، "
    if kind == 1:
        day = f"{rng.randint(1, 29):02d}"
        return f"تاریخ : {rng.randint(1395, 1404)},سه شنبه {day} {rng.choice(JALALI_MONTHS)}17:07\nکد خبر : {rng.randint(100000, 999999)} - سرویس خبری : سیاسی\n\n"
    return ""


def article(rng: random.Random, paragraphs: list[str]) -> str:
    chosen = [vary(p, rng) for p in rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 17)))]
    return header(rng) + "\n\n".join(chosen) + "\n"


GENERATED = re.compile(r"\.complete|bench_\d{6}\.txt")  # the files generate writes


def generate(n_articles: int, out_dir: Path, seed: int = 0) -> Path:
    """Write ``n_articles`` .txt files into ``out_dir`` (in subfolders of 1000) unless already there.

    A folder that holds other files (someone's own corpus) is left as it is: SystemExit."""
    out_dir = Path(out_dir)
    done = out_dir / ".complete"
    if done.exists() and done.read_text() == f"{n_articles} {seed}":
        return out_dir
    if out_dir.exists() and (other := next((p for p in out_dir.rglob("*") if p.is_file() and not GENERATED.fullmatch(p.name)), None)):
        raise SystemExit(f"{out_dir} holds files the generator did not write ({other.name}): give an empty or new folder")
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    for i in range(n_articles):
        path = out_dir / f"{i // 1000:03d}" / f"bench_{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(rng, paragraphs), encoding="utf-8")
    done.write_text(f"{n_articles} {seed}")
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = args.out or Path(__file__).resolve().parent / "corpus" / str(args.articles)
    generate(args.articles, out, args.seed)
    print(f"{args.articles} articles in {out}")


if __name__ == "__main__":
    main()
