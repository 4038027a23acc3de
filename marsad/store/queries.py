"""Read-only SQL for the web app: timelines, entity and country pages, relations, stories, search.

Plain functions over a ``sqlite3.Connection``, parameterised SQL only. A database written by an
older marsad may lack the entities (0002), stories (0004) or search (0005) tables: every
function checks the schema first and falls back to what the events tables say, or to an empty
result, so the web app works on any database version.

Search indexes a normalised copy of each article (:func:`search_columns`): every word in its
full normalised form (``marsad.arabic.normalize``) and, position for position, in a core form
with proclitics and the article removed, so "الحموشي" finds "حموشي", "الحموشى" and "والحموشي".
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from marsad.arabic import normalize, stems, tokenize
from marsad.errors import NotFoundError, StoreError
from marsad.model import Article, Event, from_jsonable

SEARCH_TABLE = "article_search"
#: How much of a database file read-only connections map into memory (address space only).
MMAP_BYTES = 1 << 30

# --- connections and schema -------------------------------------------------------------------


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open ``path`` read-only (``mode=ro``: no write can happen through this connection).

    A WAL database on a read-only medium (its ``-shm`` file cannot be created) is opened as
    immutable instead: nobody can be writing to it there.
    """
    file = Path(path)
    if not file.exists():
        raise StoreError(f"database {file} does not exist")
    base = "file:" + quote(str(file.resolve())) + "?mode=ro"
    last: sqlite3.DatabaseError | None = None
    for uri in (base, base + "&immutable=1"):
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA query_only = ON")
            # Read pages straight from the OS page cache instead of copying them into SQLite's
            # (the files are only read here): timeline pages 0.70 -> 0.50 ms, person filter
            # 2.4 -> 1.2 ms at 100k events (benchmarks/bench_web.py queries).
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.DatabaseError as exc:
            last = exc
            if "unable to open" not in str(exc) and "readonly" not in str(exc):
                break
    raise StoreError(f"cannot open database {file}: {last}")


def schema_tables(conn: sqlite3.Connection) -> frozenset[str]:
    """Names of the tables (and virtual tables) of the database."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return frozenset(str(r[0]) for r in rows)


def schema_version(conn: sqlite3.Connection) -> int:
    """``PRAGMA user_version``: the last migration applied."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def store_view(conn: sqlite3.Connection, path: str | Path) -> Any:
    """A :class:`SqliteStore` over an open (read-only) connection, for the library's readers.

    ``SqliteStore(path, readonly=True)`` refuses a database that lacks a migration; the web app
    reads any version, so it wraps its own connection instead (export only reads).
    """
    from marsad.store.sqlite import SqliteStore

    store = SqliteStore.__new__(SqliteStore)
    store.path = Path(path)
    store.readonly = True
    store.conn = conn
    return store


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the tables the web shows."""
    tables = schema_tables(conn)
    out: dict[str, int] = {}
    for table in ("documents", "articles", "events", "entities", "stories"):
        if table in tables:
            out[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return out


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What a timeline shows; every field is optional and they combine with AND."""

    #: An entity id (``person:...``) or part of a name or title as written.
    person: str | None = None
    #: ISO alpha-2; ``direction`` says whether visits in, out of, or either.
    country: str | None = None
    direction: Literal["any", "in", "out"] = "any"
    #: An organisation id (``org:...``) of the visitor, a counterpart or the inviter.
    org: str | None = None
    topic: str | None = None
    type: str | None = None
    status: str | None = None
    #: ISO dates or prefixes (``2025``, ``2025-11``, ``2025-11-03``); inclusive.
    date_from: str | None = None
    date_to: str | None = None
    story: str | None = None
    document: int | None = None
    #: The visitor's country and the host country (a cell of the relations matrix).
    origin: str | None = None
    host: str | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position in the timeline: the last row's ``start`` and ``id``."""

    start: str | None
    id: int

    def encode(self) -> str:
        """Opaque URL-safe form."""
        raw = json.dumps([self.start, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse :meth:`encode`'s form; ``ValueError`` when it is not one."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            start, ident = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValueError("not a cursor") from exc
        if not isinstance(ident, int) or not (start is None or isinstance(start, str)):
            raise ValueError("not a cursor")
        return cls(start, ident)


_EVENT_BASE = (
    "e.id, e.event_key, e.document_id, e.type, e.status, e.salience, e.actor_entity, "
    "e.actor_name, e.actor_country, e.host_country, e.city, e.start, e.\"end\", "
    "e.date_precision, e.confidence, e.story_id, a.title AS article_title, "
    "a.outlet AS article_outlet, a.published AS article_published"
)
_EVENT_COLUMNS = _EVENT_BASE + ", e.data"
#: Listings leave the evidence out in SQL: it is most of the record and a list never shows it.
_EVENT_LIST_COLUMNS = _EVENT_BASE + ", json_remove(e.data, '$.evidence') AS data"


@lru_cache(maxsize=200_000)
def _core_text(text: str) -> str:
    """`` word word `` in core forms, padded with spaces (for whole-word LIKE patterns)."""
    return " " + " ".join(core_form(t.text) for t in tokenize(normalize(text))) + " "


def matching_party_names(conn: sqlite3.Connection, query: str) -> tuple[list[str], list[str]]:
    """The party names and titles, as stored, that contain ``query`` word for word.

    Matching is on normalised core forms (see :func:`_name_pattern`); it runs over the distinct
    names and titles, not over every party row.
    """
    core = _core_text(query)
    if not core.strip():
        return [], []
    out: tuple[list[str], list[str]] = ([], [])
    for i, column in enumerate(("name", "title")):
        for (value,) in conn.execute(
            f"SELECT DISTINCT {column} FROM event_parties WHERE {column} IS NOT NULL"
        ):
            if core in _core_text(value):
                out[i].append(value)
    return out


def _name_pattern(conn: sqlite3.Connection, query: str) -> str:
    """Register ``marsad_core`` on this connection and return the LIKE pattern of ``query``.

    Names match word for word after normalisation, without proclitics and article:
    "الحموشي" matches "عبد اللطيف حموشي" and "السيد الحموشى", never "حموشية".
    """
    conn.create_function("marsad_core", 1, lambda s: _core_text(s) if isinstance(s, str) else s,
                         deterministic=True)
    core = _core_text(query).strip().replace("%", "").replace("_", "")
    return f"% {core} %"


def _event_where(conn: sqlite3.Connection, flt: EventFilter, *,
                 topic_first: bool = False) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``events e`` for a filter (``topic_first``: find the topic's events
    through the topic index, for a topic with few events)."""
    where: list[str] = []
    args: list[Any] = []
    if flt.person:
        if ":" in flt.person:
            where.append("e.id IN (SELECT event_id FROM event_parties WHERE entity_id = ?)")
            args.append(flt.person)
        else:
            names, titles = matching_party_names(conn, flt.person)
            names, titles = names[:5000], titles[:5000]
            if not names and not titles:
                where.append("0")
            else:
                where.append(
                    "e.id IN (SELECT event_id FROM event_parties WHERE name IN "
                    f"({','.join('?' * len(names))}) OR title IN ({','.join('?' * len(titles))}))"
                )
                args += names + titles
    if flt.country:
        code = flt.country.upper()
        if flt.direction == "in":
            where.append("e.host_country = ? AND coalesce(e.actor_country, '') != ?")
            args += [code, code]
        elif flt.direction == "out":
            where.append("e.actor_country = ? AND coalesce(e.host_country, '') != ?")
            args += [code, code]
        else:
            where.append("(e.host_country = ? OR e.actor_country = ?)")
            args += [code, code]
    if flt.origin:
        where.append("e.actor_country = ?")
        args.append(flt.origin.upper())
    if flt.host:
        where.append("e.host_country = ?")
        args.append(flt.host.upper())
    if flt.org:
        where.append(
            "(json_extract(e.data, '$.actor.org') = ? OR json_extract(e.data, '$.inviter.org') = ? "
            "OR EXISTS (SELECT 1 FROM json_each(e.data, '$.counterparts') c "
            "WHERE json_extract(c.value, '$.org') = ?))"
        )
        args += [flt.org, flt.org, flt.org]
    if flt.topic and topic_first:
        where.append("e.id IN (SELECT event_id FROM event_topics WHERE topic = ?)")
        args.append(flt.topic)
    elif flt.topic:
        # Correlated: a primary-key probe per candidate while the timeline index is read.
        where.append("EXISTS (SELECT 1 FROM event_topics t WHERE t.event_id = e.id AND t.topic = ?)")
        args.append(flt.topic)
    if flt.type:
        where.append("e.type = ?")
        args.append(flt.type)
    if flt.status:
        where.append("e.status = ?")
        args.append(flt.status)
    if flt.date_from:
        # A year-less date ("--02-08") sorts below every year, so a range never includes it.
        where.append("e.start >= ?")
        args.append(flt.date_from)
    if flt.date_to:
        # "~" sorts after digits, "-" and "T": 2025-11 includes 2025-11-30T10:00.
        where.append("e.start <= ?")
        args.append(flt.date_to + "~")
    if flt.story:
        where.append("e.story_id = ?")
        args.append(flt.story)
    if flt.document is not None:
        where.append("e.document_id = ?")
        args.append(flt.document)
    return where, args


def event_row(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    """A timeline row: the indexed columns, the article header and the parsed event.

    In listings the event's ``evidence`` is empty (see :func:`list_events`); :func:`get_event`
    gives it whole.
    """
    out = dict(row)
    out["event"] = from_jsonable(Event, json.loads(out.pop("data")))
    return out


def _has_index(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                       (name,)).fetchone()
    return row is not None


#: A topic with fewer events than this is read through its index and sorted; a more frequent
#: one is checked while the timeline index is read newest first (a page needs about
#: ``50 * events / topic events`` probes, so both cost about the same near sqrt(50 * 100k)).
RARE_TOPIC = 2000


def _is_rare_topic(conn: sqlite3.Connection, topic: str) -> bool:
    """Whether fewer than :data:`RARE_TOPIC` events have this topic (reads at most that many)."""
    row = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM event_topics WHERE topic = ? LIMIT ?)",
        (topic, RARE_TOPIC),
    ).fetchone()
    return int(row[0]) < RARE_TOPIC


def list_event_ids(
    conn: sqlite3.Connection,
    flt: EventFilter = EventFilter(),
    *,
    limit: int = 50,
    cursor: Cursor | None = None,
) -> tuple[list[int], Cursor | None]:
    """The ids of a timeline page, newest first, and the next page's cursor (None at the end).

    The order is ``start DESC, id DESC`` (dated, then year-less, then undated). Filters on a
    person, a story, a document or a rare topic select few events, which are found through
    their indexes and sorted; the other filters (country, topic, type, dates) are checked
    while reading the ``events_timeline`` index newest first, which stops at the page size, so
    a page costs the same at any depth (migration 0005; older databases sort).
    """
    rare_topic = bool(flt.topic) and _is_rare_topic(conn, str(flt.topic))
    selective = bool(flt.person or flt.story or flt.document is not None or rare_topic)
    where, args = _event_where(conn, flt, topic_first=rare_topic)
    source = "events e"
    order = "+e.start DESC, e.id DESC"  # "+": sort the few rows; do not walk events_start
    if not selective and _has_index(conn, "events_timeline"):
        source = "events e INDEXED BY events_timeline"
        order = "e.start DESC, e.id DESC"

    def page_of(extra: str | None, extra_args: list[Any], n: int) -> list[Any]:
        conds = [*where, extra] if extra else where
        return conn.execute(
            f"SELECT e.id, e.start FROM {source}" + (" WHERE " + " AND ".join(conds) if conds else "")
            + f" ORDER BY {order} LIMIT ?",
            (*args, *extra_args, n),
        ).fetchall()

    if cursor is None:
        found = page_of(None, [], limit + 1)
    elif cursor.start is None:
        found = page_of("e.start IS NULL AND e.id < ?", [cursor.id], limit + 1)
    else:
        # After (start, id) come the rows with a smaller start or the same start and a smaller
        # id, then the undated ones (NULL sorts last in DESC). Written as one OR, SQLite sorts
        # every match (14 ms for a country + topic + year filter at 100k events); as a range
        # on start (a seek in the index) and a second query for the undated rows, 0.6 ms.
        found = page_of("e.start <= ? AND (e.start < ? OR e.id < ?)",
                        [cursor.start, cursor.start, cursor.id], limit + 1)
        if len(found) <= limit and not (flt.date_from or flt.date_to):
            found += page_of("e.start IS NULL", [], limit + 1 - len(found))
    page = found[:limit]
    nxt = Cursor(page[-1][1], int(page[-1][0])) if len(found) > limit and page else None
    return [int(r[0]) for r in page], nxt


def event_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Listing rows of these events by id: columns, article header, event JSON without evidence.

    The event stays JSON text under ``data`` (:func:`event_row` parses it); an id without
    an event or an article is left out.
    """
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        for r in conn.execute(
            f"SELECT {_EVENT_LIST_COLUMNS} FROM events e "
            "JOIN articles a ON a.document_id = e.document_id "
            f"WHERE e.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[int(r["id"])] = dict(r)
    return out


def list_events(
    conn: sqlite3.Connection,
    flt: EventFilter = EventFilter(),
    *,
    limit: int = 50,
    cursor: Cursor | None = None,
    parse: bool = True,
) -> tuple[list[dict[str, Any]], Cursor | None]:
    """Events newest first (dated, then year-less, then undated), keyset-paged, no evidence.

    A page is found in two steps: the ids (:func:`list_event_ids`, which says how each filter
    is read), then their rows (:func:`event_rows`). Returns the rows and the next page's
    cursor; with ``parse=False`` each row keeps the event's JSON text under ``data`` instead
    of the parsed ``event``.
    """
    wanted, nxt = list_event_ids(conn, flt, limit=limit, cursor=cursor)
    if not wanted:
        return [], None
    by_id = event_rows(conn, wanted)
    items = [(event_row(by_id[i]) if parse else by_id[i]) for i in wanted if i in by_id]
    return items, nxt


def count_events(conn: sqlite3.Connection, flt: EventFilter = EventFilter()) -> int:
    """How many events a filter selects."""
    where, args = _event_where(conn, flt)
    sql = "SELECT count(*) FROM events e" + (" WHERE " + " AND ".join(where) if where else "")
    return int(conn.execute(sql, args).fetchone()[0])


def get_event(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    """One event by id or event key, with its article header and document provenance."""
    text = str(ref)
    row = conn.execute(
        f"SELECT {_EVENT_COLUMNS}, d.sha256, d.source, d.url, d.external_id FROM events e "
        "JOIN articles a ON a.document_id = e.document_id JOIN documents d ON d.id = e.document_id "
        "WHERE e.id = ? OR e.event_key = ?",
        (int(text) if text.isdigit() else -1, text),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no event {text!r}")
    return event_row(row)


def topics_in_use(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Topic keys with their event counts, most frequent first."""
    rows = conn.execute(
        "SELECT topic, count(*) AS n FROM event_topics GROUP BY topic ORDER BY n DESC, topic"
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def countries_in_use(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every country with visits in and out (a visit inside one's own country counts as in)."""
    rows = conn.execute(
        "SELECT code, sum(n_in) AS visits_in, sum(n_out) AS visits_out FROM ("
        "SELECT host_country AS code, count(*) AS n_in, 0 AS n_out FROM events "
        "WHERE host_country IS NOT NULL GROUP BY host_country UNION ALL "
        "SELECT actor_country, 0, count(*) FROM events WHERE actor_country IS NOT NULL "
        "AND coalesce(host_country, '') != actor_country GROUP BY actor_country) "
        "GROUP BY code ORDER BY visits_in + visits_out DESC, code"
    ).fetchall()
    return [dict(r) for r in rows]


# --- articles -------------------------------------------------------------------------------


def get_article(conn: sqlite3.Connection, doc_pk: int) -> tuple[dict[str, Any], Article]:
    """An article's document row and record."""
    row = conn.execute(
        "SELECT d.id AS document_id, d.sha256, d.source, d.record, d.fmt, d.url, d.external_id, "
        "d.ingested_at, d.previous_version, a.title, a.outlet, a.author, a.published, a.lang, "
        "a.n_removed, a.data FROM documents d JOIN articles a ON a.document_id = d.id "
        "WHERE d.id = ?",
        (doc_pk,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article {doc_pk}")
    info = dict(row)
    article = from_jsonable(Article, json.loads(info.pop("data")))
    return info, article


def get_raw(conn: sqlite3.Connection, doc_pk: int) -> bytes:
    """The stored input bytes of a document."""
    row = conn.execute(
        "SELECT r.data FROM raw r JOIN documents d ON d.sha256 = r.sha256 WHERE d.id = ?",
        (doc_pk,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no document {doc_pk}")
    return bytes(row[0])


def list_articles(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Article headers, newest first."""
    rows = conn.execute(
        "SELECT d.id AS document_id, d.source, d.url, a.title, a.outlet, a.published, a.lang, "
        "(SELECT count(*) FROM events e WHERE e.document_id = d.id) AS events "
        "FROM documents d JOIN articles a ON a.document_id = d.id "
        "ORDER BY a.published DESC, d.id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


# --- entities -------------------------------------------------------------------------------

_TYPE_PREFIX = {"PERSON": "person:", "ROLE": "role:", "ORG": "org:", "COUNTRY": "country:"}


def _has_entity_tables(conn: sqlite3.Connection) -> bool:
    """Whether the entities tables exist and hold something (else events' parties are used)."""
    if not {"entities", "entity_mentions", "entity_aliases"} <= schema_tables(conn):
        return False
    return conn.execute("SELECT 1 FROM entities LIMIT 1").fetchone() is not None


def list_entities(
    conn: sqlite3.Connection, *, type: str | None = None, q: str | None = None,
    limit: int = 50, offset: int = 0,
) -> list[dict[str, Any]]:
    """Entities with their event counts (and mention counts where the entities table exists).

    Without the entities table (databases before schema 2) the list comes from the parties of
    the stored events.
    """
    pattern = _name_pattern(conn, q) if q else None
    if _has_entity_tables(conn):
        sql = (
            "SELECT e.id, e.type, e.name, e.name_latin, e.country, e.first_seen, e.last_seen, "
            "(SELECT count(*) FROM entity_mentions m WHERE m.entity_id = e.id) AS mentions, "
            "(SELECT count(DISTINCT p.event_id) FROM event_parties p WHERE p.entity_id = e.id) "
            "AS events FROM entities e WHERE (? IS NULL OR e.type = ?)"
        )
        args: list[Any] = [type, type]
        if pattern is not None:
            sql += (" AND (marsad_core(e.name) LIKE ? OR lower(e.name_latin) LIKE lower(?) OR "
                    "e.id IN (SELECT entity_id FROM entity_aliases WHERE marsad_core(alias) LIKE ?))")
            args += [pattern, f"%{q}%", pattern]
        sql += " ORDER BY events DESC, mentions DESC, e.id LIMIT ? OFFSET ?"
        return [dict(r) for r in conn.execute(sql, (*args, limit, offset)).fetchall()]
    sql = (
        "SELECT p.entity_id AS id, max(p.name) AS name, NULL AS name_latin, max(p.title) AS title, "
        "max(p.country) AS country, count(DISTINCT p.event_id) AS events, NULL AS mentions "
        "FROM event_parties p WHERE p.entity_id IS NOT NULL"
    )
    args = []
    if type and type.upper() in _TYPE_PREFIX:
        sql += " AND p.entity_id LIKE ?"
        args.append(_TYPE_PREFIX[type.upper()] + "%")
    if pattern is not None:
        sql += " AND (marsad_core(p.name) LIKE ? OR marsad_core(p.title) LIKE ?)"
        args += [pattern, pattern]
    sql += " GROUP BY p.entity_id ORDER BY events DESC, p.entity_id LIMIT ? OFFSET ?"
    out = []
    for r in conn.execute(sql, (*args, limit, offset)).fetchall():
        item = dict(r)
        prefix = str(item["id"]).split(":", 1)[0].upper()
        item["type"] = prefix if prefix in _TYPE_PREFIX else None
        out.append(item)
    return out


def _entity_from_articles(conn: sqlite3.Connection, entity_id: str, doc_ids: Sequence[int]) -> Any:
    """The :class:`Entity` record the entities stage wrote into one of these articles."""
    for doc in doc_ids[:20]:
        row = conn.execute("SELECT data FROM articles WHERE document_id = ?", (doc,)).fetchone()
        if row is None:
            continue
        for ent in json.loads(row[0]).get("entities") or []:
            if ent.get("id") == entity_id:
                return ent
    return None


def _earliest(a: str | None, b: str | None) -> str | None:
    return min(x for x in (a, b) if x) if (a or b) else None


def _latest(a: str | None, b: str | None) -> str | None:
    return max(x for x in (a, b) if x) if (a or b) else None


def get_entity(conn: sqlite3.Connection, entity_id: str, *, limit: int = 200) -> dict[str, Any]:
    """An entity: names, aliases, roles over time, and the events it takes part in."""
    events, _ = list_events(conn, EventFilter(person=entity_id), limit=limit)
    out: dict[str, Any] = {"id": entity_id, "events": events, "mentions": [], "aliases": [],
                           "roles": []}
    stored = None
    if _has_entity_tables(conn):
        from marsad.store import entity_store

        try:
            stored = entity_store.get_entity(conn, entity_id)
        except NotFoundError:
            stored = None
        if stored is not None:
            out.update({k: v for k, v in stored.items() if k != "mentions"})
            out["mentions"] = stored.get("mentions", [])[:limit]
            out["mention_count"] = len(stored.get("mentions", []))
    if not events and stored is None:
        raise NotFoundError(f"no entity {entity_id!r}")
    # Names and titles as the events' parties give them, with when each was attested (the
    # event's date, or the article's when the event's has no year).
    when = "CASE WHEN e.start IS NULL OR e.start LIKE '--%' THEN a.published ELSE e.start END"
    rows = conn.execute(
        f"SELECT p.name, p.title, p.country, min({when}) AS first_seen, "
        f"max({when}) AS last_seen, count(*) AS n FROM event_parties p "
        "JOIN events e ON e.id = p.event_id JOIN articles a ON a.document_id = e.document_id "
        "WHERE p.entity_id = ? GROUP BY p.name, p.title, p.country",
        (entity_id,),
    ).fetchall()
    names: dict[str, int] = {}
    titles: dict[tuple[str, str | None], dict[str, Any]] = {}
    for r in rows:
        if r["name"]:
            names[r["name"]] = names.get(r["name"], 0) + int(r["n"])
        if r["title"]:
            title_key = (r["title"], r["country"])
            cur = titles.setdefault(title_key, {"title": r["title"], "country": r["country"],
                                                "first_seen": None, "last_seen": None, "events": 0})
            cur["events"] += int(r["n"])
            cur["first_seen"] = _earliest(cur["first_seen"], r["first_seen"])
            cur["last_seen"] = _latest(cur["last_seen"], r["last_seen"])
    out["event_names"] = sorted(names, key=lambda n: -names[n])
    out["event_titles"] = sorted(titles.values(), key=lambda t: (t["first_seen"] or "", t["title"]))
    record = _entity_from_articles(conn, entity_id, [int(e["document_id"]) for e in events])
    if record:
        for key in ("type", "name", "name_latin", "latin_source", "country"):
            if not out.get(key) and record.get(key):
                out[key] = record[key]
        if not out["aliases"]:
            out["aliases"] = record.get("aliases") or []
        if not out["roles"]:
            out["roles"] = record.get("roles") or []
    if not out.get("name"):
        out["name"] = out["event_names"][0] if out["event_names"] else (
            out["event_titles"][0]["title"] if out["event_titles"] else entity_id)
    if not out.get("type"):
        prefix = entity_id.split(":", 1)[0].upper()
        out["type"] = prefix if prefix in _TYPE_PREFIX else None
    return out


# --- countries and relations ---------------------------------------------------------------


def country_summary(conn: sqlite3.Connection, code: str, *, limit: int = 100) -> dict[str, Any]:
    """Visits into and out of a country, its partners and the counterparts met."""
    code = code.upper()
    visits_in, _ = list_events(conn, EventFilter(country=code, direction="in"), limit=limit)
    visits_out, _ = list_events(conn, EventFilter(country=code, direction="out"), limit=limit)
    partners = conn.execute(
        "SELECT partner, sum(n_in) AS visits_in, sum(n_out) AS visits_out FROM ("
        "SELECT actor_country AS partner, count(*) AS n_in, 0 AS n_out FROM events "
        "WHERE host_country = ? AND actor_country IS NOT NULL AND actor_country != ? "
        "GROUP BY actor_country UNION ALL SELECT host_country, 0, count(*) FROM events "
        "WHERE actor_country = ? AND host_country IS NOT NULL AND host_country != ? "
        "GROUP BY host_country) GROUP BY partner ORDER BY visits_in + visits_out DESC, partner",
        (code, code, code, code),
    ).fetchall()
    # Officials met: the other side's parties in events where this country is one side.
    counterparts = conn.execute(
        "SELECT p.entity_id, max(p.name) AS name, max(p.title) AS title, p.country, "
        "count(DISTINCT p.event_id) AS events FROM event_parties p JOIN events e ON e.id = p.event_id "
        "WHERE (e.host_country = ? OR e.actor_country = ?) AND p.country IS NOT NULL "
        "AND p.country != ? AND p.role != 'inviter' "
        "GROUP BY coalesce(p.entity_id, p.name, p.title), p.country ORDER BY events DESC LIMIT 100",
        (code, code, code),
    ).fetchall()
    officials = conn.execute(
        "SELECT p.entity_id, max(p.name) AS name, max(p.title) AS title, "
        "count(DISTINCT p.event_id) AS events FROM event_parties p "
        "WHERE p.country = ? AND p.role != 'inviter' "
        "GROUP BY coalesce(p.entity_id, p.name, p.title) ORDER BY events DESC LIMIT 100",
        (code,),
    ).fetchall()
    return {
        "code": code,
        "visits_in": visits_in,
        "visits_out": visits_out,
        "count_in": count_events(conn, EventFilter(country=code, direction="in")),
        "count_out": count_events(conn, EventFilter(country=code, direction="out")),
        "partners": [dict(r) for r in partners],
        "counterparts": [dict(r) for r in counterparts],
        "officials": [dict(r) for r in officials],
    }


def country_matrix(
    conn: sqlite3.Connection, *, date_from: str | None = None, date_to: str | None = None,
    type: str | None = None,
) -> list[dict[str, Any]]:
    """Who visited whom: ``(from, to, visits)`` over countries, most frequent first."""
    where = ["actor_country IS NOT NULL", "host_country IS NOT NULL", "actor_country != host_country"]
    args: list[Any] = []
    if date_from:
        where.append("start >= ?")
        args.append(date_from)
    if date_to:
        where.append("start <= ?")
        args.append(date_to + "~")
    if type:
        where.append("type = ?")
        args.append(type)
    rows = conn.execute(
        "SELECT actor_country AS source, host_country AS target, count(*) AS visits FROM events "
        "WHERE " + " AND ".join(where) + " GROUP BY actor_country, host_country "
        "ORDER BY visits DESC, source, target",
        args,
    ).fetchall()
    return [dict(r) for r in rows]


def people_network(conn: sqlite3.Connection, *, limit: int = 200) -> list[dict[str, Any]]:
    """Visitor → counterpart pairs of named entities, most frequent first."""
    rows = conn.execute(
        "SELECT a.entity_id AS source, max(coalesce(a.name, a.title)) AS source_name, "
        "max(a.country) AS source_country, c.entity_id AS target, "
        "max(coalesce(c.name, c.title)) AS target_name, max(c.country) AS target_country, "
        "count(DISTINCT a.event_id) AS events FROM event_parties a JOIN event_parties c "
        "ON c.event_id = a.event_id AND c.role = 'counterpart' AND a.role = 'actor' "
        "WHERE a.entity_id IS NOT NULL AND c.entity_id IS NOT NULL AND a.entity_id != c.entity_id "
        "GROUP BY a.entity_id, c.entity_id ORDER BY events DESC, source, target LIMIT ?",
        (limit,),
    ).fetchall()
    return [dict(r) for r in rows]


# --- stories --------------------------------------------------------------------------------


def _has_stories(conn: sqlite3.Connection) -> bool:
    """Whether the story tables (schema 4) exist."""
    return {"stories", "story_members"} <= schema_tables(conn)


def list_stories(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, largest and newest first, each with its fused event; empty before clustering.

    With the story tables (schema 4) the rows come from ``stories``; a database without them
    groups events by ``events.story_id`` if anything set it.
    """
    if _has_stories(conn):
        rows = conn.execute(
            "SELECT id, n_events AS events, n_documents AS documents, host_country, actor_name, "
            "start, \"end\", fused, conflicts FROM stories "
            "ORDER BY n_documents DESC, coalesce(start, '') DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        out = []
        for r in rows:
            item = dict(r)
            fused = json.loads(item.pop("fused") or "null")
            item["n_conflicts"] = len(json.loads(item.pop("conflicts") or "[]"))
            item["fused"] = from_jsonable(Event, fused) if fused else None
            out.append(item)
        return out
    if "events" not in schema_tables(conn):
        return []
    rows = conn.execute(
        "SELECT story_id AS id, count(*) AS events, count(DISTINCT document_id) AS documents, "
        "max(host_country) AS host_country, max(actor_name) AS actor_name, min(start) AS start, "
        "max(start) AS \"end\", min(id) AS first_event FROM events WHERE story_id IS NOT NULL "
        "GROUP BY story_id ORDER BY documents DESC, \"end\" DESC, story_id LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    out = []
    for r in rows:
        item = dict(r)
        first = item.pop("first_event")
        item["n_conflicts"] = 0
        item["fused"] = get_event(conn, first)["event"]
        out.append(item)
    return out


def get_story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any]:
    """A story: its reports (timeline rows), fused event, conflicts and sources.

    ``story_id`` may be a story id, a former id (merged stories) or a member event's key.
    """
    if _has_stories(conn):
        from marsad.store import story_store

        info, story, sources = story_store.get_story(conn, story_id)
        keys = list(story.event_ids)
        rows = []
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows += conn.execute(
                f"SELECT id FROM events WHERE event_key IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        events = sorted((get_event(conn, int(r[0])) for r in rows),
                        key=lambda e: (e["start"] or "", e["id"]), reverse=True)
        return {"id": story.id, "info": info, "events": events, "fused": story.fused,
                "conflicts": story.conflicts, "sources": sources}
    events, _ = list_events(conn, EventFilter(story=story_id), limit=500)
    if not events:
        raise NotFoundError(f"no story {story_id!r}")
    return {"id": story_id, "info": {}, "events": events, "fused": None, "conflicts": [],
            "sources": []}


# --- search ---------------------------------------------------------------------------------


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def core_form(token: str) -> str:
    """A normalised token without proclitics and article: the form search matches on.

    "والحموشي", "بالحموشي", "للحموشي" and "الحموشي" all give "حموشي"; a token without an
    article keeps its shortest proclitic reading ("وزير" gives "زير"), the same for the index
    and the query, and the full form is indexed too.
    """
    readings = [s for _, s in stems(token)]
    for s in readings:
        if s.startswith("ال") and len(s) > 4:
            return s[2:]
    return min(readings, key=len)


def _article_stripped(token: str) -> str:
    return token[2:] if token.startswith("ال") and len(token) > 4 else token


def search_columns(text: str) -> tuple[str, str]:
    """The full normalised words of ``text`` and their core forms, position for position."""
    toks = _WORDS.findall(normalize(text))  # the words of :func:`tokenize`, without offsets
    return " ".join(toks), " ".join(map(core_form, toks))


def index_article(conn: sqlite3.Connection, doc_pk: int, article: Article, *,
                  check: bool = True) -> None:
    """(Re)index one article for search; a no-op on a database without the search table.

    Call it inside the transaction that saves the article (``SqliteStore._after_save``, which
    passes ``check=False``: its migrations created the table, and reading the schema inside a
    writing transaction costs 0.1 ms an article).
    """
    if check and SEARCH_TABLE not in schema_tables(conn):
        return
    title_full, title_core = search_columns(" ".join([article.title or "", *article.alt_titles]))
    body_full, body_core = search_columns(article.clean_text)
    conn.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = ?", (doc_pk,))
    conn.execute(
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, title_core, body, body_core) "
        "VALUES (?, ?, ?, ?, ?)",
        (doc_pk, title_full, title_core, body_full, body_core),
    )


def reindex_search(conn: sqlite3.Connection, *, only_missing: bool = True) -> int:
    """Index stored articles (those not yet indexed, or all); return how many were indexed.

    Run after migration 0005 on a database that already held articles. The caller owns the
    transaction.
    """
    if SEARCH_TABLE not in schema_tables(conn):
        return 0
    sql = "SELECT document_id, data FROM articles"
    if only_missing:
        sql += f" WHERE document_id NOT IN (SELECT rowid FROM {SEARCH_TABLE})"
    n = 0
    for row in conn.execute(sql).fetchall():
        index_article(conn, int(row[0]), from_jsonable(Article, json.loads(row[1])))
        n += 1
    return n


def search_index_missing(conn: sqlite3.Connection) -> int | None:
    """How many articles the search index lacks (None when the table does not exist)."""
    if SEARCH_TABLE not in schema_tables(conn):
        return None
    row = conn.execute(
        f"SELECT count(*) FROM articles WHERE document_id NOT IN (SELECT rowid FROM {SEARCH_TABLE})"
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: words (ANDed), quoted phrases, and words ending in ``*`` (prefixes)."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    prefixes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing searchable is left."""
        return not (self.words or self.phrases or self.prefixes)

    def terms(self) -> frozenset[str]:
        """Core forms a matching word may have (for highlighting)."""
        out = {core_form(w) for w in self.words}
        out |= {_article_stripped(w) for w in self.words}
        for ph in self.phrases:
            out |= {core_form(w) for w in ph} | {_article_stripped(w) for w in ph}
        return frozenset(out)


_PHRASE = re.compile(r'"([^"]*)"')


def parse_query(text: str) -> SearchQuery:
    """Split a user query into normalised words, phrases and prefixes (FTS syntax is not passed)."""
    phrases = []
    for m in _PHRASE.finditer(text):
        toks = tuple(t.text for t in tokenize(normalize(m.group(1))))
        if len(toks) == 1:
            text += " " + toks[0]
        elif toks:
            phrases.append(toks)
    rest = _PHRASE.sub(" ", text)
    words: list[str] = []
    prefixes: list[str] = []
    for m in re.finditer(r"(\w+)(\*?)", normalize(rest)):
        (prefixes if m.group(2) else words).append(m.group(1))
    return SearchQuery(tuple(dict.fromkeys(words)), tuple(phrases), tuple(dict.fromkeys(prefixes)))


def _q(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def fts_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH expression of a parsed query (every term quoted)."""
    parts = []
    for w in query.words:
        alts = {f"{{title body}} : {_q(w)}", f"{{title body}} : {_q(_article_stripped(w))}",
                f"{{title_core body_core}} : {_q(_article_stripped(w))}",
                f"{{title_core body_core}} : {_q(core_form(w))}"}
        parts.append("(" + " OR ".join(sorted(alts)) + ")")
    for ph in query.phrases:
        as_core = " ".join(core_form(w) for w in ph)
        as_written = " ".join(_article_stripped(w) for w in ph)
        parts.append(f'({{title_core body_core}} : "{as_core}" OR '
                     f'{{title_core body_core}} : "{as_written}" OR {{title body}} : "{" ".join(ph)}")')
    for p in query.prefixes:
        parts.append(f"({{title body}} : {_q(p)} * OR {{title_core body_core}} : "
                     f"{_q(_article_stripped(p))} *)")
    return " AND ".join(parts)


def search_articles(
    conn: sqlite3.Connection, text: str, *, limit: int = 20, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Articles matching a query, best first: rows (with ``clean_text`` for snippets) and total."""
    query = parse_query(text)
    if query.empty:
        return [], 0
    if SEARCH_TABLE not in schema_tables(conn):
        return _scan_search(conn, query, limit=limit, offset=offset)
    expr = fts_expression(query)
    total = int(conn.execute(
        f"SELECT count(*) FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?", (expr,)
    ).fetchone()[0])
    rows = conn.execute(
        f"SELECT d.id AS document_id, a.title, a.outlet, a.published, a.clean_text, "
        f"bm25({SEARCH_TABLE}, 4.0, 4.0, 1.0, 1.0) AS score FROM {SEARCH_TABLE} s "
        "JOIN documents d ON d.id = s.rowid JOIN articles a ON a.document_id = d.id "
        f"WHERE {SEARCH_TABLE} MATCH ? ORDER BY score, d.id LIMIT ? OFFSET ?",
        (expr, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows], total


def _matches(query: SearchQuery, title: str, body: str) -> bool:
    full_t, core_t = search_columns(title)
    full_b, core_b = search_columns(body)
    fulls = set(full_t.split()) | set(full_b.split())
    cores = set(core_t.split()) | set(core_b.split())
    for w in query.words:
        if not ({w, _article_stripped(w)} & fulls or {_article_stripped(w), core_form(w)} & cores):
            return False
    for ph in query.phrases:
        joined = f" {core_t} {core_b} "
        if f" {' '.join(core_form(w) for w in ph)} " not in joined and \
                f" {' '.join(_article_stripped(w) for w in ph)} " not in joined:
            return False
    for p in query.prefixes:
        if not any(t.startswith(p) for t in fulls) and not any(
            t.startswith(_article_stripped(p)) for t in cores
        ):
            return False
    return True


def _scan_search(
    conn: sqlite3.Connection, query: SearchQuery, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Search without the FTS table (a database before schema 5): a scan, newest first."""
    hits = []
    for r in conn.execute(
        "SELECT d.id AS document_id, a.title, a.outlet, a.published, a.clean_text, 0.0 AS score "
        "FROM documents d JOIN articles a ON a.document_id = d.id ORDER BY d.id DESC LIMIT 20000"
    ):
        if _matches(query, r["title"] or "", r["clean_text"] or ""):
            hits.append(dict(r))
    return hits[offset : offset + limit], len(hits)


def highlight_terms(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Original-text spans of the words of ``text`` whose core or full form is a query term."""
    from marsad.arabic import normalize_with_map

    wanted = set(terms)
    norm = normalize_with_map(text)
    out = []
    for tok in tokenize(norm.text):
        if tok.text in wanted or core_form(tok.text) in wanted or \
                _article_stripped(tok.text) in wanted:
            out.append(norm.orig_span(tok.start, tok.end))
    return out
