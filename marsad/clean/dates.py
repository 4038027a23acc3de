"""Publication dates written in page headers: every Arabic month family, digits, times.

This reads only full dates (with a year) as pages print them over an article:
"السبت 18 يونيو 2022 على الساعة 15:27", "2025-09-14 | 08:31", "11 يوليو/ تموز 2016",
"الأربعاء 7 جمادى الأولى 1447 هـ - 29 أكتوبر 2025". The time expressions of the body (ranges,
relative dates, dates without a year) are the dates stage's work (marsad/extract/dates.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from marsad.arabic import fold_digits, normalize_with_map
from marsad.lexicon.calendar import (
    gregorian_months,
    hijri_months,
    latin_months,
    latin_weekdays,
    weekdays,
)
from marsad.model import PartialDate


@dataclass(frozen=True, slots=True)
class HeaderDate:
    """A date found in a header line, with its span in the original line."""

    value: PartialDate
    start: int
    end: int
    has_time: bool


def _alt(names: list[str]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    months = _alt(list(gregorian_months()))
    latin = _alt(list(latin_months()))
    hijri = _alt(list(hijri_months()))
    days = _alt(list(weekdays()) + list(latin_weekdays()))
    time = (
        r"(?:\s*(?:علي\s+الساعه|في\s+الساعه|الساعه|[-|،,/]|a|at|a\s+partir\s+de)?\s*"
        r"(?P<h>\d{1,2})[:h](?P<mi>\d{2})(?::\d{2})?\s*(?P<ampm>صباحا|مساء|ص|م|am|pm)?(?!\w))?"
    )
    return {
        "named": re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:من\s+)?(?P<m>{months})(?:\s*/\s*(?:{months}))?"
            rf"\s*[,،]?\s*(?P<y>\d{{4}})(?!\d){time}"
        ),
        "latin": re.compile(
            rf"(?<![\w])(?:(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{latin})\.?|(?P<m2>{latin})\.?\s+(?P<d2>\d{{1,2}}),?)"
            rf"\s+(?P<y>\d{{4}})(?!\d){time}"
        ),
        "iso": re.compile(
            rf"(?<![\d/])(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?![\d/]){time}"
        ),
        "numeric": re.compile(
            rf"(?<![\d/])(?P<a>\d{{1,2}})[/.-](?P<b>\d{{1,2}})[/.-](?P<y>\d{{4}})(?![\d/]){time}"
        ),
        "hijri": re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<m>{hijri})\s+(?P<y>1[34]\d\d)\s*(?:هـ|ه)?(?!\w)"
        ),
        "weekday": re.compile(rf"(?<!\w)(?:يوم\s+)?(?:{days})(?!\w)"),
    }


def _hour(h: int, ampm: str | None) -> int:
    if ampm in ("pm", "مساء", "م") and h < 12:
        return h + 12
    if ampm in ("am", "صباحا", "ص") and h == 12:
        return 0
    return h


_AMBIGUOUS = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/])")


_D = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_ANY_NUMERIC = re.compile(f"{_D}{{1,2}}[/.-]{_D}{{1,2}}[/.-]{_D}{{4}}")


def numeric_order(text: str, default: bool) -> bool:
    """Whether ``10/11/2025`` in this article is month/day (True) or day/month (False).

    ``default`` is the guess from the language (month first in English). A date with a month
    name near the top of the article settles it when it matches one reading: "Published:
    10/11/2025" above "Amman, Nov. 10 (Petra)" is the 10th of November whatever the language.
    The clean and dates stages both ask; the answer is kept for the article's head.
    """
    return _numeric_order(text[:1000], default)  # the header and the lead's dateline


@lru_cache(maxsize=64)
def _numeric_order(head: str, default: bool) -> bool:
    if not _ANY_NUMERIC.search(head):
        return default  # the common case: no numeric date at all (a few µs)
    pairs = [(int(a), int(b)) for a, b, _ in _AMBIGUOUS.findall(fold_digits(head))
             if int(a) <= 12 and int(b) <= 12 and a != b]
    if not pairs:
        return default
    named = {(day, month) for day, month, _, _ in _days_and_months(head)}
    for a, b in pairs:
        if (a, b) in named:
            return False  # day first
        if (b, a) in named:
            return True  # month first
    return default


@cache
def _day_month() -> re.Pattern[str]:
    months = _alt(list(gregorian_months()))
    latin = _alt(list(latin_months()))
    return re.compile(
        rf"(?<![\w\d])(?:(?P<d>\d{{1,2}})\s*(?P<m>{months}|{latin})|(?P<m2>{latin})\.?\s+(?P<d2>\d{{1,2}}))"
        rf"(?![\w\d])"
    )


def _days_and_months(line: str) -> Iterator[tuple[int, int, int, int]]:
    """Every day and month printed without a year: ``(day, month, start, end)`` in ``line``."""
    norm = normalize_with_map(line)
    text = fold_digits(norm.text)
    arabic, latin = gregorian_months(), latin_months()
    for m in _day_month().finditer(text):
        name = " ".join((m.group("m") or m.group("m2")).split()).rstrip(".")
        month = arabic[name][0] if name in arabic else latin.get(name)
        day = int(m.group("d") or m.group("d2"))
        if month is not None and 1 <= day <= 31:
            s, e = norm.orig_span(m.start(), m.end())
            yield day, int(month), s, e


def find_day_month(line: str) -> tuple[int, int, int, int] | None:
    """A day and month printed without a year ("الرياض في 26 نوفمبر / بنا /", "ROME, June
    10 (WAM)"): ``(day, month, start, end)`` in ``line``, or None."""
    return next(_days_and_months(line), None)


def find_header_dates(line: str, *, us_order: bool = False) -> list[HeaderDate]:
    """Full Gregorian dates (with year) in a header line, in order of appearance.

    Hijri dates are recognised so that they are not read as something else, but the Gregorian
    date printed beside them is the one returned. ``us_order`` reads ``10/9/2024`` as
    month/day (an English page, or a time with AM/PM).
    """
    norm = normalize_with_map(line)
    text = fold_digits(norm.text)
    pats = _patterns()
    found: list[tuple[int, int, PartialDate, bool]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    months, latin = gregorian_months(), latin_months()
    hijri: list[tuple[int, int, dict[str, str]]] = []
    for name in ("named", "latin", "iso", "numeric", "hijri"):
        for m in pats[name].finditer(text):
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            if name == "hijri":
                hijri.append((m.start(), m.end(), m.groupdict()))
                continue
            g = m.groupdict()
            year = int(g["y"])
            if name == "named":
                month, day = months[" ".join(g["m"].split())][0], int(g["d"])
            elif name == "latin":
                month = latin[(g["m"] or g["m2"]).rstrip(".")]
                day = int(g["d"] or g["d2"])
            elif name == "iso":
                month, day = int(g["m"]), int(g["d"])
            else:
                a, b = int(g["a"]), int(g["b"])
                us = us_order or (g.get("ampm") in ("am", "pm"))
                if a > 12:
                    us = False
                elif b > 12:
                    us = True
                month, day = (a, b) if us else (b, a)
            hour = minute = None
            if g.get("h") is not None:
                hour, minute = _hour(int(g["h"]), g.get("ampm")), int(g["mi"])
                if not (0 <= hour < 24 and 0 <= minute < 60):
                    hour = minute = None
            value = PartialDate(year, month, day, hour, minute)
            if not value.is_valid() or not 1900 <= year <= 2100:
                continue
            s, e = norm.orig_span(m.start(), m.end())
            found.append((s, e, value, hour is not None))
    if not found:
        # Only a Hijri date (Gulf agencies): its Gregorian day, Umm al-Qura calendar.
        for hs, he, g in hijri:
            converted = _hijri_to_gregorian(
                int(g["y"]), hijri_months()[" ".join(g["m"].split())], int(g["d"])
            )
            if converted is not None:
                s, e = norm.orig_span(hs, he)
                found.append((s, e, converted, False))
    found.sort(key=lambda f: f[0])
    return [HeaderDate(v, s, e, t) for s, e, v, t in found]


def _hijri_to_gregorian(year: int, month: int, day: int) -> PartialDate | None:
    from hijridate import Hijri

    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return PartialDate(g.year, g.month, g.day)


_FILLER = re.compile(
    r"(?<!\w)(?:اليوم|نشر\s+في|نشر|بتاريخ|تاريخ\s+النشر|اخر\s+تحديث|تم\s+التحديث|محدث|تحديث|في|يوم|"
    r"الموافق|م|published|updated|publie\s+le|publie|mis\s+a\s+jour\s+le|le|on|date|هـ|ه)(?!\w)"
    r"|[|:،,/\-–—()\s\d]"
)


def date_line_remainder(line: str, dates: list[HeaderDate]) -> str:
    """What is left of a line once its dates, weekdays and filler words are removed."""
    parts: list[str] = []
    pos = 0
    for d in dates:
        parts.append(line[pos : d.start])
        pos = d.end
    parts.append(line[pos:])
    rest = " ".join(parts)
    rest = fold_digits(normalize_with_map(rest).text)
    rest = _patterns()["hijri"].sub(" ", rest)
    rest = _patterns()["weekday"].sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    return " ".join(rest.split())


def parse_declared(value: str) -> PartialDate | None:
    """A date declared by a container (JSONL ``published``, HTML meta): ISO or a header form."""
    text = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::[\d.]+)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?", text)
    if m:
        parts = [int(p) if p else None for p in m.groups()]
        value_ = PartialDate(*parts)
        return value_ if value_.is_valid() else None
    dates = find_header_dates(text)
    return dates[0].value if dates else None
