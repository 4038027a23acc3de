"""The batch runner: hostile inputs, idempotent re-runs, versions of one URL, stage failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.ingest import iter_documents
from marsad.model import Article
from marsad.pipeline import STAGES, run_batch
from marsad.settings import Settings
from marsad.store import SqliteStore
from tests.fixtures.files import ARTICLE_A, ARTICLE_B, html_page, warc_bytes, write_jsonl


def ingest(paths: list[Path], settings: Settings, store: SqliteStore):  # type: ignore[no-untyped-def]
    return run_batch(iter_documents([str(p) for p in paths], settings.ingest), settings, store)


@pytest.fixture()
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good1.txt").write_text(ARTICLE_A, "utf-8")
    (folder / "good2.txt").write_text(ARTICLE_B, "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "huge.txt").write_bytes(("سطر عربي طويل للاختبار. " * 40 + "\n").encode("utf-8") * 24_000)
    (folder / "truncated.txt").write_bytes((ARTICLE_B + " أمن").encode("utf-8")[:-1])
    (folder / "legacy.txt").write_bytes(
        ARTICLE_A.replace("المنامة", "الدوحة").encode("cp1256")
    )
    (folder / "page.html").write_text(html_page("زيارة رسمية", ARTICLE_B.replace("أنقرة", "إسطنبول")), "utf-8")
    good = warc_bytes([("https://x.example/1", html_page("خبر", ARTICLE_A.replace("الكويتي", "القطري")))], gzip=False)
    (folder / "broken.warc").write_bytes(good + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\nxx")
    return folder


def test_hostile_batch_goes_on_and_records_reasons(
    hostile_folder: Path, settings: Settings, store: SqliteStore
) -> None:
    assert (hostile_folder / "huge.txt").stat().st_size > 20_000_000
    summary = ingest([hostile_folder], settings, store)
    failures = {Path(f["source"]).name: f for f in store.list_failures()}
    assert failures["empty.txt"]["code"] == "M001"
    assert failures["image.txt"]["code"] == "M002"
    assert failures["huge.txt"]["code"] == "M003"
    assert failures["broken.warc"]["code"] == "M007"
    warnings = {Path(f["source"]).name: f for f in store.list_failures("warning")}
    assert "truncated UTF-8" in warnings["truncated.txt"]["reason"]
    stored = {Path(r["source"]).name: r for r in store.list_articles()}
    assert {"good1.txt", "good2.txt", "truncated.txt", "legacy.txt", "page.html", "broken.warc"} <= set(stored)
    _, legacy = store.get_article(stored["legacy.txt"]["id"])
    assert legacy.encoding == "cp1256" and "الدوحة" in legacy.text
    _, page = store.get_article(stored["page.html"]["id"])
    assert "document.title" not in page.text and "نص من السكربت" not in page.text
    assert summary.new == 6 and summary.failed == 4


def test_rerun_adds_nothing(hostile_folder: Path, settings: Settings, store: SqliteStore) -> None:
    ingest([hostile_folder], settings, store)
    before = store.counts()
    summary = ingest([hostile_folder], settings, store)
    assert summary.new == 0 and summary.duplicate == 6
    after = store.counts()
    assert after["documents"] == before["documents"] and after["articles"] == before["articles"]
    assert after["failures"] == before["failures"]
    assert all(f["attempts"] == 2 for f in store.list_failures("error"))


def test_same_content_elsewhere_is_one_article_seen_twice(
    tmp_path: Path, settings: Settings, store: SqliteStore
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE_A, "utf-8")
    (tmp_path / "copy.txt").write_text(ARTICLE_A, "utf-8")
    summary = ingest([tmp_path / "a.txt", tmp_path / "copy.txt"], settings, store)
    assert summary.new == 1 and summary.duplicate == 1
    [row] = store.list_articles()
    assert row["sightings"] == 2


def test_same_url_new_content_is_a_linked_version(
    tmp_path: Path, settings: Settings, store: SqliteStore
) -> None:
    url = "https://example.org/news/42"
    write_jsonl(tmp_path / "v1.jsonl", [{"text": ARTICLE_A, "url": url}])
    write_jsonl(tmp_path / "v2.jsonl", [{"text": ARTICLE_A + "\nتحديث: انتهت الزيارة مساء أمس.", "url": url}])
    ingest([tmp_path / "v1.jsonl"], settings, store)
    ingest([tmp_path / "v2.jsonl"], settings, store)
    rows = store.list_articles()
    assert len(rows) == 2
    assert rows[1]["previous_version"] == rows[0]["id"]


def test_raw_bytes_are_kept_exactly(tmp_path: Path, settings: Settings, store: SqliteStore) -> None:
    data = b"\xef\xbb\xbf" + ARTICLE_B.replace("\n", "\r\n").encode("utf-8")
    (tmp_path / "crlf.txt").write_bytes(data)
    ingest([tmp_path / "crlf.txt"], settings, store)
    [row] = store.list_articles()
    assert store.get_raw(row["id"]) == data


def test_a_crashing_stage_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, settings: Settings, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    def explode(article: Article, cfg: object) -> Article:
        if "المنامة" in article.text:
            raise RuntimeError("boom")
        return article

    module = types.ModuleType("marsad_test_stage")
    module.explode = explode  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "marsad_test_stage", module)
    monkeypatch.setitem(STAGES, "explode", ("marsad_test_stage", "explode", "clean"))
    cfg = settings.model_copy(update={"pipeline": ["clean", "explode"]})
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, "utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, "utf-8")
    summary = ingest([folder], cfg, store)
    assert summary.new == 1 and summary.failed == 1
    [failure] = store.list_failures()
    assert failure["stage"] == "explode" and "RuntimeError: boom" in failure["reason"]


def test_a_batch_collects_garbage_less_often_and_restores_the_collector(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import gc

    from marsad.pipeline import BATCH_GC_THRESHOLD, run_batch
    from marsad.settings import load_settings
    from marsad.store import open_store

    before = gc.get_threshold()
    seen: list[int] = []
    store = open_store(tmp_path / "gc.db")
    try:
        run_batch([], load_settings(), store, progress=lambda item: seen.append(gc.get_threshold()[0]))

        class Probe:
            def has_document(self, doc_id: str) -> bool:
                seen.append(gc.get_threshold()[0])
                return True

            def add_source(self, raw) -> None:  # type: ignore[no-untyped-def]
                pass

            def save_articles(self, items) -> None:  # type: ignore[no-untyped-def]
                pass

            def save_failures(self, failures) -> None:  # type: ignore[no-untyped-def]
                pass

        from marsad.model import RawDocument

        run_batch([RawDocument(source="a.txt", data=b"x", fmt="text")], load_settings(), Probe())
    finally:
        store.close()
    assert seen and seen[0] >= BATCH_GC_THRESHOLD
    assert gc.get_threshold() == before
