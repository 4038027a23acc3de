"""When an event happened, as far as its report says, and whether two such spans can agree.

Reports of one visit give its date in many ways: a full date, a day and month without a year
("--02-08"), a month, only a publication date ("yesterday" that the date stage could not
resolve leaves the event undated, but the article still says when it was printed), or nothing.
:func:`time_of` turns an item's dates into a :class:`TimeSpan`; :func:`compare_times` says
whether two spans can be one happening and how precise that agreement is. Nothing here guesses
a year: a yearless span is compared on its month and day only.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from marsad.model import PartialDate

SpanKind = Literal["day", "month", "year", "md", "mo", "pub", "none"]
Agreement = Literal["same_day", "near_day", "month_day", "coarse", "window", "published", "unknown"]

#: Days before its publication date that an undated report's event may have happened. News
#: reports a visit within a few days; ten leaves room for weekly round-ups.
REPORT_LAG_DAYS = 10
#: Two undated reports published further apart than this are not one happening.
MAX_PUBLISHED_GAP_DAYS = 30
#: Days after publication that an announced (planned) visit may take place.
PLANNED_LEAD_DAYS = 120

#: How much each kind of agreement says (used to rank links, not to decide them).
QUALITY: dict[Agreement, float] = {
    "same_day": 1.0, "near_day": 0.9, "month_day": 0.8, "coarse": 0.5, "window": 0.5,
    "published": 0.3, "unknown": 0.1,
}
_LEAP = 2000  # day-of-year arithmetic for yearless dates (29 February exists)


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """An event's time: kind and an inclusive range of ordinals.

    Year-known kinds (``day``, ``month``, ``year``) and ``pub`` (a window before the
    publication date) use proleptic ordinals; yearless kinds (``md``, ``mo``) use day-of-year
    numbers of a leap year.
    """

    kind: SpanKind
    lo: int = 0
    hi: int = 0

    @property
    def has_year(self) -> bool:
        """Whether the range is anchored in a year."""
        return self.kind in ("day", "month", "year", "pub")


def _bounds(d: PartialDate, year: int) -> tuple[int, int] | None:
    """First and last ordinal a partial date covers, ``year`` standing in for a missing year."""
    if d.month is None:
        if d.year is None:
            return None
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    if not d.is_valid():
        return None
    if d.day is None:
        last = calendar.monthrange(year, d.month)[1]
        return date(year, d.month, 1).toordinal(), date(year, d.month, last).toordinal()
    return date(year, d.month, d.day).toordinal(), date(year, d.month, d.day).toordinal()


def _doy(ordinal: int) -> int:
    return ordinal - date(_LEAP, 1, 1).toordinal()


def time_of(
    start: PartialDate | None,
    end: PartialDate | None,
    published: PartialDate | None,
    planned: bool = False,
) -> TimeSpan:
    """The :class:`TimeSpan` of an event from its stated dates and its article's date."""
    if start is not None and (start.year is not None or start.month is not None):
        if start.year is not None:
            b = _bounds(start, start.year)
            if b is not None:
                lo, hi = b
                if end is not None and end.year is not None:
                    e = _bounds(end, end.year)
                    if e is not None and e[1] >= lo:
                        hi = e[1]
                elif end is not None and end.month is not None:
                    e = _bounds(end, start.year)
                    if e is not None and e[1] >= lo:
                        hi = e[1]
                kind: SpanKind = "day" if start.day is not None else (
                    "month" if start.month is not None else "year")
                return TimeSpan(kind, lo, hi)
        else:
            b = _bounds(start, _LEAP)
            if b is not None:
                lo, hi = _doy(b[0]), _doy(b[1])
                if end is not None and end.month is not None:
                    e = _bounds(PartialDate(None, end.month, end.day), _LEAP)
                    if e is not None and _doy(e[1]) >= lo:
                        hi = _doy(e[1])
                return TimeSpan("md" if start.day is not None else "mo", lo, hi)
    if published is not None and published.year is not None and published.month is not None:
        b = _bounds(PartialDate(published.year, published.month, published.day), published.year)
        if b is not None:
            if planned:
                return TimeSpan("pub", b[0] - 1, b[1] + PLANNED_LEAD_DAYS)
            return TimeSpan("pub", b[0] - REPORT_LAG_DAYS, b[1] + 1)
    return TimeSpan("none")


def _distance(a: TimeSpan, b: TimeSpan) -> int:
    return max(0, b.lo - a.hi, a.lo - b.hi)


def _yearless(s: TimeSpan) -> tuple[int, int]:
    """A span's range as days of the (leap) year."""
    if not s.has_year:
        return s.lo, s.hi
    d_lo, d_hi = date.fromordinal(s.lo), date.fromordinal(s.hi)
    if s.hi - s.lo >= 365:
        return 0, 365
    lo = _doy(date(_LEAP, d_lo.month, d_lo.day).toordinal())
    hi = _doy(date(_LEAP, d_hi.month, d_hi.day).toordinal())
    return lo, hi if hi >= lo else hi + 366


def _cyclic_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    best = 10_000
    for shift in (-366, 0, 366):
        lo, hi = b[0] + shift, b[1] + shift
        best = min(best, max(0, lo - a[1], a[0] - hi))
    return best


def compare_times(a: TimeSpan, b: TimeSpan, gap: int) -> Agreement | None:
    """How two spans agree, or ``None`` when they cannot be one happening.

    ``gap`` is the largest number of days between two stated dates of one happening (reports
    disagree by a day or two on when a visit began).
    """
    if a.kind == "none" or b.kind == "none":
        return "unknown"
    if a.kind == "pub" and b.kind == "pub":
        d = _distance(a, b)
        if d > MAX_PUBLISHED_GAP_DAYS:
            return None
        return "published"
    if a.kind == "pub" or b.kind == "pub":
        window, other = (a, b) if a.kind == "pub" else (b, a)
        if other.has_year:
            return "window" if _distance(window, other) <= gap else None
        return "window" if _cyclic_distance(_yearless(window), _yearless(other)) <= gap else None
    if a.has_year and b.has_year:
        if _distance(a, b) > gap:
            return None
        if a.kind == "day" and b.kind == "day":
            return "same_day" if a.lo == b.lo else "near_day"
        return "coarse"
    if _cyclic_distance(_yearless(a), _yearless(b)) > gap:
        return None
    if "mo" in (a.kind, b.kind) or "month" in (a.kind, b.kind) or "year" in (a.kind, b.kind):
        return "coarse"
    return "month_day"
