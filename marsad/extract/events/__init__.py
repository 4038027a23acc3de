"""Events stage: visits, receptions and meetings, every slot with its evidence.

:func:`extract_events` reads the sentences of an article with the mentions and time expressions
the earlier stages found, opens a frame at every trigger ("زيارة عمل إلى", "حل بـ", "استقبل",
"أجرى مباحثات مع", "التقى نظيره", "s'est entretenu avec", "met with" …), and assembles the frames
into one event per trip or encounter. What the text does not say stays empty.
"""

from __future__ import annotations

from marsad.extract.events.assemble import Draft, assemble
from marsad.extract.events.codes import cameo, plover
from marsad.extract.events.doc import DocView, build_view, dateline_place
from marsad.extract.events.frames import PartyMention, build_frames, is_security_official
from marsad.extract.topics import topic_family
from marsad.model import Article, Event, Mention, Occasion, Party, Place
from marsad.settings import EventSettings

__all__ = ["extract_events"]


def extract_events(article: Article, cfg: EventSettings) -> Article:
    """Fill ``article.events`` from the article's sentences, mentions and time expressions."""
    view = build_view(article)
    frames = [f for sent in view.sentences for f in build_frames(view, sent)]
    drafts = assemble(view, frames)
    events: list[Event] = []
    for draft in drafts:
        ev = _to_event(view, draft, len(events))
        if ev is None or ev.confidence < cfg.min_confidence:
            continue
        if not cfg.keep_passing_mentions and ev.salience != "main":
            continue
        events.append(ev)
    article.events = events
    return article


_INTERNATIONAL_ORGS = frozenset(
    {"org:interpol", "org:europol", "org:afripol", "org:aimc", "org:gcc", "org:arab-league",
     "org:african-union", "org:eu", "org:un"}
)
def _longest_name(view: DocView, entity_id: str | None, fallback: str) -> str:
    if not entity_id:
        return fallback
    return view.person_names.get(entity_id, fallback)


def _party(view: DocView, p: PartyMention | Mention | None) -> Party | None:
    if p is None:
        return None
    if isinstance(p, Mention):
        country = p.key if p.type in ("COUNTRY", "NATIONALITY") else p.attrs.get("country")
        return Party(entity_id=p.entity_id, title=p.text, country=country)
    person_id = p.main.attrs.get("person") or p.entity_id
    ent = view.entities.get(person_id or "")
    # Officials of international bodies (INTERPOL, the Arab interior ministers' council) act
    # for no country.
    international = p.org in _INTERNATIONAL_ORGS
    if p.named:
        name = _longest_name(view, person_id, p.main.text)
        return Party(
            entity_id=person_id, name=name, name_latin=ent.name_latin if ent else None,
            title=p.title or (ent.roles[-1].title if ent and ent.roles else None),
            org=p.org, country=None if international else p.country or (ent.country if ent else None),
        )
    return Party(entity_id=p.entity_id, title=p.title or p.main.text, org=p.org,
                 country=p.country or (ent.country if ent else None))


def _inviter_party(view: DocView, d: Draft, actor: Party, host: str) -> Party | None:
    """Who invited. Nobody invites himself: a bare title ("بدعوة من وزير الداخلية") that the
    entity stage tied to the visitor is the host's holder of that title."""
    inviter = _party(view, d.inviter)
    if inviter is None:
        return None
    if (inviter.entity_id and inviter.entity_id == actor.entity_id) or (
        inviter.country is not None and inviter.country == actor.country
    ):
        if inviter.name and inviter.entity_id == actor.entity_id and inviter.title:
            return Party(title=inviter.title, country=host)
        return None
    return inviter


def _to_event(view: DocView, d: Draft, n: int) -> Event | None:
    article = view.article
    if is_security_official(d.visitor) is False:
        return None  # heads of state, foreign and civil ministers, envoys: not this record's events
    actor = _party(view, d.visitor)
    if actor is None:
        return None
    counterparts = [c for c in (_party(view, h) for h in d.counterparts) if c is not None]
    host = d.host_country
    if host is None and counterparts:
        host = next((c.country for c in counterparts if c.country and c.country != actor.country), None)
    if host is None or (actor.country is not None and actor.country == host):
        return None  # no place, or an official at home: not a visit or bilateral meeting
    if actor.country is None and not _foreign_presence(view, host):
        return None  # an official of unknown nationality where only one country is ever named
    # Counterparts are the host side: drop members of the visitor's own side.
    counterparts = [c for c in counterparts if c.country is None or c.country != actor.country]
    if d.type == "meeting" and not counterparts and d.city is None:
        return None
    body = [f for f in d.frames if not f.sent.is_title] or d.frames
    etype = {"visit": "visit", "reception": "reception", "meeting": "meeting"}.get(body[0].kind, d.type)
    kinds = [f.kind for f in body]
    if etype == "meeting" and d.side_of is None and (
        "visit" in kinds or any(f.within_visit for f in body)
    ):
        etype = "visit"  # talks "during an official visit": the text frames a visit
    if etype == "visit" and counterparts and all(
        c.country not in (None, host) for c in counterparts
    ) and any(f.sent.has_cue("sidelines") or f.occasion is not None for f in d.frames):
        # "على هامش أشغال الدورة … في تونس، زار الشمري نظيره السوري": two guests of a
        # multilateral session meet in a third country: a meeting, not a visit to the host.
        etype = "meeting"
    ev = Event(
        id=f"{article.doc_id[:12]}-e{n + 1}",
        doc_id=article.doc_id,
        type=etype,  # type: ignore[arg-type]
        status="planned" if d.planned else "happened",
        actor=actor,
        host_country=host,
        counterparts=counterparts,
        inviter=_inviter_party(view, d, actor, host),
        delegation=d.delegation,
        evidence=list(d.evidence),
    )
    if d.city is not None:
        ent = view.entities.get(d.city.entity_id or "")
        ev.city = Place(
            name=d.city.text, name_latin=(ent.name_latin if ent else None) or d.city.attrs.get("name_latin"),
            country=d.city.attrs.get("country"), entity_id=d.city.entity_id,
        )
    if ev.city is None:
        _city_from_dateline(view, ev)
    if d.time is not None:
        t = d.time
        ev.start = t.value_start
        # An end only for a stated span: a single day has a start and no end.
        ev.end = t.value_end if t.value_end is not None and t.value_end != t.value_start else None
        ev.date_precision = t.precision
        ev.date_reason = t.reason or None
        ev.candidate_years = list(t.candidate_years)
        ev.date_inferred = t.anchor in ("occasion", "ingest") or t.assumed
        ev.evidence.append(_evidence(view, "start", t.start, t.end, f"dates.{t.rule}"))
    if d.occasion is not None:
        o = d.occasion
        ent = view.entities.get(o.entity_id or "")
        ev.occasion = Occasion(
            name=o.attrs.get("name") or o.text, name_latin=ent.name_latin if ent else None,
            edition=o.attrs.get("edition"), year=o.attrs.get("year"), entity_id=o.entity_id,
        )
        ev.evidence.append(_evidence(view, "occasion", o.start, o.end, o.rule))
    if d.origin is not None:
        origin = d.origin.key if d.origin.type == "COUNTRY" else d.origin.attrs.get("country")
        if origin and origin != host:
            ev.previous_stop = origin
            ev.evidence.append(_evidence(view, "previous_stop", d.origin.start, d.origin.end, "frame.origin"))
    for c in d.counterparts:
        ev.evidence.append(_evidence(view, "counterpart", c.start, c.end, "frame.party"))
    topics: list[str] = []
    for sent in d.sentences:
        for hit in sent.topics:
            if hit.topic not in topics:
                topics.append(hit.topic)
                ev.evidence.append(_evidence(view, "topic", hit.start, hit.end, f"topics.{hit.topic}"))
    ev.topics = topics
    ev.plover = plover(ev)
    ev.cameo = cameo(ev)
    root = d.side_of or d
    first = view.sentences[root.first_sentence]
    ev.salience = "main" if first.is_title or first.para <= 1 else "passing"
    if ev.city is None and ev.salience == "main":
        _city_from_title(view, ev)  # the headline is about the main event only
    ev.confidence = _confidence(ev)
    return ev


def _city_from_dateline(view: DocView, ev: Event) -> None:
    """"دمشق-سانا … استقبل وزير الداخلية في مبنى الوزارة": with no city in the text of the
    event, the dateline's city is where it happened when it lies in the host country (a story
    filed from elsewhere gives nothing). The evidence names the rule."""
    found = dateline_place(view.article, ev.host_country)
    if found is not None:
        ev.city, f = found
        ev.evidence.append(_evidence(view, "city", f.start, f.end, "events.dateline_city"))


def _city_from_title(view: DocView, ev: Event) -> None:
    """"… Discuss Cooperation During Manama Meeting": a headline's one city of the host country
    places an event whose sentences name none."""
    cities = {
        m.entity_id: m for s in view.sentences if s.is_title for m in s.mentions
        if m.type == "CITY" and m.attrs.get("country") == ev.host_country
    }
    if len(cities) != 1:
        return
    m = next(iter(cities.values()))
    ent = view.entities.get(m.entity_id or "")
    ev.city = Place(name=m.text, name_latin=(ent.name_latin if ent else None) or m.attrs.get("name_latin"),
                    country=ev.host_country, entity_id=m.entity_id)
    ev.evidence.append(_evidence(view, "city", m.start, m.end, "events.title_city"))


def _foreign_presence(view: DocView, host: str) -> bool:
    """Whether the article names any country other than ``host``, or an international body."""
    for m in view.article.mentions:
        if m.type in ("COUNTRY", "NATIONALITY") and m.key and m.key != host:
            return True
        if m.type == "ORG" and not m.attrs.get("country"):
            return True
    return False


def _evidence(view: DocView, slot: str, start: int, end: int, rule: str):  # type: ignore[no-untyped-def]
    from marsad.model import Evidence

    text = view.article.text
    sent = next((s for s in view.sentences if s.start <= start < s.end), None)
    return Evidence(
        slot, text[start:end], start, end, rule,
        sent.start if sent else None, sent.end if sent else None, view.article.doc_id,
    )


def _confidence(ev: Event) -> float:
    score = 0.4
    if ev.actor and ev.actor.name:
        score += 0.15
    if ev.actor and ev.actor.country:
        score += 0.1
    if ev.counterparts:
        score += 0.1
    if ev.start:
        score += 0.1
    if ev.city:
        score += 0.05
    if ev.salience == "main":
        score += 0.1
    return min(score, 1.0)


def topic_families(ev: Event) -> set[str]:
    """The coarse topic families of an event."""
    return {topic_family(t) for t in ev.topics}
