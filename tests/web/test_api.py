"""The JSON API: every endpoint, paging, filters, bad input, and the one error shape."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.settings import Settings
from marsad.web import create_app
from tests.web.conftest import copy_as_old_schema, event_id

ERROR_KEYS = {"code", "message", "status"}


def assert_error(resp: object, status: int, code: str) -> dict[str, object]:
    """The response is an error in the one shape, with this status and code."""
    assert resp.status_code == status, resp.text  # type: ignore[attr-defined]
    body = resp.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    err = body["error"]
    assert ERROR_KEYS <= set(err) <= ERROR_KEYS | {"details"}
    assert err["status"] == status
    assert err["code"] == code
    assert isinstance(err["message"], str) and err["message"]
    return err  # type: ignore[no-any-return]


# --- the error shape, pinned --------------------------------------------------------------


def test_error_shape_is_pinned(client: TestClient) -> None:
    resp = client.get("/api/events/999999")
    assert resp.json() == {
        "error": {"code": "not_found", "message": "no event '999999'", "status": 404}
    }
    assert resp.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/events/999999", 404, "not_found"),
        ("/api/events/no-such-key", 404, "not_found"),
        ("/api/articles/999999", 404, "not_found"),
        ("/api/articles/abc", 422, "invalid"),
        ("/api/entities/person:nobody-at-all", 404, "not_found"),
        ("/api/stories/no-such-story", 404, "not_found"),
        ("/api/no/such/endpoint", 404, "not_found"),
        ("/api/events?date_from=2025-13-01", 422, "invalid"),
        ("/api/events?date_to=2025-02-30", 422, "invalid"),
        ("/api/events?date_from=yesterday", 422, "invalid"),
        ("/api/events?date_from=2025-1", 422, "invalid"),
        ("/api/relations?date_to=20250", 422, "invalid"),
        ("/api/events?limit=0", 422, "invalid"),
        ("/api/events?limit=1001", 422, "invalid"),
        ("/api/events?limit=ten", 422, "invalid"),
        ("/api/entities?limit=-5", 422, "invalid"),
        ("/api/events?country=MAR", 422, "invalid"),
        ("/api/events?type=party", 422, "invalid"),
        ("/api/events?cursor=not-a-cursor", 422, "invalid"),
        ("/api/search", 422, "invalid"),
        ("/api/search?q=", 422, "invalid"),
        ("/api/export?format=xml", 422, "invalid"),
        ("/api/countries/MAR", 422, "invalid"),
        ("/api/articles?offset=-1", 422, "invalid"),
    ],
)
def test_bad_requests_answer_in_the_error_shape(client: TestClient, url: str, status: int,
                                                code: str) -> None:
    assert_error(client.get(url), status, code)


def test_validation_errors_say_which_field(client: TestClient) -> None:
    err = assert_error(client.get("/api/events?limit=0"), 422, "invalid")
    assert "limit" in str(err["message"])
    assert err["details"] == [{"field": "query.limit",
                               "message": "Input should be greater than or equal to 1"}]
    err = assert_error(client.get("/api/events?date_from=2025-02-30"), 422, "invalid")
    assert "date_from" in str(err["message"])


def test_method_not_allowed_is_in_the_error_shape(client: TestClient) -> None:
    assert_error(client.delete("/api/events"), 405, "method_not_allowed")


def test_an_internal_error_is_in_the_error_shape_without_a_traceback(
    web_db: Path, web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.store import queries

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(queries, "list_stories", boom)
    with TestClient(create_app(web_db, web_settings), raise_server_exceptions=False) as c:
        err = assert_error(c.get("/api/stories"), 500, "internal")
    assert "secret" not in str(err["message"])


# --- index and events ----------------------------------------------------------------------


def test_index_lists_endpoints_and_counts(client: TestClient) -> None:
    body = client.get("/api").json()
    assert body["name"] == "marsad"
    assert body["counts"]["events"] >= 10
    assert body["ingest"] is False
    for path in ("/api/events", "/api/events/{event_id}", "/api/stories", "/api/entities",
                 "/api/entities/{entity_id}", "/api/articles/{article_id}", "/api/search",
                 "/api/export", "/api/ingest"):
        assert path in body["endpoints"]


def test_openapi_schema_is_served_and_the_docs_page_is_local(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/events" in schema["paths"]
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/events" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text


def test_events_list_newest_first_with_summaries(client: TestClient) -> None:
    body = client.get("/api/events?limit=100").json()
    items = body["items"]
    assert body["next_cursor"] is None
    assert len(items) >= 10
    dated = [i["start"] for i in items if i["start"] and not i["start"].startswith("--")]
    assert dated == sorted(dated, reverse=True)
    # Dated events first, then year-less, then undated.
    kinds = [0 if s and not s.startswith("--") else 1 if s else 2 for s in (i["start"] for i in items)]
    assert kinds == sorted(kinds)
    first = items[0]
    assert {"id", "type", "actor", "host_country", "start", "summary", "article", "topics"} <= set(first)
    assert all(i["summary"] for i in items)


def test_events_keyset_pages_cover_everything_once(client: TestClient) -> None:
    everything = [i["id"] for i in client.get("/api/events?limit=1000").json()["items"]]
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        url = "/api/events?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_default_page_size_comes_from_settings(web_db: Path, web_settings: Settings) -> None:
    settings = web_settings.replace(web={"page_size": 2})
    with TestClient(create_app(web_db, settings)) as c:
        body = c.get("/api/events").json()
    assert body["limit"] == 2 and len(body["items"]) == 2 and body["next_cursor"]


def test_filters_by_person_country_topic_type_and_dates(client: TestClient) -> None:
    def ids(query: str) -> list[dict[str, Any]]:
        resp = client.get("/api/events?limit=1000&" + query)
        assert resp.status_code == 200, resp.text
        return resp.json()["items"]  # type: ignore[no-any-return]

    hammouchi = ids("person=person:abdellatif-hammouchi")
    assert hammouchi
    for item in hammouchi:
        entities = [item["actor"]["entity_id"]] + [c["entity_id"] for c in item["counterparts"]]
        assert "person:abdellatif-hammouchi" in entities
    by_name = ids("person=الحموشي")  # normalised match on names as written
    assert {i["id"] for i in by_name} >= {i["id"] for i in hammouchi if i["actor"]["name"] and "حموش" in i["actor"]["name"]}
    into_ma = ids("country=ma&direction=in")
    assert into_ma and all(i["host_country"] == "MA" for i in into_ma)
    out_of_ma = ids("country=MA&direction=out")
    assert out_of_ma and all(i["actor"]["country"] == "MA" and i["host_country"] != "MA" for i in out_of_ma)
    terror = ids("topic=terrorism")
    assert terror and all("terrorism" in i["topics"] for i in terror)
    receptions = ids("type=reception")
    assert receptions and all(i["type"] == "reception" for i in receptions)
    autumn = ids("date_from=2025-09&date_to=2025-10")
    assert autumn and all("2025-09" <= str(i["start"]) <= "2025-10-31" for i in autumn)
    assert all(not str(i["start"]).startswith("--") for i in autumn)  # a year-less date is not in a range
    oct_only = ids("date_from=2025-10-01&date_to=2025-10-31")
    assert {i["id"] for i in oct_only} <= {i["id"] for i in autumn}
    pair = ids("origin=MA&host=PT")
    assert pair and all(i["actor"]["country"] == "MA" and i["host_country"] == "PT" for i in pair)
    assert ids("person=person:nobody-at-all") == []


def test_event_detail_has_sources_evidence_sentences_and_summary(client: TestClient, web_db: Path) -> None:
    ident = event_id(web_db, actor="person:abdelouafi-laftit")
    body = client.get(f"/api/events/{ident}").json()
    assert body["event_id"] == ident
    assert body["type"] == "meeting"
    assert body["actor"]["name_latin"] == "Abdelouafi Laftit"
    assert body["summary"].startswith("Abdelouafi Laftit (MA) met Fernando Grande-Marlaska (ES) in Spain (Madrid)")
    assert body["format_version"] == "1"
    (source,) = body["sources"]
    slots = {e["slot"] for e in source["evidence"]}
    assert {"actor", "city", "start", "counterpart"} <= slots
    for e in source["evidence"]:
        assert e["text"] in e["sentence"]
    assert body["dates_hijri"]["start"].startswith("5 Ramadan 1446")
    # the same event by its key
    assert client.get(f"/api/events/{body['id']}").json()["event_id"] == ident


def test_year_less_event_says_so(client: TestClient, web_db: Path) -> None:
    rows = client.get("/api/events?limit=1000&country=QA").json()["items"]
    (doha,) = [r for r in rows if r["host_country"] == "QA"]
    assert doha["start"] == "--12-09"
    assert doha["candidate_years"] == [2014, 2025, 2031]
    assert "9 Dec (year not stated; the weekday fits 2014, 2025, 2031)" in doha["summary"]


# --- stories, entities, countries, relations ------------------------------------------------


def test_stories_is_an_empty_list_before_clustering(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    assert body["items"] == [] and body["offset"] == 0


def _save_lisbon_story(db: Path) -> list[str]:
    """Store the Hammouchi-in-Lisbon reports as one story (as the clustering stage would)."""
    from marsad.model import Story
    from marsad.store import open_store, story_store

    with open_store(db) as store:
        rows = store.conn.execute(
            "SELECT event_key, data FROM events WHERE actor_entity = 'person:abdellatif-hammouchi' "
            "AND host_country = 'PT' ORDER BY id").fetchall()
        keys = [r[0] for r in rows]
        from marsad.model import Event, from_jsonable

        fused = from_jsonable(Event, json.loads(rows[0][1]))
        docs = sorted({from_jsonable(Event, json.loads(r[1])).doc_id for r in rows})
        story = Story(id="story-lisbon", event_ids=keys, doc_ids=docs, fused=fused,
                      conflicts=[{"slot": "start", "chosen": "2025-11-03", "alternatives": ["--11-03"]}])
        with store.transaction() as tx:
            story_store.save_story(tx, story)
    return keys


def test_stories_from_the_story_tables(tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    db = tmp_path / "stories.db"
    db.write_bytes(web_db.read_bytes())
    keys = _save_lisbon_story(db)
    assert len(keys) >= 2
    with TestClient(create_app(db, web_settings)) as c:
        items = c.get("/api/stories").json()["items"]
        assert [s["id"] for s in items] == ["story-lisbon"]
        assert items[0]["events"] == len(keys) and items[0]["n_conflicts"] == 1
        assert items[0]["summary"].startswith("Abdellatif Hammouchi (MA) visited Portugal")
        story = c.get("/api/stories/story-lisbon").json()
        assert len(story["events"]) == len(keys)
        assert story["fused"]["format_version"] == "1"
        assert story["fused"]["corroboration"] >= 2
        assert story["conflicts"][0]["slot"] == "start"
        # a member's event key finds its story too
        assert c.get(f"/api/stories/{keys[0]}").json()["id"] == "story-lisbon"
        assert c.get("/api/events?story=story-lisbon").json()["items"]
        for url in ("/stories", "/stories/story-lisbon"):
            page = c.get(url + "?lang=ar")
            assert page.status_code == 200 and "⟦" not in page.text


def test_stories_on_a_database_without_story_tables(tmp_path: Path, web_db: Path,
                                                    web_settings: Settings) -> None:
    old = copy_as_old_schema(web_db, tmp_path / "old.db")
    conn = sqlite3.connect(old)
    conn.execute("UPDATE events SET story_id = 'story-x' WHERE host_country = 'PT'")
    conn.commit()
    conn.close()
    with TestClient(create_app(old, web_settings)) as c:
        items = c.get("/api/stories").json()["items"]
        assert [s["id"] for s in items] == ["story-x"] and items[0]["documents"] >= 2
        assert len(c.get("/api/stories/story-x").json()["events"]) == items[0]["events"]
        assert c.get("/stories/story-x").status_code == 200


def test_entities_list_and_detail(client: TestClient) -> None:
    items = client.get("/api/entities?limit=200").json()["items"]
    ids = [e["id"] for e in items]
    assert "person:abdellatif-hammouchi" in ids
    assert items == sorted(items, key=lambda e: -(e["events"] or 0))
    people = client.get("/api/entities?type=PERSON&limit=200").json()["items"]
    assert people and all(e["id"].startswith("person:") for e in people)
    found = client.get("/api/entities", params={"q": "الحموشى"}).json()["items"]
    assert "person:abdellatif-hammouchi" in [e["id"] for e in found]
    ent = client.get("/api/entities/person:abdellatif-hammouchi").json()
    assert ent["name_latin"] == "Abdellatif Hammouchi"
    assert len(ent["events"]) >= 4
    assert {"عبد اللطيف حموشي", "عبد اللطيف الحموشى"} <= set(ent["event_names"])
    assert any("المدير العام" in r["title"] for r in ent["event_titles"])


def test_countries_and_relations(client: TestClient) -> None:
    countries = {c["code"]: c for c in client.get("/api/countries").json()["items"]}
    assert countries["MA"]["visits_in"] >= 1 and countries["MA"]["visits_out"] >= 1
    assert countries["MA"]["name"] == "Morocco" and countries["MA"]["name_ar"] == "المغرب"
    ma = client.get("/api/countries/ma").json()
    assert ma["code"] == "MA" and ma["count_in"] == len(ma["visits_in"])
    assert all(e["host_country"] == "MA" for e in ma["visits_in"])
    assert any(p["partner"] == "PT" and p["visits_out"] >= 1 for p in ma["partners"])
    rel = client.get("/api/relations").json()
    pairs = {(p["source"], p["target"]): p["visits"] for p in rel["countries"]}
    assert pairs[("MA", "PT")] >= 2
    assert all(s != t for s, t in pairs)
    assert any(p["source"] == "person:abdelouafi-laftit" for p in rel["people"])
    assert client.get("/api/relations?date_from=2030").json()["countries"] == []


# --- articles and search ------------------------------------------------------------------


def test_article_detail(client: TestClient) -> None:
    body = client.get("/api/articles/1").json()
    assert body["document"]["document_id"] == 1
    assert body["clean_text"] and body["text"]
    assert isinstance(body["removals"], list)
    listing = client.get("/api/articles?limit=5").json()
    assert len(listing["items"]) == 5


@pytest.mark.parametrize("query", ["الحموشي", "حموشي", "الحموشى", "والحموشي", "Hammouchi", "حموش*"])
def test_search_finds_every_spelling(client: TestClient, query: str) -> None:
    body = client.get("/api/search", params={"q": query}).json()
    assert body["index"] == "fts5"
    titles = [i["title"] or "" for i in body["items"]]
    assert body["total"] >= 1
    if query != "Hammouchi":
        # The constructed article spells it "الحموشى"; the examples write "حموشي" and "الحموشي".
        assert "الحموشى في الدوحة" in titles
        assert body["total"] >= 4


def test_search_phrases_and_no_match(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": '"وزير الداخلية"'}).json()["total"] >= 3
    assert client.get("/api/search", params={"q": "كلمةغيرموجودةابدا"}).json()["total"] == 0
    # FTS syntax in a query is taken as words, never as operators.
    for q in ['"', "AND", "NEAR(", "title:x", "*", "a OR"]:
        resp = client.get("/api/search", params={"q": q})
        assert resp.status_code == 200, (q, resp.text)


def test_search_snippet_is_plain_text(client: TestClient) -> None:
    item = client.get("/api/search", params={"q": "مسقط"}).json()["items"][0]
    assert "<script>" in item["snippet"] or "مسقط" in item["snippet"]
    assert item["matches"] >= 1


# --- export -------------------------------------------------------------------------------


def test_export_jsonl_follows_the_contract(client: TestClient) -> None:
    resp = client.get("/api/export?format=jsonl&what=extractions")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["content-disposition"]
    records = [json.loads(line) for line in resp.text.splitlines()]
    assert len(records) == client.get("/api").json()["counts"]["events"]
    for rec in records:
        assert rec["format_version"] == "1"
        assert {"id", "type", "actor", "host_country", "plover", "cameo", "sources"} <= set(rec)


def test_export_csv_has_the_contract_columns(client: TestClient) -> None:
    from marsad.export import CSV_COLUMNS

    resp = client.get("/api/export?format=csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == client.get("/api").json()["counts"]["events"]


def test_export_geojson_places_events(client: TestClient) -> None:
    data = client.get("/api/export?format=geojson").json()
    assert data["type"] == "FeatureCollection"
    feats = {f["properties"]["host_country"]: f for f in data["features"]}
    lon, lat = feats["ES"]["geometry"]["coordinates"]
    assert abs(lon - -3.7) < 0.5 and abs(lat - 40.4) < 0.5  # Madrid, from the city table
    assert feats["ES"]["properties"]["located_at"] == "city"
    assert all(f["geometry"] is None or f["geometry"]["type"] == "Point" for f in data["features"])


# --- ingest -------------------------------------------------------------------------------


def test_ingest_is_absent_without_a_token(client: TestClient) -> None:
    assert_error(client.post("/api/ingest", json={"text": "نص"}), 404, "not_found")


def test_ingest_needs_the_token_and_stores_articles(tmp_path: Path, web_db: Path,
                                                     web_settings: Settings) -> None:
    db = tmp_path / "ingest.db"
    db.write_bytes(web_db.read_bytes())
    settings = web_settings.replace(web={"ingest_token": "s3cret-token"})
    text = ("وصل وزير الداخلية التونسي خالد النوري إلى الرباط في زيارة عمل يلتقي خلالها "
            "نظيره المغربي عبد الوافي لفتيت لبحث الهجرة غير النظامية.")
    with TestClient(create_app(db, settings), raise_server_exceptions=False) as c:
        assert_error(c.post("/api/ingest", json={"text": text}), 403, "forbidden")
        assert_error(c.post("/api/ingest", json={"text": text},
                            headers={"Authorization": "Bearer wrong"}), 403, "forbidden")
        auth = {"Authorization": "Bearer s3cret-token"}
        assert_error(c.post("/api/ingest", json={"title": "بلا نص"}, headers=auth), 422, "invalid")
        assert_error(c.post("/api/ingest", content=b"{not json", headers={**auth, "content-type": "application/json"}),
                     422, "invalid")
        resp = c.post("/api/ingest", json={"text": text, "title": "النوري في الرباط", "id": "t-1"},
                      headers=auth)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["new"] == 1 and body["failed"] == 0
        doc = body["documents"][0]["id"]
        assert c.get(f"/api/articles/{doc}").json()["title"] == "النوري في الرباط"
        again = c.post("/api/ingest", json={"text": text, "title": "النوري في الرباط", "id": "t-1"},
                       headers=auth).json()
        assert again["new"] == 0 and again["duplicate"] == 1
        # a raw file body
        page = "<html><head><title>اختبار</title></head><body><p>" + text + "</p></body></html>"
        resp = c.post("/api/ingest?name=page.html", content=page.encode(),
                      headers={**auth, "content-type": "text/html"})
        assert resp.status_code == 201, resp.text
        # the new article is searchable at once
        found = c.get("/api/search", params={"q": "النوري"}).json()
        assert found["total"] >= 1
        # and its events belong to a story, as after `marsad ingest`
        events = c.get("/api/events", params={"document": doc}).json()["items"]
        assert events and all(e["story_id"] for e in events)


# --- any database version -----------------------------------------------------------------


def test_the_app_reads_an_older_database(tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    old = copy_as_old_schema(web_db, tmp_path / "old.db")
    with TestClient(create_app(old, web_settings)) as c:
        assert c.get("/api").json()["schema_version"] == 3
        assert c.get("/api/events").json()["items"]
        assert c.get("/api/stories").json()["items"] == []
        items = c.get("/api/entities").json()["items"]
        assert "person:abdellatif-hammouchi" in [e["id"] for e in items]
        assert c.get("/api/entities/person:abdellatif-hammouchi").status_code == 200
        body = c.get("/api/search", params={"q": "الحموشي"}).json()
        assert body["index"] == "scan" and body["total"] >= 4
        for page in ("/", "/search?q=حموشي", "/entities", "/map", "/relations", "/stories"):
            assert c.get(page).status_code == 200, page


def test_the_app_never_writes(tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    db = tmp_path / "ro.db"
    db.write_bytes(web_db.read_bytes())
    app = create_app(db, web_settings)
    conn = app.state.db.conn()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM events")
    app.state.db.close()


def test_filter_by_organisation(client: TestClient) -> None:
    items = client.get("/api/events?org=org:dgsn-ma&limit=100").json()["items"]
    assert items
    for item in items:
        orgs = [item["actor"]["org"]] + [c["org"] for c in item["counterparts"]]
        orgs.append((item["inviter"] or {}).get("org"))
        assert "org:dgsn-ma" in orgs
    assert client.get("/api/events?org=org:nothing").json()["items"] == []


def test_cached_aggregates_follow_writes(tmp_path: Path, web_db: Path, web_settings: Settings) -> None:
    from tests.web.conftest import constructed_articles

    db = tmp_path / "live.db"
    db.write_bytes(web_db.read_bytes())
    with TestClient(create_app(db, web_settings)) as c:
        before = {x["code"]: x for x in c.get("/api/countries").json()["items"]}
        count = c.get("/api/relations").json()["countries"]
        # another process writes: a new event, Moroccan minister in Madrid again
        from marsad.model import RawDocument
        from marsad.store import open_store

        (raw, article), *_ = constructed_articles()
        text = article.text + " "
        raw = RawDocument(source="tests/web/again.txt", data=text.encode(), fmt="text")
        article.doc_id = raw.sha256
        article.text = text
        article.events[0].id = raw.sha256[:12] + "-e1"
        article.events[0].doc_id = raw.sha256
        with open_store(db) as store:
            store.save_articles([(raw, article)])
        after = {x["code"]: x for x in c.get("/api/countries").json()["items"]}
        assert after["ES"]["visits_in"] == before["ES"]["visits_in"] + 1
        assert c.get("/api/relations").json()["countries"] != count
