"""A light extractor for French and English reports, so that they can join their stories.

Full French and English extraction is not marsad's aim; joining the right story and bringing
its dates, places and names is. When the events stage finds no main event in a Latin-script
article, :func:`add_latin_events` looks at the headline and the first paragraphs for one
trigger of ``latin_triggers.yaml`` ("visite de travail", "s'est entretenu avec", "paid a
visit", "met with", "a été reçu … par"), and builds one event from what the entity and date
stages found around it: the people (the knowledge base's Latin aliases), the city or country
(places' Latin names) and the date. It is a pipeline stage with the events stage's settings.
Every value carries evidence with the rule ``latin.*``; the confidence is low (0.4), and
nothing is filled that the sentence does not give.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from marsad.arabic import PhraseMatcher, normalize_with_map, script_share, split_sentences, tokenize
from marsad.lexicon.load import load_yaml
from marsad.lexicon.places import city_info
from marsad.model import Article, Event, Evidence, Mention, Party, Place, TimeExpr
from marsad.settings import EventSettings

#: Paragraphs (after the headline) in which the trigger is looked for: the lead.
LEAD_PARAGRAPHS = 2
CONFIDENCE = 0.4
_KINDS = ("visit", "meeting", "reception", "passive", "agent", "planned", "invitation")


@cache
def matcher() -> PhraseMatcher[str]:
    """Phrase -> kind, for French and English together."""
    m: PhraseMatcher[str] = PhraseMatcher(strip_clitics=False)
    data = load_yaml("latin_triggers.yaml")
    for kind in _KINDS:
        for phrases in (data.get(kind) or {}).values():
            for phrase in phrases:
                m.add(str(phrase), kind)
    return m


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    start: int
    end: int


def _hits(text: str, start: int, end: int) -> list[_Hit]:
    norm = normalize_with_map(text[start:end])
    toks = tokenize(norm.text)
    out = []
    for i, n, _plen, kinds in matcher().finditer(toks):
        s, e = norm.orig_span(toks[i].start, toks[i + n - 1].end)
        for kind in kinds:
            out.append(_Hit(kind, start + s, start + e))
    return out


def is_latin(article: Article) -> bool:
    """Whether an article is written in Latin script (French, English)."""
    if article.lang in ("fr", "en"):
        return True
    _, latin = script_share(article.clean_text[:2000])
    return latin >= 0.6


def _sentences(article: Article) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    title = article.get_field("title")
    if title is not None:
        spans.append((title.start, title.end))
    for para in article.paragraphs[: LEAD_PARAGRAPHS + 1]:
        if title is not None and para.start <= title.start < para.end:
            continue
        spans.extend(split_sentences(article.text, para.start, para.end))
    return spans


def _inside(m: Mention | TimeExpr, s: int, e: int) -> bool:
    return s <= m.start and m.end <= e


#: Words that end a title phrase ("the", "for" ...): a title is the words between them.
_STOP = frozenset({"le", "la", "les", "l", "un", "une", "du", "the", "a", "an", "for", "pour",
                   "to", "on", "in", "at", "with", "avec", "afin", "and", "et", "son", "sa",
                   "his", "her", "its"})
_WORD = re.compile(r"[\w'’-]+")


def _title_span(article: Article, m: Mention, until: int | None) -> tuple[int, int]:
    """The title around a nationality: back to the article before it ("le ministre tunisien"),
    and on to ``until`` (the trigger) or over the lower-case words after it ("Turkish
    counterpart")."""
    text = article.text
    start = m.start
    before = list(_WORD.finditer(text, max(0, m.start - 40), m.start))
    for w in reversed(before[-3:]):
        word = w.group(0)
        if word.lower() in _STOP or not (word.isalpha() and word.islower()) \
                or text[w.end():start].strip(" "):
            break  # only lower-case title words on the same line ("ministre"), not "ISTANBUL --"
        start = w.start()
    end = until if until is not None else m.end
    if until is None:
        for w in list(_WORD.finditer(text, m.end, min(len(text), m.end + 40)))[:3]:
            if w.group(0).lower() in _STOP or not w.group(0).islower() or text[end:w.start()].strip():
                break
            end = w.end()
    return start, end


def _party(m: Mention, article: Article | None = None, until: int | None = None) -> Party:
    if m.type == "ORG":
        # "The inspector general of the Royal Oman Police arrived": the official of a body.
        title = m.text
        if article is not None:
            s = article.text.rfind("\n", 0, m.start) + 1
            words = list(_WORD.finditer(article.text, s, m.start))
            lead = next((w.start() for w in words if w.group(0).lower() not in _STOP), m.start)
            title = article.text[lead:m.end].strip(" ,")
            title = title.split("--")[-1].strip()
            title = re.sub(r"^(?:the|le|la|les|l['’])\s*", "", title, flags=re.IGNORECASE)
        return Party(title=title[:80], org=m.entity_id, country=m.attrs.get("country"))
    if m.type in ("NATIONALITY", "COUNTRY"):
        if article is None:
            return Party(title=m.text, country=m.key)
        s, e = _title_span(article, m, until)
        return Party(title=article.text[s:e].strip(" ,")[:80], country=m.key)
    return Party(entity_id=m.entity_id, name=m.text, name_latin=m.text,
                 country=m.attrs.get("country"))


def _evidence(article: Article, slot: str, start: int, end: int, rule: str, sent: tuple[int, int]) -> Evidence:
    return Evidence(slot=slot, text=article.text[start:end], start=start, end=end, rule=rule,
                    sentence_start=sent[0], sentence_end=sent[1], document=article.doc_id,
                    confidence=CONFIDENCE)


def _host(article: Article, sent: tuple[int, int], after: int) -> tuple[str, Mention] | None:
    """The host country: a city after the trigger, else a country after it, else anywhere."""
    places = [m for m in article.mentions if _inside(m, *sent) and m.type in ("CITY", "COUNTRY")]
    ordered = [m for m in places if m.start >= after] + [m for m in places if m.start < after]
    for m in sorted(ordered, key=lambda m: (m.type != "CITY", m.start < after, m.start)):
        code = m.attrs.get("country") if m.type == "CITY" else m.key
        if code:
            return str(code), m
    return None


def _date(article: Article, sent: tuple[int, int]) -> TimeExpr | None:
    times = [t for t in article.times if _inside(t, *sent) and t.value_start is not None
             and not t.is_name_year and t.value_start.month is not None]
    return min(times, key=lambda t: t.start) if times else None


def latin_event(article: Article) -> Event | None:
    """One event from the lead of a Latin-script article, or ``None`` if it states none.

    The first sentence with a trigger (often the headline) gives the event; later lead
    sentences about the same visitor and host add what it lacks (the date, the city, the
    counterparts).
    """
    found = list(_candidates(article))
    if not found:
        return None
    base = found[0]
    for other in found[1:]:
        if other.host_country != base.host_country or _who(other) != _who(base):
            continue
        if base.start is None and other.start is not None:
            base.start, base.end = other.start, other.end
            base.date_precision, base.date_reason = other.date_precision, other.date_reason
            base.candidate_years, base.date_inferred = other.candidate_years, other.date_inferred
            base.evidence.extend(e for e in other.evidence if e.slot == "start")
        if base.city is None and other.city is not None:
            base.city = other.city
        if base.inviter is None and other.inviter is not None:
            base.inviter = other.inviter
            base.evidence.extend(e for e in other.evidence if e.slot == "inviter")
        if not base.counterparts and other.counterparts:
            base.counterparts = other.counterparts
            base.evidence.extend(e for e in other.evidence if e.slot == "counterpart")
    return base


def _inviter(article: Article, sent: tuple[int, int], hits: list[_Hit]) -> Mention | None:
    """Who invited: the person (else the country) named within a few words after "à
    l'invitation de" / "at the invitation of"."""
    cue = next((h for h in hits if h.kind == "invitation"), None)
    if cue is None:
        return None
    near = [m for m in article.mentions if _inside(m, *sent) and cue.end <= m.start < cue.end + 80
            and m.type in ("PERSON", "NATIONALITY", "COUNTRY")]
    person = next((m for m in near if m.type == "PERSON" and m.entity_id), None)
    return person or (near[0] if near else None)


def _who(ev: Event) -> str | None:
    if ev.actor is None:
        return None
    return ev.actor.entity_id or ev.actor.country


def _candidates(article: Article) -> Iterator[Event]:
    """An event for each lead sentence with a trigger, a visitor and a place."""
    persons = [m for m in article.mentions if m.type == "PERSON" and m.entity_id]
    for sent in _sentences(article):
        hits = _hits(article.text, *sent)
        trig = next((h for h in hits if h.kind in ("visit", "meeting", "reception", "passive")), None)
        if trig is None:
            continue
        people = [m for m in persons if _inside(m, *sent)]
        before = [m for m in people if m.end <= trig.start]
        after = [m for m in people if m.start >= trig.end]
        agent = next((h for h in hits if h.kind == "agent" and h.start >= trig.end), None)
        visitor: Mention | None
        hosts: list[Mention]
        if trig.kind == "passive" and agent is not None:
            visitor = before[-1] if before else None
            hosts = [m for m in after if m.start >= agent.end]
        elif trig.kind == "reception":
            visitor = after[0] if after else None
            hosts = before[-1:]
        else:
            visitor = before[-1] if before else None
            hosts = after
        if visitor is None and trig.kind in ("visit", "meeting"):
            # An official the text describes but the entity stage did not name: "Turkish
            # intelligence chief ... paid a visit" gives an unnamed visitor of that country.
            visitor = next((m for m in article.mentions if _inside(m, sent[0], trig.start)
                            and (m.type in ("NATIONALITY", "COUNTRY")
                                 or (m.type == "ORG" and m.attrs.get("country")))), None)
        if visitor is None:
            continue
        place = _host(article, sent, trig.end)
        if place is None:
            continue
        host, place_mention = place
        actor = _party(visitor, article, trig.start)
        if actor.country == host:
            # The host's man came first: swap when the other side is from elsewhere.
            other = next((h for h in hosts if h.attrs.get("country") not in (None, host)), None)
            if other is None:
                continue
            hosts = [visitor]
            visitor, actor = other, _party(other)
        inviter = _inviter(article, sent, hits)
        if inviter is not None:  # who invited is not, for that, someone met
            hosts = [h for h in hosts if h is not inviter]
        counterparts = [_party(h) for h in hosts if h is not visitor and h.type == "PERSON"
                        and h.entity_id != visitor.entity_id and h.attrs.get("country") in (None, host)]
        planned = any(h.kind == "planned" for h in hits)
        ev = Event(
            id=f"{article.doc_id[:12]}-l1",
            doc_id=article.doc_id,
            type="reception" if trig.kind in ("reception", "passive") else (
                "meeting" if trig.kind == "meeting" else "visit"),
            status="planned" if planned else "happened",
            actor=actor,
            host_country=host,
            counterparts=counterparts,
            confidence=CONFIDENCE,
            salience="main",
        )
        ev.evidence.append(_evidence(article, "trigger", trig.start, trig.end, f"latin.{trig.kind}", sent))
        ev.evidence.append(_evidence(article, "actor", visitor.start, visitor.end, "latin.party", sent))
        ev.evidence.append(_evidence(article, "host_country", place_mention.start, place_mention.end,
                                     "latin.place", sent))
        for h in hosts:
            ev.evidence.append(_evidence(article, "counterpart", h.start, h.end, "latin.party", sent))
        if inviter is not None and inviter is not visitor:
            ev.inviter = _party(inviter, article)
            ev.evidence.append(_evidence(article, "inviter", inviter.start, inviter.end,
                                         "latin.invitation", sent))
        if place_mention.type == "CITY":
            info = city_info(place_mention.key or "") if place_mention.key else None
            ev.city = Place(name=place_mention.text,
                            name_latin=info[0] if info else place_mention.text, country=host,
                            entity_id=place_mention.entity_id)
        t = _date(article, sent)
        if t is not None and t.value_start is not None:
            ev.start = t.value_start
            ev.end = t.value_end if t.kind == "range" else None
            ev.date_precision = t.value_start.precision
            ev.date_reason = t.reason or None
            ev.candidate_years = list(t.candidate_years)
            ev.date_inferred = t.anchor in ("occasion", "ingest") or t.assumed
            ev.evidence.append(_evidence(article, "start", t.start, t.end, f"dates.{t.rule}", sent))
        yield ev


#: Paragraphs read for what was discussed (the lead gives the event; the talks come after).
TOPIC_PARAGRAPHS = 5


def _add_topics(article: Article, ev: Event) -> None:
    """Topics of the sentences that say what was discussed ("the talks covered …", "les
    entretiens ont porté sur …"), read with the events stage's French and English terms."""
    from marsad.extract.events.lexicon import scan_sentence

    for para in article.paragraphs[:TOPIC_PARAGRAPHS]:
        for s, e in split_sentences(article.text, para.start, para.end):
            norm = normalize_with_map(article.text[s:e])
            _, cues, topics = scan_sentence(norm, tokenize(norm.text))
            if not topics or not any(c.kind in ("discussion", "anaphora") for c in cues):
                continue
            for key, ts, te in topics:
                if key not in ev.topics:
                    ev.topics.append(key)
                    ev.evidence.append(_evidence(article, "topic", s + ts, s + te,
                                                 f"topics.{key}", (s, e)))


def _dateline_city(article: Article, ev: Event) -> None:
    """"ROME, June 10 (WAM) --": the dateline's city, when it lies in the host country."""
    from marsad.extract.events.doc import dateline_place

    found = dateline_place(article, ev.host_country)
    if found is not None:
        ev.city, f = found
        ev.evidence.append(_evidence(article, "city", f.start, f.end, "events.dateline_city",
                                     (f.start, f.end)))


def add_latin_events(article: Article, cfg: EventSettings) -> Article:
    """Pipeline stage: add a light event to a Latin-script article that has no main event."""
    if not is_latin(article) or any(e.salience == "main" for e in article.events):
        return article
    ev = latin_event(article)
    if ev is not None and ev.confidence >= cfg.min_confidence:
        _add_topics(article, ev)
        if ev.city is None:
            _dateline_city(article, ev)
        article.events.append(ev)
    return article
