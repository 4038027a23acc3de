"""Speed of the dates stage, and of ``dateparser.search.search_dates`` on the same texts.

The corpus is the seed articles (../shared/seeds, read at run time, never copied) when they are
present, otherwise articles generated from the sentence templates below (written for this
benchmark). Each generated article gets new day numbers and a serial, so no two are identical.
Articles are read and cleaned before timing; only ``extract_dates`` (and then dateparser) is
timed, in this process pinned to one core.

    python benchmarks/bench_dates.py --n 5000 --dateparser-n 200 --repeat 3
    python benchmarks/bench_dates.py --synthetic --n 5000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

# Sentence templates written for this benchmark (not taken from any article).
_DATED = [
    "حل وزير الداخلية {city} يوم {wd} {d} {month} الجاري ضمن جولة تدوم ثلاثة أيام.",
    "وكان الوزير قد التقى نظيره {city} خلال الفترة من {d} إلى {d2} {month} {year}.",
    "وأكد المسؤول أمس أن الزيارة التي بدأت الأسبوع الماضي تندرج في إطار التعاون الثنائي.",
    "ويشارك الوفد في المعرض الدولي (EXPO {year}) الذي ينظم من {d} إلى {d2} {month} الجاري.",
    "ومن المنتظر أن يعقد الجانبان اجتماعا آخر في {month} المقبل بالعاصمة {city}.",
]
_PLAIN = [
    "وركز الحديث على تطوير العمل المشترك ونقل المعارف بين فرق التحقيق في الجرائم العابرة.",
    "وأثنى الطرفان على مستوى التنسيق القائم بين المصالح المختصة في البلدين.",
    "كما تطرق الجانبان إلى ملفات الحدود وتهريب السلع والتصدي للشبكات الإجرامية.",
    "وحضر الاجتماع مسؤولون من الجانبين وأعضاء الوفد المرافق.",
    "وشدد الوزير على أهمية تحديث آليات العمل المشترك ومواكبة التحديات المستجدة.",
    "وتأتي هذه الخطوة في سياق الحرص على تطوير الشراكة الاستراتيجية بين المؤسستين.",
]
_CITIES = ["الرباط", "الرياض", "الدوحة", "مسقط", "القاهرة", "تونس", "بغداد", "عمان", "مدريد"]
_MONTHS = ["فبراير", "شتنبر", "نوفمبر", "أيلول", "جوان", "تشرين الأول", "مارس", "دجنبر"]
_WEEKDAYS = ["الأحد", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]


def synthetic(i: int, rng: random.Random) -> str:
    """One generated article: a title, then about a dozen paragraphs, a few of them dated."""
    def fill(s: str) -> str:
        d = rng.randint(1, 25)
        return s.format(city=rng.choice(_CITIES), wd=rng.choice(_WEEKDAYS), d=d, d2=d + 2,
                        month=rng.choice(_MONTHS), year=rng.choice([2023, 2024, 2025]))
    title = fill("الوزير يزور {city} لبحث التعاون الأمني")
    paras = [fill(rng.choice(_DATED)) for _ in range(3)]
    paras += [" ".join(rng.sample(_PLAIN, 3)) for _ in range(9)]
    rng.shuffle(paras)
    return title + "\n\n" + "\n\n".join(paras) + f"\n\nرقم المرجع {i}.\n"


def seed_variant(text: str, i: int, rng: random.Random) -> str:
    """A seed article with new day numbers and a serial (so every article differs)."""
    out = re.sub(r"(?<!\d)([1-9]|1\d|2[0-8])(?!\d)", lambda m: str(rng.randint(1, 28)), text)
    return f"{out}\nرقم المرجع {i}.\n"


def corpus(n: int, use_seeds: bool) -> tuple[list[str], str]:
    """``n`` article texts and where they come from."""
    rng = random.Random(7)
    seeds = sorted(SEEDS.glob("*.txt")) if use_seeds else []
    if seeds:
        texts = [p.read_text("utf-8") for p in seeds]
        return [seed_variant(texts[i % len(texts)], i, rng) for i in range(n)], f"{len(seeds)} seed articles, varied"
    return [synthetic(i, rng) for i in range(n)], "synthetic articles from the benchmark's templates"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="articles for the dates stage")
    ap.add_argument("--dateparser-n", type=int, default=200, help="articles for dateparser (slow)")
    ap.add_argument("--synthetic", action="store_true", help="ignore the seeds, use generated articles")
    ap.add_argument("--repeat", type=int, default=3,
                    help="passes over the corpus; the fastest is reported (as timeit does)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from marsad.clean import clean_article
    from marsad.extract.dates import extract_dates
    from marsad.ingest import read_article
    from marsad.model import RawDocument
    from marsad.settings import load_settings

    settings = load_settings()
    texts, origin = corpus(args.n, not args.synthetic)
    articles = []
    for i, text in enumerate(texts):
        raw = RawDocument(source=f"bench/{i}.txt", data=text.encode("utf-8"), fmt="text")
        articles.append(clean_article(read_article(raw, settings.ingest), settings.clean))
    chars = sum(sum(p.end - p.start for p in a.paragraphs) for a in articles) / len(articles)

    extract_dates(articles[0], settings.dates)  # load the tables once
    runs = []
    found = 0
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        found = 0
        for a in articles:
            found += len(extract_dates(a, settings.dates).times)
        runs.append(time.perf_counter() - t0)
    ours = min(runs)

    try:
        from dateparser.search import search_dates
    except ImportError:  # pragma: no cover - dateparser is a test dependency
        search_dates = None
    sample = articles[: max(1, min(args.dateparser_n, len(articles)))]
    dp = None
    if search_dates is not None:
        bodies = ["\n".join(a.text[p.start : p.end] for p in a.paragraphs) for a in sample]
        search_dates(bodies[0], languages=["ar"])  # warm up
        t0 = time.perf_counter()
        for body in bodies:
            search_dates(body, languages=["ar"])
        dp = time.perf_counter() - t0

    per_ours = ours / len(articles)
    print(f"corpus: {origin}; {len(articles)} articles, {chars:.0f} body characters on average; "
          f"{found / len(articles):.1f} time expressions per article")
    print()
    print("| what | articles | seconds | ms/article | articles/s |")
    print("|---|---:|---:|---:|---:|")
    print(f"| marsad `extract_dates` (best of {len(runs)}) | {len(articles)} | {ours:.2f} | "
          f"{per_ours * 1e3:.3f} | {1 / per_ours:,.0f} |")
    if len(runs) > 1:
        worst = max(runs) / len(articles)
        print(f"| marsad `extract_dates` (slowest pass) | {len(articles)} | {max(runs):.2f} | "
              f"{worst * 1e3:.3f} | {1 / worst:,.0f} |")
    if dp is not None:
        per_dp = dp / len(sample)
        print(f"| dateparser `search_dates(languages=['ar'])` | {len(sample)} | {dp:.2f} | "
              f"{per_dp * 1e3:.2f} | {1 / per_dp:,.0f} |")
        print()
        print(f"ratio: dates stage is {per_dp / per_ours:,.0f}x faster than dateparser on the same texts")
    print()
    print("command: python " + " ".join([str(Path(sys.argv[0])), *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
