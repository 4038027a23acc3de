"""The tagger: time expressions found in a text, with spans and the parts they state.

The text is normalised (see :mod:`marsad.arabic`), cut into tokens, and tokens are looked up in
the word tables of :mod:`marsad.extract.dates.lexicon` (proclitics و ف ب ل ك and لل stripped
when the whole token is not a known word; a token never matches inside a longer word, so
"مالي" is never "ماليزيا" and "ماي" is never inside "والحماية"). Multi-word names ("كانون
الثاني", "أول أمس") become one unit. A small hand-written grammar then reads expressions at
each unit that can start one, longest first. Nothing is resolved here: a :class:`TimeExpr`
leaves the tagger with its span, kind, rule and ``parsed`` parts only.

Segments without a digit or a time word are skipped before tokenisation: most paragraphs of a
news article hold no time expression, and this keeps the stage above 2,000 articles a second.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.arabic import (
    DIACRITICS,
    INVISIBLE,
    PRESENTATION,
    TATWEEL,
    normalize,
    normalize_with_map,
)
from marsad.extract.dates.lexicon import TOKEN, Cats, tables
from marsad.model import TimeExpr

_EMPTY: Cats = {}
#: Words of a normalised text, for the trigger lookup (every time word is Arabic or a-z; an
#: explicit class scans twice as fast as the Unicode ``[^\W\d_]``).
_WORD = re.compile(r"[a-z\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")
_PRES = re.compile(f"[{PRESENTATION}]")
_DROPPED = re.compile(f"[{DIACRITICS}{TATWEEL}{INVISIBLE}]")
_SENT_END = frozenset(".!?؟\n")
_MARKS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)] + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", TATWEEL]
)
_ORD_SUFFIX = frozenset({"er", "st", "nd", "rd", "th", "eme", "ere"})
#: Words a French or English month, unit or part may be preceded or joined by.
_LATIN_GLUE = frozenset({"de", "du", "of", "the", "la", "le", "l", "d", "'", "-"})
_VISIT_WORDS = ("زياره", "visite", "visit")


@cache
def _table() -> dict[int, int | None]:
    """``str.translate`` table equal to :func:`marsad.arabic.normalize` outside presentation forms."""
    out: dict[int, int | None] = {}
    ranges = [range(0, 0x700), range(0x2000, 0x2070), [0xFEFF]]
    for r in ranges:
        for cp in r:
            ch = chr(cp)
            n = normalize(ch)
            if n == ch:
                continue
            if n == "":
                out[cp] = None
            elif len(n) == 1:
                out[cp] = ord(n)
    return out


#: The frequent one-for-one replacements of :func:`marsad.arabic.normalize`, done with
#: ``str.replace`` (a C loop); ``str.translate`` with a dict costs about 80 ns a character on
#: Arabic text, three times the whole chain below.
_COMMON = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"),
    ("«", '"'), ("»", '"'), ("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-"),
)
_LATIN_RUN = re.compile(r"[A-Z\u00c0-\u024f]+")


@cache
def _split_table() -> tuple[re.Pattern[str], dict[int, int | None], dict[int, int | None], re.Pattern[str]]:
    """The rarer replacements (a pattern and a table), the Latin ones, and a pattern of every
    character that needs more than the common replacements."""
    table = _table()
    latin = {k: v for k, v in table.items() if 0x41 <= k <= 0x5A or 0xC0 <= k <= 0x24F}
    common = {ord(a) for a, _b in _COMMON}
    rare: dict[int, int | None] = {
        k: v for k, v in table.items()
        if k not in latin and k not in common and v is not None and k != v
    }
    rare_chars = "".join(re.escape(chr(k)) for k in sorted(rare))
    unusual = re.compile(f"[{rare_chars}A-Z\u00c0-\u024f{PRESENTATION}{DIACRITICS}{TATWEEL}{INVISIBLE}]")
    return re.compile(f"[{rare_chars}]"), rare, latin, unusual


def fast_normalize(seg: str) -> str:
    """The one-for-one replacements of :func:`marsad.arabic.normalize` (same length).

    Diacritics, tatweel and invisible marks are left for the caller to drop (with an offset
    map); presentation forms are not handled (the caller uses ``normalize_with_map``).
    """
    for a, b in _COMMON:
        if a in seg:
            seg = seg.replace(a, b)
    rare_re, rare, latin, _ = _split_table()
    if rare_re.search(seg):
        seg = seg.translate(rare)
    if _LATIN_RUN.search(seg):
        seg = _LATIN_RUN.sub(lambda m: m.group().translate(latin), seg)
    return seg


class _Offsets:
    """Maps offsets of the normalised segment back to the original text, and forth."""

    __slots__ = ("base", "dropped", "gaps", "nt")

    def __init__(
        self, base: int, gaps: list[int] | None, nt: Any = None, dropped: list[int] | None = None
    ) -> None:
        self.base = base
        self.gaps = gaps
        self.nt = nt
        #: Offsets (in the segment) of the characters normalisation dropped.
        self.dropped = dropped

    def to_norm(self, o: int) -> int:
        """Normalised offset of original (absolute) offset ``o``."""
        r = o - self.base
        if self.nt is not None:
            index = self.nt.index_map
            return r if index is None else bisect_left(index, r)
        if self.dropped is None:
            return r
        return r - bisect_left(self.dropped, r)

    def start(self, k: int) -> int:
        """Original offset of normalised offset ``k``."""
        if self.nt is not None:
            return self.base + int(self.nt.orig(k))
        if self.gaps is None:
            return self.base + k
        return self.base + k + bisect_right(self.gaps, k)

    def end(self, k: int) -> int:
        """Original end offset of a normalised span ending at ``k``."""
        if self.nt is not None:
            return self.base + int(self.nt.orig_end(k))
        if k <= 0:
            return self.base
        return self.start(k - 1) + 1


def _normalise(seg: str, base: int) -> tuple[str, _Offsets]:
    """The normalised segment and its offset map (one ``translate`` in the common case)."""
    if _split_table()[3].search(seg) is None:  # the common case: plain Arabic letters
        for a, b in _COMMON:
            if a in seg:
                seg = seg.replace(a, b)
        return seg, _Offsets(base, None)
    if _PRES.search(seg):
        nt = normalize_with_map(seg)
        return nt.text, _Offsets(base, None, nt)
    norm = fast_normalize(seg)
    if not _DROPPED.search(norm):
        return norm, _Offsets(base, None)
    dropped = [m.start() for m in _DROPPED.finditer(norm)]
    gaps = [p - j for j, p in enumerate(dropped)]
    return _DROPPED.sub("", norm), _Offsets(base, gaps, None, dropped)


# --- units ----------------------------------------------------------------------------------


class Unit:
    """A token (or a multi-word name) of the normalised text, with its categories."""

    __slots__ = ("cats", "clitic", "e", "nd", "num", "punct", "s", "w")

    def __init__(
        self, s: int, e: int, w: str, num: int | None, cats: Cats, punct: str | None, clitic: str
    ) -> None:
        self.s = s
        self.e = e
        self.w = w
        self.num = num
        self.nd = len(w) if num is not None else 0
        self.cats = cats
        self.punct = punct
        self.clitic = clitic

    def __repr__(self) -> str:
        return f"Unit({self.w!r}, {sorted(self.cats)})"


_SENTINEL = Unit(-1, -1, "", None, _EMPTY, "\0", "")


def _lookup(w: str) -> tuple[int, str, Cats] | None:
    """``(clitic length, stem, categories)`` of a word, proclitics stripped if needed."""
    words = tables().words
    cats = words.get(w)
    if cats is not None:
        return 0, w, cats
    if len(w) < 3 or not "\u0600" <= w[0] <= "\u06ff":
        return None
    rest, n = w, 0
    if rest[0] in "وف":
        rest, n = rest[1:], 1
        cats = words.get(rest)
        if cats is not None:
            return n, rest, cats
    if len(rest) > 2 and rest[0] in "بلك":
        if rest.startswith("لل"):
            # ل + ال contracts to لل: the span keeps the whole word ("للعام الماضي").
            cats = words.get("ا" + rest[1:])
            if cats is not None:
                return n, "ا" + rest[1:], cats
        cats = words.get(rest[1:])
        if cats is not None:
            return n + 1, rest[1:], cats
    return None


def _stems(w: str) -> list[tuple[int, str]]:
    """The word and its proclitic-stripped forms, for phrase lookup."""
    out = [(0, w)]
    if len(w) < 3 or not "\u0600" <= w[0] <= "\u06ff":
        return out
    rest, n = w, 0
    if rest[0] in "وف":
        rest, n = rest[1:], 1
        out.append((n, rest))
    if len(rest) > 2 and rest[0] in "بلك":
        if rest.startswith("لل"):
            out.append((n, "ا" + rest[1:]))
        out.append((n + 1, rest[1:]))
    return out


_Rows = list[tuple[tuple[str, ...], Cats]]
_Class = tuple[list[tuple[int, str, _Rows]], tuple[int, str, Cats] | None]
_PLAIN: _Class = ([], None)
#: Classification of every word form seen, so that a word is looked up once per process.
_SEEN: dict[str, _Class] = {}
_SEEN_MAX = 200_000


def _classify(w: str) -> _Class:
    """Phrase candidates and word categories of a token (cached)."""
    hit = _SEEN.get(w)
    if hit is not None:
        return hit
    phrases = tables().phrases
    rows = [(plen, stem, phrases[stem]) for plen, stem in _stems(w) if stem in phrases]
    found = _lookup(w)
    hit = (rows, found) if rows or found else _PLAIN
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    _SEEN[w] = hit
    return hit


def units_of(norm: str) -> list[Unit]:
    """The units of a normalised text, followed by three sentinels.

    A run of words that carry no time category becomes one unit (its last word): the grammar
    only needs to know that such words stand between two units, and which word precedes a year.
    """
    toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(norm)]
    out: list[Unit] = []
    plain = False
    i, n = 0, len(toks)
    while i < n:
        s, e, w = toks[i]
        c0 = w[0]
        if c0.isdigit():
            out.append(Unit(s, e, w, int(w), _EMPTY, None, ""))
            plain = False
            i += 1
            continue
        if not c0.isalpha():
            out.append(Unit(s, e, w, None, _EMPTY, w, ""))
            plain = False
            i += 1
            continue
        rows, found = _classify(w)
        if rows:
            merged = False
            for plen, stem, cands in rows:
                for rest, cats in cands:
                    k = len(rest)
                    if i + k < n and all(toks[i + 1 + j][2] == rest[j] for j in range(k)):
                        text = " ".join((stem, *rest))
                        out.append(Unit(s + plen, toks[i + k][1], text, None, cats, None, w[:plen]))
                        i += k + 1
                        merged = True
                        break
                if merged:
                    break
            if merged:
                plain = False
                continue
        if found is None:
            if plain:
                last = out[-1]
                last.s, last.e, last.w = s, e, w
            else:
                out.append(Unit(s, e, w, None, _EMPTY, None, ""))
                plain = True
        else:
            plen, stem, cats = found
            out.append(Unit(s + plen, e, stem, None, cats, None, w[:plen]))
            plain = False
        i += 1
    out.extend((_SENTINEL, _SENTINEL, _SENTINEL))
    return out


# --- hits -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    """An expression found at units ``[i, j)``."""

    i: int
    j: int
    kind: str
    rule: str
    parsed: dict[str, Any]


def _day(us: list[Unit], k: int) -> tuple[int, int] | None:
    """A day of the month (digits or an ordinal word) at ``k``: ``(day, next)``."""
    u = us[k]
    if u.num is not None:
        if u.nd <= 2 and 1 <= u.num <= 31:
            k += 1
            if us[k].w in _ORD_SUFFIX and us[k].s == u.e:
                k += 1
            return u.num, k
        return None
    o = u.cats.get("ord")
    if o is not None:
        return int(o), k + 1
    return None


def _month(us: list[Unit], k: int) -> tuple[int, str, bool, bool, int] | None:
    """A month name at ``k``: ``(month, calendar, ambiguous, after_shahr, next)``.

    Accepts "شهر فبراير" and the Gulf dual naming "يوليو/ تموز", "سبتمبر (أيلول)".
    """
    shahr = False
    u = us[k]
    if u.cats.get("unit") == "month" and u.w in ("شهر", "الشهر") and (
        "month" in us[k + 1].cats or "hmonth" in us[k + 1].cats
    ):
        shahr = True
        k += 1
        u = us[k]
    m = u.cats.get("month")
    if m is not None:
        k += 1
        if us[k].punct == "." and us[k].s == u.e and u.w.isascii() and len(u.w) <= 4:
            k += 1  # "Oct."
        p = us[k].punct
        if p in ("/", "(", "-", "،", ",") and us[k + 1].cats.get("month") == m:
            k += 2
            if p == "(" and us[k].punct == ")":
                k += 1
        return int(m), "gregorian", bool(u.cats.get("amb")) and not shahr, shahr, k
    hm = u.cats.get("hmonth")
    if hm is not None:
        return int(hm), "hijri", not shahr, shahr, k + 1
    return None


def _year(us: list[Unit], k: int, cal: str | None) -> tuple[int, str | None, int] | None:
    """A year after a date or a year word: ``(year, era, next)``; eras checked against ranges."""
    if us[k].punct in (",", "،") and us[k + 1].num is not None:
        k += 1
    if us[k].w == "من" and "yword" in us[k + 1].cats:
        k += 2
    elif "yword" in us[k].cats and us[k + 1].num is not None:
        k += 1
    u = us[k]
    if u.num is None or u.nd != 4:
        return None
    y = u.num
    k += 1
    era = us[k].cats.get("era")
    if era is not None and us[k].s - u.e <= 1:
        k += 1
    else:
        era = None
    if era is None and cal == "hijri" and 1300 <= y <= 1500:
        era = "hijri"
    if era == "hijri":
        if not 1300 <= y <= 1500:
            return None
    elif not 1900 <= y <= 2100:
        return None
    if _continues_number(us, k):
        return None
    return y, era, k


def _continues_number(us: list[Unit], k: int) -> bool:
    """Whether unit ``k`` glues more digits to the number before it ("2025.5", "2025%")."""
    u = us[k]
    if u.punct in ("%", "٪"):
        return True
    return u.punct in (".", ",", "/", ":") and us[k + 1].num is not None and u.s == us[k - 1].e and us[k + 1].s == u.e


def _dir(us: list[Unit], k: int) -> tuple[str, int] | None:
    d = us[k].cats.get("dir")
    if d is not None and us[k].w not in ("last", "past", "next", "coming"):
        return str(d), k + 1
    return None


def _conn(us: list[Unit], k: int) -> tuple[str, int] | None:
    """A range connector at ``k``: ``("to" | "and", next)``."""
    u = us[k]
    if u.punct == "-" or "rto" in u.cats:
        return "to", k + 1
    if "rand" in u.cats or u.punct in ("،", ","):
        return "and", k + 1
    return None


def _core(us: list[Unit], j: int, us_order: bool) -> Hit | None:
    """A date or a range of days with a month: the heart of most expressions."""
    hit = _numeric(us, j, us_order)
    if hit is not None:
        return hit
    k = j
    rfrom = us[k].cats.get("rfrom")
    if rfrom is not None:
        k += 1
    d = _day(us, k)
    if d is None:
        return _month_first(us, j, k, rfrom)
    days = [d[0]]
    k = d[1]
    joiner: str | None = None
    # "3 إلى 5", "3-5", "20 و21", "بين 3 و5", "4 و5 و6"
    while True:
        c = _conn(us, k)
        if c is None:
            break
        d2 = _day(us, c[1])
        if d2 is None or d2[0] <= days[-1]:
            break
        if c[0] == "to" and (joiner is not None or len(days) > 1):
            break
        if joiner is not None and c[0] != joiner:
            break
        joiner = c[0]
        days.append(d2[0])
        k = d2[1]
    rel_month = _month_of_reference(us, k)
    if rel_month is not None:
        parsed0: dict[str, Any] = {"day": days[0], "month_offset": rel_month[0]}
        if len(days) > 1:
            parsed0["day2"] = days[-1]
        return Hit(j, rel_month[1], "range" if len(days) > 1 else "date", "date.day_of_relative_month", parsed0)
    if us[k].w == "من" and ("month" in us[k + 1].cats or "hmonth" in us[k + 1].cats or us[k + 1].w in ("شهر", "الشهر")):
        k += 1
    mo = _month(us, k)
    if mo is None:
        return None
    month, cal, _amb, _shahr, k = mo
    parsed: dict[str, Any] = {"day": days[0], "month": month}
    if cal == "hijri":
        parsed["calendar"] = "hijri"
    y = _year(us, k, cal)
    if y is not None:
        parsed["year"] = y[0]
        if y[1] == "hijri":
            parsed["calendar"] = "hijri"
        k = y[2]
    if len(days) > 1:
        parsed["day2"] = days[-1]
        parsed["month2"] = month
        if joiner == "and" and rfrom != "between":
            parsed["days"] = days
        if "year" in parsed:
            parsed["year2"] = parsed["year"]
        rule = "range.days" if joiner == "and" and rfrom != "between" else "range.same_month"
        kind = "range"
    else:
        kind, rule = "date", "date.day_month"
        # Across months: "من 27 فبراير إلى 3 مارس", "29 شتنبر - 3 أكتوبر 2025"
        c = _conn(us, k)
        if c is not None and us[k].punct not in (",", "،"):
            d2 = _day(us, c[1])
            mo2 = _month(us, d2[1]) if d2 is not None else None
            if d2 is not None and mo2 is not None and mo2[1] == cal and (c[0] == "to" or rfrom == "between" or d2[0] == 1):
                k2 = mo2[4]
                parsed.update(day2=d2[0], month2=mo2[0])
                y2 = _year(us, k2, cal)
                if y2 is not None:
                    parsed["year2"] = y2[0]
                    k2 = y2[2]
                    if "year" not in parsed:
                        parsed["year"] = y2[0] - (1 if mo2[0] < month else 0)
                elif "year" in parsed:
                    parsed["year2"] = parsed["year"] + (1 if mo2[0] < month else 0)
                kind, rule, k = "range", "range.cross_month", k2
        if kind == "date" and rfrom == "from":
            parsed["from"] = True
    if "year" not in parsed:
        dr = _dir(us, k)
        if dr is not None:
            parsed["dir"] = dr[0]
            k = dr[1]
    if parsed.get("calendar") == "hijri":
        rule = rule.replace("date.", "date.hijri_").replace("range.", "range.hijri_")
    # "من" and "بين" belong to a range; before a single date they are left out of the span.
    start = j + 1 if rfrom is not None and kind == "date" else j
    return Hit(start, k, kind, rule, parsed)


def _month_of_reference(us: list[Unit], k: int) -> tuple[int, int] | None:
    """"من الشهر الجاري", "من هذا الشهر", "من الشهر الماضي" after a day: ``(offset, next)``."""
    if us[k].w != "من":
        return None
    k += 1
    this = "this" in us[k].cats
    if this:
        k += 1
    if us[k].cats.get("unit") != "month":
        return None
    k += 1
    if this:
        return 0, k
    d = _dir(us, k)
    if d is None:
        return None
    return {"past": -1, "current": 0, "next": 1}[d[0]], d[1]


def _month_first(us: list[Unit], j: int, k: int, rfrom: Any) -> Hit | None:
    """English and French month-first dates: "October 9, 2024", "Feb 8-12", "Oct. 9"."""
    u = us[k]
    m = u.cats.get("month")
    if m is None or not u.w.isascii():
        return None
    k += 1
    if us[k].punct == "." and len(u.w) <= 4:
        k += 1
    d = _day(us, k)
    if d is None:
        return None
    parsed: dict[str, Any] = {"day": d[0], "month": int(m)}
    k = d[1]
    kind, rule = "date", "date.month_day"
    c = _conn(us, k)
    if c is not None and c[0] == "to":
        d2 = _day(us, c[1])
        if d2 is not None and d2[0] > d[0]:
            parsed.update(day2=d2[0], month2=int(m))
            k, kind, rule = d2[1], "range", "range.month_days"
        elif "month" in us[c[1]].cats:
            m2 = us[c[1]].cats["month"]
            d3 = _day(us, c[1] + 1 + (us[c[1] + 1].punct == "."))
            if d3 is not None:
                parsed.update(day2=d3[0], month2=int(m2))
                k, kind, rule = d3[1], "range", "range.cross_month"
    y = _year(us, k, None)
    if y is not None and y[1] != "hijri":
        parsed["year"] = y[0]
        if kind == "range":
            parsed["year2"] = y[0]
            if parsed["month2"] < parsed["month"]:
                parsed["year"] = y[0] - 1
        k = y[2]
    return Hit(j, k, kind, rule, parsed)


def _numeric(us: list[Unit], j: int, us_order: bool) -> Hit | None:
    """Numeric dates: 16/05/2016, 2025-09-14, 3/5/1445 هـ (Hijri), 3/7/2023 in English."""
    a = us[j]
    if a.num is None:
        return None
    sep = us[j + 1].punct
    if sep not in ("/", "-", ".") or us[j + 2].num is None or us[j + 3].punct != sep or us[j + 4].num is None:
        return None
    if not (a.e == us[j + 1].s and us[j + 2].e == us[j + 3].s) and sep == ".":
        return None
    prev = us[j - 1] if j > 0 else _SENTINEL
    if prev.punct in ("/", "-", ".", ":") and j > 1 and us[j - 2].num is not None:
        return None
    b, c = us[j + 2], us[j + 4]
    k = j + 5
    if _continues_number(us, k) or (us[k].punct == sep and us[k + 1].num is not None):
        return None
    na, nb, nc = a.num, b.num, c.num
    assert nb is not None and nc is not None
    if a.nd == 4 and b.nd <= 2 and c.nd <= 2:
        y, m, d, rule = na, nb, nc, "date.iso"
    elif c.nd == 4 and a.nd <= 2 and b.nd <= 2:
        y = nc
        # Month first in English unless the first number cannot be a month ("23/09/2025");
        # day first elsewhere unless the second cannot be a month ("09/23/2025").
        if (us_order and na <= 12) or (not us_order and nb > 12 >= na):
            m, d, rule = na, nb, "date.numeric_mdy"
        else:
            d, m, rule = na, nb, "date.numeric_dmy"
    else:
        return None
    era = us[k].cats.get("era")
    if era is not None:
        k += 1
    elif 1300 <= y <= 1500:
        era = "hijri"
    parsed: dict[str, Any] = {"day": d, "month": m, "year": y}
    if era == "hijri":
        if not 1300 <= y <= 1500:
            return None
        parsed["calendar"] = "hijri"
        rule = "date.hijri_numeric"
    elif not 1900 <= y <= 2100:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return Hit(j, k, "date", rule, parsed)


def _clock(us: list[Unit], j: int) -> Hit | None:
    """A clock time: "على الساعة 10:45", "الساعة العاشرة صباحا", "15h30", "9:15 PM"."""
    k = j
    marked = False
    if "hourmark" in us[k].cats and us[k].w not in ("heures", "heure", "o ' clock"):
        marked = True
        k += 1
    u = us[k]
    hour: int | None = None
    minute: int | None = None
    if u.num is not None and u.nd <= 2 and u.num <= 24:
        hour = u.num
        k += 1
        if us[k].punct in (":", ".") and us[k + 1].num is not None and us[k + 1].nd == 2 and us[k].s == u.e:
            if us[k].punct == "." and not marked:
                return None
            minute = us[k + 1].num
            k += 2
            if us[k].punct == ":" and us[k + 1].num is not None and us[k + 1].nd == 2:
                k += 2  # seconds
        elif us[k].w == "h" and us[k].s == u.e:
            k += 1
            marked = True
            if us[k].num is not None and us[k].nd == 2 and us[k].s == us[k - 1].e:
                minute = us[k].num
                k += 1
        elif "hourmark" in us[k].cats and us[k].w in ("heures", "heure", "o ' clock"):
            marked = True
            k += 1
    elif marked and "hourw" in u.cats:
        hour = int(u.cats["hourw"])
        k += 1
    if hour is None:
        return None
    mw = us[k].cats.get("minw")
    if mw is not None:
        minute = int(mw) % 60 if mw > 0 else 45
        hour = hour if mw > 0 else hour - 1
        k += 1
    ampm = us[k].cats.get("ampm")
    if ampm is not None and us[k].w in ("م", "ص") and not (marked or minute is not None):
        ampm = None  # "10 م" is ten metres unless a clock time is announced
    if ampm is not None:
        k += 1
        if ampm == "pm" and hour < 12:
            if us[k - 1].w not in ("ليلا",) or hour >= 6:
                hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    elif not marked and minute is None:
        return None
    if minute is None and not marked and ampm is None:
        return None
    if hour > 24 or (minute is not None and minute > 59):
        return None
    parsed: dict[str, Any] = {"hour": hour % 24}
    if minute is not None:
        parsed["minute"] = minute
    return Hit(j, k, "time", "time.clock", parsed)


def _is_today_word(us: list[Unit], k: int) -> bool:
    """Whether a relative-day word is really "today"/"yesterday" and not "the day" of a name."""
    u = us[k]
    if u.w != "اليوم":
        return True
    if k > 0 and "daydet" in us[k - 1].cats:
        return False
    nxt = us[k + 1]
    return "daymod" not in nxt.cats


def _day_expr(us: list[Unit], j: int, us_order: bool) -> Hit | None:
    """Relative days and weekdays, with a date or not: "اليوم الأحد 9 نونبر الجاري",
    "يومي السبت والأحد (20 و21 يوليو)", "الأربعاء الماضي", "مساء أمس", "يوم أمس (الخميس)".
    """
    k = j
    parsed: dict[str, Any] = {}
    pre_part = us[k].cats.get("dpart")
    if pre_part is not None:
        parsed["part_of_day"] = pre_part
        k += 1
    prefix = False
    if "wdpre" in us[k].cats and ("relday" in us[k + 1].cats):
        k += 1
    rel = us[k].cats.get("relday")
    relpart = us[k].cats.get("relpart")
    if rel is not None and _is_today_word(us, k):
        parsed["rel_day"] = int(rel)
        k += 1
    elif relpart is not None:
        parsed["rel_day"] = int(relpart[0])
        parsed["part_of_day"] = relpart[1]
        k += 1
    if "rel_day" in parsed and "part_of_day" not in parsed and "dpart" in us[k].cats and "wd" not in us[k].cats:
        parsed["part_of_day"] = us[k].cats["dpart"]
        k += 1
    # weekday, maybe in brackets after a relative day: "يوم أمس (الخميس)"
    k_before_wd = k
    bracket = False
    if "rel_day" in parsed and us[k].punct == "(":
        bracket = True
        k += 1
    if "wdpre" in us[k].cats:
        prefix = True
        k += 1
    wd = us[k].cats.get("wd")
    if wd is None and (prefix or pre_part is not None):
        wd = us[k].cats.get("wdbare")
    if wd is not None:
        parsed["weekday"] = int(wd)
        k += 1
        if "rand" in us[k].cats and ("wd" in us[k + 1].cats or "wdbare" in us[k + 1].cats):
            nxt = us[k + 1].cats
            parsed["weekday2"] = int(nxt["wd"] if "wd" in nxt else nxt["wdbare"])
            k += 2
        elif "wd" in us[k].cats and us[k].clitic == "و":
            parsed["weekday2"] = int(us[k].cats["wd"])  # "الخميس والجمعة"
            k += 1
        if bracket:
            if us[k].punct == ")":
                k += 1
            else:
                return None
        if "part_of_day" not in parsed and "dpart" in us[k].cats:
            parsed["part_of_day"] = us[k].cats["dpart"]
            k += 1
    else:
        k = k_before_wd
    if "rel_day" not in parsed and "weekday" not in parsed:
        if pre_part is None and not prefix:
            return None
        # "صباح 3 شتنبر", "يوم 19 أبريل": a prefix before a date
        k = j + (1 if pre_part is not None else 0)
        if "wdpre" in us[k].cats:
            k += 1
        core = _core(us, k, us_order)
        if core is None or core.kind not in ("date", "range"):
            return None
        core.parsed.update(parsed)
        return Hit(j, core.j, core.kind, core.rule, core.parsed)
    # a date after the weekday or relative day: "الجمعة 16 ماي", "مساء اليوم، 9 آذار"
    k2 = k
    paren = False
    if us[k2].punct in ("،", ",", "-", "(", "/"):
        paren = us[k2].punct == "("
        k2 += 1
    if "wdpre" in us[k2].cats and us[k2].w == "يوم":
        k2 += 1
    core = _core(us, k2, us_order)
    if core is not None and core.kind in ("date", "range"):
        k = core.j
        if paren and us[k].punct == ")":
            k += 1
        core.parsed.update(parsed)
        return Hit(j, k, core.kind, core.rule.replace("date.", "date.weekday_") if "weekday" in parsed else core.rule, core.parsed)
    if "weekday" in parsed and "rel_day" not in parsed:
        dr = us[k].cats.get("dir")
        if dr is not None:
            parsed["dir"] = str(dr)
            k += 1
        if "part_of_day" not in parsed and "dpart" in us[k].cats:
            parsed["part_of_day"] = us[k].cats["dpart"]
            k += 1
        return Hit(j, k, "weekday", "weekday.dir" if "dir" in parsed else "weekday", parsed)
    parsed["unit"] = "day"
    return Hit(j, k, "relative", "relative.day", parsed)


def _english_prefixed(us: list[Unit], j: int) -> Hit | None:
    """English "last Monday", "next week", "this year", "last night"."""
    u = us[j]
    d = u.cats.get("dir")
    this = "this" in u.cats
    if d is None and not this:
        return None
    nxt = us[j + 1]
    parsed: dict[str, Any] = {"dir": "current" if this else str(d)}
    if "wd" in nxt.cats and nxt.w.isascii():
        parsed["weekday"] = int(nxt.cats["wd"])
        return Hit(j, j + 2, "weekday", "weekday.dir", parsed)
    unit = nxt.cats.get("unit")
    if unit is not None:
        parsed["unit"] = str(unit)
        parsed["offset"] = {"past": -1, "current": 0, "next": 1}[parsed["dir"]]
        return Hit(j, j + 2, "relative", f"relative.{unit}", parsed)
    return None


def _month_part(us: list[Unit], j: int, parsed: dict[str, Any]) -> int:
    """Read a part of the month ("منتصف", "مطلع", "fin de") at ``j`` into ``parsed``; return
    where the month or unit starts."""
    k = j
    part = us[k].cats.get("mpart")
    if part is not None:
        parsed["part"] = str(part)
        k += 1
        while us[k].w in _LATIN_GLUE and k < j + 3:
            k += 1
    return k


def _month_expr(us: list[Unit], j: int) -> Hit | None:
    """A month without a day: "فبراير الجاري", "نوفمبر المقبل", "دجنبر 2015", "منتصف أبريل"."""
    parsed: dict[str, Any] = {}
    k = _month_part(us, j, parsed)
    mo = _month(us, k)
    if mo is None:
        return None
    month, cal, amb, shahr, k = mo
    parsed["month"] = month
    if cal == "hijri":
        parsed["calendar"] = "hijri"
    y = _year(us, k, cal)
    if y is not None:
        parsed["year"] = y[0]
        if y[1] == "hijri":
            parsed["calendar"] = "hijri"
        k = y[2]
    else:
        dr = _dir(us, k)
        if dr is not None:
            parsed["dir"] = dr[0]
            k = dr[1]
    if amb and "year" not in parsed and "dir" not in parsed and "part" not in parsed:
        return None
    if cal == "hijri" and "year" not in parsed and not shahr:
        return None
    rule = "month.year" if "year" in parsed else ("month.dir" if "dir" in parsed else "month")
    if parsed.get("calendar") == "hijri":
        rule = "month.hijri"
    return Hit(j, k, "month", rule, parsed)


def _relative_unit(us: list[Unit], j: int) -> Hit | None:
    """Relative weeks, months and years: "الأسبوع الماضي", "مطلع الشهر", "l'an dernier"."""
    parsed: dict[str, Any] = {}
    k = _month_part(us, j, parsed)
    this = "this" in us[k].cats and "unit" in us[k + 1].cats
    if this:
        k += 1
    unit = us[k].cats.get("unit")
    if unit is None:
        return None
    k += 1
    dr = _dir(us, k)
    if dr is not None and not this:
        parsed["dir"] = dr[0]
        k = dr[1]
    elif this or ("part" in parsed and us[k - 1].w in ("الشهر", "العام", "السنه", "الاسبوع", "mois", "annee", "semaine")):
        parsed["dir"] = "current"
    else:
        return None
    parsed["unit"] = str(unit)
    parsed["offset"] = {"past": -1, "current": 0, "next": 1}[parsed["dir"]]
    return Hit(j, k, "relative", f"relative.{unit}", parsed)


def _year_range(us: list[Unit], k: int, parsed: dict[str, Any]) -> int:
    """Extend a year to a range: "2020-2025", "2024/2025", "عامي 2020 و2023"; returns next."""
    if (us[k].punct in ("-", "/") or "rto" in us[k].cats or "rand" in us[k].cats) and (
        us[k + 1].num is not None and us[k + 1].nd == 4
    ):
        y2 = _year(us, k + 1, parsed.get("calendar"))
        if y2 is not None and y2[0] > parsed["year"]:
            parsed["year2"] = y2[0]
            return y2[2]
    return k


def _year_expr(us: list[Unit], j: int) -> Hit | None:
    """A year: "سنة 2023", "في 2024", "1446 هـ"; or a year inside a name: "IGEF 2025"."""
    u = us[j]
    if "yword" in u.cats:
        if us[j + 1].num is None:
            return None
        y = _year(us, j, None)
        if y is None:
            return None
        parsed: dict[str, Any] = {"year": y[0]}
        if y[1] == "hijri":
            parsed["calendar"] = "hijri"
        return Hit(j, _year_range(us, y[2], parsed), "year", "year.word", parsed)
    if u.num is None or u.nd != 4 or u.w[0] == "0":
        return None
    prev = us[j - 1] if j > 0 else _SENTINEL
    if "blocker" in prev.cats or prev.num is not None:
        return None
    if "count" in us[j + 1].cats:
        return None
    y = _year(us, j, None)
    if y is None:
        return None
    year, era, k = y
    parsed = {"year": year}
    if era == "hijri":
        parsed["calendar"] = "hijri"
    k = _year_range(us, k, parsed)
    name_word = prev
    if prev.punct in ("(", '"', "'") and j > 1:
        name_word = us[j - 2] if us[j - 2].punct is None else _SENTINEL
    is_word = name_word.punct is None and name_word.num is None and name_word is not _SENTINEL
    if era is None and is_word and not (
        {"yprep", "rfrom", "rto", "rand", "mpart", "yword", "dir", "month"} & name_word.cats.keys()
    ):
        parsed["name_word"] = name_word.w
        start = j - 1 if name_word is prev else j - 2
        return Hit(start, k, "name_year", "name_year", parsed)
    return Hit(j, k, "year", "year.prep" if "yprep" in prev.cats else "year.bare", parsed)


def _amount(us: list[Unit], k: int) -> tuple[int, str, int] | None:
    """A counted unit at ``k``: "ثلاثة أيام", "5 أيام", "يومين", "أسبوع", "يوما واحدا"."""
    n: int | None = None
    v = us[k]
    if v.num is not None and v.nd <= 3:
        n, k = v.num, k + 1
    elif "numw" in v.cats and "dunit" not in v.cats:
        n, k = int(v.cats["numw"]), k + 1
    w = us[k]
    if "ddual" in w.cats and n is None:
        return 2, str(w.cats["ddual"]), k + 1
    if "dplural" in w.cats and n is not None:
        return n, str(w.cats["dplural"]), k + 1
    if "dunit" in w.cats:
        k += 1
        if n is None:
            # "قبل شهر رمضان", "منذ عام 2015", "قبل يوم الجمعة": a name follows, not a count
            if us[k].num is not None or _NAMED.intersection(us[k].cats):
                return None
            n = 1
            if us[k].cats.get("numw") == 1:
                k += 1
        return n, str(w.cats["dunit"]), k
    return None


_NAMED = frozenset({"month", "hmonth", "wd", "wdbare", "relday", "dir", "unit"})


def _ago(us: list[Unit], j: int) -> Hit | None:
    """A counted offset from today: "قبل يومين", "منذ ثلاثة أيام", "il y a deux jours", "2 days ago"."""
    u = us[j]
    direction = u.cats.get("ago")
    if direction is not None and u.w != "ago":
        amt = _amount(us, j + 1)
        if amt is None:
            return None
        k = amt[2]
        if us[k].w in ("من", "علي"):
            return None  # "قبل يومين من انطلاق القمة" counts from another event
    elif u.num is not None or "numw" in u.cats:
        amt = _amount(us, j)
        if amt is None or us[amt[2]].w != "ago":
            return None
        direction, k = "past", amt[2] + 1
    else:
        return None
    n, unit, _ = amt
    sign = -1 if direction == "past" else 1
    parsed: dict[str, Any] = {"ago": n * sign}
    if unit in ("day", "week"):
        parsed.update(unit="day", rel_day=sign * n * (7 if unit == "week" else 1))
    else:
        parsed.update(unit=unit, offset=sign * n)
    return Hit(j, k, "relative", f"relative.{unit}_count", parsed)


#: Characters a subject may take between a duration verb and its count ("الزيارة الرسمية").
DURATION_SUBJECT = 24


def _duration(us: list[Unit], j: int) -> Hit | None:
    """A duration: "لمدة ثلاثة أيام", "تستمر خمسة أيام", "استمرت يومين", "ليوم واحد"."""
    k = j
    u = us[k]
    if "dcue" in u.cats:
        k += 1
        if us[k].punct == "(":
            k += 1
        elif (
            not us[k].cats and us[k].punct is None and us[k].num is None
            and us[k].e - u.e <= DURATION_SUBJECT and (us[k + 1].cats or us[k + 1].num is not None)
        ):
            k += 1  # the subject between the verb and the count: "تستمر الزيارة ثلاثة أيام"
    elif not (u.clitic.endswith("ل") and ("dunit" in u.cats or "ddual" in u.cats)):
        return None
    amt = _amount(us, k)
    if amt is None or amt[0] <= 0:
        return None
    n, unit, k = amt
    parsed: dict[str, Any] = {"amount": n, "unit": unit}
    if unit in ("day", "week"):
        parsed["days"] = n * (7 if unit == "week" else 1)
    return Hit(j, k, "duration", "duration", parsed)


def _parse_at(us: list[Unit], i: int, us_order: bool) -> Hit | None:
    u = us[i]
    cats = u.cats
    best: Hit | None = None
    cands: list[Hit | None] = []
    if u.num is not None:
        cands += [_core(us, i, us_order), _year_expr(us, i), _clock(us, i), _ago(us, i)]
    else:
        if cats.keys() & {"ago", "numw"}:
            cands.append(_ago(us, i))
        if cats.keys() & {"rfrom", "ord", "month"}:
            cands.append(_core(us, i, us_order))
        if cats.keys() & {"relday", "relpart", "wd", "wdpre", "dpart"}:
            cands.append(_day_expr(us, i, us_order))
        if cats.keys() & {"month", "hmonth", "mpart", "unit"}:
            cands.append(_month_expr(us, i))
        if cats.keys() & {"unit", "mpart", "this"}:
            cands.append(_relative_unit(us, i))
        if cats.keys() & {"dir", "this"} and u.w.isascii():
            cands.append(_english_prefixed(us, i))
        if "yword" in cats:
            cands.append(_year_expr(us, i))
        if "hourmark" in cats:
            cands.append(_clock(us, i))
        if cats.keys() & {"dcue", "dunit", "ddual"}:
            cands.append(_duration(us, i))
    for c in cands:
        if c is not None and c.j > c.i and (best is None or c.j > best.j):
            best = c
    return best


def _merge_times(us: list[Unit], hits: list[Hit]) -> list[Hit]:
    """Attach a clock time to the date, weekday or relative day just before it."""
    out: list[Hit] = []
    for h in hits:
        prev = out[-1] if out else None
        if (
            h.kind == "time"
            and prev is not None
            and prev.kind in ("date", "weekday", "relative")
            and prev.parsed.get("unit", "day") == "day"
            and "hour" not in prev.parsed
            and h.i - prev.j <= 2
            and all(us[x].punct in (",", "،", "-", "|") or us[x].w in ("علي", "في", "a", "at", "vers", "حوالي")
                    for x in range(prev.j, h.i))
        ):
            prev.parsed.update(h.parsed)
            prev.j = h.j
            prev.rule += "+time"
            continue
        out.append(h)
    return out


def tag_units(us: list[Unit], *, us_order: bool = False) -> list[Hit]:
    """Every expression in the units, left to right, longest match first."""
    hits: list[Hit] = []
    i, n = 0, len(us) - 3
    while i < n:
        u = us[i]
        if u.num is None and not u.cats:
            i += 1
            continue
        h = _parse_at(us, i, us_order)
        if h is None:
            i += 1
            continue
        hits.append(h)
        i = h.j
    return _merge_times(us, hits)


def tag_segment(text: str, start: int, end: int, *, us_order: bool = False) -> list[TimeExpr]:
    """Time expressions of ``text[start:end]``, with offsets into ``text``."""
    return tag_spans(text, [(start, end)], us_order=us_order)


def tag_spans(text: str, spans: list[tuple[int, int]], *, us_order: bool = False) -> list[TimeExpr]:
    """Time expressions inside the given spans of ``text`` (sorted, not overlapping).

    The stretch from the first span to the last is normalised and searched for time words in
    one pass; only the parts of the windows found that lie inside a span are parsed, so text
    between the spans (removed page furniture) is never tagged.
    """
    out: list[TimeExpr] = []
    if not spans:
        return out
    lo, hi = spans[0][0], max(e for _s, e in spans)
    if lo >= hi:
        return out
    norm, offsets = _normalise(text[lo:hi], lo)
    kept = [(offsets.to_norm(s), offsets.to_norm(e)) for s, e in spans]
    firsts = [s for s, _e in kept]
    for a, b in _windows(norm):
        i = max(0, bisect_right(firsts, a) - 1)
        while i < len(kept) and kept[i][0] < b:
            ca, cb = max(a, kept[i][0]), min(b, kept[i][1])
            i += 1
            if ca >= cb:
                continue
            end = offsets.end(cb)
            us = units_of(norm[ca:cb])
            for h in tag_units(us, us_order=us_order):
                s = offsets.start(ca + us[h.i].s)
                e = offsets.end(ca + us[h.j - 1].e)
                while e < end and text[e] in _MARKS:
                    e += 1  # keep the diacritics and tatweel of the last letter: "غداً", "هـ"
                out.append(TimeExpr(
                    start=s, end=e, text=text[s:e], kind=h.kind, rule=h.rule, parsed=h.parsed,
                    is_name_year=h.kind == "name_year",
                ))
    return out


#: Characters kept around a digit or a time word. Before: what can precede an expression's
#: first such word ("ما بين", "صباح يوم", "بعد ظهر", the name before a year, "نفس" before
#: "اليوم"); after: what can follow its last one ("الساعة العاشرة والنصف صباحا", "تستمر الزيارة
#: ثلاثة أيام"). Windows are widened to whole words, kept inside their sentence, and merged
#: when they touch. (48/64 gave the same expressions on the seeds, realdev and the test table.)
WINDOW_BEFORE = 28
WINDOW_AFTER = 40
#: A unit word ("العام") needs its partner ("الماضي", "هذا", "مطلع", "قبل") this close.
PARTNER_REACH = 24
_DIGITS = re.compile(r"\d+")
_SENT_MARK = re.compile(r"[\n!?؟.]")


def _sentence_bounds(norm: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the sentences of a normalised text (no expression crosses one).

    A full stop ends a sentence unless a number follows it ("12.34", "3.5.1445", "Oct. 9") or
    it ends a one-letter abbreviation ("a.m."); the stop stays with the sentence it ends.
    """
    starts = [0]
    ends: list[int] = []
    n = len(norm)
    for m in _SENT_MARK.finditer(norm):
        p = m.start()
        ch = norm[p]
        if ch == ".":
            nxt = norm[p + 1 : p + 3]
            if nxt[:1].isdigit() or (nxt[:1] == " " and nxt[1:2].isdigit()):
                continue
            if p >= 1 and "a" <= norm[p - 1] <= "z" and (p < 2 or not norm[p - 2].isalpha()):
                continue
        ends.append(p if ch == "\n" else p + 1)
        starts.append(p + 1)
    ends.append(n)
    return starts, ends


def _occurrences(line: str, word: str) -> list[int]:
    out: list[int] = []
    p = line.find(word)
    while p != -1:
        out.append(p)
        p = line.find(word, p + len(word))
    return out


def _windows(line: str) -> list[tuple[int, int]]:
    """Stretches of a text around its digits and time words, where expressions can be.

    A window never crosses a sentence end (. ! ? ؟ or a newline; not a dot before a number, as
    in "12.34", "Oct. 9", nor the dot of a one-letter abbreviation, as in "a.m.").
    """
    hits = [(m.start(), m.end()) for m in _DIGITS.finditer(line)]
    tab = tables()
    words = _WORD.findall(line)
    for w in tab.triggers.intersection(words):
        hits.extend((p, p + len(w)) for p in _occurrences(line, w))
    units = tab.units.intersection(words)
    if units:
        partners = tab.partners.intersection(words)
        for w in units if partners else ():
            for p in _occurrences(line, w):
                near = line[max(0, p - PARTNER_REACH) : p + len(w) + PARTNER_REACH]
                if any(x in near for x in partners):
                    hits.append((p, p + len(w)))
    if not hits:
        return []
    hits.sort()
    starts, ends = _sentence_bounds(line)
    out: list[list[int]] = []
    for s, e in hits:
        k = bisect_right(starts, s) - 1
        lo, hi = starts[k], ends[k]
        a = max(lo, s - WINDOW_BEFORE)
        b = min(hi, e + WINDOW_AFTER)
        if a > lo:
            a = max(lo, line.rfind(" ", lo, a) + 1)
        if b < hi:
            sp = line.find(" ", b, hi)
            b = hi if sp == -1 else sp
        if out and out[-1][2] == k and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b, k])
    return [(a, b) for a, b, _k in out]


def has_visit_word(text: str) -> bool:
    """Whether a sentence speaks of a visit (used to tie a duration to the visit's start)."""
    norm = normalize(text)
    return any(w in norm for w in _VISIT_WORDS)


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence of ``text`` around ``pos``: ends at . ! ? ؟ or a newline (not inside 3.5)."""
    lo = pos
    while lo > 0:
        ch = text[lo - 1]
        if ch in _SENT_END and not (ch == "." and lo < len(text) and text[lo].isdigit()):
            break
        lo -= 1
    hi = pos
    n = len(text)
    while hi < n:
        ch = text[hi]
        if ch in _SENT_END and not (ch == "." and hi + 1 < n and text[hi + 1].isdigit() and hi > 0 and text[hi - 1].isdigit()):
            break
        hi += 1
    return lo, hi


__all__ = [
    "Hit", "Unit", "has_visit_word", "sentence_bounds", "tag_segment", "tag_spans", "tag_units",
    "units_of",
]
