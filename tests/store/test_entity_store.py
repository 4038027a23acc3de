"""Entities in the database: save (idempotent), merge across articles, list, get."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import NotFoundError
from marsad.extract.entities import extract_entities
from marsad.model import Article, PartialDate, RawDocument, Span
from marsad.settings import EntitySettings
from marsad.store import SqliteStore, open_store
from marsad.store.entity_store import get_entity, list_entities, save_article_entities

TEXTS = [
    ("وصل المدير العام للأمن الوطني ومراقبة التراب الوطني عبد اللطيف حموشي إلى الرياض. "
     "وأجرى حموشي مباحثات مع كبار المسؤولين الأمنيين السعوديين.", PartialDate(2024, 2, 8)),
    ("التقى عبد اللطيف الحموشي في مدريد نظراءه في الأجهزة الأمنية الإسبانية.", PartialDate(2022, 6, 16)),
]


def _store_article(store: SqliteStore, n: int) -> tuple[int, Article]:
    text, published = TEXTS[n]
    raw = RawDocument(source=f"t{n}.txt", data=text.encode(), fmt="text")
    article = Article(raw.sha256, raw.source, "text", text, published=published,
                      paragraphs=[Span(0, len(text))])
    extract_entities(article, EntitySettings())
    store.save_articles([(raw, article)])
    return store.resolve_document_id(raw.sha256), article


def test_migration_applies(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    assert 2 in store.applied()
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"entities", "entity_aliases", "entity_roles", "entity_mentions"} <= tables
    store.close()


def test_save_is_idempotent_and_merges(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    doc1, a1 = _store_article(store, 0)
    doc2, a2 = _store_article(store, 1)
    with store.transaction() as tx:
        save_article_entities(tx, doc1, a1)
        save_article_entities(tx, doc1, a1)
        save_article_entities(tx, doc2, a2)
    person = get_entity(store.conn, "person:abdellatif-hammouchi")
    assert person["name_latin"] == "Abdellatif Hammouchi" and person["country"] == "MA"
    assert {"عبد اللطيف حموشي", "حموشي", "عبد اللطيف الحموشي"} <= set(person["aliases"])
    docs = {m["document_id"] for m in person["mentions"]}
    assert docs == {doc1, doc2}
    in_doc1 = [m for m in person["mentions"] if m["document_id"] == doc1]
    assert [m["type"] for m in in_doc1] == ["ROLE", "PERSON", "PERSON"]
    assert all(m["sentence"] and m["text"] in m["sentence"] for m in person["mentions"])
    assert person["first_seen"] == "2022-06-16" and person["last_seen"] == "2024-02-08"
    role = person["roles"][0]
    assert role["org"] == "org:dgsn-ma" and role["first_seen"] == "2024-02-08"
    listed = list_entities(store.conn, "PERSON")
    assert listed[0]["id"] == "person:abdellatif-hammouchi"
    assert listed[0]["mentions"] == 4 and listed[0]["documents"] == 2
    roles = list_entities(store.conn, "ROLE")
    assert any(r["id"] == "role:official:security:sa" for r in roles)
    store.close()


def test_get_unknown_entity(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    with pytest.raises(NotFoundError):
        get_entity(store.conn, "person:nobody")
    store.close()
