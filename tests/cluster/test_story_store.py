"""The story stage over a database: incremental updates, re-extraction, re-cluster, reading."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from marsad.cluster import recluster, update_stories
from marsad.export import event_record
from marsad.model import Article, RawDocument
from marsad.settings import ClusterSettings
from marsad.store import SqliteStore, open_store
from marsad.store import story_store as ss
from tests.cluster.factory import HAMMOUCHI, LAFTIT, QA_MINISTER, article, event

CFG = ClusterSettings(use_embeddings=False, minhash_threshold=0.5)


def _save(store: SqliteStore, articles: Sequence[Article]) -> None:
    store.save_articles([(RawDocument(a.source, a.source.removesuffix(".txt").encode(), "text"), a)
                         for a in articles])


def _partition(store: SqliteStore) -> list[list[str]]:
    rows = ss.list_stories(store.conn, limit=10**6)
    return sorted(sorted(ss.members(store.conn, [r["id"]])[r["id"]]) for r in rows)


def _doha(name: str, start: str | None, **kw: object) -> Article:
    ev = event(name, start=start, counterparts=[QA_MINISTER], city="Doha")
    return article(name, f"تقرير {name} عن زيارة الدوحة", events=[ev], **kw)  # type: ignore[arg-type]


@pytest.fixture()
def db(tmp_path: Path) -> SqliteStore:
    return open_store(tmp_path / "stories.db")


def test_reports_of_one_visit_form_one_story_with_its_sources(db: SqliteStore) -> None:
    other = article("c", "تقرير عن زيارة أخرى", events=[event("c", actor=LAFTIT, host="FR", start="2025-10-14")])
    _save(db, [_doha("a", "2025-10-14", published="2025-10-14", outlet="Alpha"),
               _doha("b", "--10-14", outlet="Beta"), other])
    out = update_stories(db, CFG)
    assert (out.new_events, out.stories_total) == (3, 2)
    story_ids = {e.story_id for doc in (1, 2) for e in db.events_of(doc)}
    assert len(story_ids) == 1 and None not in story_ids
    info, story, sources = ss.get_story(db.conn, story_ids.pop() or "")
    assert info["n_documents"] == 2 and len(sources) == 2
    assert {s["outlet"] for s in sources} == {"Alpha", "Beta"}
    assert story.fused is not None and story.fused.start is not None
    assert story.fused.start.iso() == "2025-10-14"
    fused = list(ss.iter_fused_events(db.conn))
    assert len(fused) == 2
    records = [event_record(ev, srcs) for ev, srcs in fused]
    assert sorted(r["corroboration"] for r in records) == [1, 2]
    assert all(r["story_id"] == r["id"] for r in records)


def test_a_later_report_joins_the_existing_story(db: SqliteStore) -> None:
    _save(db, [_doha("a", "2025-10-14")])
    first = update_stories(db, CFG)
    _save(db, [_doha("b", "2025-10-15")])
    second = update_stories(db, CFG)
    assert (first.new_events, second.new_events) == (1, 1)
    assert second.stories_total == 1
    assert update_stories(db, CFG).new_events == 0  # nothing new: nothing done
    rows = ss.list_stories(db.conn)
    assert rows[0]["n_documents"] == 2


def test_a_changed_extraction_moves_the_event(db: SqliteStore) -> None:
    _save(db, [_doha("a", "2025-10-14"), _doha("b", "2025-10-14")])
    update_stories(db, CFG)
    assert ss.count_stories(db.conn) == 1
    old_id = db.events_of(2)[0].story_id
    _, art = db.get_article(2)
    art.events = [event("b", host="KW", start="2025-10-14")]
    art.events[0].doc_id = art.doc_id
    db.replace_extraction([(2, art)])
    out = update_stories(db, CFG)
    assert out.new_events == 1
    assert ss.count_stories(db.conn) == 2
    ids = {db.events_of(1)[0].story_id, db.events_of(2)[0].story_id}
    assert len(ids) == 2 and None not in ids
    assert ss.resolve_story_id(db.conn, old_id or "") in ids


def test_an_unchanged_re_extraction_keeps_the_story(db: SqliteStore) -> None:
    _save(db, [_doha("a", "2025-10-14"), _doha("b", "2025-10-14")])
    update_stories(db, CFG)
    _, art = db.get_article(1)
    db.replace_extraction([(1, art)])  # same events, rows rewritten without story ids
    out = update_stories(db, CFG)
    assert out.new_events == 0
    assert db.events_of(1)[0].story_id == db.events_of(2)[0].story_id is not None


def test_near_duplicate_articles_are_linked_not_deleted(db: SqliteStore) -> None:
    text = ("استقبل وزير الداخلية نظيره الضيف وبحث معه سبل تطوير التعاون الأمني وتبادل المعلومات "
            "ومكافحة الجريمة المنظمة والهجرة غير النظامية وتأمين الحدود المشتركة بين البلدين")
    a = article("a", text, events=[event("a", start="2025-10-14")])
    b = article("b", "عاجل " + text, events=[event("b", actor=None, host="QA")])
    _save(db, [a, b])
    out = update_stories(db, CFG)
    assert out.near_duplicates == 1
    assert ss.near_docs(db.conn, a.doc_id) == {b.doc_id}
    assert db.events_of(1)[0].story_id == db.events_of(2)[0].story_id
    _, _, sources = ss.get_story(db.conn, db.events_of(1)[0].story_id or "")
    assert sources[0]["near_duplicates"] or sources[1]["near_duplicates"]


def test_incremental_batches_equal_a_full_recluster(tmp_path: Path) -> None:
    from marsad.cluster.synthetic import generate

    reports = generate(240, seed=11)
    order = list(range(len(reports)))
    random.Random(4).shuffle(order)
    inc = open_store(tmp_path / "inc.db")
    for i in range(0, len(order), 37):
        batch = [reports[j].article for j in order[i : i + 37]]
        inc.save_articles([(RawDocument(a.source, a.source.encode(), "text"), a) for a in batch])
        update_stories(inc, CFG)
    incremental = _partition(inc)
    recluster(inc, CFG)
    assert _partition(inc) == incremental
    assert len(incremental) < len(reports)


class _FakeEmbedder:
    """Vectors from the text length: deterministic and cheap."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % 512] = 1.0
        return out


def test_embeddings_are_stored_and_reused_by_recluster(db: SqliteStore) -> None:
    _save(db, [_doha("a", "2025-10-14", title="عنوان أول"), _doha("b", "2025-10-14", title="عنوان ثان")])
    fake = _FakeEmbedder()
    cfg = CFG.model_copy(update={"use_embeddings": True})
    update_stories(db, cfg, embedder=fake)
    assert fake.calls == 2
    recluster(db, cfg, embedder=fake)
    assert fake.calls == 2  # same texts: stored vectors reused
    assert ss.count_stories(db.conn) == 1


def test_unknown_story_is_a_clear_error(db: SqliteStore) -> None:
    from marsad.errors import NotFoundError

    with pytest.raises(NotFoundError):
        ss.get_story(db.conn, "st-000000000000")


def test_story_listing_and_lookup_by_member(db: SqliteStore) -> None:
    _save(db, [_doha("a", "2025-10-14"), _doha("b", "2025-10-14"),
               article("c", "نص", events=[event("c", actor=HAMMOUCHI, host="KW", start="2025-10-28")])])
    update_stories(db, CFG)
    rows = ss.list_stories(db.conn, min_documents=2)
    assert len(rows) == 1 and rows[0]["n_documents"] == 2
    key = db.events_of(1)[0].id
    assert ss.resolve_story_id(db.conn, key) == rows[0]["id"]
