"""Entities in SQLite: plain functions over a ``sqlite3.Connection`` (schema 0002_entities).

:func:`save_article_entities` writes what the entities stage found in one article: entity rows
are upserted (a KB Latin name beats one read from a text, which beats a transliteration; first
and last seen follow the article's publication date), aliases and roles are merged, and the
article's mentions are replaced, so saving an article again changes nothing.
:func:`list_entities` and :func:`get_entity` read them back for ``marsad entities`` and
``marsad entity ID``. The caller owns the transaction.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from marsad.arabic import normalize, split_sentences
from marsad.errors import NotFoundError
from marsad.model import Article, Entity, Mention

_LATIN_RANK = {"kb": 3, "text": 2, "transliterated": 1}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rows(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, tuple(row), strict=True)) for row in cur.fetchall()]


def _sentences(article: Article) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for f in article.fields:
        if f.name in ("title", "alt_title") and f.end > f.start:
            spans.append((f.start, f.end))
    for p in article.paragraphs:
        spans.extend(split_sentences(article.text, p.start, p.end))
    spans.sort()
    return spans


def _sentence_of(spans: list[tuple[int, int]], m: Mention) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= m.start and m.end <= e:
            return s, e
    return None


def _upsert_entity(conn: sqlite3.Connection, e: Entity, published: str | None, now: str) -> None:
    row = conn.execute(
        "SELECT name, name_latin, latin_source, country, attrs, first_seen, last_seen "
        "FROM entities WHERE id = ?",
        (e.id,),
    ).fetchone()
    attrs = json.dumps(e.attrs, ensure_ascii=False, sort_keys=True) if e.attrs else "{}"
    if row is None:
        conn.execute(
            "INSERT INTO entities (id, type, name, name_latin, latin_source, country, attrs, "
            "first_seen, last_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.id, e.type, e.name, e.name_latin, e.latin_source, e.country, attrs, published,
             published, now),
        )
        return
    name, latin, source, country, old_attrs, first, last = tuple(row)
    if _LATIN_RANK.get(e.latin_source or "", 0) > _LATIN_RANK.get(source or "", 0):
        latin, source = e.name_latin, e.latin_source
    if e.latin_source == "kb":
        name = e.name
    merged = {**json.loads(old_attrs or "{}"), **e.attrs}
    if published is not None:
        first = published if first is None or published < first else first
        last = published if last is None or published > last else last
    conn.execute(
        "UPDATE entities SET name = ?, name_latin = ?, latin_source = ?, country = ?, attrs = ?, "
        "first_seen = ?, last_seen = ?, updated_at = ? WHERE id = ?",
        (name, latin, source, country or e.country,
         json.dumps(merged, ensure_ascii=False, sort_keys=True), first, last, now, e.id),
    )


def save_article_entities(conn: sqlite3.Connection, document_id: int, article: Article) -> None:
    """Store an article's entities, aliases, roles and mentions (idempotent)."""
    now = _now()
    published = article.published.iso() if article.published is not None else None
    conn.execute("DELETE FROM entity_mentions WHERE document_id = ?", (document_id,))
    known: set[str] = set()
    for e in article.entities:
        _upsert_entity(conn, e, published, now)
        known.add(e.id)
        conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
            [(e.id, a, " ".join(normalize(a).split())) for a in dict.fromkeys([e.name, *e.aliases])],
        )
        for r in e.roles:
            first = r.first_seen or published
            last = r.last_seen or published
            conn.execute(
                "INSERT INTO entity_roles (entity_id, title, org, country, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id, title, org, country) DO UPDATE "
                "SET first_seen = CASE WHEN entity_roles.first_seen IS NULL "
                "OR excluded.first_seen < entity_roles.first_seen THEN excluded.first_seen "
                "ELSE entity_roles.first_seen END, "
                "last_seen = CASE WHEN entity_roles.last_seen IS NULL "
                "OR excluded.last_seen > entity_roles.last_seen THEN excluded.last_seen "
                "ELSE entity_roles.last_seen END",
                (e.id, r.title, r.org or "", r.country or "", first, last),
            )
    spans = _sentences(article)
    rows = []
    for m in article.mentions:
        sent = _sentence_of(spans, m)
        rows.append((
            document_id, m.entity_id if m.entity_id in known else None, m.type, m.start, m.end,
            m.text, m.rule, m.key, m.confidence,
            sent[0] if sent else None, sent[1] if sent else None,
            article.text[sent[0]:sent[1]] if sent else None,
            json.dumps(m.attrs, ensure_ascii=False, sort_keys=True, default=str)
            if m.attrs else "{}",
        ))
    conn.executemany(
        "INSERT INTO entity_mentions (document_id, entity_id, type, start, \"end\", text, rule, "
        "key, confidence, sentence_start, sentence_end, sentence, attrs) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def list_entities(
    conn: sqlite3.Connection, type: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Entities with their mention and document counts, most mentioned first."""
    cur = conn.execute(
        "SELECT e.id, e.type, e.name, e.name_latin, e.latin_source, e.country, e.first_seen, "
        "e.last_seen, count(m.id) AS mentions, count(DISTINCT m.document_id) AS documents "
        "FROM entities e LEFT JOIN entity_mentions m ON m.entity_id = e.id "
        "WHERE (? IS NULL OR e.type = ?) GROUP BY e.id "
        "ORDER BY mentions DESC, documents DESC, e.id LIMIT ? OFFSET ?",
        (type, type, limit, offset),
    )
    return _rows(cur)


def get_entity(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """One entity with its aliases, roles and mentions (document id and sentence)."""
    cur = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,))
    found = _rows(cur)
    if not found:
        raise NotFoundError(f"no entity {entity_id!r}")
    entity = found[0]
    entity["attrs"] = json.loads(entity.get("attrs") or "{}")
    entity["aliases"] = [
        r["alias"] for r in _rows(conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,)
        ))
    ]
    entity["roles"] = _rows(conn.execute(
        "SELECT title, org, country, first_seen, last_seen FROM entity_roles WHERE entity_id = ? "
        "ORDER BY coalesce(last_seen, '') DESC, title",
        (entity_id,),
    ))
    mentions = _rows(conn.execute(
        "SELECT document_id, type, start, \"end\", text, rule, confidence, sentence, attrs "
        "FROM entity_mentions WHERE entity_id = ? ORDER BY document_id, start",
        (entity_id,),
    ))
    for m in mentions:
        m["attrs"] = json.loads(m.get("attrs") or "{}")
    entity["mentions"] = mentions
    return entity
