"""The story stage over a database: incremental assignment and the full re-cluster.

:func:`update_stories` runs after articles are stored. It builds the clustering item of every
event that has none yet (and of events that a re-extraction changed), finds near-duplicate
articles, links the new events to those already stored, recomputes only the components of the
link graph that changed, fuses their stories, and stamps ``story_id`` on the events. Nothing else
is re-clustered, so the cost of a batch grows with the batch, not with the archive.

:func:`recluster` forgets every story and clusters the whole database at once (after a change
of rules or settings). Both give the same stories: links depend only on pairs of events, and a
story only on the links of its component (see :mod:`marsad.cluster.graph`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from marsad.cluster.embed import Embedder, default_embedder, from_blob, to_blob
from marsad.cluster.fusion import Source, fuse
from marsad.cluster.graph import (
    Backend,
    LinkParams,
    add_items,
    cluster_all,
    stories_of,
    story_id,
)
from marsad.cluster.identity import Blocking, Link, blocking
from marsad.cluster.items import StoryItem, fingerprint, item_of
from marsad.cluster.neardup import NearDuplicateIndex, band_keys, jaccard, signature
from marsad.model import Article, Event, Story
from marsad.settings import ClusterSettings
from marsad.store import SqliteStore
from marsad.store import story_store as ss

LOGGER = logging.getLogger(__name__)


def params_of(cfg: ClusterSettings) -> LinkParams:
    """The link parameters a settings section gives."""
    return LinkParams(gap=cfg.max_date_gap_days, embedding_weight=cfg.embedding_weight)


def quantize(vec: np.ndarray) -> np.ndarray:
    """A vector as it comes back from storage (float16), so memory and database agree."""
    out = from_blob(to_blob(vec))
    assert out is not None
    return out


@dataclass(slots=True)
class StoryUpdate:
    """What one run of the story stage did."""

    new_events: int = 0
    removed_events: int = 0
    near_duplicates: int = 0
    links: int = 0
    stories_written: int = 0
    stories_removed: int = 0
    stories_total: int = 0
    story_ids: list[str] = field(default_factory=list)


class SqliteBackend:
    """The :class:`marsad.cluster.graph.Backend` of a database connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._items: dict[str, StoryItem] = {}
        self._vectors: dict[str, np.ndarray | None] = {}

    def _load(self, keys: Iterable[str]) -> None:
        todo = [k for k in keys if k not in self._items]
        for k, (data, blob) in ss.get_items(self.conn, todo).items():
            self._items[k] = StoryItem.from_json(data)
            self._vectors[k] = from_blob(blob)

    def items(self, keys: Iterable[str]) -> dict[str, StoryItem]:
        """Stored items by key."""
        keys = list(keys)
        self._load(keys)
        return {k: self._items[k] for k in keys if k in self._items}

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored vectors by key."""
        keys = list(keys)
        self._load(keys)
        out: dict[str, np.ndarray] = {}
        for k in keys:
            v = self._vectors.get(k)
            if v is not None:
                out[k] = v
        return out

    def candidates(self, block: Blocking) -> set[str]:
        """Items whose index keys meet the query keys (all of a party's for a timeless item)."""
        if block.timeless:
            return ss.items_with_parties(self.conn, block.parties)
        return ss.keys_matching(self.conn, block.query)

    def doc_items(self, docs: Iterable[str]) -> set[str]:
        """Items of these documents."""
        return ss.doc_items(self.conn, docs)

    def near_docs(self, doc: str) -> set[str]:
        """Near-duplicates of a document."""
        return ss.near_docs(self.conn, doc)

    def put(self, item: StoryItem, block: Blocking, vector: np.ndarray | None, links: list[Link]) -> None:
        """Store an item, its keys, vector and links."""
        ss.put_item(
            self.conn,
            event_key=item.event_key, doc=item.doc, event_row=item.extra.get("event_row"),
            fingerprint=item.fingerprint, data=item.to_json(),
            vector=to_blob(vector) if vector is not None else None,
            index_keys=block.index, parties=block.parties,
            links=[(lk.a, lk.b, lk.score, lk.rule) for lk in links],
        )
        self._items[item.event_key] = item
        self._vectors[item.event_key] = vector

    def links_of(self, keys: Iterable[str]) -> list[Link]:
        """Links touching these items."""
        return [Link(a, b, score, rule) for a, b, score, rule in ss.links_of(self.conn, list(keys))]


# --- building items ---------------------------------------------------------------------------


def _items_of_documents(
    store: SqliteStore, wanted: Mapping[int, set[str]], rows: Mapping[str, int]
) -> tuple[list[StoryItem], dict[str, Article]]:
    """Items of the wanted events, document by document; the articles by content hash."""
    items: list[StoryItem] = []
    articles: dict[str, Article] = {}
    for doc_pk in sorted(wanted):
        _, article = store.get_article(doc_pk)
        articles[article.doc_id] = article
        for ev in store.events_of(doc_pk):
            if ev.id in wanted[doc_pk]:
                item = item_of(article, ev, doc_pk)
                item.extra["event_row"] = rows.get(ev.id)
                items.append(item)
    return items, articles


def _embed(items: Sequence[StoryItem], cfg: ClusterSettings, embedder: Embedder | None,
           reuse: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    if not cfg.use_embeddings or not items:
        return {}
    out: dict[str, np.ndarray] = {}
    todo = []
    for it in items:
        if reuse is not None and it.event_key in reuse:
            out[it.event_key] = reuse[it.event_key]
        elif it.text.strip():
            todo.append(it)
    if todo:
        model = embedder or default_embedder()
        vecs = model([it.text for it in todo])
        for it, v in zip(todo, vecs, strict=True):
            if float(np.dot(v, v)) > 0:
                out[it.event_key] = quantize(v)
    return out


def _near_duplicates_of(
    conn: sqlite3.Connection, articles: Mapping[str, Article], cfg: ClusterSettings
) -> int:
    """Sign new documents, find their near-duplicates among stored ones, record both."""
    found = 0
    for doc in sorted(articles):
        blob = ss.get_signature(conn, doc)
        if blob is not None:
            sig = np.frombuffer(blob, dtype=np.uint64)
        else:
            sig = signature(articles[doc].clean_text, cfg.shingle_size, cfg.minhash_permutations)
        bands = band_keys(sig, cfg.minhash_threshold)
        pairs = []
        for other, other_blob in ss.band_candidates(conn, bands).items():
            if other == doc:
                continue
            j = jaccard(sig, np.frombuffer(other_blob, dtype=np.uint64))
            if j >= cfg.minhash_threshold:
                pairs.append((doc, other, round(j, 4)))
        ss.put_signature(conn, doc, sig.astype(np.uint64).tobytes(), bands)
        ss.put_near_duplicates(conn, pairs)
        found += len(pairs)
    return found


# --- stories ----------------------------------------------------------------------------------


def _groups(conn: sqlite3.Connection, docs: set[str]) -> dict[str, str]:
    """Near-duplicate group of each document (the smallest hash of its copies)."""
    parent = {d: d for d in docs}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for d in sorted(docs):
        for other in ss.near_docs(conn, d) & docs:
            ra, rb = find(d), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {d: find(d) for d in docs}


def sources_of(conn: sqlite3.Connection, keys: Sequence[str]) -> list[Source]:
    """The fusion sources of a story's events."""
    events = ss.events_by_key(conn, keys)
    docs = {e.doc_id for e in events.values()}
    infos = ss.document_infos(conn, docs)
    groups = _groups(conn, docs)
    out = []
    for k in keys:
        ev = events.get(k)
        if ev is None:
            continue
        info = infos.get(ev.doc_id, {})
        out.append(Source(ev, info.get("document_id"), info.get("outlet"), info.get("published"),
                          info.get("lang"), groups.get(ev.doc_id)))
    return out


def _write_stories(
    conn: sqlite3.Connection, partitions: Sequence[Sequence[str]], force: set[str]
) -> tuple[list[str], list[str]]:
    """Replace the stories of these events by the given partition; fuse what changed.

    Returns ``(written story ids, removed story ids)``.
    """
    keys = [k for part in partitions for k in part]
    old_of = ss.stories_of(conn, keys)
    old_ids = set(old_of.values())
    old_members = ss.members(conn, old_ids)
    written: list[str] = []
    new_ids: dict[str, list[str]] = {}
    for part in partitions:
        sid = story_id(part)
        new_ids[sid] = list(part)
    unchanged = {
        sid for sid, part in new_ids.items()
        if sorted(old_members.get(sid, [])) == sorted(part) and not (set(part) & force)
    }
    removed = sorted(old_ids - set(new_ids))
    ss.delete_stories(conn, [sid for sid in old_ids if sid not in unchanged])
    for sid, part in sorted(new_ids.items()):
        if sid in unchanged:
            continue
        story = fuse(sid, sources_of(conn, sorted(part)))
        ss.save_story(conn, story)
        written.append(sid)
    # Old ids live on where most of their events went.
    aliases: dict[str, str] = {}
    where = {k: story_id(part) for part in partitions for k in part}
    for old in removed:
        counts: dict[str, int] = defaultdict(int)
        for k in old_members.get(old, []):
            if k in where:
                counts[where[k]] += 1
        if counts:
            aliases[old] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    ss.add_aliases(conn, aliases)
    return written, removed


def update_stories(
    store: SqliteStore, cfg: ClusterSettings, *, embedder: Embedder | None = None
) -> StoryUpdate:
    """Bring stories up to date with the events stored: new events join or start stories."""
    out = StoryUpdate()
    params = params_of(cfg)
    with store.transaction() as tx:
        gone, moved = ss.moved_items(tx)
        changed: list[str] = []
        if moved:
            current = ss.events_by_key(tx, [k for k, _, _ in moved])
            for key, row, fp in moved:
                ev = current.get(key)
                if ev is not None and fingerprint(ev) == fp:
                    ss.set_event_row(tx, key, row)
                else:
                    changed.append(key)
        removed = sorted(set(gone) | set(changed))
        dirty: set[str] = set()
        dropped_stories: set[str] = set()
        if removed:
            dropped_stories = set(ss.stories_of(tx, removed).values())
            dirty |= ss.delete_items(tx, removed)
            dirty |= {k for ks in ss.members(tx, dropped_stories).values() for k in ks} - set(removed)
            ss.delete_stories(tx, dropped_stories)
        out.removed_events = len(gone)
        fresh = ss.new_events(tx)
        wanted: dict[int, set[str]] = defaultdict(set)
        rows: dict[str, int] = {}
        for key, row, doc_pk in fresh:
            wanted[doc_pk].add(key)
            rows[key] = row
        items, articles = _items_of_documents(store, wanted, rows)
        out.new_events = len(items)
        out.near_duplicates = _near_duplicates_of(tx, articles, cfg)
        vectors = _embed(items, cfg, embedder)
        backend: Backend = SqliteBackend(tx)
        dirty |= add_items(backend, items, vectors, params)
        dirty &= set(backend.items(dirty))
        partitions = stories_of(backend, dirty, params.gap)
        written, removed_ids = _write_stories(tx, partitions, {it.event_key for it in items} | set(changed))
        out.stories_written = len(written)
        out.stories_removed = len(set(removed_ids) | (dropped_stories - set(written)))
        out.story_ids = written
        ss.sync_event_stories(tx)
        out.stories_total = ss.count_stories(tx)
        out.links = len(backend.links_of({it.event_key for it in items}))
    return out


def recluster(
    store: SqliteStore, cfg: ClusterSettings, *, embedder: Embedder | None = None
) -> StoryUpdate:
    """Forget all stories and cluster every stored event at once."""
    out = StoryUpdate()
    params = params_of(cfg)
    with store.transaction() as tx:
        before = ss.all_item_texts(tx)
        reuse: dict[str, np.ndarray] = {}
        old_text: dict[str, str] = {}
        for key, (data, blob) in before.items():
            vec = from_blob(blob)
            if vec is not None:
                reuse[key] = vec
                old_text[key] = StoryItem.from_json(data).text
        old_members = ss.all_members(tx)
        ss.clear(tx)
        wanted: dict[int, set[str]] = defaultdict(set)
        rows: dict[str, int] = {}
        for key, row, doc_pk in ss.new_events(tx):
            wanted[doc_pk].add(key)
            rows[key] = row
        items, articles = _items_of_documents(store, wanted, rows)
        out.new_events = len(items)
        # Signatures are kept; near-duplicates are found again among all documents.
        sigs = ss.all_signatures(tx)
        index = NearDuplicateIndex(cfg.minhash_threshold, cfg.minhash_permutations)
        pairs = []
        for doc in sorted(articles):
            blob = sigs.get(doc)
            sig = np.frombuffer(blob, dtype=np.uint64) if blob else signature(
                articles[doc].clean_text, cfg.shingle_size, cfg.minhash_permutations)
            ss.put_signature(tx, doc, sig.astype(np.uint64).tobytes(), band_keys(sig, cfg.minhash_threshold))
            pairs.extend(index.add(doc, sig))
        ss.put_near_duplicates(tx, [(p.a, p.b, p.jaccard) for p in pairs])
        out.near_duplicates = len(pairs)
        by_key = {it.event_key: it for it in items}
        keep = {k: v for k, v in reuse.items() if k in by_key and by_key[k].text == old_text.get(k)}
        vectors = _embed(items, cfg, embedder, reuse=keep)
        partitions, links = cluster_all(items, vectors, [(p.a, p.b) for p in pairs], params)
        by_item: dict[str, list[Link]] = defaultdict(list)
        for lk in links:
            by_item[max(lk.a, lk.b)].append(lk)
        backend = SqliteBackend(tx)
        for it in items:
            backend.put(it, blocking(it, params.gap), vectors.get(it.event_key), by_item.get(it.event_key, []))
        out.links = len(links)
        written: list[str] = []
        for part in partitions:
            sid = story_id(part)
            ss.save_story(tx, fuse(sid, sources_of(tx, part)))
            written.append(sid)
        where = {k: story_id(part) for part in partitions for k in part}
        aliases: dict[str, str] = {}
        for old, keys in old_members.items():
            if old in where.values():
                continue
            counts: dict[str, int] = defaultdict(int)
            for k in keys:
                if k in where:
                    counts[where[k]] += 1
            if counts:
                aliases[old] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        ss.add_aliases(tx, aliases)
        ss.sync_event_stories(tx)
        out.stories_written = len(written)
        out.stories_total = ss.count_stories(tx)
        out.story_ids = written
    return out


def story_events(store: SqliteStore, story_ref: str) -> tuple[Story, list[Event]]:
    """A story and the events of its reports."""
    _, story, _ = ss.get_story(store.conn, story_ref)
    events = ss.events_by_key(store.conn, story.event_ids)
    return story, [events[k] for k in story.event_ids if k in events]
