"""What makes the API fast without changing its answers: the response cache, the per-event
JSON cache, one-call parameter validation, the HTTP protocol and the event-loop rule."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.settings import Settings
from marsad.store import queries
from marsad.web import app as web_app
from marsad.web import create_app
from marsad.web.api import EventQuery, runs_inline
from marsad.web.app import LruBytes, cache_key, cacheable
from tests.web.conftest import LiveServer, constructed_articles

SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options",
            "referrer-policy")


def _copy(web_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "live.db"
    db.write_bytes(web_db.read_bytes())
    return db


def _add_event(db: Path, suffix: str) -> None:
    """Another process stores one more article with one event (a copy of a constructed one)."""
    from marsad.model import RawDocument
    from marsad.store import open_store

    (raw, article), *_ = constructed_articles()
    text = article.text + suffix
    raw = RawDocument(source=f"tests/web/again{len(suffix)}.txt", data=text.encode(), fmt="text")
    article.doc_id = raw.sha256
    article.text = text
    article.events = article.events[:1]
    article.events[0].id = raw.sha256[:12] + "-e1"
    article.events[0].doc_id = raw.sha256
    with open_store(db) as store:
        store.save_articles([(raw, article)])


# --- the response cache -------------------------------------------------------------------


def test_a_repeated_request_is_answered_from_the_cache(client: TestClient) -> None:
    first = client.get("/api/events?country=MA&limit=5")
    again = client.get("/api/events?country=MA&limit=5")
    assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
    assert again.content == first.content
    assert again.headers["content-type"] == "application/json"
    assert int(again.headers["content-length"]) == len(again.content)
    for name in SECURITY:  # cached answers still carry the security headers
        assert again.headers[name] == first.headers[name]


def test_the_cache_key_ignores_parameter_order_and_spelling(client: TestClient) -> None:
    client.get("/api/events?type=visit&country=MA")
    assert client.get("/api/events?country=MA&type=visit").headers["x-cache"] == "hit"
    client.get("/api/events?person=%D8%A7%D9%84%D8%AD%D9%85%D9%88%D8%B4%D9%8A")
    assert client.get("/api/events?person=الحموشي").headers["x-cache"] == "hit"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("b=2&a=1", "a=1&b=2", True),
        ("q=a+b", "q=a%20b", True),
        ("a=1&a=2", "a=2&a=1", False),  # the last of a repeated parameter is the one used
        ("a=", "", False),
        ("country=MA", "country=ma", False),
    ],
)
def test_cache_key(a: str, b: str, same: bool) -> None:
    assert (cache_key("/api/events", a.encode()) == cache_key("/api/events", b.encode())) is same


@pytest.mark.parametrize(
    ("path", "cached"),
    [("/api", True), ("/api/events", True), ("/api/events/12", True), ("/api/search", True),
     ("/api/export", False), ("/api/ingest", False), ("/api/docs", False),
     ("/api/openapi.json", False), ("/events", False), ("/", False), ("/apiary", False)],
)
def test_which_paths_are_cached(path: str, cached: bool) -> None:
    assert cacheable(path) is cached


def test_errors_and_streams_are_never_cached(client: TestClient) -> None:
    for _ in range(2):
        bad = client.get("/api/events?limit=0")
        assert bad.status_code == 422 and bad.headers["x-cache"] == "miss"
        missing = client.get("/api/events/999999")
        assert missing.status_code == 404 and missing.headers["x-cache"] == "miss"
    export = client.get("/api/export?format=jsonl")
    assert export.status_code == 200 and "x-cache" not in export.headers
    assert "x-cache" not in client.get("/events").headers


def test_the_cache_follows_writes(tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    db = _copy(web_db, tmp_path)
    with TestClient(create_app(db, web_settings)) as c:
        before = c.get("/api/events?limit=1000").json()["items"]
        assert c.get("/api/events?limit=1000").headers["x-cache"] == "hit"
        counts = c.get("/api")
        _add_event(db, " ")
        after = c.get("/api/events?limit=1000")
        assert after.headers["x-cache"] == "miss"
        assert len(after.json()["items"]) == len(before) + 1
        assert c.get("/api").json()["counts"]["events"] == counts.json()["counts"]["events"] + 1


def test_the_state_changes_on_every_commit(tmp_path: Path, web_db: Path) -> None:
    db = _copy(web_db, tmp_path)
    database = web_app.Database(db)
    state = database.state()
    assert database.state() == state  # reading changes nothing
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET confidence = 0.123456 WHERE id = (SELECT min(id) FROM events)")
    conn.commit()
    conn.close()
    assert database.state() != state
    database.close()


def test_timeline_entries_are_encoded_once_per_database_state(
        tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    db = _copy(web_db, tmp_path)
    app = create_app(db, web_settings, response_cache=False)
    with TestClient(app) as c:
        first = c.get("/api/events?limit=1000")
        assert "x-cache" not in first.headers  # the response cache is off
        assert len(app.state.db.items) == len(first.json()["items"])
        assert c.get("/api/events?limit=1000").content == first.content
        # another process corrects an event in place (same id): its entry is encoded again
        ident = first.json()["items"][0]["id"]
        conn = sqlite3.connect(db)
        conn.execute("UPDATE events SET data = json_set(data, '$.confidence', 0.987) WHERE id = ?",
                     (ident,))
        conn.commit()
        conn.close()
        item = c.get("/api/events?limit=1000").json()["items"][0]
        assert item["id"] == ident and item["confidence"] == 0.987


def test_lru_bytes_is_bounded_by_size() -> None:
    lru = LruBytes(200)
    for k in range(10):
        lru.put(k, b"x", 25)
    assert len(lru) == 8 and lru.size == 200  # 0 and 1 dropped
    assert lru.get(0) is None and lru.get(2) == b"x"
    lru.put(10, b"y", 25)  # 3 is now the least recent
    assert lru.get(3) is None and lru.get(2) is not None
    assert lru.get_many([2, 3, 4, 10]) == {2: b"x", 4: b"x", 10: b"y"}
    lru.put("huge", b"z", 26)  # over an eighth of the bound: never kept
    assert lru.get("huge") is None
    lru.clear()
    assert len(lru) == 0 and lru.size == 0


# --- parameters ---------------------------------------------------------------------------


def test_event_parameters_keep_fastapi_semantics(client: TestClient) -> None:
    def ids(query: str) -> list[int]:
        resp = client.get("/api/events?limit=1000&" + query)
        assert resp.status_code == 200, resp.text
        return [i["id"] for i in resp.json()["items"]]

    assert ids("type=meeting&type=visit") == ids("type=visit")  # the last one counts
    assert ids("unknown=1&country=ma") == ids("country=MA")
    assert len(client.get("/api/events?limit=1000&limit=2").json()["items"]) == 2
    err = client.get("/api/events?document=0&country=Maroc").json()["error"]
    assert {d["field"] for d in err["details"]} == {"query.document", "query.country"}


def test_openapi_lists_the_event_parameters(client: TestClient) -> None:
    op = client.get("/api/openapi.json").json()["paths"]["/api/events"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert names == set(EventQuery.model_fields)
    country = next(p for p in op["parameters"] if p["name"] == "country")
    assert country["in"] == "query" and "pattern" in str(country["schema"])


@pytest.mark.parametrize(
    ("query", "inline"),
    [({}, True), ({"country": "MA", "topic": "terrorism"}, True),
     ({"person": "person:abdellatif-hammouchi"}, True), ({"person": "الحموشي"}, False),
     ({"org": "org:dgsn"}, False)],
)
def test_slow_filters_leave_the_event_loop(query: dict[str, Any], inline: bool) -> None:
    assert runs_inline(queries.EventFilter(**query)) is inline


# --- the server ---------------------------------------------------------------------------


def test_serve_options_name_importable_protocols() -> None:
    from uvicorn.importer import import_from_string

    protocol = import_from_string(web_app.UVICORN_OPTIONS["http"])
    assert protocol in (web_app.NoDelayH11Protocol, web_app.NoDelayHttpToolsProtocol)
    assert web_app.UVICORN_OPTIONS["loop"] in ("uvloop", "asyncio")


def test_connections_get_tcp_nodelay() -> None:
    class Transport:
        def __init__(self, sock: socket.socket) -> None:
            self.sock = sock

        def get_extra_info(self, name: str) -> Any:
            return self.sock if name == "socket" else None

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        web_app._set_no_delay(Transport(sock))
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_a_real_server_with_the_serve_options(web_db: Path, web_settings: Settings) -> None:
    import urllib.request

    app = create_app(web_db, web_settings)
    with LiveServer(app, **web_app.UVICORN_OPTIONS) as server:
        for expected in ("miss", "hit"):
            with urllib.request.urlopen(server.url + "/api/events?limit=3") as resp:
                assert resp.headers["x-cache"] == expected
                assert len(json.load(resp)["items"]) == 3
