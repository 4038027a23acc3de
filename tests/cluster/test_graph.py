"""Stories from links: incremental assignment in any order equals clustering everything at once."""

from __future__ import annotations

import random

import numpy as np
import pytest

from marsad.cluster.graph import (
    LinkParams,
    MemoryBackend,
    add_items,
    cluster_all,
    partition,
    stories_of,
    story_id,
)
from marsad.cluster.identity import Link
from marsad.cluster.items import StoryItem
from marsad.cluster.neardup import NearDuplicateIndex, signature
from marsad.cluster.synthetic import generate
from tests.cluster.factory import event, item

PARAMS = LinkParams(gap=3, embedding_weight=0.15)


def _collection(n: int, seed: int) -> tuple[list[StoryItem], dict[str, np.ndarray], list[tuple[str, str]]]:
    reports = generate(n, seed=seed)
    items = [r.item() for r in reports]
    rng = np.random.default_rng(seed)
    centres: dict[str, np.ndarray] = {}
    vectors: dict[str, np.ndarray] = {}
    for r in reports:
        # Vectors close within a story, random across: a stand-in for sentence embeddings.
        c = centres.setdefault(r.story, rng.normal(size=16))
        v = c + rng.normal(scale=0.6, size=16)
        vectors[r.event.id] = (v / np.linalg.norm(v)).astype(np.float32)
    index = NearDuplicateIndex(0.5, 64)
    near = [(p.a, p.b) for r in reports for p in index.add(r.article.doc_id, signature(r.article.text, 5, 64))]
    return items, vectors, near


def _incremental(items: list[StoryItem], vectors: dict[str, np.ndarray], near: list[tuple[str, str]],
                 order: list[int], batch: int) -> list[list[str]]:
    mem = MemoryBackend()
    for a, b in near:
        mem.add_near(a, b)
    current: dict[str, str] = {}
    for i in range(0, len(order), batch):
        chunk = [items[j] for j in order[i : i + batch]]
        seeds = add_items(mem, chunk, vectors, PARAMS)
        for part in stories_of(mem, seeds, PARAMS.gap):
            sid = story_id(part)
            for k in part:
                current[k] = sid
    groups: dict[str, list[str]] = {}
    for k, sid in current.items():
        groups.setdefault(sid, []).append(k)
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize(("seed", "batch"), [(1, 1), (2, 7), (3, 50)])
def test_incremental_in_shuffled_order_equals_full_recluster(seed: int, batch: int) -> None:
    items, vectors, near = _collection(600, seed)
    full, _ = cluster_all(items, vectors, near, PARAMS)
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    assert _incremental(items, vectors, near, order, batch) == full
    assert any(len(s) > 2 for s in full)


def test_story_ids_do_not_depend_on_order() -> None:
    assert story_id(["b", "a", "c"]) == story_id(["c", "b", "a"])
    assert story_id(["a"]).startswith("st-")


def test_an_undated_report_does_not_chain_two_visits() -> None:
    early = item(event("a", host="SA", start="2026-02-08", city="Riyadh"))
    late = item(event("b", host="SA", start="2026-11-20", city="Riyadh"))
    undated = item(event("c", host="SA", city="Riyadh"))
    stories, links = cluster_all([early, late, undated], {}, [], PARAMS)
    assert len(links) == 2  # the undated report links to both visits
    assert len(stories) == 2  # but joins only one of them
    assert [early.event_key, late.event_key] not in stories


def test_partition_takes_the_best_link_first() -> None:
    a = item(event("a", host="SA", start="2026-02-08"))
    b = item(event("b", host="SA", start="2026-11-20"))
    c = item(event("c", host="SA"))
    items = {x.event_key: x for x in (a, b, c)}
    def lk(x: str, y: str, score: float) -> Link:
        return Link(min(x, y), max(x, y), score, "T2")

    links = [lk(a.event_key, c.event_key, 2.0), lk(b.event_key, c.event_key, 2.5)]
    parts = partition(items, items, links, 3)
    assert sorted([b.event_key, c.event_key]) in parts


def test_full_clustering_finds_the_synthetic_stories() -> None:
    reports = generate(1500, seed=5)
    stories, _ = cluster_all([r.item() for r in reports], {}, [], PARAMS)
    gold: dict[str, str] = {r.event.id: r.story for r in reports}
    pred = {k: i for i, s in enumerate(stories) for k in s}
    keys = sorted(gold)
    tp = fp = fn = 0
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            same_gold, same_pred = gold[x] == gold[y], pred[x] == pred[y]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.93, (precision, recall)
