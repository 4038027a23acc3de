"""The dates stage on sentences written for these tests, one rule each, and its contracts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from marsad.arabic import is_normalized, normalize
from marsad.extract.dates import describe_time, extract_dates, resolve_times, tag_times
from marsad.extract.dates.lexicon import SECTIONS, tables, variants
from marsad.extract.dates.tagger import fast_normalize
from marsad.lexicon.calendar import (
    ambiguous_months,
    gregorian_months,
    hijri_months,
    latin_months,
    latin_weekdays,
    weekdays,
)
from marsad.lexicon.load import load_yaml
from marsad.model import Article, Field, PartialDate, Span, TimeExpr
from marsad.pipeline import load_stage
from marsad.settings import DateSettings

DATA = Path(__file__).parent / "data" / "date_sentences.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(DATA.read_text("utf-8"))
CFG = DateSettings()


def run(text: str, pub: str | None, lang: str | None = None) -> list[TimeExpr]:
    """Tag and resolve one sentence against a publication date."""
    exprs = tag_times(text, lang=lang)
    return resolve_times(exprs, text, PartialDate.parse(pub), CFG)


def _str(p: PartialDate | None) -> str | None:
    return None if p is None else str(p)


# --- the table -------------------------------------------------------------------------------


def test_table_is_large_enough() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(CASES) >= 200
    negatives = [c for c in CASES if c["id"].startswith("neg-")]
    assert len(negatives) >= 30
    # negatives produce no date: nothing, or only years inside names
    assert all(all(x.get("kind") == "name_year" for x in c["expect"]) for c in negatives)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sentence(case: dict[str, Any]) -> None:
    text = case["text"]
    got = run(text, case.get("pub"), case.get("lang"))
    shown = "\n".join(describe_time(t) for t in got)
    assert [t.text for t in got] == [x["span"] for x in case["expect"]], shown
    for t, want in zip(got, case["expect"], strict=True):
        assert text[t.start : t.end] == t.text
        if "kind" in want:
            assert t.kind == want["kind"], shown
        if "start" in want:
            assert _str(t.value_start) == want["start"], shown
        if "end" in want:
            assert _str(t.value_end) == want["end"], shown
        if "precision" in want:
            assert t.precision == want["precision"], shown
        if "anchor" in want:
            assert t.anchor == want["anchor"], shown
        if "cy" in want:
            assert t.candidate_years == want["cy"], shown
        if "name" in want:
            assert t.is_name_year is want["name"], shown
        if "reason_has" in want:
            assert want["reason_has"] in t.reason, shown
        if t.value_start is not None:
            assert t.reason, "every resolution says why"
        if t.is_name_year:
            assert t.value_start is None, "a year inside a name is never a date of the happening"


# --- data files ----------------------------------------------------------------------------------


def test_time_words_are_normalised_and_unique() -> None:
    data = load_yaml("time_words.yaml")
    for section in SECTIONS:
        seen: dict[str, Any] = {}
        for key, value in data[section].items():
            for term in variants(value, section, key):
                assert is_normalized(term), f"{section}.{key}: {term!r} is not normalised"
                assert " ".join(term.split()) == term, f"{section}.{key}: {term!r} has stray spaces"
                assert term not in seen, f"{section}: {term!r} under {seen.get(term)} and {key}"
                seen[term] = key


def test_calendar_extra_is_normalised_and_unique() -> None:
    data = load_yaml("calendar_extra.yaml")
    for section in ("gregorian_months", "hijri_months", "weekdays"):
        seen: set[str] = set()
        for _key, names in (data[section] or {}).items():
            for name in names:
                assert is_normalized(name), f"{section}: {name!r} is not normalised"
                assert name not in seen, f"{section}: {name!r} twice"
                seen.add(name)
    for name in data["ambiguous_months"]:
        assert is_normalized(name)
        assert name in gregorian_months() or name in latin_months(), name


def test_calendar_families() -> None:
    months = gregorian_months()
    for name, num in [
        ("يناير", 1), ("ماي", 5), ("يوليوز", 7), ("غشت", 8), ("شتنبر", 9), ("نونبر", 11),
        ("دجنبر", 12), ("جانفي", 1), ("فيفري", 2), ("جوان", 6), ("جويليه", 7), ("اوت", 8),
        ("كانون الثاني", 1), ("شباط", 2), ("اذار", 3), ("نيسان", 4), ("ايار", 5), ("حزيران", 6),
        ("تموز", 7), ("اب", 8), ("ايلول", 9), ("تشرين الاول", 10), ("مايس", 5), ("يونيه", 6),
    ]:
        assert months[name][0] == num, name
    assert hijri_months()["رمضان"] == 9
    assert weekdays()["الثلاثاء"] == 1
    assert latin_weekdays(abbreviated=False)["mercredi"] == 2
    assert "sun" not in latin_weekdays(abbreviated=False)
    assert latin_weekdays()["mon"] == 0  # header lines read abbreviations
    assert latin_months()["octobre"] == 10
    assert {"مارس", "ماي", "اب"} <= ambiguous_months()


def test_tables_hold_every_month_family() -> None:
    words = tables().words
    assert words["شتنبر"]["month"] == 9
    assert words["مارس"].get("amb") is True
    assert "hmonth" in words["رمضان"]
    assert tables().phrases["كانون"]


# --- normalisation and offsets -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "أكَّد الوزيرُ يومَ الأربعاء، ١٢ فبراير ٢٠٢٤، أنّ «التعاون» مستمر — IGEF 2025 Éte",
        "مـسـاء أمس\u200f وصل الوفد إلى المؤسسة",
        "Le ministre est arrivé à Rabat’s hôtel",
    ],
)
def test_fast_normalize_matches_normalize(text: str) -> None:
    dropped = re.sub("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u200b-\u200f]", "", fast_normalize(text))
    assert dropped == normalize(text)


def test_spans_point_into_the_original_text_with_diacritics() -> None:
    text = "غادرَ الوفدُ مساءَ اليومِ، ٩ آذارَ، نحوَ بغدادَ."
    [t] = tag_times(text)
    assert t.text == "مساءَ اليومِ، ٩ آذارَ"
    assert text[t.start : t.end] == t.text
    assert (t.parsed["day"], t.parsed["month"]) == (9, 3)


def test_presentation_forms() -> None:
    text = "الخميس 7 ﺷﻮﺍﻝ 1446 ﻫ"
    [t] = run(text, None)
    assert text[t.start : t.end] == t.text
    assert _str(t.value_start) == "2025-04-05"


# --- the stage -----------------------------------------------------------------------------------


def _article(text: str, paragraphs: list[tuple[int, int]], published: PartialDate | None = None,
             title: tuple[int, int] | None = None) -> Article:
    a = Article(doc_id="x" * 64, source="test", fmt="text", text=text, lang="ar", published=published)
    a.paragraphs = [Span(s, e) for s, e in paragraphs]
    if title is not None:
        a.fields.append(Field("title", text[title[0] : title[1]], title[0], title[1], "header.title"))
    return a


def test_extract_dates_reads_title_and_kept_paragraphs_only() -> None:
    title = "الوزير يزور الرباط في 12 فبراير"
    chrome = "الجمعة 6 دجنبر 2024"
    body = "وصل الوزير أمس إلى الرباط."
    text = f"{title}\n{chrome}\n{body}"
    t0 = 0
    b0 = text.index(body)
    a = _article(text, [(b0, b0 + len(body))], PartialDate(2025, 2, 13), (t0, len(title)))
    out = extract_dates(a, CFG)
    assert [t.text for t in out.times] == ["12 فبراير", "أمس"]
    assert [str(t.value_start) for t in out.times] == ["2025-02-12", "2025-02-12"]


def test_stage_is_registered() -> None:
    fn, section = load_stage("dates")
    assert fn is extract_dates
    assert section == "dates"


def test_ingest_date_only_when_asked() -> None:
    text = "حل الوزير بالرباط يوم 12 فبراير."
    plain = resolve_times(tag_times(text), text, None, CFG, dt.date(2026, 3, 1))
    assert plain[0].anchor == "none" and str(plain[0].value_start) == "--02-12"
    cfg = DateSettings(assume_year_from_ingest=True)
    asked = resolve_times(tag_times(text), text, None, cfg, dt.date(2026, 3, 1))
    assert asked[0].anchor == "ingest"
    assert asked[0].assumed is True
    assert str(asked[0].value_start) == "2026-02-12"
    # a relative day is never read against the ingest date
    rel = resolve_times(tag_times("وصل الوفد أمس."), "وصل الوفد أمس.", None, cfg, dt.date(2026, 3, 1))
    assert rel[0].value_start is None


def test_weekday_window_comes_from_settings() -> None:
    text = "بدأ الوزير يوم الجمعة 16 ماي زيارة."
    narrow = DateSettings(weekday_year_min=2020, weekday_year_max=2030)
    [t] = resolve_times(tag_times(text), text, None, narrow)
    assert t.candidate_years == [2025]
    assert t.value_start is not None and t.value_start.year is None


def test_describe_time_is_one_line() -> None:
    [t] = run("بدأ الوزير يوم الجمعة 16 ماي الجاري زيارة.", None)
    line = describe_time(t)
    assert "\n" not in line
    assert "--05-16" in line and "2014, 2025, 2031" in line and "anchor weekday" in line
    [n] = run("يستعد المغرب لتنظيم كأس العالم 2030.", None)
    assert "name year" in describe_time(n)


def test_resolve_is_repeatable() -> None:
    text = "وصل الوفد أمس في زيارة لمدة ثلاثة أيام."
    exprs = run(text, "2025-03-12")
    again = resolve_times(exprs, text, PartialDate(2025, 3, 12), CFG)
    assert [(str(t.value_start), str(t.value_end)) for t in again] == [
        ("2025-03-11", "2025-03-13"), ("2025-03-11", "2025-03-13"),
    ]


def test_no_regex_is_compiled_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "حل الوفد يوم الجمعة 16 ماي 2025 على الساعة 10:30 في زيارة لمدة يومين."
    a = _article(text, [(0, len(text))])
    extract_dates(a, CFG)  # warm the caches

    def boom(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("regex compiled while processing an article")

    monkeypatch.setattr(re, "compile", boom)
    monkeypatch.setattr(re, "_compile", boom)
    b = _article(text, [(0, len(text))])
    assert extract_dates(b, CFG).times


# --- robustness ------------------------------------------------------------------------------------

_VOCAB_WORDS = (
    "من إلى بين و يوم يومي اليوم أمس غدا الثلاثاء والجمعة فبراير شتنبر كانون الثاني تشرين الأول "
    "آب مارس رمضان جمادى الأولى هـ م سنة عام العام الماضي المقبل الجاري مطلع منتصف الشهر الأسبوع "
    "هذا قبل منذ لمدة تستمر ثلاثة أيام يومين ليوم واحد الساعة العاشرة صباحا مساء صباح ( ) ، , . - "
    "/ : IGEF JO le du au octobre lundi dernier Oct last week ago two days il y a ﻫ ً ـ الثامن "
    "فاتح رقم القانون %"
)
_VOCAB = [*_VOCAB_WORDS.split(" "), "\n"]


def test_random_word_salad_never_breaks() -> None:
    """Shuffled time words, numbers and marks: no exception, spans exact, intervals ordered."""
    import random

    rng = random.Random(1)
    pubs = [None, PartialDate(2025, 3, 12), PartialDate(2024, 2), PartialDate(2025)]
    for _ in range(3000):
        toks = [
            rng.choice(_VOCAB) if rng.random() < 0.7
            else str(rng.choice([rng.randint(0, 40), rng.randint(1990, 2035), rng.randint(1400, 1460)]))
            for _ in range(rng.randint(1, 14))
        ]
        text = "".join(t + rng.choice([" ", " ", "", "  "]) for t in toks)
        exprs = resolve_times(tag_times(text, lang=rng.choice([None, "en"])), text, rng.choice(pubs), CFG)
        for t in exprs:
            assert t.start < t.end and text[t.start : t.end] == t.text
            a, b = t.value_start, t.value_end
            if a is not None and b is not None and None not in (a.year, a.day, b.year, b.day):
                assert (a.year, a.month, a.day) <= (b.year, b.month, b.day), describe_time(t)
