"""Read-only queries: search normalisation, keyset cursors, the migration, old databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.errors import StoreError
from marsad.model import Article, RawDocument, Span
from marsad.store import open_store, queries
from marsad.store.sqlite import migrations


@pytest.mark.parametrize(
    ("token", "core"),
    [
        ("الحموشي", "حموشي"),
        ("حموشي", "حموشي"),
        ("والحموشي", "حموشي"),
        ("بالحموشي", "حموشي"),
        ("للحموشي", "حموشي"),
        ("فالرباط", "رباط"),
        ("الرباط", "رباط"),
        ("وزير", "زير"),  # no article: the shortest clitic reading, the same for index and query
        ("الامن", "امن"),
        ("الحج", "الحج"),  # a two-letter stem keeps its article
    ],
)
def test_core_form(token: str, core: str) -> None:
    assert queries.core_form(token) == core


def test_search_columns_keep_positions() -> None:
    full, core = queries.search_columns("زار السيد الحموشى الرباطَ")
    assert full.split() == ["زار", "السيد", "الحموشي", "الرباط"]
    assert len(core.split()) == len(full.split())
    assert core.split()[2] == "حموشي"


def _db_with(tmp_path: Path, texts: dict[str, str]) -> sqlite3.Connection:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        items = []
        for title, text in texts.items():
            raw = RawDocument(source=f"{title}.txt", data=text.encode(), fmt="text")
            items.append((raw, Article(doc_id=raw.sha256, source=raw.source, fmt="text", text=text,
                                       title=title, paragraphs=[Span(0, len(text))])))
        store.save_articles(items)  # saving indexes each article
        with store.transaction() as tx:
            assert queries.reindex_search(tx) == 0  # only the missing ones: none
            assert queries.reindex_search(tx, only_missing=False) == len(texts)
    return queries.connect_readonly(db)


def _titles(conn: sqlite3.Connection, q: str) -> set[str]:
    rows, total = queries.search_articles(conn, q, limit=50)
    assert total == len(rows)
    return {r["title"] for r in rows}


def test_search_matches_spellings_but_not_inside_other_words(tmp_path: Path) -> None:
    conn = _db_with(tmp_path, {
        "a": "استقبل حموشي الوفد في الرباط.",
        "b": "قال السيد الحموشى إن التعاون مثمر.",
        "c": "وأكد الحموشي أهمية تبادل المعلومات.",
        "d": "زار وفد من ماليزيا العاصمة.",
        "e": "وصل الوزير إلى مالي أمس.",
        "f": "اجتمع وزير الداخلية بنظيره.",
    })
    assert _titles(conn, "الحموشي") == {"a", "b", "c"}
    assert _titles(conn, "حموشي") == {"a", "b", "c"}
    assert _titles(conn, "الحموشى") == {"a", "b", "c"}
    assert _titles(conn, "مالي") == {"e"}  # never inside ماليزيا
    assert _titles(conn, "ماليزيا") == {"d"}
    assert _titles(conn, "وزير") == {"e", "f"}  # "الوزير" and "وزير"
    assert _titles(conn, '"وزير الداخلية"') == {"f"}
    assert _titles(conn, "الحموشي الرباط") == {"a"}
    assert _titles(conn, "مال*") == {"d", "e"}
    assert queries.search_index_missing(conn) == 0


def test_highlight_terms_maps_back_to_the_original_spelling() -> None:
    text = "قال السيد الحموشى إن حموشية ليست اسما."
    terms = queries.parse_query("الحموشي").terms()
    spans = queries.highlight_terms(text, terms)
    assert [text[s:e] for s, e in spans] == ["الحموشى"]


def test_parse_query_never_passes_fts_syntax() -> None:
    q = queries.parse_query('NEAR(a b) OR "x y" -z title:w col*')
    expr = queries.fts_expression(q)
    assert "NEAR(" not in expr
    assert q.prefixes == ("col",)
    assert ("x", "y") in q.phrases


def test_cursor_round_trip_and_rejects_garbage() -> None:
    for cur in (queries.Cursor("2025-11-03", 42), queries.Cursor(None, 7), queries.Cursor("--02-08", 1)):
        assert queries.Cursor.decode(cur.encode()) == cur
    for bad in ("", "abc", "W10", "WyJ4Il0"):
        with pytest.raises(ValueError):
            queries.Cursor.decode(bad)


def test_migration_0005_is_in_place_and_creates_the_index(tmp_path: Path) -> None:
    assert 5 in {n for n, _, _ in migrations()}
    with open_store(tmp_path / "m.db") as store:
        assert queries.SEARCH_TABLE in queries.schema_tables(store.conn)
        plan = " ".join(str(tuple(r)) for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT e.id FROM events e JOIN articles a ON a.document_id = "
            "e.document_id ORDER BY e.start DESC, e.id DESC LIMIT 50"))
        assert "events_start" in plan and "TEMP B-TREE" not in plan  # no sort: keyset paging


def test_connect_readonly_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        queries.connect_readonly(tmp_path / "missing.db")


def test_index_article_is_a_no_op_without_the_table(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "bare.db")
    text = "نص قصير"
    queries.index_article(conn, 1, Article(doc_id="x", source="s", fmt="text", text=text,
                                           paragraphs=[Span(0, len(text))]))
    assert queries.search_index_missing(conn) is None


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    from marsad.web import create_app

    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite at all", "utf-8")
    with pytest.raises(StoreError) as info:
        create_app(bad)
    assert "[M040]" in str(info.value)


# --- the timeline: keyset pages and the ways a filter is read ---------------------------------


def _timeline_db(tmp_path: Path) -> Path:
    """24 events over 8 articles: dated (some on the same day), year-less and undated ones."""
    from marsad.model import Event, PartialDate, Party

    starts = [PartialDate(2025, 3, 4), PartialDate(2025, 3, 4), PartialDate(2024, 11, 2),
              PartialDate(None, 2, 8), PartialDate(None, 2, 8), None, PartialDate(2023, 1, 9),
              None, PartialDate(2025, 3, 4), PartialDate(None, 12, 1), PartialDate(2024, 6, 30),
              None]
    countries = ["MA", "ES", "FR", "QA"]
    db = tmp_path / "timeline.db"
    with open_store(db) as store:
        items = []
        for a in range(8):
            text = f"نص تجريبي رقم {a} عن زيارة رسمية."
            raw = RawDocument(source=f"t{a}.txt", data=text.encode(), fmt="text")
            article = Article(doc_id=raw.sha256, source=raw.source, fmt="text", text=text,
                              title=f"t{a}", paragraphs=[Span(0, len(text))])
            for k in range(3):
                n = a * 3 + k
                start = starts[n % len(starts)]
                article.events.append(Event(
                    id=f"{raw.sha256[:12]}-e{k + 1}", doc_id=raw.sha256,
                    type="visit" if n % 3 else "meeting",
                    actor=Party(f"person:p{n % 4}", f"اسم {n % 4}", None, None, None,
                                countries[n % 4]),
                    host_country=countries[(n + 1) % 4], start=start, end=start,
                    date_precision=start.precision if start else "unknown",
                    topics=["training"] if n % 5 == 0 else ["terrorism"],
                ))
            items.append((raw, article))
        store.save_articles(items)
        store.conn.execute("ANALYZE")  # with statistics SQLite would rather walk events_start
    return db


def _expected(conn: sqlite3.Connection, flt: queries.EventFilter) -> list[int]:
    """Every matching id in timeline order, computed in Python (NULL starts last)."""
    where, args = queries._event_where(conn, flt)
    rows = conn.execute("SELECT e.id, e.start FROM events e"
                        + (" WHERE " + " AND ".join(where) if where else ""), args).fetchall()
    dated = sorted((r for r in rows if r[1] is not None), key=lambda r: (r[1], r[0]), reverse=True)
    undated = sorted((r for r in rows if r[1] is None), key=lambda r: r[0], reverse=True)
    return [int(r[0]) for r in dated + undated]


def _walk(conn: sqlite3.Connection, flt: queries.EventFilter, limit: int) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        ids, cursor = queries.list_event_ids(conn, flt, limit=limit, cursor=cursor)
        seen += ids
        if cursor is None:
            return seen
    raise AssertionError("the pages never end")


FILTERS = [
    queries.EventFilter(),
    queries.EventFilter(country="MA"),
    queries.EventFilter(country="ES", direction="in"),
    queries.EventFilter(topic="training"),
    queries.EventFilter(topic="terrorism", type="visit"),
    queries.EventFilter(person="person:p1"),
    queries.EventFilter(date_from="2024", date_to="2025-03"),
    queries.EventFilter(topic="no-such-topic"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "country", "country-in", "topic",
                                              "topic-type", "person", "dates", "unknown-topic"])
@pytest.mark.parametrize("limit", [1, 2, 5, 100])
def test_keyset_pages_give_every_event_once_in_order(tmp_path: Path, flt: queries.EventFilter,
                                                     limit: int) -> None:
    conn = queries.connect_readonly(_timeline_db(tmp_path))
    expected = _expected(conn, flt)
    assert _walk(conn, flt, limit) == expected
    rows, _ = queries.list_events(conn, flt, limit=1000)
    assert [r["id"] for r in rows] == expected


def test_pages_cross_from_dated_to_undated_events(tmp_path: Path) -> None:
    conn = queries.connect_readonly(_timeline_db(tmp_path))
    rows = queries.list_events(conn, limit=1000)[0]
    starts = [r["start"] for r in rows]
    assert None in starts and any(s and s.startswith("--") for s in starts)
    n_dated = sum(s is not None for s in starts)
    # a page that ends on the last dated event continues with the undated ones
    ids, cursor = queries.list_event_ids(conn, limit=n_dated)
    assert cursor is not None and cursor.start is not None
    rest, end = queries.list_event_ids(conn, limit=1000, cursor=cursor)
    assert len(ids) + len(rest) == len(starts) and end is None
    # and a date range never reaches them
    start_of = {r["id"]: r["start"] for r in rows}
    ranged = _walk(conn, queries.EventFilter(date_from="2020"), 2)
    assert ranged and all(start_of[i] and start_of[i] >= "2020" for i in ranged)


def test_a_rare_topic_is_read_through_its_index_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = queries.connect_readonly(_timeline_db(tmp_path))
    flt = queries.EventFilter(topic="training", country="MA")
    monkeypatch.setattr(queries, "RARE_TOPIC", 0)  # never rare: checked along the timeline
    scanned = _walk(conn, flt, 2)
    monkeypatch.setattr(queries, "RARE_TOPIC", 10_000)  # always rare: through event_topics
    assert _walk(conn, flt, 2) == scanned == _expected(conn, flt)
    assert scanned


def test_selective_filters_do_not_walk_the_whole_timeline(tmp_path: Path) -> None:
    conn = queries.connect_readonly(_timeline_db(tmp_path))
    sql: list[str] = []
    conn.set_trace_callback(sql.append)
    queries.list_event_ids(conn, queries.EventFilter(story="no-such-story"))
    query = next(s for s in sql if "story_id" in s)
    plan = " ".join(str(tuple(r)) for r in conn.execute("EXPLAIN QUERY PLAN " + query))
    assert "events_story" in plan  # not a walk of events_start in date order


def test_readonly_connections_map_the_file(tmp_path: Path) -> None:
    conn = queries.connect_readonly(_timeline_db(tmp_path))
    assert conn.execute("PRAGMA mmap_size").fetchone()[0] == queries.MMAP_BYTES
    assert conn.execute("PRAGMA query_only").fetchone()[0] == 1
