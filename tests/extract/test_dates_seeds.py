"""The dates stage on the seed articles and the realdev excerpts (read at test time, never copied).

The texts live in ../shared (outside the repository); the conftest fixtures skip these tests with
a visible reason where they are absent. Expectations come from the seeds' brief and the realdev
``notes`` fields.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.clean import clean_article
from marsad.extract.dates import describe_time, extract_dates, tag_times
from marsad.extract.dates.resolver import resolve_times
from marsad.ingest import iter_documents, read_article
from marsad.model import Article, PartialDate, RawDocument, TimeExpr
from marsad.settings import DateSettings, Settings

SEEDS = {
    "000": "000_9664b6333194a4d8.txt",
    "002": "002_48b536697cb48f1a.txt",
    "003": "003_174be3a6b685c2fc.txt",
    "004": "004_933d8c02cf74ad84.txt",
}


def _stage(raw: RawDocument, settings: Settings) -> Article:
    a = clean_article(read_article(raw, settings.ingest), settings.clean)
    return extract_dates(a, settings.dates)


def seed(seeds_dir: Path, key: str, settings: Settings) -> Article:
    """One seed article through ingest, clean and the dates stage."""
    [raw] = list(iter_documents([str(seeds_dir / SEEDS[key])], settings.ingest))
    assert isinstance(raw, RawDocument), raw
    return _stage(raw, settings)


def dated(a: Article) -> list[TimeExpr]:
    """Expressions that can date a happening (not names, times of day or durations)."""
    return [t for t in a.times if not t.is_name_year and t.kind not in ("time", "duration")]


def shown(a: Article) -> str:
    return "\n".join(describe_time(t) for t in a.times)


def by_text(a: Article, needle: str) -> TimeExpr:
    hits = [t for t in a.times if needle in t.text]
    assert len(hits) >= 1, f"no expression with {needle!r}:\n{shown(a)}"
    return hits[0]


# --- seeds ---------------------------------------------------------------------------------------


def test_seed_000_range_without_year(seeds_dir: Path, settings: Settings) -> None:
    a = seed(seeds_dir, "000", settings)
    [t] = dated(a)
    assert (str(t.value_start), str(t.value_end)) == ("--02-08", "--02-12"), shown(a)
    assert t.kind == "range" and t.precision == "day_without_year"
    assert t.anchor == "none" and t.candidate_years == []


def test_seed_002_weekday_candidate_years(seeds_dir: Path, settings: Settings) -> None:
    a = seed(seeds_dir, "002", settings)
    ts = dated(a)
    assert ts, shown(a)
    for t in ts:  # the repeated paragraph is removed by clean; any copy must agree
        assert str(t.value_start) == "--09-23", shown(a)
        assert t.candidate_years == [2014, 2025, 2031]
        assert t.value_start is not None and t.value_start.year is None


def test_seed_003_published_weekday_and_month(seeds_dir: Path, settings: Settings) -> None:
    a = seed(seeds_dir, "003", settings)
    assert a.published is not None and a.published.iso() == "2022-06-18T15:27"
    rng = [t for t in dated(a) if t.kind == "range"]
    assert [(str(t.value_start), str(t.value_end)) for t in rng] == [("2022-06-16", "2022-06-17")], shown(a)
    wed = [t for t in dated(a) if t.kind == "weekday"]
    assert [str(t.value_start) for t in wed] == ["2022-06-15"], shown(a)
    assert "relative to published 2022-06-18" in wed[0].reason
    month = [t for t in dated(a) if t.parsed.get("unit") == "month"]
    assert [str(t.value_start) for t in month] == ["2022-05"], shown(a)
    assert all(t.anchor == "published" for t in dated(a))


def test_seed_004_year_from_occasion(seeds_dir: Path, settings: Settings) -> None:
    a = seed(seeds_dir, "004", settings)
    assert a.published is None
    rng = [t for t in dated(a) if t.kind == "range"]
    assert len(rng) == 1, shown(a)
    t = rng[0]
    assert (str(t.value_start), str(t.value_end)) == ("2025-09-18", "2025-09-20")
    assert t.anchor == "occasion"
    assert "year from occasion name IGEF 2025" in t.reason
    months = [t for t in dated(a) if t.kind == "month"]
    assert [str(m.value_start) for m in months] == ["2025-11"], shown(a)
    assert months[0].anchor == "occasion"


@pytest.mark.parametrize(
    ("key", "needle"),
    [("004", "كأس العالم 2030"), ("003", "مونديال 2022"), ("004", "الدورة 93"), ("000", "النسخة الثالثة")],
)
def test_seed_names_and_editions_give_no_date(
    seeds_dir: Path, settings: Settings, key: str, needle: str
) -> None:
    a = seed(seeds_dir, key, settings)
    pos = a.text.find(needle)
    assert pos >= 0, f"{needle!r} not in seed {key}"
    end = pos + len(needle)
    overlapping = [t for t in a.times if t.start < end and t.end > pos]
    for t in overlapping:
        assert t.is_name_year and t.value_start is None, describe_time(t)


# --- realdev ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def realdev(realdev_records: list[dict[str, Any]], settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Article]]:
    """Every realdev excerpt through ingest, clean and the dates stage, by id."""
    path = tmp_path_factory.mktemp("realdev") / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in realdev_records), "utf-8")
    out: dict[str, tuple[dict[str, Any], Article]] = {}
    recs = {r["id"]: r for r in realdev_records}
    for raw in iter_documents([str(path)], settings.ingest):
        assert isinstance(raw, RawDocument), raw
        a = _stage(raw, settings)
        assert a.external_id is not None
        out[a.external_id] = (recs[a.external_id], a)
    return out


def test_realdev_d034_weekday_against_page_date(realdev: dict[str, Any]) -> None:
    _rec, a = realdev["d034"]
    t = by_text(a, "الثلاثاء")
    assert str(a.published) == "2025-10-08"
    assert str(t.value_start) == "2025-10-07", describe_time(t)
    assert "preceding Tuesday" in t.reason


def test_realdev_d035_hijri_header(realdev: dict[str, Any]) -> None:
    rec, a = realdev["d035"]
    head = rec["text"][:200]
    exprs = resolve_times(tag_times(head), head, None, DateSettings())
    hijri = [t for t in exprs if t.parsed.get("calendar") == "hijri"]
    assert len(hijri) == 1, [describe_time(t) for t in exprs]
    assert str(hijri[0].value_start) == "2025-10-29"
    assert "Umm al-Qura" in hijri[0].reason
    greg = [t for t in exprs if t.kind == "date" and t.parsed.get("calendar") is None]
    assert greg and {str(t.value_start) for t in greg} == {"2025-10-29"}
    # the body's "today" is the page date
    today = by_text(a, "اليوم")
    assert str(today.value_start) == "2025-10-29"


def test_realdev_d040_hijri_numeric(realdev: dict[str, Any]) -> None:
    _rec, a = realdev["d040"]
    t = by_text(a, "1437")
    assert str(t.value_start) == "2016-05-16", describe_time(t)
    assert t.anchor == "text" and "Monday as the text says" in t.reason


def test_realdev_d022_gulf_dual_month(realdev: dict[str, Any]) -> None:
    _rec, a = realdev["d022"]
    t = by_text(a, "تموز")
    assert str(t.value_start) == "2016-07-11", describe_time(t)
    assert t.anchor == "text"


def test_realdev_d008_levantine_month_and_one_day(realdev: dict[str, Any]) -> None:
    _rec, a = realdev["d008"]
    t = by_text(a, "تشرين الأول")
    assert (str(t.value_start), str(t.value_end)) == ("--10-07", "--10-07"), describe_time(t)
    assert t.value_start is not None and t.value_start.year is None
    dur = [x for x in a.times if x.kind == "duration"]
    assert dur and dur[0].parsed["days"] == 1


def test_realdev_d001_us_date(realdev: dict[str, Any]) -> None:
    rec, a = realdev["d001"]
    assert str(a.published) == "2024-10-09T06:04"
    head = rec["text"].splitlines()[1]
    [t] = resolve_times(tag_times(head, lang="en"), head, None, DateSettings())
    assert str(t.value_start) == "2024-10-09T06:04", describe_time(t)
    wed = by_text(a, "Wednesday")
    assert str(wed.value_start) == "2024-10-09"


@pytest.mark.parametrize(
    ("doc", "needle", "start", "end", "anchor"),
    [
        ("d014", "الثلاثاء", "2025-11-25", None, "published"),
        ("d013", "الأحد", "2025-09-14", None, "published"),
        ("d023", "الخميس", "2025-07-31", None, "published"),
        ("d024", "14 أبريل", "--04-14", None, "weekday"),
        ("d028", "14 أبريل", "--04-14", None, "none"),
        ("d006", "يناير", "--01-28", None, "none"),
        ("d038", "نونبر", "2024-10-28", "2024-11-02", "text"),
        ("d038", "الثلاثاء", "2024-10-29", None, "text"),
        ("d031", "dimanche", "2024-02", None, "published"),
        ("d030", "أكتوبر", "--10-29", "--10-31", "none"),
    ],
)
def test_realdev_date_styles(
    realdev: dict[str, Any], doc: str, needle: str, start: str, end: str | None, anchor: str
) -> None:
    _rec, a = realdev[doc]
    t = by_text(a, needle)
    assert str(t.value_start) == start, describe_time(t)
    if end is not None:
        assert str(t.value_end) == end, describe_time(t)
    assert t.anchor == anchor, describe_time(t)


@pytest.mark.parametrize(("doc", "needle"), [("d025", "الثلاثاء"), ("d020", "أمس"), ("d012", "أمس")])
def test_realdev_relative_without_page_date_stays_open(realdev: dict[str, Any], doc: str, needle: str) -> None:
    _rec, a = realdev[doc]
    assert a.published is None
    t = by_text(a, needle)
    assert t.value_start is None, describe_time(t)


def test_realdev_d002_olympics_year_is_a_name(realdev: dict[str, Any]) -> None:
    _rec, a = realdev["d002"]
    t = by_text(a, "2024")
    assert t.is_name_year and t.value_start is None
    assert all(x.value_start is None for x in a.times)


def test_realdev_no_year_is_invented(realdev: dict[str, Any]) -> None:
    """A known year comes from the text, the page date or an occasion, never from nowhere."""
    for _doc, (_rec, a) in realdev.items():
        for t in a.times:
            if t.value_start is None or t.value_start.year is None:
                continue
            if a.published is None:
                assert t.anchor in ("text", "occasion"), describe_time(t)
            else:
                assert t.anchor in ("text", "published"), describe_time(t)
            assert not t.assumed


def test_realdev_gold_dates_are_found(realdev: dict[str, Any]) -> None:
    """Every gold start (and end) is the value of some expression of the article."""
    wanted = found = 0
    misses = []
    for doc, (rec, a) in sorted(realdev.items()):
        values = {(str(t.value_start), str(t.value_end)) for t in a.times if t.value_start is not None}
        starts = {s for s, _e in values}
        for ev in rec["gold"]:
            if ev["start"] is None:
                continue
            wanted += 1
            ok = (ev["start"], ev["end"]) in values if ev["end"] else ev["start"] in starts
            found += ok
            if not ok:
                misses.append((doc, ev["start"], ev["end"]))
    assert wanted >= 10
    assert found == wanted, misses


def test_seed_expressions_have_reasons(seeds_dir: Path, settings: Settings) -> None:
    for key in SEEDS:
        a = seed(seeds_dir, key, settings)
        for t in a.times:
            assert t.reason, describe_time(t)
            assert a.text[t.start : t.end] == t.text
        assert all(isinstance(t.value_start, PartialDate | None) for t in a.times)
