"""Databases and servers for the web tests.

``web_db`` is built once per session: the sample corpus ``examples/`` through the real pipeline,
plus a few articles and events written here (our own sentences) that the tests need exactly: a
date given in the Hijri calendar, a year-less date, and an article full of hostile markup.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.model import (
    Article,
    Event,
    Evidence,
    Occasion,
    PartialDate,
    Party,
    Place,
    RawDocument,
    Span,
    TimeExpr,
)
from marsad.settings import Settings, load_settings
from marsad.store import open_store, queries

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCREENSHOTS = ROOT / "tests" / "screenshots"

#: Written for these tests. A Spanish-Moroccan meeting dated in the Hijri calendar.
HIJRI_TEXT = (
    "التقى وزير الداخلية المغربي عبد الوافي لفتيت في مدريد يوم 5 رمضان 1446 هـ نظيره الإسباني "
    "فرناندو غراندي مارلاسكا، وبحث الجانبان تبادل المعلومات ومكافحة الإرهاب."
)
#: A visit without a year, and a weekday that allows several years.
NOYEAR_TEXT = (
    "حل المدير العام للأمن الوطني عبد اللطيف الحموشى بالدوحة يوم الثلاثاء 9 دجنبر في زيارة عمل "
    "التقى خلالها كبار المسؤولين الأمنيين القطريين."
)
#: Hostile markup inside an article: it must show as text everywhere.
XSS_TITLE = 'زيارة <script>window.__xss = "title"</script> إلى عمان'
XSS_TEXT = (
    'وصل وزير الداخلية الأردني <img src=x onerror="window.__xss=\'img\'"> إلى مسقط '
    'في زيارة رسمية <script>window.__xss = "body"</script> لبحث أمن الحدود.'
)


def _find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _ev(slot: str, text: str, part: str, doc: str) -> Evidence:
    s, e = _find(text, part)
    return Evidence(slot=slot, text=part, start=s, end=e, rule="test.fixture",
                    sentence_start=0, sentence_end=len(text), document=doc)


def constructed_articles() -> list[tuple[RawDocument, Article]]:
    """Articles with events built by hand (the tests know every value)."""
    out = []

    raw = RawDocument(source="tests/web/hijri.txt", data=HIJRI_TEXT.encode(), fmt="text")
    doc = raw.sha256
    hs, he = _find(HIJRI_TEXT, "5 رمضان 1446 هـ")
    article = Article(
        doc_id=doc, source=raw.source, fmt="text", text=HIJRI_TEXT, lang="ar",
        title="لفتيت في مدريد", paragraphs=[Span(0, len(HIJRI_TEXT))],
        published=PartialDate(2025, 3, 6),
        times=[TimeExpr(start=hs, end=he, text=HIJRI_TEXT[hs:he], kind="date", rule="test",
                        parsed={"calendar": "hijri", "day": 5, "month": 9, "year": 1446},
                        value_start=PartialDate(2025, 3, 5), precision="day",
                        reason="Hijri 5/9/1446 converted with hijridate (Umm al-Qura)")],
    )
    article.events = [Event(
        id=f"{doc[:12]}-e1", doc_id=doc, type="meeting",
        actor=Party(entity_id="person:abdelouafi-laftit", name="عبد الوافي لفتيت",
                    name_latin="Abdelouafi Laftit", title="وزير الداخلية المغربي", country="MA"),
        host_country="ES", city=Place("مدريد", "Madrid", "ES", "city:madrid"),
        start=PartialDate(2025, 3, 5), end=PartialDate(2025, 3, 5), date_precision="day",
        counterparts=[Party(entity_id="person:fernando-grande-marlaska",
                            name="فرناندو غراندي مارلاسكا", name_latin="Fernando Grande-Marlaska",
                            title="وزير الداخلية الإسباني", country="ES")],
        topics=["information_exchange", "terrorism"],
        evidence=[_ev("actor", HIJRI_TEXT, "عبد الوافي لفتيت", doc),
                  _ev("trigger", HIJRI_TEXT, "التقى", doc),
                  _ev("city", HIJRI_TEXT, "مدريد", doc),
                  _ev("start", HIJRI_TEXT, "5 رمضان 1446 هـ", doc),
                  _ev("counterpart", HIJRI_TEXT, "فرناندو غراندي مارلاسكا", doc),
                  _ev("topic", HIJRI_TEXT, "الإرهاب", doc)],
        confidence=0.9,
    )]
    out.append((raw, article))

    raw = RawDocument(source="tests/web/noyear.txt", data=NOYEAR_TEXT.encode(), fmt="text")
    doc = raw.sha256
    article = Article(doc_id=doc, source=raw.source, fmt="text", text=NOYEAR_TEXT, lang="ar",
                      title="الحموشى في الدوحة", paragraphs=[Span(0, len(NOYEAR_TEXT))])
    article.events = [Event(
        id=f"{doc[:12]}-e1", doc_id=doc, type="visit",
        actor=Party(entity_id="person:abdellatif-hammouchi", name="عبد اللطيف الحموشى",
                    name_latin="Abdellatif Hammouchi", title="المدير العام للأمن الوطني",
                    country="MA"),
        host_country="QA", city=Place("الدوحة", "Doha", "QA", "city:doha"),
        start=PartialDate(None, 12, 9), date_precision="day_without_year",
        candidate_years=[2014, 2025, 2031],
        counterparts=[Party(title="كبار المسؤولين الأمنيين القطريين", country="QA")],
        occasion=Occasion("ميليبول قطر", "Milipol Qatar"),
        topics=["intelligence_sharing"],
        evidence=[_ev("actor", NOYEAR_TEXT, "عبد اللطيف الحموشى", doc),
                  _ev("city", NOYEAR_TEXT, "بالدوحة", doc),
                  _ev("start", NOYEAR_TEXT, "الثلاثاء 9 دجنبر", doc)],
        confidence=0.8,
    )]
    out.append((raw, article))

    raw = RawDocument(source="tests/web/hostile.txt", data=XSS_TEXT.encode(), fmt="text")
    doc = raw.sha256
    article = Article(doc_id=doc, source=raw.source, fmt="text", text=XSS_TEXT, lang="ar",
                      title=XSS_TITLE, outlet='<b onmouseover="alert(1)">outlet</b>',
                      paragraphs=[Span(0, len(XSS_TEXT))], published=PartialDate(2025, 5, 2))
    article.events = [Event(
        id=f"{doc[:12]}-e1", doc_id=doc, type="visit",
        actor=Party(name='<script>alert("actor")</script>', title="وزير الداخلية الأردني",
                    country="JO"),
        host_country="OM", city=Place("مسقط", '<img src=x onerror=alert("city")>', "OM"),
        start=PartialDate(2025, 5, 1), date_precision="day",
        topics=["border_security"],
        evidence=[_ev("actor", XSS_TEXT, 'وزير الداخلية الأردني <img src=x onerror="window.__xss=\'img\'">', doc),
                  _ev("trigger", XSS_TEXT, 'زيارة رسمية <script>window.__xss = "body"</script>', doc),
                  _ev("city", XSS_TEXT, "مسقط", doc)],
        confidence=0.7,
    )]
    out.append((raw, article))
    return out


def build_db(path: Path, settings: Settings) -> Path:
    """The examples through the pipeline, the constructed articles, and the search index."""
    from marsad.ingest import iter_documents
    from marsad.pipeline import run_batch

    with open_store(path) as store:
        run_batch(iter_documents([str(EXAMPLES)], settings.ingest), settings, store)
        store.save_articles(constructed_articles())
        with store.transaction() as tx:
            queries.reindex_search(tx)
    return path


@pytest.fixture(scope="session")
def web_settings() -> Settings:
    """Default settings."""
    return load_settings()


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, web_settings: Settings) -> Path:
    """The session's test database (built once; tests only read it)."""
    return build_db(tmp_path_factory.mktemp("web") / "web.db", web_settings)


@pytest.fixture()
def client(web_db: Path, web_settings: Settings) -> Iterator[TestClient]:
    """A TestClient over the test database, in English."""
    from marsad.web import create_app

    with TestClient(create_app(web_db, web_settings), raise_server_exceptions=False) as c:
        c.cookies.set("lang", "en")
        yield c


def event_id(db: Path, key_prefix: str | None = None, actor: str | None = None) -> int:
    """The integer id of a stored event, by the entity id of its actor or a key prefix."""
    conn = sqlite3.connect(db)
    try:
        if actor:
            row = conn.execute("SELECT id FROM events WHERE actor_entity = ? ORDER BY id",
                               (actor,)).fetchone()
        else:
            row = conn.execute("SELECT id FROM events WHERE event_key LIKE ? ORDER BY id",
                               (f"{key_prefix}%",)).fetchone()
    finally:
        conn.close()
    assert row is not None
    return int(row[0])


def hostile_event(db: Path) -> int:
    """The id of the constructed event whose text carries hostile markup."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT id FROM events WHERE host_country = 'OM'").fetchone()
    finally:
        conn.close()
    return int(row[0])


def copy_as_old_schema(src: Path, dst: Path) -> Path:
    """A copy of ``src`` without the tables of migrations 2, 4 and 5 (an older database)."""
    shutil.copy(src, dst)
    conn = sqlite3.connect(dst)
    try:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'entit%' OR "
            "name LIKE 'stor%' OR name = 'near_duplicates' OR name = 'article_search')"
        ).fetchall():
            conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute("DROP INDEX IF EXISTS events_timeline")
        conn.execute("DELETE FROM schema_migrations WHERE number NOT IN (1, 3)")
        conn.execute("PRAGMA user_version = 3")
        conn.commit()
    finally:
        conn.close()
    return dst


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real uvicorn server in a background thread."""

    def __init__(self, app: Any, **options: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on", **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
