"""Entities stage speed on one core, and realdev recall.

Two corpora, both built at run time:

- ``sentences``: articles of 8-14 sentences drawn from the project's own test sentences
  (tests/extract/data/entity_sentences.yaml), a title line plus body paragraphs, about the size
  of a short news item;
- ``seeds``: the five seed articles (../shared/seeds, read at run time, never copied), cleaned
  by the clean stage, repeated.

Only ``extract_entities`` is timed (the article is cleaned beforehand), in CPU time of this
process, after one warm-up article that builds the lexicons and the knowledge base.

    taskset -c 0 python benchmarks/bench_entities.py --corpus sentences --n 5000
    taskset -c 0 python benchmarks/bench_entities.py --corpus seeds --n 2000
    taskset -c 0 python benchmarks/bench_entities.py --corpus seeds --n 2000 --retain
    python benchmarks/bench_entities.py --realdev      # recall of the realdev gold people
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.model import Article, Field, Span  # noqa: E402
from marsad.settings import load_settings  # noqa: E402

SENTENCES = ROOT / "tests" / "extract" / "data" / "entity_sentences.yaml"
SEEDS = ROOT.parent / "shared" / "seeds"
REALDEV = ROOT.parent / "shared" / "realdev" / "articles.jsonl"


def sentence_corpus(n: int, seed: int = 7) -> list[Article]:
    """``n`` articles made of the project's own Arabic test sentences."""
    cases = yaml.safe_load(SENTENCES.read_text("utf-8"))
    pool = [c["text"] for c in cases if any("\u0600" <= ch <= "\u06ff" for ch in c["text"])]
    rng = random.Random(seed)
    out = []
    for k in range(n):
        picked = rng.sample(pool, rng.randint(8, 14))
        title = picked[0].rstrip(".")
        paragraphs = [" ".join(picked[i : i + 3]) for i in range(1, len(picked), 3)]
        text = title + "\n\n" + "\n\n".join(paragraphs)
        spans, pos = [], len(title) + 2
        for p in paragraphs:
            spans.append(Span(pos, pos + len(p)))
            pos += len(p) + 2
        out.append(Article(doc_id=f"s{k}", source="bench", fmt="text", text=text, paragraphs=spans,
                           fields=[Field("title", title, 0, len(title), "header.title")]))
    return out


def seed_corpus(n: int) -> list[Article]:
    """The five seed articles, cleaned, repeated to ``n`` (the same objects: copy before use)."""
    from marsad.clean import clean_article
    from marsad.ingest import iter_documents, read_article

    if not SEEDS.exists():
        sys.exit(f"seed articles not found at {SEEDS}")
    settings = load_settings()
    base = []
    for path in sorted(SEEDS.glob("0*.txt")):
        [raw] = list(iter_documents([str(path)], settings.ingest))
        base.append(clean_article(read_article(raw, settings.ingest), settings.clean))  # type: ignore[arg-type]
    return [base[i % len(base)] for i in range(n)]  # copied when used: the stage fills them


def bench(articles: list[Article], retain: bool = False) -> None:
    """Time the entities stage over ``articles`` and print the figures.

    By default the articles stream through the stage as in a pipeline: each is copied from the
    corpus just before its run (the copy is not timed) and dropped once its mentions are
    counted, the way the store takes an article and lets it go. With ``retain`` every article
    and its results stay in memory until the end (the measure of the first version of this
    benchmark): the garbage collector then walks thousands of kept articles at each full
    collection, and the allocator hands out new memory for each, which costs about a sixth of
    the time on the seeds corpus and says nothing about the stage.
    """
    from marsad.extract.entities import extract_entities

    cfg = load_settings().entities
    t0 = time.process_time()
    extract_entities(copy.deepcopy(articles[0]), cfg)
    warm = time.process_time() - t0
    chars = sum(len(a.text) for a in articles)
    mentions = 0
    if retain:
        kept = [copy.deepcopy(a) for a in articles]
        t0 = time.process_time()
        for a in kept:
            mentions += len(extract_entities(a, cfg).mentions)
        dt = time.process_time() - t0
    else:
        dt = 0.0
        for base in articles:
            a = copy.deepcopy(base)
            t0 = time.process_time()
            extract_entities(a, cfg)
            dt += time.process_time() - t0
            mentions += len(a.mentions)
    print(f"articles: {len(articles)}  avg chars: {chars / len(articles):.0f}  mentions: {mentions}")
    print(f"warm-up (lexicons + KB): {warm:.2f} s CPU")
    how = "all articles kept in memory" if retain else "streamed"
    print(f"{len(articles) / dt:.0f} articles/s, {chars / dt / 1e6:.2f} M chars/s "
          f"(CPU time, one process, {how})")
    print("command: " + " ".join(["python", *sys.argv]))


def realdev() -> None:
    """Print the recall of the realdev gold people, with and without the KB's people."""
    import json

    from marsad.link.kb import build_kb
    from tests.extract.test_entities_realdev import recall

    if not REALDEV.exists():
        sys.exit(f"realdev set not found at {REALDEV}")
    records = [json.loads(line) for line in REALDEV.read_text("utf-8").splitlines() if line.strip()]
    settings = load_settings()
    for mode in ("kb", "no_kb"):
        kb = build_kb()
        if mode == "no_kb":
            kb.persons.clear()
            kb.index()
        names, countries = recall(records, settings, kb)
        print(f"realdev {mode}: name recall {names:.3f}, country recall {countries:.3f}")


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["sentences", "seeds"], default="sentences")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--realdev", action="store_true", help="print realdev recall instead")
    ap.add_argument("--retain", action="store_true",
                    help="keep every article and its results in memory (the first measure)")
    args = ap.parse_args()
    if args.realdev:
        realdev()
        return
    articles = sentence_corpus(args.n) if args.corpus == "sentences" else seed_corpus(args.n)
    bench(articles, retain=args.retain)


if __name__ == "__main__":
    main()
