"""Stories as a graph: events are nodes, links say "same happening", conflicts forbid merges.

Both ways of clustering use the same three steps, so they give the same stories:

1. *Candidates* (blocking): two events are compared only when they share a blocking key
   (:func:`marsad.cluster.identity.blocking`: a party and a month bucket), come from one
   article, or come from near-duplicate articles. Each event meets a few dozen others, not the
   whole archive, so the cost grows with the number of events, not with its square.
2. *Links*: :func:`marsad.cluster.identity.link` on every candidate pair. A link is a pure
   function of the two events (and of their articles' near-duplicate relation and embeddings).
3. *Partition*: inside each connected component of the link graph, links are taken best first
   and two groups merge only when no pair across them conflicts (two dates that cannot agree,
   two different visitors, two host countries). An undated report that links to two different
   visits joins the better one instead of chaining the two into one story.

:func:`cluster_all` runs the steps on a whole collection at once (the full re-cluster).
:func:`add_items` puts new events into an index (:class:`Backend`) and returns the events
whose component changed; :func:`components` and :func:`partition` then recompute only those
components. Because links depend only on pairs and the partition only on a component's links,
adding events one at a time in any order gives the same stories as clustering them all at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from marsad.cluster.embed import cosine
from marsad.cluster.identity import Blocking, Link, blocking, conflict, link
from marsad.cluster.items import StoryItem


@dataclass(frozen=True, slots=True)
class LinkParams:
    """The settings links depend on."""

    gap: int = 3
    embedding_weight: float = 0.15


def story_id(members: Iterable[str]) -> str:
    """The id of the story made of these events: a hash of its smallest event key.

    Deterministic (the same members give the same id in any order of arrival); a story keeps its
    id when it grows unless an event with a smaller key joins it or it merges with another.
    """
    first = min(members)
    return "st-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


class Backend(Protocol):
    """Where items, their keys and links live (memory, or the database)."""

    def items(self, keys: Iterable[str]) -> dict[str, StoryItem]: ...
    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]: ...
    def candidates(self, block: Blocking) -> set[str]: ...
    def doc_items(self, docs: Iterable[str]) -> set[str]: ...
    def near_docs(self, doc: str) -> set[str]: ...
    def put(self, item: StoryItem, block: Blocking, vector: np.ndarray | None, links: list[Link]) -> None: ...
    def links_of(self, keys: Iterable[str]) -> list[Link]: ...


def _pair_link(
    x: StoryItem, y: StoryItem, vx: np.ndarray | None, vy: np.ndarray | None, near: bool,
    params: LinkParams,
) -> Link | None:
    return link(
        x, y, params.gap, near_duplicate=near, cosine=cosine(vx, vy),
        embedding_weight=params.embedding_weight,
    )


def add_items(
    backend: Backend,
    items: Sequence[StoryItem],
    vectors: Mapping[str, np.ndarray],
    params: LinkParams,
) -> set[str]:
    """Index new items one by one, linking each to the candidates already indexed.

    Near-duplicate relations of the items' documents must be known to the backend before.
    Returns the keys of the new items (the seeds of the components to recompute).
    """
    seeds: set[str] = set()
    for x in items:
        block = blocking(x, params.gap)
        near = backend.near_docs(x.doc)
        cands = backend.candidates(block) | backend.doc_items({x.doc, *near})
        cands.discard(x.event_key)
        others = backend.items(cands)
        others_vec = backend.vectors(cands)
        vx = vectors.get(x.event_key)
        links = []
        for key in sorted(others):
            y = others[key]
            lk = _pair_link(x, y, vx, others_vec.get(key), y.doc in near, params)
            if lk is not None:
                links.append(lk)
        backend.put(x, block, vx, links)
        seeds.add(x.event_key)
    return seeds


def components(backend: Backend, seeds: Iterable[str]) -> list[set[str]]:
    """The connected components of the link graph that contain the seeds."""
    seen: set[str] = set()
    out: list[set[str]] = []
    for seed in sorted(seeds):
        if seed in seen:
            continue
        comp = {seed}
        frontier = {seed}
        while frontier:
            nxt: set[str] = set()
            for lk in backend.links_of(frontier):
                for k in (lk.a, lk.b):
                    if k not in comp:
                        comp.add(k)
                        nxt.add(k)
            frontier = nxt
        seen |= comp
        out.append(comp)
    return out


def partition(
    keys: Iterable[str], items: Mapping[str, StoryItem], links: Iterable[Link], gap: int
) -> list[list[str]]:
    """Split one component into stories: best links first, never merging across a conflict."""
    group: dict[str, list[str]] = {k: [k] for k in sorted(keys)}
    owner: dict[str, str] = {k: k for k in group}
    clash: dict[tuple[str, str], bool] = {}

    def clashes(x: str, y: str) -> bool:
        pair = (x, y) if x < y else (y, x)
        if pair not in clash:
            clash[pair] = conflict(items[pair[0]], items[pair[1]], gap) is not None
        return clash[pair]

    for lk in sorted(links, key=lambda lk: (-lk.score, lk.a, lk.b)):
        ga, gb = owner.get(lk.a), owner.get(lk.b)
        if ga is None or gb is None or ga == gb:
            continue
        if any(clashes(x, y) for x in group[ga] for y in group[gb]):
            continue
        keep, drop = (ga, gb) if ga < gb else (gb, ga)
        for k in group[drop]:
            owner[k] = keep
        group[keep].extend(group.pop(drop))
    return sorted(sorted(members) for members in group.values())


# --- in memory --------------------------------------------------------------------------------


@dataclass
class MemoryBackend:
    """A :class:`Backend` in dictionaries (the full re-cluster, tests and benchmarks)."""

    store_items: dict[str, StoryItem] = field(default_factory=dict)
    store_vectors: dict[str, np.ndarray] = field(default_factory=dict)
    # Append-only lists (an item is put once): far smaller than sets at 100,000 items.
    index: dict[str, list[str]] = field(default_factory=dict)
    by_party: dict[str, list[str]] = field(default_factory=dict)
    by_doc: dict[str, list[str]] = field(default_factory=dict)
    near: dict[str, set[str]] = field(default_factory=dict)
    adjacency: dict[str, dict[str, Link]] = field(default_factory=dict)

    def items(self, keys: Iterable[str]) -> dict[str, StoryItem]:
        """Stored items by key."""
        return {k: self.store_items[k] for k in keys if k in self.store_items}

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored vectors by key."""
        return {k: self.store_vectors[k] for k in keys if k in self.store_vectors}

    def candidates(self, block: Blocking) -> set[str]:
        """Items whose index keys meet the query keys (all of a party's for a timeless item)."""
        out: set[str] = set()
        if block.timeless:
            for p in block.parties:
                out.update(self.by_party.get(p, ()))
        else:
            for q in block.query:
                out.update(self.index.get(q, ()))
        return out

    def doc_items(self, docs: Iterable[str]) -> set[str]:
        """Items extracted from these documents."""
        out: set[str] = set()
        for d in docs:
            out.update(self.by_doc.get(d, ()))
        return out

    def near_docs(self, doc: str) -> set[str]:
        """Documents that are near-duplicates of ``doc``."""
        return self.near.get(doc, set())

    def add_near(self, a: str, b: str) -> None:
        """Record a near-duplicate pair of documents."""
        self.near.setdefault(a, set()).add(b)
        self.near.setdefault(b, set()).add(a)

    def put(self, item: StoryItem, block: Blocking, vector: np.ndarray | None, links: list[Link]) -> None:
        """Store an item with its keys, vector and links."""
        k = item.event_key
        if vector is not None:
            self.store_vectors[k] = vector
        if k in self.store_items and self.store_items[k] is not item:
            raise ValueError(f"item {k} is already indexed")
        self.store_items[k] = item
        for key in block.index:
            self.index.setdefault(key, []).append(k)
        for p in block.parties:
            self.by_party.setdefault(p, []).append(k)
        self.by_doc.setdefault(item.doc, []).append(k)
        self.adjacency.setdefault(k, {})
        for lk in links:
            self.adjacency.setdefault(lk.a, {})[lk.b] = lk
            self.adjacency.setdefault(lk.b, {})[lk.a] = lk

    def links_of(self, keys: Iterable[str]) -> list[Link]:
        """Links touching these items."""
        out: dict[tuple[str, str], Link] = {}
        for k in keys:
            for lk in self.adjacency.get(k, {}).values():
                out[(lk.a, lk.b)] = lk
        return list(out.values())

    def all_links(self) -> list[Link]:
        """Every link."""
        return self.links_of(self.adjacency)


def stories_of(backend: Backend, seeds: Iterable[str], gap: int) -> list[list[str]]:
    """The stories of every component containing a seed."""
    out: list[list[str]] = []
    for comp in components(backend, seeds):
        items = backend.items(comp)
        links = [lk for lk in backend.links_of(comp) if lk.a in comp and lk.b in comp]
        out.extend(partition(comp, items, links, gap))
    return sorted(out)


def cluster_all(
    items: Sequence[StoryItem],
    vectors: Mapping[str, np.ndarray],
    near_pairs: Iterable[tuple[str, str]],
    params: LinkParams,
) -> tuple[list[list[str]], list[Link]]:
    """Cluster a whole collection at once: ``(stories, links)``, stories as sorted key lists."""
    mem = MemoryBackend()
    for a, b in near_pairs:
        mem.add_near(a, b)
    for x in items:
        mem.put(x, blocking(x, params.gap), vectors.get(x.event_key), [])
    links: list[Link] = []
    for x in items:
        kx = x.event_key
        block = blocking(x, params.gap)  # again: keeping 100,000 key sets costs more than this
        cands = mem.candidates(block) | mem.doc_items({x.doc, *mem.near_docs(x.doc)})
        # Timeless items query by party, the others by bucket: the relation is symmetric, so
        # each pair is looked at from its smaller key only.
        for ky in sorted(c for c in cands if c > kx):
            y = mem.store_items[ky]
            lk = _pair_link(x, y, mem.store_vectors.get(kx), mem.store_vectors.get(ky),
                            y.doc in mem.near_docs(x.doc), params)
            if lk is not None:
                links.append(lk)
    for lk in links:
        mem.adjacency[lk.a][lk.b] = lk
        mem.adjacency[lk.b][lk.a] = lk
    return stories_of(mem, mem.store_items, params.gap), links
