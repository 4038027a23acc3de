"""What pages show, computed from the records: summaries, dates in two calendars, highlights.

Nothing here builds HTML. Highlighting returns segments ``(text, label)`` that the templates
escape one by one, so article text never passes through the page unescaped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.model import Article, Event, Evidence, PartialDate, Party, TimeExpr

LOGGER = logging.getLogger(__name__)

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر")


# --- names ------------------------------------------------------------------------------------


@cache
def country_label(code: str | None, lang: str = "en") -> str:
    """A country's name in ``lang`` (the code itself when unknown)."""
    if not code:
        return ""
    try:
        from marsad.lexicon.countries import country_name

        return country_name(code, "ar" if lang == "ar" else "en")
    except Exception:  # the lexicon is optional for display; never fail a page on it
        LOGGER.debug("no country name for %s", code, exc_info=True)
        return code


@cache
def topic_label(key: str, lang: str = "en") -> str:
    """A topic key's label (``intelligence_sharing`` -> "intelligence sharing")."""
    try:
        from marsad.extract.topics import taxonomy

        entry = taxonomy().get(key)
    except Exception:
        LOGGER.debug("no topic taxonomy", exc_info=True)
        entry = None
    if entry:
        return entry["ar"] if lang == "ar" else entry["en"]
    return key.replace("_", " ")


@cache
def _title_matchers() -> tuple[Any, Any, frozenset[str]]:
    from marsad.arabic import PhraseMatcher
    from marsad.lexicon.load import load_yaml

    data = load_yaml("titles.yaml") or {}
    heads: PhraseMatcher[str] = PhraseMatcher()
    domains: PhraseMatcher[str] = PhraseMatcher()
    for key, forms in (data.get("heads") or {}).items():
        for form in forms or []:
            heads.add(str(form), str(key))
    for key, forms in (data.get("domains") or {}).items():
        if key in ("civil", "republic"):
            continue
        for form in forms or []:
            domains.add(str(form), str(key))
    plural = frozenset(" ".join(str(p).split()) for p in data.get("plural") or [])
    return heads, domains, plural


_HEAD_EN = {
    "director_general": "director general", "secretary_general": "secretary general",
    "minister_of_state": "minister of state", "prime_minister": "prime minister",
    "chief_of_staff": "chief of staff", "inspector_general": "inspector general",
    "commander_in_chief": "commander in chief", "crown_prince": "crown prince",
    "president_title": "president", "official": "official", "leader": "official",
    "counterpart": "counterpart",
}


def title_gloss(title: str | None) -> tuple[str | None, bool]:
    """A short English gloss of an Arabic title ("interior minister") and whether it is plural."""
    if not title:
        return None, False
    try:
        from marsad.arabic import normalize, tokenize

        heads, domains, plural = _title_matchers()
        toks = tokenize(normalize(title))
        head = None
        is_plural = False
        found_domains: list[str] = []
        i = 0
        while i < len(toks):
            hit = heads.match_at(toks, i)
            if hit and head is None:
                n, _, keys = hit
                head = keys[0]
                is_plural = " ".join(t.text for t in toks[i : i + n]) in plural
                i += n
                continue
            dom = domains.match_at(toks, i)
            if dom:
                n, _, keys = dom
                if keys[0] not in found_domains:
                    found_domains.append(keys[0])
                i += n
                continue
            i += 1
    except Exception:
        LOGGER.debug("title gloss failed for %r", title, exc_info=True)
        return None, False
    if head is None:
        return (" ".join(found_domains[:2]) + " official" if found_domains else None), is_plural
    word = _HEAD_EN.get(head, head.replace("_", " "))
    if head == "counterpart":
        return "counterpart", is_plural
    if found_domains:
        word = " ".join(found_domains[:2]) + " " + word
    return word, is_plural


def party_en(p: Party | None) -> str:
    """A party in English: the Latin name and country, else a gloss of the title and country."""
    if p is None:
        return ""
    country = country_label(p.country, "en") if p.country else ""
    if p.name_latin or p.name:
        name = p.name_latin or p.name or ""
        return f"{name} ({p.country})" if p.country else name
    gloss, plural = title_gloss(p.title)
    if gloss and gloss != "counterpart":
        if plural:
            noun = gloss if gloss.endswith("s") else gloss + "s"
            return f"{noun} of {country}" if country else noun
        return f"the {gloss} of {country}" if country else f"a {gloss}"
    if country:
        return f"officials of {country}" if plural else f"an official of {country}"
    return p.title or "an unnamed official"


def party_ar(p: Party | None) -> str:
    """A party as the text names it: the Arabic name, else the title."""
    if p is None:
        return ""
    return p.name or p.title or p.name_latin or ""


# --- dates ------------------------------------------------------------------------------------


def date_en(start: PartialDate | None, end: PartialDate | None) -> str:
    """A date range in short English ("8–12 Feb 2026", "8–12 Feb", "Feb 2026", "2026")."""
    if start is None:
        return ""
    if end is None or end == start:
        return _one_en(start)
    if start.year == end.year and start.month == end.month and start.day and end.day:
        tail = f" {start.year}" if start.year else ""
        return f"{start.day}–{end.day} {MONTHS_EN[start.month - 1]}{tail}" if start.month else ""
    if start.year == end.year and start.day and end.day and start.month and end.month:
        tail = f" {start.year}" if start.year else ""
        return (f"{start.day} {MONTHS_EN[start.month - 1]} – {end.day} "
                f"{MONTHS_EN[end.month - 1]}{tail}")
    return f"{_one_en(start)} – {_one_en(end)}"


def _one_en(d: PartialDate) -> str:
    parts = []
    if d.day:
        parts.append(str(d.day))
    if d.month:
        parts.append(MONTHS_EN[d.month - 1])
    if d.year:
        parts.append(str(d.year))
    return " ".join(parts)


def _one_ar(d: PartialDate) -> str:
    parts = []
    if d.day:
        parts.append(str(d.day))
    if d.month:
        parts.append(MONTHS_AR[d.month - 1])
    if d.year:
        parts.append(str(d.year))
    return " ".join(parts)


def date_text(start: PartialDate | None, end: PartialDate | None, lang: str) -> str:
    """A date range in the interface language."""
    if lang != "ar":
        return date_en(start, end)
    if start is None:
        return ""
    if end is None or end == start:
        return _one_ar(start)
    return f"{_one_ar(start)} – {_one_ar(end)}"


def date_note_en(ev: Event) -> str:
    """What the reader must know about the year: not stated, inferred, or candidates."""
    if ev.start is None:
        return "date not stated"
    if ev.start.year is None:
        if ev.candidate_years:
            years = ", ".join(str(y) for y in ev.candidate_years)
            return f"year not stated; the weekday fits {years}"
        return "year not stated"
    if ev.date_inferred:
        return "year inferred"
    return ""


def hijri_of(d: PartialDate | None, lang: str = "en") -> str | None:
    """The Umm al-Qura Hijri form of a full Gregorian date ("12 Ramadan 1446 AH")."""
    if d is None or d.year is None or d.month is None or d.day is None:
        return None
    try:
        from hijridate import Gregorian

        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    if lang == "ar":
        return f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}"
    return f"{h.day} {h.month_name()} {h.year} {h.notation()}"


def hijri_times(article: Article) -> list[TimeExpr]:
    """The time expressions the text gives in the Hijri calendar."""
    return [t for t in article.times if t.parsed.get("calendar") == "hijri"]


def event_date_is_hijri(ev: Event, article: Article | None) -> bool:
    """Whether the event's date evidence is a Hijri expression in the text."""
    if article is None:
        return False
    hijri = hijri_times(article)
    if not hijri:
        return False
    for e in ev.evidence:
        if e.slot in ("start", "end", "date") and e.document in (None, ev.doc_id) and any(
            t.start < e.end and e.start < t.end for t in hijri
        ):
            return True
    return False


# --- the one-line summary -------------------------------------------------------------------


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary_en(ev: Event) -> str:
    """A one-line English summary from the slots.

    "Abdellatif Hammouchi (MA) visited Portugal (Lisbon), 3–6 Nov 2025, met …; topics: …"
    """
    who = party_en(ev.actor) or "An unnamed official"
    who = who[0].upper() + who[1:]
    place = country_label(ev.host_country, "en") if ev.host_country else ""
    city = (ev.city.name_latin or ev.city.name) if ev.city else ""
    where = f"{place} ({city})" if place and city else place or city
    planned = ev.status == "planned"
    if ev.type == "visit":
        verb = "is to visit" if planned else "visited"
        head = f"{who} {verb} {where}" if where else f"{who} {'is to make' if planned else 'made'} a visit"
    elif ev.type == "reception":
        verb = "is to be received" if planned else "was received"
        head = f"{who} {verb}" + (f" in {where}" if where else "")
    else:
        verb = "is to meet" if planned else "met"
        others = [party_en(c) for c in ev.counterparts[:3]]
        head = f"{who} {verb} {_join(others) or 'officials'}" + (f" in {where}" if where else "")
    parts = [head]
    when = date_en(ev.start, ev.end)
    note = date_note_en(ev)
    if when:
        parts.append(when + (f" ({note})" if note else ""))
    elif note:
        parts.append(note)
    if ev.type != "meeting" and ev.counterparts:
        met = [party_en(c) for c in ev.counterparts[:3]]
        extra = len(ev.counterparts) - 3
        line = ("met " if ev.type == "visit" else "by ") + _join(met)
        if extra > 0:
            line += f" and {extra} other{'s' if extra > 1 else ''}"
        parts.append(line)
    if ev.occasion:
        parts.append("for " + (ev.occasion.name_latin or ev.occasion.name))
    text = ", ".join(parts)
    if ev.topics:
        labels = [topic_label(t, "en") for t in ev.topics[:4]]
        text += "; topics: " + ", ".join(labels)
    return text


# --- highlighting ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text and the evidence slot it belongs to (``None``: plain text)."""

    text: str
    label: str | None = None


def segments(text: str, start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Split ``text[start:end]`` at the spans (clipped, overlaps given to the earlier span)."""
    out: list[Segment] = []
    pos = start
    for s, e, label in sorted(spans):
        s, e = max(s, pos), min(e, end)
        if e <= s:
            continue
        if s > pos:
            out.append(Segment(text[pos:s]))
        out.append(Segment(text[s:e], label))
        pos = e
    if pos < end:
        out.append(Segment(text[pos:end]))
    return out


@dataclass(slots=True)
class EvidenceSentence:
    """One sentence of the article with the evidence spans inside it."""

    start: int
    end: int
    slots: list[str]
    parts: list[Segment]


def evidence_sentences(ev: Event, article: Article) -> list[EvidenceSentence]:
    """The sentences holding the event's evidence, in text order, spans marked by slot."""
    by_sentence: dict[tuple[int, int], list[Evidence]] = {}
    for e in ev.evidence:
        if e.document not in (None, ev.doc_id, article.doc_id):
            continue
        if e.sentence_start is None or e.sentence_end is None:
            s, t = e.start, e.end
        else:
            s, t = e.sentence_start, e.sentence_end
        if not 0 <= s <= t <= len(article.text):
            continue
        by_sentence.setdefault((s, t), []).append(e)
    out = []
    for (s, t), items in sorted(by_sentence.items()):
        spans = [(e.start, e.end, e.slot) for e in items if s <= e.start < e.end <= t]
        out.append(EvidenceSentence(s, t, list(dict.fromkeys(e.slot for e in items)),
                                    segments(article.text, s, t, spans)))
    return out


def slot_evidence(ev: Event, article: Article | None, slot: str) -> list[list[Segment]]:
    """For one slot, each sentence holding its evidence, split with every span marked once."""
    if article is None:
        return []
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for e in ev.evidence:
        if e.slot != slot or e.document not in (None, ev.doc_id, article.doc_id):
            continue
        s = e.sentence_start if e.sentence_start is not None else e.start
        t = e.sentence_end if e.sentence_end is not None else e.end
        if not 0 <= s <= t <= len(article.text):
            continue
        by_sentence.setdefault((s, t), []).append((e.start, e.end, slot))
    return [segments(article.text, s, t, spans) for (s, t), spans in sorted(by_sentence.items())]


def article_paragraphs(article: Article, spans: Sequence[tuple[int, int, str]]) -> list[list[Segment]]:
    """The kept paragraphs of an article, each split at the given spans."""
    paras = article.paragraphs or []
    if not paras:
        return [segments(article.text, 0, len(article.text), spans)]
    return [segments(article.text, p.start, p.end, spans) for p in paras]


def snippet(text: str, spans: Sequence[tuple[int, int]], width: int = 110) -> list[Segment]:
    """A window of ``text`` around the first match, matches marked (for search results)."""
    if not spans:
        cut = text[: width * 2]
        return [Segment(cut + ("…" if len(text) > len(cut) else ""))]
    first = spans[0][0]
    a = max(0, first - width)
    b = min(len(text), first + width)
    while a > 0 and not text[a - 1].isspace() and first - a < width + 20:
        a -= 1
    parts = segments(text, a, b, [(s, e, "hit") for s, e in spans if s >= a and e <= b])
    if a > 0:
        parts.insert(0, Segment("…"))
    if b < len(text):
        parts.append(Segment("…"))
    return parts


def text_dir(lang: str | None) -> str:
    """``rtl`` for Arabic text, ``ltr`` for Latin-script text, ``auto`` when unknown."""
    if lang == "ar":
        return "rtl"
    if lang in ("fr", "en", "es", "de", "it", "pt"):
        return "ltr"
    return "auto"
