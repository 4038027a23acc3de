"""Finding and reading inputs: folders, globs, stdin; text, HTML, JSONL, WARC."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from marsad.ingest import iter_documents, read_article
from marsad.ingest.html import extract_html, iso_dates
from marsad.model import Failure, RawDocument
from marsad.settings import Settings
from tests.fixtures.files import ARTICLE_A, ARTICLE_B, html_page, warc_bytes, write_jsonl


def docs(paths: list[str], settings: Settings) -> list[RawDocument | Failure]:
    return list(iter_documents(paths, settings.ingest))


def test_folder_is_read_recursively_and_hidden_files_skipped(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(ARTICLE_A, "utf-8")
    (tmp_path / "a" / "deep").mkdir()
    (tmp_path / "a" / "deep" / "two.txt").write_text(ARTICLE_B, "utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE_A, "utf-8")
    found = docs([str(tmp_path)], settings)
    assert sorted(Path(d.source).name for d in found) == ["one.txt", "two.txt"]


def test_glob_and_missing_path(tmp_path: Path, settings: Settings) -> None:
    for i in range(3):
        (tmp_path / f"n{i}.txt").write_text(ARTICLE_A + str(i), "utf-8")
    found = docs([str(tmp_path / "n*.txt"), str(tmp_path / "nothing-here.txt")], settings)
    assert sum(isinstance(d, RawDocument) for d in found) == 3
    [missing] = [d for d in found if isinstance(d, Failure)]
    assert missing.code == "M008"


def test_stdin(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    fake = io.TextIOWrapper(io.BytesIO(ARTICLE_B.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    [doc] = docs(["-"], settings)
    assert isinstance(doc, RawDocument)
    assert doc.source == "<stdin>" and doc.fmt == "text"


def test_jsonl_records_metadata_and_bad_lines(tmp_path: Path, settings: Settings) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "x1", "text": ARTICLE_A, "url": "https://example.org/1", "outlet": "موقع أ",
         "published": "2025-04-14", "lang": "ar", "title": "عنوان أ"},
        {"html": html_page("عنوان ب", ARTICLE_B), "url": "https://example.org/2"},
        {"url": "https://example.org/3"},
    ])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    found = docs([str(path)], settings)
    good = [d for d in found if isinstance(d, RawDocument)]
    bad = [d for d in found if isinstance(d, Failure)]
    assert len(good) == 2 and len(bad) == 2
    assert {b.record for b in bad} == {3, 4}
    a = read_article(good[0], settings.ingest)
    assert a.external_id == "x1" and a.outlet == "موقع أ" and a.url == "https://example.org/1"
    assert a.published is not None and a.published.iso() == "2025-04-14"
    b = read_article(good[1], settings.ingest)
    assert "نص من السكربت" not in b.text and "حل مدير الأمن العام" in b.text


@pytest.mark.parametrize("gz", [True, False])
def test_warc_response_records(tmp_path: Path, gz: bool, settings: Settings) -> None:
    data = warc_bytes([
        ("https://news.example/a", html_page("خبر أ", ARTICLE_A)),
        ("https://news.example/b", html_page("خبر ب", ARTICLE_B)),
    ], gzip=gz)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    found = docs([str(path)], settings)
    assert [d.meta.url for d in found if isinstance(d, RawDocument)] == [
        "https://news.example/a", "https://news.example/b",
    ]
    art = read_article(found[0], settings.ingest)  # type: ignore[arg-type]
    assert art.published is not None and art.published.iso() == "2025-09-19"


def test_broken_warc_record_keeps_what_came_before(tmp_path: Path, settings: Settings) -> None:
    good = warc_bytes([("https://news.example/a", html_page("خبر أ", ARTICLE_A))], gzip=False)
    broken = good + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>cut"
    path = tmp_path / "broken.warc"
    path.write_bytes(broken)
    found = docs([str(path)], settings)
    assert isinstance(found[0], RawDocument)
    assert isinstance(found[-1], Failure) and found[-1].code == "M007"


def test_garbage_warc_is_a_failure(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not gzip")
    found = docs([str(path)], settings)
    assert len(found) == 1 and isinstance(found[0], Failure) and found[0].code == "M007"


def test_moroccan_month_in_html_is_dated_right() -> None:
    assert iso_dates("<time>19 شتنبر 2025</time>") == "<time>2025-09-19</time>"
    page = extract_html(html_page("زيارة", ARTICLE_A))
    assert page.date == "2025-09-19"
    assert page.title == "زيارة"


def test_unknown_extension_is_sniffed(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "page.dat").write_text(html_page("عنوان", ARTICLE_A), "utf-8")
    (tmp_path / "feed.dump").write_text('{"text": "نص قصير عن زيارة رسمية"}\n', "utf-8")
    found = {Path(d.source).name: d for d in docs([str(tmp_path)], settings)}
    assert found["page.dat"].fmt == "html"  # type: ignore[union-attr]
    assert found["feed.dump"].fmt == "jsonl"  # type: ignore[union-attr]
