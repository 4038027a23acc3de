"""SQLite storage: one file, versioned schema, writes in transactions.

This module is the only place that speaks SQL. Migrations are the numbered ``.sql`` files in
``marsad/store/migrations``; ``PRAGMA user_version`` holds the number of the last one applied.
Writes happen in transactions (WAL journal), so a process killed mid-batch leaves every
committed document intact and nothing half-written.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.errors import NotFoundError, StoreError
from marsad.model import Article, Event, Failure, RawDocument, Story, from_json, to_json

LOGGER = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def migrations() -> list[tuple[int, str, str]]:
    """``(number, name, sql)`` of every migration, in order."""
    out = []
    folder = Path(__file__).parent / "migrations"
    for entry in sorted(folder.iterdir()):
        m = re.match(r"(\d{4})_(.+)\.sql$", entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    out.sort()
    return out


class SqliteStore:
    """marsad's database in one SQLite file."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"database {self.path} does not exist")
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self.migrate()
            elif {n for n, _, _ in migrations()} - self.applied():
                raise StoreError(
                    f"database {self.path} lacks schema migrations this marsad needs; open it "
                    "once without --readonly to migrate"
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    # --- schema ------------------------------------------------------------------------------

    def version(self) -> int:
        """The number of the last migration applied."""
        row = self.conn.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def applied(self) -> set[int]:
        """Numbers of the migrations applied to this database."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return set()
        return {int(r[0]) for r in self.conn.execute("SELECT number FROM schema_migrations")}

    def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; return the schema version.

        Applied migrations are listed in ``schema_migrations`` (so one added between two others
        by a parallel branch still runs); ``PRAGMA user_version`` holds the highest number.
        """
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = self.applied()
        newly: set[int] = set()
        for number, name, sql in migrations():
            if number in done:
                continue
            LOGGER.info("migrating %s: %04d_%s", self.path, number, name)
            top = max([number, *done])
            try:
                self.conn.executescript(
                    f"BEGIN;\n{sql}\nINSERT INTO schema_migrations VALUES ({number}, '{name}', "
                    f"'{_now()}');\nPRAGMA user_version = {top};\nCOMMIT;"
                )
            except sqlite3.DatabaseError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise StoreError(f"migration {number:04d}_{name} failed: {exc}") from exc
            done.add(number)
            newly.add(number)
        if 5 in newly and 1 not in newly:
            # Articles stored before the search index existed are indexed once.
            from marsad.store.queries import reindex_search

            with self.transaction() as tx:
                reindex_search(tx)
        return self.version()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        if self.readonly:
            raise StoreError("the database is open read-only")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- documents ---------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this content hash is stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (doc_id,)).fetchone()
        return row is not None

    def add_source(self, raw: RawDocument) -> None:
        """Record that already-stored content was seen again at ``raw.source``."""
        with self.transaction() as tx:
            row = tx.execute("SELECT id FROM documents WHERE sha256 = ?", (raw.sha256,)).fetchone()
            if row is None:
                return
            tx.execute(
                "INSERT OR IGNORE INTO sightings (document_id, source, record, seen_at) "
                "VALUES (?, ?, ?, ?)",
                (row[0], raw.source, raw.record, _now()),
            )

    def save_articles(self, items: Sequence[tuple[RawDocument, Article]]) -> None:
        """Store documents with their raw bytes and articles, all in one transaction."""
        now = _now()
        with self.transaction() as tx:
            for raw, article in items:
                self._save_one(tx, raw, article, now)

    def _save_one(self, tx: sqlite3.Connection, raw: RawDocument, article: Article, now: str) -> None:
        sha = raw.sha256
        if tx.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha,)).fetchone():
            return
        tx.execute(
            "INSERT OR IGNORE INTO raw (sha256, size, data) VALUES (?, ?, ?)",
            (sha, len(raw.data), raw.data),
        )
        previous = None
        if article.url:
            row = tx.execute(
                "SELECT id FROM documents WHERE url = ? ORDER BY id DESC LIMIT 1", (article.url,)
            ).fetchone()
            previous = row[0] if row else None
        cur = tx.execute(
            "INSERT INTO documents (sha256, source, record, fmt, url, external_id, ingested_at, "
            "previous_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sha, raw.source, raw.record, raw.fmt, article.url, article.external_id, now, previous),
        )
        doc_pk = int(cur.lastrowid or 0)
        tx.execute(
            "INSERT INTO sightings (document_id, source, record, seen_at) VALUES (?, ?, ?, ?)",
            (doc_pk, raw.source, raw.record, now),
        )
        tx.execute(
            "INSERT INTO articles (document_id, title, outlet, author, published, lang, encoding, "
            "n_removed, clean_text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_pk,
                article.title,
                article.outlet,
                article.author,
                article.published.iso() if article.published else None,
                article.lang,
                article.encoding,
                len(article.removals),
                article.clean_text,
                to_json(article),
            ),
        )
        tx.execute("DELETE FROM failures WHERE sha256 = ? AND severity = 'error'", (sha,))
        self._after_save(tx, doc_pk, article)

    def _after_save(self, tx: sqlite3.Connection, doc_pk: int, article: Article) -> None:
        """Write what the extract stages found (entities, events) with the article."""
        from marsad.store.entity_store import save_article_entities
        from marsad.store.queries import index_article

        save_article_entities(tx, doc_pk, article)
        self._save_events(tx, doc_pk, article)
        index_article(tx, doc_pk, article, check=False)  # migration 0005 made the table

    def _save_events(self, tx: sqlite3.Connection, doc_pk: int, article: Article) -> None:
        tx.execute("DELETE FROM events WHERE document_id = ?", (doc_pk,))
        for ev in article.events:
            actor = ev.actor
            cur = tx.execute(
                "INSERT INTO events (event_key, document_id, type, status, salience, actor_entity, "
                "actor_name, actor_country, host_country, city, start, \"end\", date_precision, "
                "confidence, story_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ev.id, doc_pk, ev.type, ev.status, ev.salience,
                    actor.entity_id if actor else None,
                    (actor.name or actor.title) if actor else None,
                    actor.country if actor else None,
                    ev.host_country,
                    ev.city.name_latin or ev.city.name if ev.city else None,
                    ev.start.iso() if ev.start else None,
                    ev.end.iso() if ev.end else None,
                    ev.date_precision, ev.confidence, ev.story_id,
                    to_json(ev),
                ),
            )
            event_pk = cur.lastrowid
            parties = [("actor", actor)] if actor else []
            parties += [("counterpart", c) for c in ev.counterparts]
            if ev.inviter:
                parties.append(("inviter", ev.inviter))
            tx.executemany(
                "INSERT INTO event_parties (event_id, role, entity_id, name, title, country) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(event_pk, role, p.entity_id, p.name, p.title, p.country) for role, p in parties],
            )
            tx.executemany(
                "INSERT OR IGNORE INTO event_topics (event_id, topic) VALUES (?, ?)",
                [(event_pk, t) for t in ev.topics],
            )

    def replace_extraction(self, items: Sequence[tuple[int, Article]]) -> None:
        """Store new extraction results for articles already stored (after a re-run)."""
        with self.transaction() as tx:
            for doc_pk, article in items:
                tx.execute(
                    "UPDATE articles SET title = ?, outlet = ?, author = ?, published = ?, "
                    "n_removed = ?, clean_text = ?, data = ? WHERE document_id = ?",
                    (
                        article.title, article.outlet, article.author,
                        article.published.iso() if article.published else None,
                        len(article.removals), article.clean_text,
                        to_json(article),
                        doc_pk,
                    ),
                )
                self._after_save(tx, doc_pk, article)

    def save_failures(self, failures: Sequence[Failure]) -> None:
        """Record failures; the same failure seen again bumps its attempt count."""
        now = _now()
        with self.transaction() as tx:
            for f in failures:
                tx.execute(
                    "INSERT INTO failures (source, record, sha256, stage, code, reason, severity, "
                    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (source, record, sha256, stage, reason) DO UPDATE SET "
                    "last_seen = excluded.last_seen, attempts = attempts + 1",
                    (f.source, f.record, f.sha256 or "", f.stage, f.code, f.reason, f.severity,
                     now, now),
                )

    # --- reading -----------------------------------------------------------------------------

    def resolve_document_id(self, ref: str | int) -> int:
        """A document's integer id from an id, a content-hash prefix or an external id."""
        text = str(ref).strip()
        if text.isdigit():
            row = self.conn.execute("SELECT id FROM documents WHERE id = ?", (int(text),)).fetchone()
            if row:
                return int(row[0])
        if re.fullmatch(r"[0-9a-f]{6,64}", text):
            rows = self.conn.execute(
                "SELECT id FROM documents WHERE sha256 LIKE ? LIMIT 2", (text + "%",)
            ).fetchall()
            if len(rows) == 1:
                return int(rows[0][0])
            if len(rows) > 1:
                raise NotFoundError(f"hash prefix {text!r} is ambiguous; give more characters")
        row = self.conn.execute(
            "SELECT id FROM documents WHERE external_id = ? ORDER BY id DESC LIMIT 1", (text,)
        ).fetchone()
        if row:
            return int(row[0])
        raise NotFoundError(f"no article {text!r} in {self.path}")

    def get_article(self, ref: str | int) -> tuple[int, Article]:
        """The stored article with its integer id."""
        doc_pk = self.resolve_document_id(ref)
        row = self.conn.execute("SELECT data FROM articles WHERE document_id = ?", (doc_pk,)).fetchone()
        if row is None:
            raise NotFoundError(f"document {doc_pk} has no article")
        return doc_pk, from_json(Article, row[0])

    def get_raw(self, ref: str | int) -> bytes:
        """The exact input bytes of a document."""
        doc_pk = self.resolve_document_id(ref)
        row = self.conn.execute(
            "SELECT r.data FROM raw r JOIN documents d ON d.sha256 = r.sha256 WHERE d.id = ?",
            (doc_pk,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"document {doc_pk} has no raw bytes")
        return bytes(row[0])

    def list_articles(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Article rows for listings (no text)."""
        rows = self.conn.execute(
            "SELECT d.id, d.sha256, d.source, d.record, d.fmt, d.url, d.external_id, "
            "d.previous_version, a.title, a.outlet, a.author, a.published, a.lang, a.n_removed, "
            "length(a.clean_text) AS chars, (SELECT count(*) FROM sightings s WHERE "
            "s.document_id = d.id) AS sightings FROM documents d JOIN articles a ON "
            "a.document_id = d.id ORDER BY d.id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [dict(r) for r in rows]

    def iter_articles(self, batch: int = 500) -> Iterator[tuple[int, Article]]:
        """Every stored article, in id order."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT document_id, data FROM articles WHERE document_id > ? "
                "ORDER BY document_id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield int(row[0]), from_json(Article, row[1])
            last = int(rows[-1][0])

    def list_failures(self, severity: str | None = None) -> list[dict[str, Any]]:
        """Recorded failures, newest first."""
        sql = "SELECT * FROM failures"
        args: tuple[Any, ...] = ()
        if severity:
            sql += " WHERE severity = ?"
            args = (severity,)
        sql += " ORDER BY last_seen DESC, id DESC"
        return [dict(r) for r in self.conn.execute(sql, args).fetchall()]

    # --- events ------------------------------------------------------------------------------

    def list_events(
        self,
        *,
        limit: int = 100,
        offset: int = 0,
        country: str | None = None,
        actor: str | None = None,
        topic: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        document: int | None = None,
        order: str = "date",
    ) -> list[dict[str, Any]]:
        """Event rows with their article, filtered; newest first (or by id)."""
        where: list[str] = ["1 = 1"]
        args: list[Any] = []
        if country:
            where.append("(e.host_country = ? OR e.actor_country = ?)")
            args += [country, country]
        if actor:
            where.append(
                "e.id IN (SELECT event_id FROM event_parties WHERE entity_id = ? OR name LIKE ?)"
            )
            args += [actor, f"%{actor}%"]
        if topic:
            where.append("e.id IN (SELECT event_id FROM event_topics WHERE topic = ?)")
            args.append(topic)
        if date_from:
            where.append("e.start >= ?")
            args.append(date_from)
        if date_to:
            where.append("e.start <= ?")
            args.append(date_to)
        if document is not None:
            where.append("e.document_id = ?")
            args.append(document)
        rows = self.conn.execute(
            "SELECT e.id, e.event_key, e.document_id, e.type, e.status, e.salience, "
            "e.actor_entity, e.actor_name, e.actor_country, e.host_country, e.city, e.start, "
            "e.\"end\", e.date_precision, e.confidence, e.story_id, d.source, d.external_id, "
            "a.title, a.outlet, a.published FROM events e JOIN documents d ON d.id = e.document_id "
            "JOIN articles a ON a.document_id = e.document_id WHERE " + " AND ".join(where)
            + (" ORDER BY e.id" if order == "id" else
               " ORDER BY coalesce(e.start, a.published) DESC, e.id")
            + " LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        return [dict(r) for r in rows]

    def get_event(self, ref: str | int) -> tuple[dict[str, Any], Event]:
        """An event row and record by id or event key."""
        text = str(ref)
        row = self.conn.execute(
            "SELECT e.*, d.source, d.external_id, d.url FROM events e JOIN documents d "
            "ON d.id = e.document_id WHERE e.id = ? OR e.event_key = ?",
            (int(text) if text.isdigit() else -1, text),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no event {text!r} in {self.path}")
        return dict(row), from_json(Event, row["data"])

    def document_info(self, doc_pk: int) -> dict[str, Any]:
        """Where a document came from and what its article header says."""
        row = self.conn.execute(
            "SELECT d.id AS document_id, d.sha256, d.source, d.record, d.url, d.external_id, "
            "a.title, a.outlet, a.author, a.published, a.lang FROM documents d JOIN articles a "
            "ON a.document_id = d.id WHERE d.id = ?",
            (doc_pk,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document {doc_pk}")
        return dict(row)

    def events_of(self, doc_pk: int) -> list[Event]:
        """The events extracted from one document."""
        rows = self.conn.execute(
            "SELECT data FROM events WHERE document_id = ? ORDER BY id", (doc_pk,)
        ).fetchall()
        return [from_json(Event, r[0]) for r in rows]

    def find_document(self, *, external_id: str | None = None, file_name: str | None = None) -> int | None:
        """A document id by JSONL id or by source file name (as gold files name articles)."""
        if external_id is not None:
            row = self.conn.execute(
                "SELECT id FROM documents WHERE external_id = ? ORDER BY id DESC LIMIT 1",
                (external_id,),
            ).fetchone()
            return int(row[0]) if row else None
        if file_name is not None:
            base, _, rec = file_name.partition("#")
            rows = self.conn.execute(
                "SELECT d.id, s.source, s.record FROM sightings s JOIN documents d "
                "ON d.id = s.document_id WHERE s.source = ? OR s.source LIKE ? ORDER BY d.id DESC",
                (base, f"%/{base}"),
            ).fetchall()
            for r in rows:
                if not rec or str(r["record"]) == rec:
                    return int(r["id"])
        return None

    # --- stories (SQL in marsad/store/story_store.py) ------------------------------------------

    def iter_fused_events(self) -> Iterator[tuple[Event, list[dict[str, Any]]]]:
        """Every story's fused event with its sources (``export --what events``)."""
        from marsad.store import story_store

        yield from story_store.iter_fused_events(self.conn)

    def list_stories(
        self, *, limit: int = 100, offset: int = 0, min_documents: int = 1, country: str | None = None
    ) -> list[dict[str, Any]]:
        """Story rows, most sources first."""
        from marsad.store import story_store

        return story_store.list_stories(
            self.conn, limit=limit, offset=offset, min_documents=min_documents, country=country
        )

    def get_story(self, ref: str) -> tuple[dict[str, Any], Story, list[dict[str, Any]]]:
        """A story (by id, former id, or a member event's key or id): row, record, sources."""
        from marsad.store import story_store

        return story_store.get_story(self.conn, ref)

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        out = {}
        for table in (
            "documents", "articles", "sightings", "failures", "events", "entities", "entity_mentions"
        ):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        return out
