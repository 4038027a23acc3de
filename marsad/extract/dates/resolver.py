"""The resolver: each tagged expression becomes an interval, with its anchor and reasoning.

Order of anchors (the first that applies wins, and ``reason`` says which and why):

1. the text itself: a stated year ("23 شتنبر 2025", "3/5/1445 هـ" converted Umm al-Qura);
2. the publication date (``article.published``) for relative words and dates without a year;
3. the year of the occasion named just before the date in the same sentence ("(SECURA 2024)
   الذي ينظم من 3 إلى 5 يونيو الجاري"), and then "now" as the text fixes it ("يونيو الجاري" of
   that year, or "اليوم" beside a full date) for the other relative words;
4. the ingest date, only with ``assume_year_from_ingest`` and marked ``assumed``;
5. otherwise the year stays unknown. A weekday beside a day and month lists the years of the
   ``weekday_year_min``..``weekday_year_max`` window it fits (``candidate_years``), never one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hijridate import Gregorian, Hijri

from marsad.arabic import normalize
from marsad.extract.dates.lexicon import tables
from marsad.extract.dates.tagger import has_visit_word, sentence_bounds
from marsad.model import PartialDate, TimeExpr
from marsad.settings import DateSettings

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
_DIR_WORD = {"past": "الماضي", "current": "الجاري", "next": "المقبل"}
_REL_WORD = {-2: "أول أمس", -1: "أمس", 0: "اليوم", 1: "غدا", 2: "بعد غد"}
_UNIT_WORD = {"week": "الأسبوع", "month": "الشهر", "year": "العام"}
#: How far before a date an occasion's name may stand and still give it its year (characters).
#: "(SECURA 2024) الذي ينظم من 3 إلى 5 يونيو" is 25; farther names belong to other clauses.
OCCASION_WINDOW = 160
#: A stated span longer than this is not used to place a weekday inside it.
SPAN_MAX_DAYS = 14


@dataclass(frozen=True, slots=True)
class Reference:
    """A date relative expressions are read against, and where it comes from."""

    value: PartialDate
    anchor: str
    why: str
    assumed: bool = False


def _d(p: PartialDate) -> dt.date:
    """A full calendar date (year, month and day must be known)."""
    assert p.year is not None and p.month is not None and p.day is not None
    return dt.date(p.year, p.month, p.day)


def _pd(d: dt.date, parsed: dict[str, Any] | None = None) -> PartialDate:
    hour = parsed.get("hour") if parsed else None
    minute = parsed.get("minute") if parsed and hour is not None else None
    return PartialDate(d.year, d.month, d.day, hour, minute)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _hijri(y: int, m: int, d: int) -> dt.date | None:
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def _hijri_month(y: int, m: int) -> tuple[dt.date, dt.date] | None:
    try:
        h = Hijri(y, m, 1)
        first = h.to_gregorian()
        last = Hijri(y, m, h.month_length()).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(first.year, first.month, first.day), dt.date(last.year, last.month, last.day)


def _ref_date(ref: Reference) -> dt.date | None:
    v = ref.value
    if v.year is None or v.month is None or v.day is None:
        return None
    return dt.date(v.year, v.month, v.day)


def _set(e: TimeExpr, start: PartialDate | None, end: PartialDate | None, anchor: str, reason: str) -> None:
    e.value_start = start
    e.value_end = end if end is not None else start
    e.precision = start.precision if start is not None else "unknown"
    e.anchor = anchor
    e.reason = reason


# --- the text's own dates ---------------------------------------------------------------------


def _explicit(e: TimeExpr) -> bool:
    """Resolve an expression whose year the text states. Returns whether it did."""
    p = e.parsed
    if "year" not in p:
        return False
    hijri = p.get("calendar") == "hijri"
    y = int(p["year"])
    if hijri and y >= 1900 and e.kind in ("date", "month"):
        return _hijri_in_gregorian_year(e, y)
    if e.kind in ("date", "range"):
        y2 = int(p.get("year2", y))
        m, d = int(p["month"]), int(p["day"])
        m2, d2 = int(p.get("month2", m)), int(p.get("day2", d))
        if hijri:
            a, b = _hijri(y, m, d), _hijri(y2, m2, d2)
            how = f"Hijri {d}/{m}/{y} converted with hijridate (Umm al-Qura)"
            if a is None or b is None:
                _set(e, None, None, "none", f"Hijri {d}/{m}/{y} is outside the Umm al-Qura table")
                return True
        else:
            a, b = _safe_date(y, m, d), _safe_date(y2, m2, d2)
            how = "year stated in the text"
            if a is None or b is None:
                _set(e, None, None, "none", f"{y}-{m:02d}-{d:02d} is not a calendar date")
                return True
        _set(e, _pd(a, p), _pd(b) if e.kind == "range" else _pd(a, p), "text", how + _weekday_note(p, a))
        return True
    if e.kind == "month":
        m = int(p["month"])
        if hijri:
            span = _hijri_month(y, m)
            if span is None:
                _set(e, None, None, "none", f"Hijri month {m}/{y} is outside the Umm al-Qura table")
                return True
            _set(e, _pd(span[0]), _pd(span[1]), "text",
                 f"Hijri month {m}/{y} converted with hijridate (Umm al-Qura)")
            return True
        _set(e, PartialDate(y, m), PartialDate(y, m), "text", "year stated in the text" + _part_note(p))
        return True
    if e.kind == "year":
        if hijri:
            a, b = _hijri(y, 1, 1), _hijri(int(p.get("year2", y)) + 1, 1, 1)
            if a is None or b is None:
                _set(e, None, None, "none", f"Hijri year {y} is outside the Umm al-Qura table")
                return True
            _set(e, _pd(a), _pd(b - dt.timedelta(days=1)), "text",
                 f"Hijri year {y} converted with hijridate (Umm al-Qura)")
            return True
        _set(e, PartialDate(y), PartialDate(int(p.get("year2", y))), "text", "year stated in the text")
        return True
    return False


def _hijri_in_gregorian_year(e: TimeExpr, gy: int) -> bool:
    """"رمضان 2025": the Hijri month (or day) that falls in Gregorian year ``gy``."""
    p = e.parsed
    m = int(p["month"])
    day = int(p["day"]) if "day" in p else None
    approx = int((gy - 622) * 33 / 32)
    found: list[tuple[int, dt.date, dt.date]] = []
    for hy in range(approx - 1, approx + 3):
        if day is None:
            span = _hijri_month(hy, m)
        else:
            one = _hijri(hy, m, day)
            span = (one, one) if one is not None else None
        if span is not None and span[0].year == gy:
            found.append((hy, span[0], span[1]))
    if len(found) != 1:
        why = "none" if not found else "two"
        _set(e, None, None, "none", f"{why} Hijri month {m} starts in {gy}: not resolved")
        return True
    hy, a, b = found[0]
    _set(e, _pd(a), _pd(b), "text",
         f"Hijri {m}/{hy}, the one that falls in {gy} (Gregorian year stated in the text); "
         "converted with hijridate (Umm al-Qura)")
    return True


def _weekday_note(p: dict[str, Any], d: dt.date) -> str:
    wd = p.get("weekday")
    if wd is None:
        return ""
    if d.weekday() == wd:
        return f"; {WEEKDAYS[wd]} as the text says"
    return f"; but {d.isoformat()} is a {WEEKDAYS[d.weekday()]}, not a {WEEKDAYS[wd]} as the text says"


def _part_note(p: dict[str, Any]) -> str:
    part = p.get("part")
    if part is None:
        return ""
    lo, hi = tables().part_days.get(part, (1, 31))
    return f"; {part} part of the month (days {lo}-{hi} by convention)"


# --- anchors from the text --------------------------------------------------------------------


def _needs_year(e: TimeExpr) -> bool:
    p = e.parsed
    return e.kind in ("date", "range", "month") and "year" not in p and "month" in p


def _occasion(e: TimeExpr, exprs: list[TimeExpr], text: str) -> Reference | None:
    """The year of an occasion named just before ``e`` in the same sentence."""
    best: TimeExpr | None = None
    for x in exprs:
        if x.end > e.start:
            break
        if x.kind == "name_year" and e.start - x.end <= OCCASION_WINDOW:
            best = x
        elif best is not None and "year" in x.parsed:
            best = None  # another year stands between the name and the date
    if best is None:
        return None
    lo, _hi = sentence_bounds(text, e.start)
    if best.start < lo:
        return None
    year = int(best.parsed["year"])
    return Reference(PartialDate(year), "occasion", f"occasion name {best.text.strip()}")


def _text_reference(exprs: list[TimeExpr]) -> Reference | None:
    """"Now" as the text fixes it: "اليوم" beside a full date, or "X الجاري" with a known year."""
    for e in exprs:
        v = e.value_start
        if (
            e.parsed.get("rel_day") == 0 and v is not None and v.year is not None
            and v.day is not None and e.anchor == "text" and e.kind == "date"
        ):
            return Reference(PartialDate(v.year, v.month, v.day), "text",
                             f"today = {v.iso()} as stated in «{e.text.strip()}»")
    for e in exprs:
        v = e.value_start
        if (
            e.parsed.get("dir") == "current" and e.kind in ("date", "range", "month")
            and v is not None and v.year is not None and e.anchor in ("text", "occasion")
        ):
            return Reference(PartialDate(v.year, v.month), e.anchor,
                             f"now = {v.year}-{v.month:02d} from «{e.text.strip()}» ({e.reason})")
    return None


# --- reading against a reference --------------------------------------------------------------


def _year_for(
    month: int, day: int | None, direction: str | None, ref: Reference, weekday: int | None = None
) -> tuple[int | None, str]:
    """The year of a month (and day) read against ``ref``, and why."""
    r = ref.value
    assert r.year is not None
    label = _DIR_WORD.get(direction or "", "")
    if ref.anchor == "occasion" and r.month is None:
        return r.year, f"year from {ref.why}" + (f" ({label})" if label else "")
    if direction == "current":
        return r.year, f"{label}: year of {ref.why}"
    if r.month is None:
        if direction is None:
            return r.year, f"year of {ref.why} (only the year is known)"
        return None, f"{label} needs the month of the reference; {ref.why} gives only the year"
    if direction in ("past", "next"):
        y = _year_by_direction(month, day, direction, r.year, r.month, r.day)
        return y, f"{label} relative to {ref.why}"
    base = dt.date(r.year, r.month, r.day or 15)
    years = (r.year - 1, r.year, r.year + 1)
    if weekday is not None and day is not None:
        fits = [y for y in years if (x := _safe_date(y, month, day)) is not None and x.weekday() == weekday]
        if len(fits) == 1:
            return fits[0], f"the year around {ref.why} in which it is a {WEEKDAYS[weekday]}"
    best, gap = r.year, 10**6
    for y in years:
        cand = _safe_date(y, month, day or 15) or _safe_date(y, month, 28)
        if cand is not None and abs((cand - base).days) < gap:
            best, gap = y, abs((cand - base).days)
    return best, f"nearest to {ref.why}"


def _year_by_direction(
    month: int, day: int | None, direction: str, year: int, ref_month: int, ref_day: int | None
) -> int:
    """The year of the last (``past``) or next (``next``) such month or day, seen from a date.

    A month alone is strictly before or after the reference month ("مارس الماضي" written in
    March is last year's); a day in the reference month with the reference day unknown is
    taken in that same month.
    """
    if day is None or ref_day is None:
        if month == ref_month:
            if day is not None:
                return year
            return year - 1 if direction == "past" else year + 1
        before = month < ref_month
    else:
        if (month, day) == (ref_month, ref_day):
            return year
        before = (month, day) < (ref_month, ref_day)
    if direction == "past":
        return year if before else year - 1
    return year + 1 if before else year


def _with_reference(e: TimeExpr, ref: Reference, text: str) -> bool:
    """Resolve ``e`` against ``ref``. Returns whether it could."""
    p = e.parsed
    kind = e.kind
    hijri = p.get("calendar") == "hijri"
    if "month_offset" in p:
        return _day_of_relative_month(e, ref)
    if kind in ("date", "range", "month") and "year" not in p:
        month = int(p["month"])
        day = int(p["day"]) if "day" in p else None
        if hijri:
            return _hijri_with_reference(e, ref)
        y, why = _year_for(month, day, p.get("dir"), ref, p.get("weekday"))
        if y is None:
            e.reason = why
            return False
        if kind == "month":
            _set(e, PartialDate(y, month), PartialDate(y, month), ref.anchor, why + _part_note(p))
        else:
            assert day is not None
            m2, d2 = int(p.get("month2", month)), int(p.get("day2", day))
            a = _safe_date(y, month, day)
            b = _safe_date(y + (1 if m2 < month else 0), m2, d2)
            if a is None or b is None:
                _set(e, None, None, "none", f"{y}-{month:02d}-{day:02d} is not a calendar date ({why})")
                return True
            note = "" if "in which it is" in why else _weekday_note(p, a)
            _set(e, _pd(a, p), _pd(b) if kind == "range" else _pd(a, p), ref.anchor, why + note)
            rel = p.get("rel_day")
            rd = _ref_date(ref)
            if rel is not None and rd is not None and rd + dt.timedelta(days=int(rel)) != a:
                e.reason += f"; {_REL_WORD.get(int(rel), rel)} would be {(rd + dt.timedelta(days=int(rel))).isoformat()}"
        e.assumed = ref.assumed
        return True
    if ref.anchor == "ingest":
        return False  # the ingest date only ever supplies a missing year
    r = ref.value
    assert r.year is not None
    rd = _ref_date(ref)
    if kind == "relative":
        unit = p.get("unit")
        if unit == "day":
            return _relative_day(e, ref)
        off = int(p.get("offset", 0))
        if "ago" in p:
            label = f"{abs(off)} {unit}(s) {'before' if off < 0 else 'after'}"
        else:
            label = f"{_UNIT_WORD.get(str(unit), unit)} {_DIR_WORD.get(p.get('dir', ''), '')}".strip()
        rel = f"{label} {ref.why}" if "ago" in p else f"{label} relative to {ref.why}"
        if unit == "year":
            _set(e, PartialDate(r.year + off), PartialDate(r.year + off), ref.anchor,
                 rel + _part_note(p).replace("month", "year"))
            return True
        if unit == "month":
            if r.month is None:
                e.reason = f"{label} needs the month of the reference; {ref.why} gives only the year"
                return False
            idx = r.year * 12 + (r.month - 1) + off
            y, m = divmod(idx, 12)
            _set(e, PartialDate(y, m + 1), PartialDate(y, m + 1), ref.anchor, rel + _part_note(p))
            return True
        if unit == "week":
            if rd is None:
                e.reason = f"{label} needs the day of the reference; {ref.why} is not a day"
                return False
            monday = rd - dt.timedelta(days=rd.weekday()) + dt.timedelta(days=7 * off)
            _set(e, _pd(monday), _pd(monday + dt.timedelta(days=6)), ref.anchor,
                 f"{label} relative to {ref.why} (weeks run Monday to Sunday)")
            return True
        return False
    if kind == "weekday":
        return _weekday(e, ref, text)
    return False


def _day_of_relative_month(e: TimeExpr, ref: Reference) -> bool:
    """"12 من الشهر الجاري": the day in the month the reference gives."""
    p = e.parsed
    r = ref.value
    off = int(p["month_offset"])
    label = f"الشهر {_DIR_WORD[('past', 'current', 'next')[off + 1]]}"
    if r.month is None or r.year is None or ref.anchor == "ingest":
        e.reason = f"{label} needs the month of the reference; {ref.why} gives only the year"
        return False
    y, m = divmod(r.year * 12 + r.month - 1 + off, 12)
    a = _safe_date(y, m + 1, int(p["day"]))
    b = _safe_date(y, m + 1, int(p.get("day2", p["day"])))
    if a is None or b is None:
        _set(e, None, None, "none", f"day {p['day']} is not in {y}-{m + 1:02d}")
        return True
    _set(e, _pd(a, p), _pd(b), ref.anchor, f"{label} relative to {ref.why}")
    return True


def _hijri_with_reference(e: TimeExpr, ref: Reference) -> bool:
    p = e.parsed
    r = ref.value
    assert r.year is not None
    base = dt.date(r.year, r.month or 7, r.day or 1)
    try:
        hy = Gregorian(base.year, base.month, base.day).to_hijri().year
    except (ValueError, OverflowError):
        return False
    m = int(p["month"])
    direction = p.get("dir")
    if direction in ("past", "next", "current"):
        h = Gregorian(base.year, base.month, base.day).to_hijri()
        day = int(p["day"]) if "day" in p else None
        if direction == "current":
            years = [hy]
        else:
            years = [_year_by_direction(m, day, direction, h.year, h.month, h.day if r.day else None)]
        label = f"{_DIR_WORD[direction]} relative to {ref.why}"
    else:
        years = [hy - 1, hy, hy + 1]
        label = f"nearest to {ref.why}"
    best: tuple[int, dt.date, dt.date] | None = None
    for y in years:
        if e.kind == "month":
            span = _hijri_month(y, m)
        else:
            a = _hijri(y, m, int(p["day"]))
            b = _hijri(y, int(p.get("month2", m)), int(p.get("day2", p["day"])))
            span = (a, b) if a is not None and b is not None else None
        if span is None:
            continue
        if best is None or abs((span[0] - base).days) < abs((best[1] - base).days):
            best = (y, span[0], span[1])
    if best is None:
        return False
    y, a, b = best
    _set(e, _pd(a), _pd(b), ref.anchor,
         f"Hijri year {y}: {label}; converted with hijridate (Umm al-Qura)")
    e.assumed = ref.assumed
    return True


def _month_of_reference(e: TimeExpr, ref: Reference, label: str) -> bool:
    """A day relative to a reference known only to the month (or year): the month, if any."""
    r = ref.value
    if r.month is not None:
        _set(e, PartialDate(r.year, r.month), PartialDate(r.year, r.month), ref.anchor,
             f"{label} relative to {ref.why}, known only to the month")
        return True
    e.reason = f"{label} needs the day of the reference; {ref.why} gives only the year"
    return False


def _relative_day(e: TimeExpr, ref: Reference) -> bool:
    p = e.parsed
    off = int(p.get("rel_day", 0))
    label = _REL_WORD.get(off, str(off)) if "ago" not in p else (
        f"{abs(off)} day(s) {'before' if off < 0 else 'after'}"
    )
    rd = _ref_date(ref)
    if rd is None:
        return _month_of_reference(e, ref, label)
    day = rd + dt.timedelta(days=off)
    why = f"{label} {ref.why}" if "ago" in p else f"{label} relative to {ref.why}"
    wd = p.get("weekday")
    if wd is not None and day.weekday() != wd:
        if off <= 0:
            fixed = day - dt.timedelta(days=(day.weekday() - wd) % 7)
            side = "preceding"
        else:
            fixed = day + dt.timedelta(days=(wd - day.weekday()) % 7)
            side = "following"
        why = (f"{label} relative to {ref.why} would be {day.isoformat()}, a {WEEKDAYS[day.weekday()]}; "
               f"the text says {WEEKDAYS[wd]}: the {side} {WEEKDAYS[wd]}")
        day = fixed
    elif wd is not None:
        why += f" ({WEEKDAYS[wd]} as the text says)"
    _set(e, _pd(day, p), _pd(day, p), ref.anchor, why)
    e.assumed = ref.assumed
    return True


def _weekday(e: TimeExpr, ref: Reference, text: str) -> bool:
    p = e.parsed
    wd = int(p["weekday"])
    rd = _ref_date(ref)
    if rd is None:
        return _month_of_reference(e, ref, WEEKDAYS[wd])
    direction = p.get("dir")
    base_wd = rd.weekday()
    if direction == "past":
        day = rd - dt.timedelta(days=(base_wd - wd - 1) % 7 + 1)
        why = f"{WEEKDAYS[wd]} {_DIR_WORD['past']} relative to {ref.why} (a {WEEKDAYS[base_wd]})"
    elif direction == "next":
        day = rd + dt.timedelta(days=(wd - base_wd - 1) % 7 + 1)
        why = f"{WEEKDAYS[wd]} {_DIR_WORD['next']} relative to {ref.why} (a {WEEKDAYS[base_wd]})"
    elif _future_sentence(text, e.start):
        day = rd + dt.timedelta(days=(wd - base_wd) % 7)
        why = f"the {WEEKDAYS[wd]} on or after {ref.why} (the sentence speaks of the future)"
    else:
        day = rd - dt.timedelta(days=(base_wd - wd) % 7)
        why = f"the {WEEKDAYS[wd]} on or before {ref.why} (a report of the past)"
    _set(e, _pd(day, p), _pd(day, p), ref.anchor, why)
    e.assumed = ref.assumed
    return True


def _future_sentence(text: str, pos: int) -> bool:
    lo, hi = sentence_bounds(text, pos)
    words = tables().words
    for w in normalize(text[lo:hi]).split():
        cats = words.get(w.strip(".,،:;()\"'"))
        if cats is not None and "future" in cats:
            return True
    return False


# --- the last steps -----------------------------------------------------------------------------


def _candidate_years(e: TimeExpr, cfg: DateSettings) -> None:
    p = e.parsed
    wd = p.get("weekday")
    m, d = int(p["month"]), int(p["day"])
    what = f"{WEEKDAYS[int(wd)] if wd is not None else ''} {d} {MONTHS[m]}".strip()
    years = [
        y for y in range(cfg.weekday_year_min, cfg.weekday_year_max + 1)
        if (x := _safe_date(y, m, d)) is not None and x.weekday() == wd
    ]
    e.candidate_years = years
    e.anchor = "weekday"
    if years:
        e.reason = f"{what} fits {', '.join(map(str, years))}; no anchor gives the year"
    else:
        e.reason = (f"no year in {cfg.weekday_year_min}-{cfg.weekday_year_max} has {what}; "
                    "no anchor gives the year")


def _without_year(e: TimeExpr) -> None:
    p = e.parsed
    m = int(p["month"])
    why = e.reason or "no year in the text and no publication date"
    if p.get("calendar") == "hijri":
        _set(e, None, None, "none", f"Hijri date without a year: not converted ({why})")
        return
    if e.kind == "month":
        _set(e, PartialDate(None, m), PartialDate(None, m), "none",
             f"{why}: year left unknown" + _part_note(p))
        return
    d = int(p["day"])
    start = PartialDate(None, m, d)
    end = PartialDate(None, int(p.get("month2", m)), int(p.get("day2", d))) if e.kind == "range" else start
    if not start.is_valid() or not end.is_valid():
        _set(e, None, None, "none", f"--{m:02d}-{d:02d} is not a calendar date")
        return
    _set(e, start, end, "none", f"{why}: year left unknown")


def _within_span(e: TimeExpr, exprs: list[TimeExpr], text: str) -> bool:
    """A weekday placed by the one stated span around it that holds that weekday once."""
    wd = e.parsed.get("weekday")
    if wd is None:
        return False
    for x in exprs:
        if x.kind != "range" or x.value_start is None or x.value_end is None:
            continue
        a, b = x.value_start, x.value_end
        if a.year is None or a.day is None or b.year is None or b.day is None:
            continue
        lo, hi = sorted((x.start, e.start))
        if "\n" in text[lo:hi]:
            continue
        first, last = _d(a), _d(b)
        if not 0 <= (last - first).days <= SPAN_MAX_DAYS:
            continue
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        hits = [d for d in days if d.weekday() == wd]
        if len(hits) == 1:
            _set(e, _pd(hits[0], e.parsed), _pd(hits[0], e.parsed), "text",
                 f"the only {WEEKDAYS[int(wd)]} within {first.isoformat()}..{last.isoformat()}, "
                 f"the span stated in «{x.text.strip()}»")
            return True
    return False


def _add_days(p: PartialDate, n: int) -> PartialDate:
    if p.year is not None:
        return _pd(_d(p) + dt.timedelta(days=n))
    assert p.month is not None and p.day is not None
    base = 2000 if (p.month, p.day) == (2, 29) else 2001  # any year: only month and day are kept
    d = dt.date(base, p.month, p.day) + dt.timedelta(days=n)
    return PartialDate(None, d.month, d.day)


def _durations(exprs: list[TimeExpr], text: str) -> None:
    """Extend the day a visit starts by the duration stated after it."""
    for k, dur in enumerate(exprs):
        n = dur.parsed.get("days")
        if dur.kind != "duration" or not n:
            continue
        starts = [
            x for x in exprs[:k]
            if x.kind in ("date", "weekday", "relative") and x.value_start is not None
            and x.value_start.day is not None and x.parsed.get("unit", "day") == "day"
            and x.value_end == x.value_start
        ]
        lo, hi = sentence_bounds(text, dur.start)
        # The start must be in the duration's sentence ("وصل الجمعة في زيارة تدوم أربعة أيام"),
        # or the duration must be said of the visit ("وأضاف أن الزيارة تدوم يوما واحدا"):
        # "ويستمر المعرض ثلاثة أيام" does not stretch a meeting reported before it.
        if starts and (starts[-1].start >= lo or has_visit_word(text[lo:hi])):
            start = starts[-1]
        else:
            dur.reason = "a duration with no start date of the same happening before it"
            continue
        assert start.value_start is not None
        first = PartialDate(start.value_start.year, start.value_start.month, start.value_start.day)
        last = _add_days(first, int(n) - 1)
        dur.value_start, dur.value_end = first, last
        dur.precision = first.precision
        dur.anchor = start.anchor
        dur.candidate_years = list(start.candidate_years)
        dur.assumed = start.assumed
        dur.parsed["start_of"] = [start.start, start.end]
        dur.reason = f"{n} day(s) from {first} («{start.text.strip()}»)"
        start.value_end = last
        start.parsed["duration_days"] = int(n)
        start.reason = (start.reason + "; " if start.reason else "") + (
            f"lasts {n} day(s) («{dur.text.strip()}»): ends {last}"
        )


def resolve_times(
    exprs: list[TimeExpr],
    text: str,
    published: PartialDate | None,
    cfg: DateSettings,
    ingest_date: dt.date | None = None,
    dateline: PartialDate | None = None,
) -> list[TimeExpr]:
    """Resolve tagged expressions in place (and return them), in text order.

    ``dateline`` is a day and month an agency dateline prints without a year ("الرياض في 26
    نوفمبر / بنا /"): with no publication date, "today" and "yesterday" are read against it and
    stay without a year.

    ``text`` is the text the offsets point into (for sentences and paragraphs). ``published``
    may be partial or missing. ``ingest_date`` is used only when
    ``cfg.assume_year_from_ingest`` is set (the CLI passes today's date), and only to supply a
    missing year; such values are ``assumed`` with anchor ``ingest``.
    """
    exprs.sort(key=lambda x: (x.start, x.end))
    for e in exprs:
        e.value_start = e.value_end = None
        e.precision, e.anchor, e.reason, e.candidate_years, e.assumed = "unknown", "none", "", [], False
        e.parsed.pop("duration_days", None)
        e.parsed.pop("start_of", None)
    pub: Reference | None = None
    if published is not None and published.year is not None:
        pub = Reference(published, "published", f"published {published.iso() or published.year}")
    pending: list[TimeExpr] = []
    for e in exprs:
        if e.kind == "name_year":
            name = e.parsed.get("name_word", "")
            e.reason = (f"year inside a name ({e.text.strip()}): the occasion's year, "
                        "not a date of the happening") if name else "year inside a name"
            continue
        if e.kind == "time":
            e.reason = "a time of day with no day beside it"
            continue
        if e.kind == "duration":
            continue
        if not _explicit(e):
            pending.append(e)
    # First the publication date, or else the year of an occasion named beside the date ...
    rest: list[TimeExpr] = []
    for e in pending:
        ref = pub
        if ref is None and _needs_year(e):
            ref = _occasion(e, exprs, text)
        if ref is None or not _with_reference(e, ref, text):
            rest.append(e)
    # ... then "now" as the text fixes it, and the ingest date only when asked.
    refs: list[Reference] = []
    if pub is None:
        text_ref = _text_reference(exprs)
        if text_ref is not None:
            refs.append(text_ref)
        if cfg.assume_year_from_ingest and ingest_date is not None:
            refs.append(Reference(
                PartialDate(ingest_date.year, ingest_date.month, ingest_date.day), "ingest",
                f"ingest date {ingest_date.isoformat()} (assume_year_from_ingest)", assumed=True,
            ))
    for e in rest:
        if any(_with_reference(e, ref, text) for ref in refs):
            continue
        if dateline is not None and _from_dateline(e, dateline):
            continue
        if _needs_year(e):
            _without_year(e)
            if e.parsed.get("weekday") is not None and e.kind in ("date", "range") and e.value_start is not None:
                _candidate_years(e, cfg)
        elif not _within_span(e, exprs, text) and not e.reason:
            e.reason = "needs the publication date, which is unknown"
    _durations(exprs, text)
    return exprs


def _from_dateline(e: TimeExpr, dateline: PartialDate) -> bool:
    """"اليوم" / "أمس" read against a dateline's day and month; the year stays unknown."""
    off = e.parsed.get("rel_day")
    if e.kind != "relative" or off not in (0, -1) or dateline.month is None or dateline.day is None:
        return False
    if off == -1 and dateline.day == 1:
        return False  # the day before the 1st needs the month's length, hence the year
    day = PartialDate(None, dateline.month, dateline.day + int(off))
    _set(e, day, day, "dateline", f"{_REL_WORD[int(off)]} relative to the dateline "
         f"--{dateline.month:02d}-{dateline.day:02d} (no year printed)")
    return True


__all__ = ["Reference", "resolve_times"]
