"""Clean stage: separate the article from the page around it, and read its header.

:func:`clean_article` keeps the body paragraphs as spans of ``Article.text`` and records every
removed span with the rule that removed it and why; title, alternative titles, outlet, author
and publication time become fields with their spans.
"""

from __future__ import annotations

import re
from functools import cache

from marsad.arabic import (
    ARABIC_LETTER,
    DIACRITICS,
    TATWEEL,
    guess_lang,
    normalize,
    normalize_with_map,
)
from marsad.clean.chrome import is_section_label, is_stray_latin, mark_chrome
from marsad.clean.dates import find_day_month, find_header_dates, numeric_order
from marsad.clean.dedup import find_repeats
from marsad.clean.header import (
    DateLine,
    header_end,
    in_masthead,
    is_ticker,
    looks_like_outlet,
    looks_like_person,
    page_date_prefix,
    parse_byline,
    parse_date_line,
)
from marsad.clean.lines import Line, join_fragments, split_lines
from marsad.errors import NoTextError
from marsad.lexicon.places import is_city_name
from marsad.model import Article, Field, PartialDate, Removal, Span
from marsad.settings import CleanSettings

__all__ = ["clean_article"]

_LEAD_DATELINE = re.compile(
    r"^(?P<city>[^\d\s]+(?:\s+[^\d\s]+)?)\s+(?:في|-|–)\s+"
)
_WROTE = re.compile(r"^\s*(?:كتب|كتبت|بقلم)\s+(?P<name>\S+(?:\s+\S+){1,2})\s*[-–:]\s*")
_DIACRITIC = re.compile(f"[{DIACRITICS}]")
_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTER}]")
_AGENCY_CREDIT = re.compile(r"^\s*\((?P<agency>[^()]{1,30})\)\s*[-–—:]\s*")
_PAREN_CREDIT = re.compile(r"^\(([^()]*(?:\([^()]*\))?[^()]*)\)$")


_BY_PREFIX = re.compile(r"^(?:بقلم|كتب|كتبت|بواسطة|إعداد|اعداد|par|by)\s*[:：]?\s+", re.IGNORECASE)


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    return re.sub(f"[{DIACRITICS}{TATWEEL}]", "", value).strip() or None


def _set_field(article: Article, name: str, value: str, start: int, end: int, rule: str) -> None:
    if name == "author":
        m = _BY_PREFIX.match(value)
        if m:
            value, start = value[m.end() :], start + m.end()
            article.author = value
    article.fields.append(Field(name, value, start, end, rule))


def _published_value(article: Article, value: PartialDate, start: int, end: int, rule: str) -> bool:
    if article.published is not None:
        return False
    article.published = value
    _set_field(article, "published", value.iso() or "", start, end, rule)
    return True


def clean_article(article: Article, cfg: CleanSettings) -> Article:
    """Find the body, title, alternative titles, outlet, author and publication time."""
    text = article.text
    lines = split_lines(text)
    removals: list[Removal] = []
    is_arabic = (article.lang or guess_lang(text)) == "ar"
    if article.lang is None:
        article.lang = guess_lang(text)

    prefix = page_date_prefix(text)
    if prefix is not None and lines:
        s, e, value = prefix
        removals.append(Removal(s, e, "header.page_date", "page-date prefix of an archive excerpt"))
        _published_value(article, value, s, e, "header.page_date")
        first = lines[0]
        if first.start < e:
            rest = split_lines(text[: first.end], e)
            lines = rest + lines[1:]

    mark_chrome(lines, is_arabic)
    us_order = numeric_order(article.text, article.lang == "en")
    # Date lines of the header are found first: they must not be glued into link-split runs.
    date_lines: dict[int, DateLine] = {}
    for i, line in enumerate(lines[: cfg.max_header_lines]):
        if line.kind == "body" and line.words <= 16:
            found = parse_date_line(line, us_order=us_order)
            if found is not None:
                date_lines[i] = found
                line.kind = "dateline"
    join_fragments(lines)
    for i in date_lines:
        lines[i].kind = "body"
    end = header_end(lines)
    titles: list[Line] = []
    declared_title = article.title
    for i in range(end):
        line = lines[i]
        if line.kind != "body":
            continue
        if is_ticker(lines, i, end):
            line.mark("chrome", "chrome.ticker", "ticker headline of another story")
            continue
        date_line = date_lines.get(i)
        if date_line is not None:
            d = date_line.date
            if not d.has_time and in_masthead(lines, i):
                line.mark(
                    "chrome", "chrome.masthead_date",
                    "date printed in the page masthead (render date), not the article's",
                )
                continue
            used = _published_value(article, d.value, d.start, d.end, "header.date_line")
            line.mark(
                "header", "header.date_line",
                "publication time line" if used else "another date line of the header",
            )
            if date_line.author and article.author is None:
                a, b = date_line.author
                article.author = text[a:b]
                _set_field(article, "author", article.author, a, b, "header.date_line")
            if date_line.outlet and article.outlet is None:
                a, b = date_line.outlet
                article.outlet = text[a:b]
                _set_field(article, "outlet", article.outlet, a, b, "header.date_line")
            if date_line.dateline:
                a, b = date_line.dateline
                _set_field(article, "dateline", text[a:b], a, b, "header.date_line")
            continue
        byline = parse_byline(line)
        if byline is not None:
            line.mark("header", byline.rule, "outlet or author line")
            if byline.outlet and article.outlet is None:
                a, b = byline.outlet
                article.outlet = text[a:b].strip()
                _set_field(article, "outlet", article.outlet, a, b, byline.rule)
            if byline.author and article.author is None:
                a, b = byline.author
                article.author = text[a:b].strip()
                _set_field(article, "author", article.author, a, b, byline.rule)
            if byline.dateline:
                a, b = byline.dateline
                _set_field(article, "dateline", text[a:b].strip(), a, b, byline.rule)
            continue
        credit = _PAREN_CREDIT.match(line.text)
        if credit and line.words <= 10:
            line.mark("header", "header.source_credit", "source credit line")
            if article.outlet is None:
                article.outlet = credit.group(1).strip()
                _set_field(article, "outlet", article.outlet, line.start + 1, line.end - 1, "header.source_credit")
            continue
        if is_stray_latin(line, is_arabic) and line.words <= 3 and titles:
            line.mark("header", "header.latin_masthead", "site name in Latin letters")
            if article.outlet is None:
                article.outlet = line.text
                _set_field(article, "outlet", line.text, line.start, line.end, "header.latin_masthead")
            continue
        if is_section_label(line):
            line.mark("chrome", "chrome.section_label", "section label above the headline")
            continue
        if _outlet_beside_date(lines, i, end, date_lines, bool(titles)):
            line.mark("header", "header.outlet_line", "outlet name printed beside the date")
            if article.outlet is None:
                article.outlet = line.text
                _set_field(article, "outlet", line.text, line.start, line.end, "header.outlet_line")
            continue
        if line.words <= 1:
            line.mark("chrome", "chrome.section_label", "one-word section label")
            continue
        if titles and looks_like_outlet(line.norm) and line.words <= 4 and not line.text.endswith(("؟", "?")):
            line.mark("header", "header.outlet_line", "outlet name on its own line")
            if article.outlet is None:
                article.outlet = line.text
                _set_field(article, "outlet", line.text, line.start, line.end, "header.outlet_line")
            continue
        if len(line.text) > cfg.max_title_chars:
            continue  # a long line in the header zone stays in the body
        if any(t.norm == line.norm for t in titles):
            line.mark("chrome", "header.repeated_title", "headline printed twice")
            continue
        titles.append(line)
        line.mark("header", "header.title" if len(titles) == 1 else "header.alt_title",
                  "headline" if len(titles) == 1 else "headline variant")

    if is_arabic and titles and not _ARABIC_LETTER.search(titles[0].text):
        arabic = [t for t in titles if _ARABIC_LETTER.search(t.text)]
        if arabic:
            titles.remove(arabic[0])
            titles.insert(0, arabic[0])
    if titles:
        article.title = titles[0].text
        _set_field(article, "title", titles[0].text, titles[0].start, titles[0].end, "header.title")
        article.alt_titles = [t.text for t in titles[1:]]
        for t in titles[1:]:
            _set_field(article, "alt_title", t.text, t.start, t.end, "header.alt_title")
        if (
            declared_title
            and normalize(declared_title) != titles[0].norm
            and declared_title not in article.alt_titles
        ):
            article.alt_titles.append(declared_title)
    elif declared_title:
        article.title = declared_title

    if article.outlet is None:
        _outlet_from_credit(article, lines)
    _footer_date(article, lines, us_order)

    body = [ln for ln in lines if ln.kind == "body"]
    # A title repeated as the first body line (HTML pages print the h1 in the text).
    if body and article.title and body[0].norm == " ".join(normalize(article.title).split()):
        body[0].mark("chrome", "header.title_in_body", "headline repeated at the top of the body")
        body = body[1:]
    if body:
        _strip_lead_dateline(article, body[0], removals, us_order)

    repeats = find_repeats([ln.norm for ln in body], cfg.near_duplicate_jaccard)
    for idx, orig, sim in repeats:
        why = "paragraph repeated" if sim == 1.0 else f"near-identical repeat (Jaccard {sim:.2f})"
        body[idx].mark(
            "chrome", "dedup.repeated_paragraph", f"{why} of paragraph at offset {body[orig].start}"
        )

    paragraphs: list[Span] = []
    for ln in lines:
        if ln.kind == "body":
            stop = lines[ln.joined_to].end if ln.joined_to is not None else ln.end
            paragraphs.append(Span(ln.start, stop))
        elif ln.kind != "joined":
            removals.append(Removal(ln.start, ln.end, ln.rule, ln.reason))
    paragraphs = [p for p in paragraphs if p.end - p.start >= cfg.min_paragraph_chars]
    if not paragraphs:
        raise NoTextError("cleaning left no article body")
    removals.sort(key=lambda r: r.start)
    if article.author:
        # "الاسم، أستاذة العلاقات الدولية": the name, not the description after it.
        article.author = _BY_PREFIX.sub("", article.author).split("،")[0].split(",")[0].strip() or None
    # Names are shown without harakat or tatweel ("العُمانية" -> "العمانية").
    article.outlet = _plain(article.outlet)
    article.author = _plain(article.author)
    if article.author and article.outlet and normalize(article.author) == normalize(article.outlet):
        article.author = None
    article.paragraphs = paragraphs
    article.removals = removals
    return article


def _outlet_beside_date(
    lines: list[Line], i: int, end: int, date_lines: dict[int, DateLine], have_title: bool
) -> bool:
    """A short name right above or below the date line: the outlet's masthead name.

    Above the headline it is only taken when a longer headline follows in the header.
    """
    line = lines[i]
    if line.words > 4 or _HAS_DIGIT.search(line.text) or line.text.endswith((".", "؟", "?", "!", ":")):
        return False
    if (i + 1) not in date_lines and (i - 1) not in date_lines:
        return False
    if have_title:
        return True
    return any(
        lines[j].kind == "body" and lines[j].words >= 5 and j not in date_lines for j in range(i + 1, end)
    )


_HAS_DIGIT = re.compile(r"\d")


def _footer_date(article: Article, lines: list[Line], us_order: bool) -> None:
    """"Published: 2025-11-12 15:48" printed under the article."""
    tail = [ln for ln in lines if ln.kind == "body"][-2:]
    for ln in tail:
        if ln.words > 8:
            continue
        found = parse_date_line(ln, us_order=us_order)
        if found is not None and not found.author:
            ln.mark("header", "footer.date_line", "publication time printed under the article")
            d = found.date
            _published_value(article, d.value, d.start, d.end, "footer.date_line")


_CREDIT = re.compile(
    r"(?:موقع|جريده|صحيفه|مجله|بوابه|وكاله|قناه|site|journal)\s*[\"'«“]([^\"'»”]{2,40})[\"'»”]"
)


def _outlet_from_credit(article: Article, lines: list[Line]) -> None:
    """An outlet named in an editor's note: 'فريق موقع «…»'."""
    for line in lines:
        if line.rule != "chrome.editor_note":
            continue
        norm = normalize_with_map(line.text)
        m = _CREDIT.search(norm.text)
        if m:
            s, e = norm.orig_span(m.start(1), m.end(1))
            article.outlet = line.text[s:e].strip()
            _set_field(article, "outlet", article.outlet, line.start + s, line.start + e, "footer.credit")
            return


_AGENCY_DATELINE = re.compile(
    r"^(?P<pre>[^()\n/]{2,60}?)\s*(?:\((?P<ag>[^()\n]{2,40})\)\s*(?:[-–—]{1,2}|:)|/\s*(?P<ag2>[^/\n]{2,25}?)\s*/)\s*"
)


@cache
def _latin_places() -> frozenset[str]:
    from marsad.lexicon.load import load_tsv

    out = set()
    for row in load_tsv("cities.tsv"):
        for form in [row.get("name_latin", ""), *row.get("latin_variants", "").split("|")]:
            if form.strip():
                out.add(normalize(form.strip()))
    return frozenset(out)


def _is_place(words: str) -> bool:
    norm = " ".join(normalize(words.strip(" ,،")).split())
    return is_city_name(norm) or norm in _latin_places()


def _agency_dateline(article: Article, line: Line, head: str, us_order: bool) -> int:
    """"مسقط - 18 - 11 (كونا) --", "AMMAN, Nov 12 (Petra) --", "أبوظبي في 16 فبراير / وام /".

    A place (and maybe a date) then an agency in brackets or slashes, then a dash: the agency is
    the outlet, a full date is the publication date.
    """
    m = _AGENCY_DATELINE.match(head)
    if not m:
        return 0
    pre = m.group("pre").strip(" ,،-–")
    words = pre.replace(",", " ").replace("،", " ").split()
    if not words or len(words) > 7:
        return 0
    latin_caps = words[0].rstrip(",").isupper() and len(words[0]) > 2
    if not (latin_caps or _is_place(words[0]) or _is_place(" ".join(words[:2]))):
        return 0
    agency = (m.group("ag") or m.group("ag2") or "").strip()
    if article.outlet is None and agency:
        a = line.start + m.start("ag" if m.group("ag") else "ag2")
        article.outlet = agency
        _set_field(article, "outlet", agency, a, a + len(agency), "header.agency_dateline")
    dates = find_header_dates(pre, us_order=us_order)
    off = line.start + head.index(pre)
    if dates:
        d = dates[0]
        _published_value(article, d.value, off + d.start, off + d.end, "header.agency_dateline")
    elif (dm := find_day_month(pre)) is not None:
        # "الرياض في 26 نوفمبر / بنا /": the day of the report, without its year.
        day, month, s, e = dm
        _set_field(article, "dateline_date", f"--{month:02d}-{day:02d}", off + s, off + e,
                   "header.agency_dateline")
    city = words[0].rstrip(",")
    _set_field(article, "dateline", city, line.start, line.start + len(city), "header.agency_dateline")
    return m.end()


def _strip_lead_dateline(article: Article, line: Line, removals: list[Removal], us_order: bool) -> None:
    """Read a dateline printed at the start of the first paragraph.

    "الدمام في الاثنين 28 يوليو 2025 09:29 مساءً كتب شريف احمد - التقى …": the city, time and
    author are header data even though the scraper glued them to the body.
    """
    text = article.text
    head = text[line.start : min(line.end, line.start + 160)]
    dates = find_header_dates(head, us_order=us_order)
    cut = 0
    if dates and dates[0].start <= 40:
        before = head[: dates[0].start]
        # Only a place name, "في" and a weekday may precede the date.
        if len(before.split()) <= 4 and not any(ch in before for ch in ".،,"):
            d = dates[0]
            _published_value(article, d.value, line.start + d.start, line.start + d.end, "header.lead_dateline")
            cut = d.end
            while cut < len(head) and (head[cut].isspace() or _DIACRITIC.match(head[cut])):
                cut += 1
            city = _LEAD_DATELINE.match(before)
            if city:
                c = city.group("city")
                _set_field(article, "dateline", c, line.start, line.start + len(c), "header.lead_dateline")
    credit = _AGENCY_CREDIT.match(head[cut:])
    if credit and cut:
        if article.outlet is None:
            a = line.start + cut + credit.start("agency")
            article.outlet = credit.group("agency").strip()
            _set_field(article, "outlet", article.outlet, a, a + len(credit.group("agency")), "header.lead_dateline")
        cut += credit.end()
    wrote = _WROTE.match(head[cut:])
    if wrote and looks_like_person(" ".join(normalize(wrote.group("name")).split())):
        if article.author is None:
            a = line.start + cut + wrote.start("name")
            article.author = wrote.group("name")
            _set_field(article, "author", article.author, a, a + len(article.author), "header.lead_dateline")
        cut += wrote.end()
    if not cut:
        cut = _agency_dateline(article, line, head, us_order)
    if cut:
        removals.append(
            Removal(line.start, line.start + cut, "header.lead_dateline",
                    "dateline, time and author glued to the first paragraph")
        )
        line.start += cut
        line.text = text[line.start : line.end]
