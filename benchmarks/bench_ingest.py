"""Ingest + clean + store speed and peak memory on a corpus built from examples/.

The corpus is made by substitution: each generated article is an example article with its
places, officials' countries, day numbers and a serial changed, so every file has new content
(no duplicate shortcut) and the same shape as real input (tickers, bylines, repeats).

    python benchmarks/bench_ingest.py --n 10000                # clean stage only (issue 2 target)
    python benchmarks/bench_ingest.py --n 3000 --stages all    # the whole per-document pipeline

The measurement runs in a child process pinned to one core; peak memory is that process's
maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

PLACES = ["الرباط", "الرياض", "أبوظبي", "الدوحة", "مسقط", "المنامة", "الكويت", "عمان", "القاهرة",
          "تونس", "الجزائر", "نواكشوط", "طرابلس", "بغداد", "دمشق", "بيروت", "أنقرة", "مدريد",
          "باريس", "روما", "برلين", "لندن", "واشنطن", "بروكسيل", "لشبونة"]


def example_texts() -> list[str]:
    """Plain texts of the example articles (text files and JSONL ``text`` fields)."""
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if isinstance(rec.get("text"), str):
                    texts.append(rec["text"])
    if not texts:
        raise SystemExit(f"no example articles found in {EXAMPLES}")
    return texts


def variant(text: str, i: int, rng: random.Random) -> str:
    """A new article: places swapped, day numbers changed, a serial added."""
    swap = dict(zip(PLACES, rng.sample(PLACES, len(PLACES)), strict=True))
    out = re.sub("|".join(map(re.escape, PLACES)), lambda m: swap[m.group(0)], text)
    out = re.sub(r"(?<!\d)([1-9]|1\d|2[0-8])(?!\d)", lambda m: str(rng.randint(1, 28)), out)
    return f"{out}\nرقم المرجع {i}.\n"


def build_corpus(folder: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` generated articles into ``folder``; return their total size in bytes."""
    rng = random.Random(seed)
    texts = example_texts()
    total = 0
    for i in range(n):
        data = variant(texts[i % len(texts)], i, rng).encode("utf-8")
        (folder / f"{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def measure(folder: Path, db: Path, stages: list[str]) -> dict[str, float]:
    """Ingest ``folder`` into ``db`` (run in the child process)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from marsad.ingest import iter_documents
    from marsad.pipeline import available_stages, run_batch
    from marsad.settings import load_settings
    from marsad.store import open_store

    settings = load_settings().model_copy(update={"pipeline": available_stages(stages)})
    store = open_store(db)
    start = time.perf_counter()
    summary = run_batch(iter_documents([str(folder)], settings.ingest), settings, store)
    elapsed = time.perf_counter() - start
    store.close()
    return {"new": summary.new, "failed": summary.failed, "seconds": elapsed}


def main() -> None:
    """Build the corpus, measure in a pinned child process, print a markdown row."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate")
    parser.add_argument("--stages", default="clean", help="'clean' or 'all' (clean,dates,entities,events)")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    stages = ["clean", "dates", "entities", "events"] if args.stages == "all" else args.stages.split(",")
    if args.child:
        result = measure(Path(args.child[0]), Path(args.child[1]), stages)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = build_corpus(folder, args.n)
        db = Path(tmp) / "bench.db"
        proc = subprocess.run(
            [sys.executable, __file__, "--stages", args.stages, "--child", str(folder), str(db)],
            capture_output=True, text=True, check=True,
        )
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        db_mb = db.stat().st_size / 1e6
    rate = result["new"] / result["seconds"]
    print(f"command: python benchmarks/bench_ingest.py --n {args.n} --stages {args.stages}")
    print("| articles | stages | input MB | seconds | articles/s | peak RSS MB | db MB |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {result['new']} | {args.stages} | {size / 1e6:.1f} | {result['seconds']:.1f} | "
          f"{rate:.0f} | {peak_mb:.0f} | {db_mb:.1f} |")
    if result["failed"]:
        print(f"({result['failed']} failed)")


if __name__ == "__main__":
    main()
