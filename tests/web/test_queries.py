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
