"""SQL of the story stage: items, blocking keys, links, near-duplicates, stories, fused events.

Plain functions on a ``sqlite3.Connection`` (schema in ``migrations/0004_stories.sql``), so the
story stage never writes SQL itself and :class:`marsad.store.SqliteStore` can expose the
reading side as methods. Items travel as JSON text and vectors as bytes: this module does not
know the clustering records, only how they are kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from marsad.errors import NotFoundError
from marsad.model import Event, Story, from_jsonable, to_jsonable

#: SQLite's default limit on host parameters is 999 in old builds; stay well below.
_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for v in values:
        batch.append(v)
        if len(batch) >= _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _in(n: int) -> str:
    return "(" + ",".join("?" * n) + ")"


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --- documents: signatures and near-duplicates --------------------------------------------------


def get_signature(conn: sqlite3.Connection, doc: str) -> bytes | None:
    """The stored MinHash signature of a document."""
    row = conn.execute("SELECT signature FROM story_docs WHERE doc = ?", (doc,)).fetchone()
    return bytes(row[0]) if row else None


def band_candidates(conn: sqlite3.Connection, bands: Sequence[str]) -> dict[str, bytes]:
    """Documents sharing an LSH band with these keys, with their signatures."""
    out: dict[str, bytes] = {}
    for chunk in _chunks(bands):
        rows = conn.execute(
            "SELECT DISTINCT d.doc, d.signature FROM story_bands b JOIN story_docs d ON d.doc = b.doc "
            f"WHERE b.band IN {_in(len(chunk))}",
            chunk,
        ).fetchall()
        out.update((r[0], bytes(r[1])) for r in rows)
    return out


def put_signature(conn: sqlite3.Connection, doc: str, signature: bytes, bands: Sequence[str]) -> None:
    """Store a document's signature and band keys."""
    conn.execute("INSERT OR REPLACE INTO story_docs (doc, signature) VALUES (?, ?)", (doc, signature))
    conn.executemany("INSERT OR IGNORE INTO story_bands (band, doc) VALUES (?, ?)", [(b, doc) for b in bands])


def put_near_duplicates(conn: sqlite3.Connection, pairs: Iterable[tuple[str, str, float]]) -> None:
    """Record near-duplicate document pairs ``(a, b, jaccard)`` with ``a < b``."""
    conn.executemany(
        "INSERT OR REPLACE INTO near_duplicates (doc_a, doc_b, jaccard) VALUES (?, ?, ?)",
        [(min(a, b), max(a, b), j) for a, b, j in pairs],
    )


def near_docs(conn: sqlite3.Connection, doc: str) -> set[str]:
    """Documents recorded as near-duplicates of ``doc``."""
    rows = conn.execute(
        "SELECT doc_b FROM near_duplicates WHERE doc_a = ? UNION SELECT doc_a FROM near_duplicates "
        "WHERE doc_b = ?",
        (doc, doc),
    ).fetchall()
    return {r[0] for r in rows}


def all_near_duplicates(conn: sqlite3.Connection) -> list[tuple[str, str, float]]:
    """Every near-duplicate pair."""
    return [(r[0], r[1], float(r[2])) for r in conn.execute(
        "SELECT doc_a, doc_b, jaccard FROM near_duplicates ORDER BY doc_a, doc_b")]


def all_signatures(conn: sqlite3.Connection) -> dict[str, bytes]:
    """Every stored signature by document."""
    return {r[0]: bytes(r[1]) for r in conn.execute("SELECT doc, signature FROM story_docs")}


# --- events to cluster ------------------------------------------------------------------------


def new_events(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """``(event_key, events.id, document_id)`` of events that have no story item yet."""
    rows = conn.execute(
        "SELECT e.event_key, e.id, e.document_id FROM events e LEFT JOIN story_items i "
        "ON i.event_key = e.event_key WHERE i.event_key IS NULL ORDER BY e.id"
    ).fetchall()
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def moved_items(conn: sqlite3.Connection) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Items whose event is gone, and ``(event_key, events.id, fingerprint)`` of items whose
    event row was rewritten (re-extraction) and must be checked.

    A rewritten row is one whose id changed or whose story id is empty: the story stage stamps
    every event it has an item for, and a re-extraction writes events without story ids.
    """
    gone = [r[0] for r in conn.execute(
        "SELECT i.event_key FROM story_items i LEFT JOIN events e ON e.event_key = i.event_key "
        "WHERE e.id IS NULL")]
    moved = [(r[0], int(r[1]), r[2]) for r in conn.execute(
        "SELECT i.event_key, e.id, i.fingerprint FROM story_items i JOIN events e "
        "ON e.event_key = i.event_key WHERE i.event_row IS NOT e.id OR e.story_id IS NULL")]
    return gone, moved


def set_event_row(conn: sqlite3.Connection, event_key: str, event_row: int) -> None:
    """Note that an item's event row was rewritten without changing the event."""
    conn.execute("UPDATE story_items SET event_row = ? WHERE event_key = ?", (event_row, event_key))


def events_by_key(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Event]:
    """Stored event records by event key."""
    out: dict[str, Event] = {}
    for chunk in _chunks(keys):
        for r in conn.execute(f"SELECT event_key, data FROM events WHERE event_key IN {_in(len(chunk))}", chunk):
            out[r[0]] = from_jsonable(Event, json.loads(r[1]))
    return out


def document_infos(conn: sqlite3.Connection, docs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Where each document (by content hash) came from and what its header says."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(docs):
        rows = conn.execute(
            "SELECT d.id AS document_id, d.sha256, d.source, d.url, a.outlet, a.published, a.lang, "
            f"a.title FROM documents d JOIN articles a ON a.document_id = d.id WHERE d.sha256 IN {_in(len(chunk))}",
            chunk,
        ).fetchall()
        for r in rows:
            d = _row(r, ("document_id", "sha256", "source", "url", "outlet", "published", "lang", "title"))
            out[d["sha256"]] = d
    return out


def _row(r: Any, names: Sequence[str]) -> dict[str, Any]:
    if isinstance(r, sqlite3.Row):
        return dict(r)
    return dict(zip(names, r, strict=False))


# --- items, keys, links -----------------------------------------------------------------------


def put_item(
    conn: sqlite3.Connection,
    *,
    event_key: str,
    doc: str,
    event_row: int | None,
    fingerprint: str,
    data: str,
    vector: bytes | None,
    index_keys: Iterable[str],
    parties: Iterable[str],
    links: Iterable[tuple[str, str, float, str]],
) -> None:
    """Store one item with its blocking keys and its links to items stored before."""
    conn.execute(
        "INSERT OR REPLACE INTO story_items (event_key, doc, event_row, fingerprint, data, vector) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (event_key, doc, event_row, fingerprint, data, vector),
    )
    conn.executemany("INSERT OR IGNORE INTO story_keys (key, event_key) VALUES (?, ?)",
                     [(k, event_key) for k in index_keys])
    conn.executemany("INSERT OR IGNORE INTO story_parties (party, event_key) VALUES (?, ?)",
                     [(p, event_key) for p in parties])
    conn.executemany("INSERT OR REPLACE INTO story_links (a, b, score, rule) VALUES (?, ?, ?, ?)",
                     list(links))


def get_items(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, tuple[str, bytes | None]]:
    """``event_key -> (item JSON, vector bytes)``."""
    out: dict[str, tuple[str, bytes | None]] = {}
    for chunk in _chunks(keys):
        for r in conn.execute(
            f"SELECT event_key, data, vector FROM story_items WHERE event_key IN {_in(len(chunk))}", chunk
        ):
            out[r[0]] = (r[1], bytes(r[2]) if r[2] is not None else None)
    return out


def all_item_texts(conn: sqlite3.Connection) -> dict[str, tuple[str, bytes | None]]:
    """``event_key -> (item JSON, vector bytes)`` of every item (to reuse embeddings)."""
    return {r[0]: (r[1], bytes(r[2]) if r[2] is not None else None)
            for r in conn.execute("SELECT event_key, data, vector FROM story_items")}


def _event_keys(conn: sqlite3.Connection, table: str, column: str, values: Iterable[str]) -> set[str]:
    """``event_key`` of the rows of ``table`` whose ``column`` is one of ``values``."""
    out: set[str] = set()
    for chunk in _chunks(values):
        out.update(r[0] for r in conn.execute(
            f"SELECT event_key FROM {table} WHERE {column} IN {_in(len(chunk))}", chunk))
    return out


def keys_matching(conn: sqlite3.Connection, query: Iterable[str]) -> set[str]:
    """Items indexed under any of these keys."""
    return _event_keys(conn, "story_keys", "key", query)


def items_with_parties(conn: sqlite3.Connection, parties: Iterable[str]) -> set[str]:
    """Items with any of these party keys."""
    return _event_keys(conn, "story_parties", "party", parties)


def doc_items(conn: sqlite3.Connection, docs: Iterable[str]) -> set[str]:
    """Items of these documents."""
    return _event_keys(conn, "story_items", "doc", docs)


def links_of(conn: sqlite3.Connection, keys: Iterable[str]) -> list[tuple[str, str, float, str]]:
    """Links touching these items."""
    out: dict[tuple[str, str], tuple[str, str, float, str]] = {}
    for chunk in _chunks(keys):
        marks = _in(len(chunk))
        for r in conn.execute(
            f"SELECT a, b, score, rule FROM story_links WHERE a IN {marks} "
            f"UNION SELECT a, b, score, rule FROM story_links WHERE b IN {marks}",
            chunk + chunk,
        ):
            out[(r[0], r[1])] = (r[0], r[1], float(r[2]), r[3])
    return list(out.values())


def delete_items(conn: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
    """Remove items with their keys and links; return the items they were linked to."""
    neighbours = {k for a, b, _, _ in links_of(conn, keys) for k in (a, b)} - set(keys)
    for chunk in _chunks(keys):
        marks = _in(len(chunk))
        conn.execute(f"DELETE FROM story_links WHERE a IN {marks}", chunk)
        conn.execute(f"DELETE FROM story_links WHERE b IN {marks}", chunk)
        conn.execute(f"DELETE FROM story_keys WHERE event_key IN {marks}", chunk)
        conn.execute(f"DELETE FROM story_parties WHERE event_key IN {marks}", chunk)
        conn.execute(f"DELETE FROM story_items WHERE event_key IN {marks}", chunk)
    return neighbours


def clear(conn: sqlite3.Connection) -> None:
    """Forget every item, key, link, story and near-duplicate (signatures are kept)."""
    for table in ("story_links", "story_keys", "story_parties", "story_items", "story_members",
                  "stories", "near_duplicates"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("UPDATE events SET story_id = NULL, data = json_set(data, '$.story_id', NULL) "
                 "WHERE story_id IS NOT NULL")


# --- stories ----------------------------------------------------------------------------------


def stories_of(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str]:
    """``event_key -> story id`` for these events."""
    out: dict[str, str] = {}
    for chunk in _chunks(keys):
        for r in conn.execute(
            f"SELECT event_key, story_id FROM story_members WHERE event_key IN {_in(len(chunk))}", chunk
        ):
            out[r[0]] = r[1]
    return out


def members(conn: sqlite3.Connection, story_ids: Iterable[str]) -> dict[str, list[str]]:
    """``story id -> event keys``."""
    out: dict[str, list[str]] = {}
    for chunk in _chunks(story_ids):
        for r in conn.execute(
            f"SELECT story_id, event_key FROM story_members WHERE story_id IN {_in(len(chunk))} "
            "ORDER BY event_key", chunk
        ):
            out.setdefault(r[0], []).append(r[1])
    return out


def all_members(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """``story id -> event keys`` of every story."""
    out: dict[str, list[str]] = {}
    for r in conn.execute("SELECT story_id, event_key FROM story_members ORDER BY story_id, event_key"):
        out.setdefault(r[0], []).append(r[1])
    return out


def delete_stories(conn: sqlite3.Connection, story_ids: Iterable[str]) -> None:
    """Remove stories and their memberships."""
    for chunk in _chunks(story_ids):
        marks = _in(len(chunk))
        conn.execute(f"DELETE FROM story_members WHERE story_id IN {marks}", chunk)
        conn.execute(f"DELETE FROM stories WHERE id IN {marks}", chunk)


def save_story(conn: sqlite3.Connection, story: Story) -> None:
    """Store a story, its members and its fused event, and stamp the members' events."""
    fused = story.fused
    actor = fused.actor if fused else None
    conn.execute(
        "INSERT OR REPLACE INTO stories (id, n_events, n_documents, host_country, actor_name, start, "
        "\"end\", fused, conflicts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story.id, len(story.event_ids), len(story.doc_ids),
            fused.host_country if fused else None,
            (actor.name or actor.name_latin or actor.title) if actor else None,
            fused.start.iso() if fused and fused.start else None,
            fused.end.iso() if fused and fused.end else None,
            _json(to_jsonable(fused)) if fused else "null",
            _json(story.conflicts), _now(),
        ),
    )
    events = events_by_key(conn, story.event_ids)
    conn.executemany(
        "INSERT OR REPLACE INTO story_members (event_key, story_id, doc) VALUES (?, ?, ?)",
        [(k, story.id, events[k].doc_id if k in events else "") for k in story.event_ids],
    )
    set_event_stories(conn, {k: story.id for k in story.event_ids})


def set_event_stories(conn: sqlite3.Connection, mapping: dict[str, str | None]) -> None:
    """Write story ids into the events table (column and record)."""
    conn.executemany(
        "UPDATE events SET story_id = ?, data = json_set(data, '$.story_id', ?) WHERE event_key = ? "
        "AND story_id IS NOT ?",
        [(sid, sid, key, sid) for key, sid in mapping.items()],
    )


def sync_event_stories(conn: sqlite3.Connection) -> int:
    """Re-stamp events whose story id differs from their membership (after re-extraction)."""
    cur = conn.execute(
        "UPDATE events SET story_id = (SELECT m.story_id FROM story_members m WHERE m.event_key = "
        "events.event_key), data = json_set(data, '$.story_id', (SELECT m.story_id FROM "
        "story_members m WHERE m.event_key = events.event_key)) WHERE story_id IS NOT (SELECT "
        "m.story_id FROM story_members m WHERE m.event_key = events.event_key)"
    )
    return int(cur.rowcount)


def add_aliases(conn: sqlite3.Connection, aliases: dict[str, str]) -> None:
    """Record that old story ids now live on as other stories."""
    conn.executemany("INSERT OR REPLACE INTO story_aliases (old_id, new_id) VALUES (?, ?)",
                     [(old, new) for old, new in aliases.items() if old != new])
    # Earlier aliases that pointed at a now-gone id follow it.
    conn.executemany("UPDATE story_aliases SET new_id = ? WHERE new_id = ?",
                     [(new, old) for old, new in aliases.items() if old != new])


def resolve_story_id(conn: sqlite3.Connection, ref: str) -> str:
    """A current story id from an id, an alias, or an event key / event row id of a member."""
    text = ref.strip()
    if conn.execute("SELECT 1 FROM stories WHERE id = ?", (text,)).fetchone():
        return text
    row = conn.execute("SELECT new_id FROM story_aliases WHERE old_id = ?", (text,)).fetchone()
    if row and conn.execute("SELECT 1 FROM stories WHERE id = ?", (row[0],)).fetchone():
        return str(row[0])
    row = conn.execute(
        "SELECT m.story_id FROM story_members m LEFT JOIN events e ON e.event_key = m.event_key "
        "WHERE m.event_key = ? OR e.id = ?",
        (text, int(text) if text.isdigit() else -1),
    ).fetchone()
    if row:
        return str(row[0])
    raise NotFoundError(f"no story {text!r}")


def _load_story(conn: sqlite3.Connection, story_id: str) -> tuple[dict[str, Any], Story]:
    row = conn.execute(
        "SELECT id, n_events, n_documents, host_country, actor_name, start, \"end\", fused, "
        "conflicts, updated_at FROM stories WHERE id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no story {story_id!r}")
    info = _row(row, ("id", "n_events", "n_documents", "host_country", "actor_name", "start", "end",
                      "fused", "conflicts", "updated_at"))
    keys = members(conn, [story_id]).get(story_id, [])
    docs = sorted({r[0] for r in conn.execute(
        "SELECT doc FROM story_members WHERE story_id = ?", (story_id,))})
    fused_data = json.loads(info.pop("fused"))
    story = Story(
        id=story_id, event_ids=keys, doc_ids=docs,
        fused=from_jsonable(Event, fused_data) if fused_data else None,
        conflicts=json.loads(info.pop("conflicts")),
    )
    return info, story


def get_story(conn: sqlite3.Connection, ref: str) -> tuple[dict[str, Any], Story, list[dict[str, Any]]]:
    """A story row, the story, and its sources (see :func:`story_sources`)."""
    sid = resolve_story_id(conn, ref)
    info, story = _load_story(conn, sid)
    return info, story, story_sources(conn, story)


def story_sources(conn: sqlite3.Connection, story: Story) -> list[dict[str, Any]]:
    """Each report of a story as an export ``sources`` object (docs/FORMAT.md), plus the event
    key, the language and the near-duplicates among the story's documents."""
    events = events_by_key(conn, story.event_ids)
    infos = document_infos(conn, {e.doc_id for e in events.values()})
    docs = set(infos)
    out: list[dict[str, Any]] = []
    by_doc: dict[str, dict[str, Any]] = {}
    for key in story.event_ids:
        ev = events.get(key)
        if ev is None:
            continue
        info = infos.get(ev.doc_id, {})
        src = by_doc.get(ev.doc_id)
        if src is None:
            src = {
                "document": ev.doc_id,
                "document_id": info.get("document_id"),
                "outlet": info.get("outlet"),
                "published": info.get("published"),
                "lang": info.get("lang"),
                "title": info.get("title"),
                "events": [],
                "evidence": [],
                "near_duplicates": sorted(near_docs(conn, ev.doc_id) & docs),
            }
            if info.get("url"):
                src["url"] = info["url"]
            else:
                src["path"] = info.get("source")
            by_doc[ev.doc_id] = src
            out.append(src)
        src["events"].append(key)
        src["evidence"].extend(
            {"slot": e.slot, "text": e.text, "start": e.start, "end": e.end, "rule": e.rule}
            for e in ev.evidence if e.document in (None, ev.doc_id)
        )
    out.sort(key=lambda s: (s.get("published") or "9999", s.get("document_id") or 0))
    return out


def list_stories(
    conn: sqlite3.Connection,
    *,
    limit: int = 100,
    offset: int = 0,
    min_documents: int = 1,
    country: str | None = None,
) -> list[dict[str, Any]]:
    """Story rows (no fused record), largest and newest first."""
    where = ["n_documents >= ?"]
    args: list[Any] = [min_documents]
    if country:
        where.append("host_country = ?")
        args.append(country)
    rows = conn.execute(
        "SELECT id, n_events, n_documents, host_country, actor_name, start, \"end\", conflicts, "
        f"updated_at FROM stories WHERE {' AND '.join(where)} "
        "ORDER BY n_documents DESC, coalesce(start, '') DESC, id LIMIT ? OFFSET ?",
        (*args, limit, offset),
    ).fetchall()
    out = []
    for r in rows:
        d = _row(r, ("id", "n_events", "n_documents", "host_country", "actor_name", "start", "end",
                     "conflicts", "updated_at"))
        d["n_conflicts"] = len(json.loads(d.pop("conflicts")))
        out.append(d)
    return out


def count_stories(conn: sqlite3.Connection) -> int:
    """How many stories are stored."""
    return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])


def iter_fused_events(conn: sqlite3.Connection, batch: int = 200) -> Iterator[tuple[Event, list[dict[str, Any]]]]:
    """Every story's fused event with its sources, in story id order."""
    last = ""
    while True:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM stories WHERE id > ? ORDER BY id LIMIT ?", (last, batch))]
        if not ids:
            return
        for sid in ids:
            _, story = _load_story(conn, sid)
            if story.fused is not None:
                yield story.fused, story_sources(conn, story)
        last = ids[-1]
