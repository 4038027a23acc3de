"""The header above an article: tickers, headline and its variants, bylines, dates.

The header zone runs from the top of the text to the first body paragraph. Inside it:

- bulleted lines are a ticker of other stories' headlines;
- a line that holds only a date (and time) is the publication time, unless it has no time of
  day and sits in a masthead (next to staff or navigation lines): then it is the date the page
  was rendered, not the article's;
- "outlet: متابعة", "name – outlet", "city - outlet" lines give outlet and author;
- the remaining headline-shaped lines are the title and its variants (alternative titles);
  an exact repeat of the title is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.arabic import normalize
from marsad.clean.chrome import is_bullet, is_navigation, is_staff_title
from marsad.clean.dates import HeaderDate, date_line_remainder, find_header_dates
from marsad.clean.lines import Line
from marsad.lexicon.load import load_lines, load_terms
from marsad.lexicon.places import is_city_name
from marsad.model import PartialDate

_SENTENCE_END = tuple(".!؟?")
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
#: "كتب: محمد عبد الحميد", "بقلم: د. سامح الشاذلى", "Par Samira …": a writer line.
_WRITER = re.compile(r"^\s*(?:كتب|كتبت|بقلم|بواسطة|إعداد|اعداد|تحرير|par|by)\s*[:：-]?\s+(?:د\.\s*|dr\.?\s*)?", re.I)
#: Words a headline has and a "name – outlet" byline does not.
_FUNCTION_WORDS = frozenset(["في", "الي", "من", "علي", "مع", "بعد", "قبل", "عن", "و", "او", "ثم", "يزور", "يلتقي", "يستقبل"])
_BYLINE_SPLIT = re.compile(r"\s*[-–—_:|/]\s*|\s+[-–—]\s*")


@cache
def _given_names() -> frozenset[str]:
    return frozenset(load_lines("given_names.txt"))


@cache
def _outlet_words() -> frozenset[str]:
    return frozenset(load_terms("page_chrome.yaml")["outlet_words"])


@cache
def _tails() -> frozenset[str]:
    return frozenset(load_terms("page_chrome.yaml")["outlet_line_tails"])


def is_body_line(line: Line) -> bool:
    """A line that reads as article prose rather than a headline or a label."""
    if line.joined_to is not None:
        return True
    if line.words >= 25:
        return True
    end = line.text.rstrip(" \"'»”)")
    # "زيارة عمل إلى الجزائر.." ends a headline, not a sentence; so does a short question.
    if end.endswith(("؟", "?")):
        return line.words >= 14
    return line.words >= 5 and end.endswith(_SENTENCE_END) and not end.endswith("..")


def looks_like_person(norm: str) -> bool:
    """Two to four words starting with a known given name (or عبد + name)."""
    words = norm.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(w in _outlet_words() for w in words):
        return False
    return words[0] in _given_names() or words[0] == "عبد"


def looks_like_outlet(norm: str) -> bool:
    """A short name with a word that outlets use (نيوز، تيفي، اليوم، 24 …)."""
    words = norm.split()
    return 1 <= len(words) <= 4 and any(w in _outlet_words() for w in words)


@dataclass(slots=True)
class Byline:
    """What a byline or outlet line says."""

    outlet: tuple[int, int] | None = None
    author: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    rule: str = ""


def parse_byline(line: Line) -> Byline | None:
    """Outlet, author and dateline city of a short two-part line, or None if it is not one.

    Handles "ناظور سيتي: متابعة" (outlet + tail), "أحمد رباص – تنوير" (author – outlet),
    "مسقط - الرؤية" (city - outlet), "إكسبريس تيفي: مصطفى الفيلالي" (outlet: author),
    "هوسبريس_خالد غوتي" (outlet_author).
    """
    if line.words > 8 or line.words < 1:
        return None
    text = line.text.rstrip(" :")
    if _WRITER.match(text):
        name = _WRITER.sub("", text).strip()
        if 1 <= len(name.split()) <= 5:
            s = line.start + text.index(name)
            return Byline(author=(s, s + len(name)), rule="byline.writer")
    splitter = r"[^-–—_:|/]+" if not _DIGIT.search(text) else r"[^-–—_:|]+"
    parts = [m for m in re.finditer(splitter, text)]
    if len(parts) != 2:
        return None
    spans = []
    for m in parts:
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            return None
        spans.append((line.start + s, line.start + e, " ".join(normalize(text[s:e]).split())))
    (s1, e1, n1), (s2, e2, n2) = spans
    if len(n1.split()) > 4 or len(n2.split()) > 4:
        return None
    if n2 in _tails():
        return Byline(outlet=(s1, e1), rule="byline.outlet_tail")
    if n1 in _tails():
        return Byline(outlet=(s2, e2), rule="byline.outlet_tail")
    city1, city2 = is_city_name(n1), is_city_name(n2)
    if city1 and not city2:
        return Byline(outlet=(s2, e2), dateline=(s1, e1), rule="byline.city_outlet")
    if city2 and not city1:
        return Byline(outlet=(s1, e1), dateline=(s2, e2), rule="byline.outlet_city")
    p1, p2 = looks_like_person(n1), looks_like_person(n2)
    o1, o2 = looks_like_outlet(n1), looks_like_outlet(n2)
    if p1 and not p2:
        return Byline(author=(s1, e1), outlet=(s2, e2), rule="byline.author_outlet")
    if p2 and not p1:
        return Byline(author=(s2, e2), outlet=(s1, e1), rule="byline.outlet_author")
    if o1 and not o2 and len(n2.split()) == 1:
        return Byline(outlet=(s1, e1), dateline=(s2, e2), rule="byline.outlet_city")
    if o2 and not o1 and len(n1.split()) == 1:
        return Byline(outlet=(s2, e2), dateline=(s1, e1), rule="byline.city_outlet")
    if (
        line.text.count("–") + line.text.count("—") == 1
        and 2 <= len(n1.split()) <= 3
        and len(n2.split()) <= 2
        and not (set(n1.split()) | set(n2.split())) & _FUNCTION_WORDS
    ):
        # "الاسم – المنبر" is how Arabic bylines are usually printed.
        return Byline(author=(s1, e1), outlet=(s2, e2), rule="byline.name_dash_outlet")
    return None


@dataclass(slots=True)
class DateLine:
    """A header line that carries the publication time (or the page's render date)."""

    date: HeaderDate
    author: tuple[int, int] | None
    masthead: bool
    outlet: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    writer: tuple[int, int] | None = None


def parse_date_line(line: Line, *, us_order: bool = False) -> DateLine | None:
    """The date of a line that holds only a date (and maybe the author's name)."""
    if not _DIGIT.search(line.text):
        return None
    dates = find_header_dates(line.text, us_order=us_order)
    if not dates:
        return None
    rest = _strip_widgets(date_line_remainder(line.text, dates))
    author = None
    outlet = dateline = writer = None
    if rest and is_city_name(rest):
        rest = ""  # "بيروت – السبت 11 تشرين الأول 2025": a dateline city before the date
    if rest and not looks_like_person(rest):
        # "المركزية – بيروت، الأربعاء 17 أيلول 2025", "Mauritanie Hebdo | 23/09/2025"
        head = line.text[: dates[0].start].strip(" -–—|،,")
        tail = line.text[dates[-1].end :].strip(" -–—|،,")
        outlet = dateline = writer = None
        for part in (head, tail):
            if not part:
                continue
            if _DIGIT.search(part) or len(part.split()) > 8:
                return None
            found = _outlet_and_city(line, part)
            if found is None:
                return None
            outlet = outlet or found[0]
            dateline = dateline or found[1]
            writer = writer or found[2]
        if outlet is None and dateline is None and writer is None:
            return None
        rest = ""
    if rest:
        # "عدنان أحمد31 يوليو 2025": a name glued to the date.
        first = dates[0]
        name = line.text[: first.start].strip(" -–|،,")
        if name and looks_like_person(" ".join(normalize(name).split())):
            s = line.start + line.text.index(name)
            author = (s, s + len(name))
        else:
            return None
    best = next((d for d in dates if d.has_time), dates[-1])
    shifted = HeaderDate(best.value, line.start + best.start, line.start + best.end, best.has_time)
    return DateLine(shifted, author or writer, masthead=False, outlet=outlet, dateline=dateline)


Span2 = tuple[int, int]


def _outlet_and_city(
    line: Line, part: str
) -> tuple[Span2 | None, Span2 | None, Span2 | None] | None:
    """Outlet, dateline city and writer in the non-date part of a date line."""
    base = line.start + line.text.index(part)
    pieces = [m for m in re.finditer(r"[^-–—|/،,]+", part) if m.group(0).strip()]
    outlet = city = writer = None
    for m in pieces:
        raw = m.group(0)
        s = base + m.start() + (len(raw) - len(raw.lstrip()))
        e = base + m.end() - (len(raw) - len(raw.rstrip()))
        by = _WRITER.match(raw.strip())
        if by and writer is None:
            name = raw.strip()[by.end() :]
            if 1 <= len(name.split()) <= 4:
                ws = e - len(name)
                writer = (ws, e)
                continue
        words = [w for w in normalize(raw).split() if w not in _weekday_words()]
        if not date_line_remainder(raw, []):
            continue  # only filler: "Publié le", "نشر في", a weekday
        norm = " ".join(words)
        if not norm:
            continue
        if is_city_name(norm) and city is None:
            city = (s, e)
            if len(words) < len(normalize(raw).split()):
                city = (s, s + len(raw.strip().split()[0]))
        elif outlet is None and 1 <= len(words) <= 4 and not looks_like_person(norm):
            outlet = (s, e)
        else:
            return None
    if outlet is None and city is None and writer is None:
        return None
    return outlet, city, writer


@cache
def _weekday_words() -> frozenset[str]:
    from marsad.lexicon.calendar import weekdays

    return frozenset(weekdays())


_WIDGET_WORDS = re.compile(r"\b(?:مشاهد[هات]*|شوهد|قراء[هات]*|views?|vues?|امن|سياسه|اقتصاد|رياضه|مجتمع|محليات|دوليات|اخبار)\b")


def _strip_widgets(rest: str) -> str:
    """Section labels and view counters printed on a date line."""
    return " ".join(_WIDGET_WORDS.sub(" ", rest).split())


_PREFIX_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b\s*")


def page_date_prefix(text: str) -> tuple[int, int, PartialDate] | None:
    """A page-date prefix (" date 2025-10-08 ...") that archive excerpts start with."""
    m = _PREFIX_DATE.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    day = int(m.group(3)) if m.group(3) else None
    value = PartialDate(year, month, day)
    if not value.is_valid():
        return None
    return m.start(), m.end(), value


def in_masthead(lines: list[Line], i: int) -> bool:
    """Whether line ``i`` sits among masthead lines (staff titles, navigation)."""
    for j in range(max(0, i - 2), min(len(lines), i + 3)):
        if j != i and (is_staff_title(lines[j]) or lines[j].rule == "chrome.masthead_staff"):
            return True
        if j > i and lines[j].rule == "chrome.navigation":
            return True
    return False


def header_end(lines: list[Line]) -> int:
    """Index of the first body line (``len(lines)`` if none)."""
    for i, line in enumerate(lines):
        # A bulleted line never opens the body: above the article it is a ticker.
        if line.kind == "body" and is_body_line(line) and not is_bullet(line):
            return i
    return len(lines)


def is_ticker(lines: list[Line], i: int, end: int) -> bool:
    """A bulleted headline in the header zone (a ticker of other stories)."""
    line = lines[i]
    return i < end and is_bullet(line) and line.words <= 30 and not is_navigation(line)
