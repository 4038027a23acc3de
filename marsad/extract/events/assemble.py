"""From frames to events: one event per distinct trip or encounter of the article.

Frames about the same visitor and the same host country are one event (the arrival, the talks
and the reception of one trip); a frame that refers back ("خلال هذه الزيارة", "ناقش الجانبان")
adds to the event being told. Talks held during a trip with officials of a third country are a
separate meeting event. An encounter between officials of one country is not an event here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.arabic import normalize
from marsad.extract.events.doc import DocView, Sentence
from marsad.extract.events.frames import (
    ENVOY_HEADS,
    Frame,
    PartyMention,
    is_security_official,
    occasion_dating,
    parties_in,
    pick_time,
    places_in,
)
from marsad.model import (
    Evidence,
    Mention,
    Occasion,
    PartialDate,
    Party,
    Place,
    TimeExpr,
)


@dataclass(slots=True)
class Draft:
    """An event being assembled."""

    type: str
    visitor: PartyMention
    frames: list[Frame] = field(default_factory=list)
    host_country: str | None = None
    city: Mention | None = None
    hosts: list[PartyMention] = field(default_factory=list)
    counterparts: list[PartyMention] = field(default_factory=list)
    time: TimeExpr | None = None
    inviter: PartyMention | Mention | None = None
    occasion: Mention | None = None
    delegation: bool = False
    planned: bool = False
    origin: Mention | None = None
    next_stop: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    first_sentence: int = 0
    #: For a side meeting: the trip it took place during.
    side_of: Draft | None = None

    def add_evidence(self, slot: str, sent: Sentence, start: int, end: int, rule: str, text: str) -> None:
        """Record where a slot's value came from."""
        self.evidence.append(Evidence(slot, text[start:end], start, end, rule, sent.start, sent.end))


def _country_of(view: DocView, m: Mention | None) -> str | None:
    if m is None:
        return None
    if m.type == "COUNTRY":
        return m.key
    return m.attrs.get("country") or (view.entities[m.entity_id].country if m.entity_id in view.entities else None)


def _party_country(view: DocView, p: PartyMention | None) -> str | None:
    if p is None:
        return None
    if p.country:
        return p.country
    ent = view.entities.get(p.entity_id or "")
    return ent.country if ent else None


def _same_party(view: DocView, a: PartyMention, b: PartyMention) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    ida = a.main.attrs.get("person") or a.entity_id
    idb = b.main.attrs.get("person") or b.entity_id
    if ida and idb:
        return bool(ida == idb)
    if (not a.named and not b.named and a.country and a.country == b.country
            and "counterpart" in (a.relation, b.relation)):
        return True  # "نظيره النيجري" in the headline is "وزير الداخلية النيجري" in the body
    ta = normalize(a.main.text)
    tb = normalize(b.main.text)
    return ta == tb or (a.named and b.named and (ta in tb or tb in ta))


def frame_place(f: Frame) -> Mention | None:
    """Where a frame happens. Talks are held where the sentence says they were ("وفي العاصمة
    البلجيكية، عقد …", "أجرى … بباريس مباحثات"): a place after them may belong to what was
    discussed ("التظاهرات المرتقبة بالمغرب"). A trip goes to its destination."""
    return (f.location or f.dest) if f.kind == "meeting" else (f.dest or f.location)


def _resolve(view: DocView, f: Frame) -> tuple[str, PartyMention | None, list[PartyMention], str | None]:
    """(type, visitor, host-side parties, host country) of a frame."""
    place = frame_place(f)
    host_country = _country_of(view, place)
    if f.kind == "visit":
        visitor = f.subject
        hosts = list(f.objects)
        if host_country is None and hosts:
            host_country = _party_country(view, hosts[0])
        return "visit", visitor, hosts, host_country
    if f.kind == "reception":
        visitor = f.objects[0] if f.objects else None
        hosts = [f.subject] if f.subject else []
        # A host receives at home; a place named elsewhere in the sentence is often another event's.
        receiver = _party_country(view, f.subject)
        if receiver is not None and (f.location is None or _country_of(view, f.location) != receiver):
            host_country = receiver
        if host_country is None:
            host_country = view.dateline_country
        return "reception", visitor, hosts, host_country
    if f.kind == "welcomed":
        return "welcomed", None, list(f.objects), host_country
    if f.subject is None and f.anaphoric and f.objects:
        # "ويلتقي معاليه خلال الزيارة وزير الداخلية الفرنسي": the one met, by the visitor told
        # before (the caller adds the talks to the event being told).
        return "meeting", None, list(f.objects), host_country
    # meeting: the visitor is the party who is not from the country where it happens.
    parties: list[PartyMention] = []
    for p in (f.subject, *f.objects):
        if p is not None and not any(_same_party(view, p, q) for q in parties):
            parties.append(p)  # "وزير الداخلية، X … بين الوزير X و Y": X once
    if not parties:
        return "meeting", None, [], host_country
    for p in parties:
        trip = _trip_of(view, p)
        if trip is not None and host_country in (None, trip):
            # One side is said elsewhere in the article to be travelling there.
            return "meeting", p, [o for o in parties if o is not p], trip
    if host_country is None and f.location_is_subject and f.subject is not None:
        host_country = _party_country(view, f.subject)
    if host_country is None and view.dateline_country is not None:
        host_country = view.dateline_country  # filed from where it happened
    if host_country is not None:
        foreign = [p for p in parties if _party_country(view, p) not in (None, host_country)]
        local = [p for p in parties if _party_country(view, p) == host_country]
        if foreign:
            return "meeting", foreign[0], local + foreign[1:], host_country
        return "meeting", f.subject, [p for p in parties if p is not f.subject], host_country
    # No place: the subject reports from home and the other party is the guest, unless the
    # subject is the one said to be travelling (checked by the caller against known trips).
    subject = f.subject or parties[0]
    others = [p for p in parties if p is not subject]
    if others and _party_country(view, others[0]) not in (None, _party_country(view, subject)):
        return "meeting", others[0], [subject, *others[1:]], _party_country(view, subject)
    return "meeting", subject, others, None


def _trip_of(view: DocView, p: PartyMention) -> str | None:
    """The host country of a trip the article gives this party (from a travel or reception frame)."""
    for visitor, host in view.trips.values():
        if _same_party(view, visitor, p) or _role_of(view, p, visitor) or _role_of(view, visitor, p):
            return host
    return None


def _collect_trips(view: DocView, frames: list[Frame]) -> None:
    """First pass: who travels where, from the frames that say so (not from talks)."""
    trips: dict[int, tuple[Any, str]] = {}
    for f in frames:
        if f.negative or f.kind not in ("visit", "reception"):
            continue
        _kind, visitor, _hosts, host = _resolve(view, f)
        if visitor is not None and host is not None and _party_country(view, visitor) != host:
            trips[id(f)] = (visitor, host)
    view.trips = trips


def main_person(view: DocView) -> str | None:
    """The person the article is about: most mentioned in the title and the first paragraphs."""
    counts: dict[str, int] = {}
    for sent in view.sentences:
        if sent.para > 1:
            break
        for m in sent.mentions:
            if m.type == "PERSON" and m.entity_id:
                counts[m.entity_id] = counts.get(m.entity_id, 0) + (2 if sent.is_title else 1)
    return max(counts, key=lambda k: counts[k]) if counts else None


def _explicit_place(view: DocView, d: Draft) -> str | None:
    """A country the draft's own sentences give as the place (not the dateline)."""
    for f in d.frames:
        country = _country_of(view, frame_place(f))
        if country is not None:
            return country
    return None


def orient(view: DocView, d: Draft) -> None:
    """Settle who is the visitor of a meeting once all its frames are in.

    The visitor is the party who is not at home: an explicit place decides; in a third country
    the article's main person is the visitor.
    """
    if d.type != "meeting" or d.side_of is not None:
        return
    place = _explicit_place(view, d)
    if place is None:
        return
    vc = _party_country(view, d.visitor)
    others = [c for c in d.counterparts]
    if vc == place:
        foreign = [c for c in others if _party_country(view, c) not in (None, place)]
        if foreign:
            new = foreign[0]
            d.counterparts = [d.visitor, *[c for c in others if c is not new]]
            d.visitor = new
    elif place not in {vc, *(_party_country(view, c) for c in others)}:
        main = main_person(view)
        for c in others:
            if main and (c.main.attrs.get("person") or c.entity_id) == main:
                d.counterparts = [d.visitor, *[o for o in others if o is not c]]
                d.visitor = c
                break
    d.host_country = place


def assemble(view: DocView, frames: list[Frame]) -> list[Draft]:
    """Merge frames into drafts, in reading order."""
    _collect_trips(view, frames)
    drafts: list[Draft] = []
    current: Draft | None = None
    frames_by_sentence: dict[int, list[Frame]] = {}
    for f in frames:
        frames_by_sentence.setdefault(f.sent.idx, []).append(f)
    for sent in view.sentences:
        sent_frames = frames_by_sentence.get(sent.idx, [])
        handled = False
        for f in sent_frames:
            if f.negative:
                handled = True
                continue
            if f.kind == "meeting":
                joined = _talks_on_trip(view, drafts, current, f)
                if joined is not None:
                    current = joined
                    handled = True
                    continue
            if current is None and f.kind == "meeting" and f.anaphoric and f.subject is None:
                _sides_from_before(view, f)
            kind, visitor, hosts, host_country = _resolve(view, f)
            if kind == "welcomed":
                if current is not None:
                    _merge_hosts(view, current, hosts)
                handled = True
                continue
            if visitor is None:
                elsewhere = _country_of(view, frame_place(f))
                if (current is not None and f.kind == "meeting" and hosts
                        and elsewhere not in (None, current.host_country)
                        and all(_party_country(view, h) in (None, elsewhere) for h in hosts)):
                    # "وكان سموه قد أجرى في روما مباحثات مع …": the same visitor, another place
                    other = _find(view, drafts, current.visitor, elsewhere) or _new(
                        view, drafts, "meeting", current.visitor, f, elsewhere)
                    _absorb(view, other, f, hosts)
                    handled = True
                    continue
                # "التقى خلالها بنظيره X": talks of the event being told.
                if current is not None and (f.anaphoric or f.kind == "meeting"):
                    _absorb(view, current, f, hosts or list(f.objects))
                    handled = True
                continue
            if (kind in ("visit", "meeting") and current is not None
                    and not _same_party(view, visitor, current.visitor)
                    and ((host_country is not None and _party_country(view, visitor) == host_country)
                         or (kind == "meeting" and f.anaphoric
                             and (is_security_official(visitor) is False or f.sent.has_cue("anaphora"))))):
                # "زيارة رسمية" or "لبحث" read with the host's own minister as its subject: nobody
                # visits his own country here; the words belong to the event being told.
                _absorb(view, current, f, [])
                handled = True
                continue
            if (f.planned and current is not None and not current.planned and visitor.is_delegation
                    and host_country in (None, current.host_country)
                    and _party_country(view, visitor) == _party_country(view, current.visitor)):
                # "الوفد الإسباني غادي يزور …": the visitor's delegation's next step on this trip
                _absorb(view, current, f, hosts)
                handled = True
                continue
            target = _find(view, drafts, visitor, host_country) or _pair(view, drafts, visitor, hosts)
            own_place = _country_of(view, frame_place(f))
            if target is None and current is not None and kind == "meeting" and _same_party(
                view, current.visitor, visitor
            ) and own_place in (None, current.host_country):
                # Talks during the current trip: same event if with the host side, a separate
                # side meeting if with officials of a third country.
                third = [h for h in hosts if _party_country(view, h) not in (None, current.host_country)]
                if third and current.host_country:
                    target = _new(view, drafts, "meeting", visitor, f, current.host_country)
                    target.time = target.time or current.time
                    target.city = target.city or current.city
                    target.occasion = target.occasion or current.occasion
                    _absorb(view, target, f, hosts)
                    current = target
                    handled = True
                    continue
                target = current
            if target is None:
                if kind == "visit" and f.dest is None and f.location is None and not f.objects:
                    continue  # a trip needs a place; without one it only refers back
                target = _new(view, drafts, kind, visitor, f, host_country)
            else:
                target.host_country = target.host_country or host_country
                if (target.visitor.relation == "counterpart" and visitor.relation != "counterpart"
                        and not target.visitor.named and _same_party(view, target.visitor, visitor)):
                    target.visitor = visitor  # "نظيره النيجري" is named by his office below
            _absorb(view, target, f, hosts)
            current = target
            handled = True
        if not handled and current is not None and sent.para >= 0:
            _absorb_sentence(view, current, sent)
    for d in drafts:
        orient(view, d)
    return drafts


def _sides_from_before(view: DocView, f: Frame) -> None:
    """"X ونظيره Y أكدا … وجاء ذلك خلال اللقاء الذي جمعهما": a meeting noun that refers back
    takes its two sides from the sentence before, when it names officials of two countries
    (and that sentence's place and time when it has none of its own)."""
    if f.sent.idx == 0:
        return
    prev = view.sentences[f.sent.idx - 1]
    parties = [p for p in parties_in(prev) if not p.is_delegation]
    if len({_party_country(view, p) for p in parties} - {None}) < 2:
        return
    f.subject, f.objects = parties[0], parties[1:4]
    f.anaphoric = False
    place = frame_place(f)
    prev_places = places_in(prev, parties)
    city = next((m for m in prev_places if m.type == "CITY"), None)
    if place is None:
        f.location = city or next(iter(prev_places), None)
    elif place.type != "CITY" and city is not None and _country_of(view, city) == _country_of(view, place):
        f.location = city  # "بالقاهرة" before, "بمقر وزارة الداخلية المصرية" here
    if f.time is None or occasion_dating(f.sent, f.time):
        f.time = pick_time(prev, prev.start) or f.time


def _pair(
    view: DocView, drafts: list[Draft], visitor: PartyMention, hosts: list[PartyMention]
) -> Draft | None:
    """An event already told between the same two people, whatever the direction said here."""
    for d in drafts:
        if d.type == "meeting" and d.side_of is not None:
            continue
        if any(_same_party(view, h, d.visitor) for h in hosts) and any(
            _same_party(view, visitor, c) for c in d.counterparts
        ):
            return d
    return None


def _talks_on_trip(
    view: DocView, drafts: list[Draft], current: Draft | None, f: Frame
) -> Draft | None:
    """Talks held during a trip told earlier: they join that trip, or make a side meeting.

    The trip is the current event, or an earlier one, whose visitor takes part in the talks and
    whose host country is not contradicted by a place in the sentence.
    """
    parties = [p for p in [f.subject, *f.objects] if p is not None]
    if not parties:
        return None
    place_country = _country_of(view, frame_place(f))
    trips = ([current] if current is not None else []) + [d for d in reversed(drafts) if d is not current]
    for trip in trips:
        if trip.type not in ("visit", "reception") or trip.host_country is None:
            continue
        if place_country is not None and place_country != trip.host_country:
            continue
        mine = [p for p in parties if _same_party(view, p, trip.visitor) or _role_of(view, p, trip.visitor)]
        if not mine:
            continue
        others = [p for p in parties if p not in mine]
        third = [o for o in others if _party_country(view, o) not in (None, trip.host_country)]
        local = [o for o in others if o not in third]
        if third and not local:
            side = _new(view, drafts, "meeting", trip.visitor, f, trip.host_country)
            side.time, side.city, side.occasion = trip.time, trip.city, trip.occasion
            side.side_of = trip
            _absorb(view, side, f, third)
            return side
        _absorb(view, trip, f, others)
        return trip
    return None


_GENERIC_HEADS = frozenset({"official", "counterpart", "leader"})


def _role_of(view: DocView, role: PartyMention, named: PartyMention) -> bool:
    """"المسؤول الموريتاني" or "وزير الداخلية الفرنسي" after a named visitor of that country."""
    if role.named or not named.named or role.plural:
        return False
    rc, nc = _party_country(view, role), _party_country(view, named)
    if rc is None or rc != nc:
        return False
    if role.main.attrs.get("head") in _GENERIC_HEADS:
        return True
    rt = normalize(role.title or role.main.text)
    nt = normalize(named.title or "")
    return bool(nt) and (rt in nt or nt in rt)


def _find(view: DocView, drafts: list[Draft], visitor: PartyMention, host: str | None) -> Draft | None:
    for d in drafts:
        if _same_party(view, d.visitor, visitor) and (host is None or d.host_country in (None, host)):
            return d
    for d in drafts:
        if _role_of(view, visitor, d.visitor) and (host is None or d.host_country in (None, host)):
            return d
    return None


def _new(view: DocView, drafts: list[Draft], kind: str, visitor: PartyMention, f: Frame, host: str | None) -> Draft:
    d = Draft(type=kind, visitor=visitor, host_country=host, first_sentence=f.sent.idx)
    drafts.append(d)
    text = view.article.text
    d.add_evidence("actor", f.sent, visitor.start, visitor.end, f"frame.{f.trigger.kind}", text)
    d.add_evidence("trigger", f.sent, f.trigger.start, f.trigger.end, f"trigger.{f.trigger.kind}", text)
    return d


def _merge_hosts(view: DocView, d: Draft, hosts: list[PartyMention]) -> None:
    for h in hosts:
        if h.is_delegation or _same_party(view, h, d.visitor):
            continue
        if h.main.attrs.get("head") in ENVOY_HEADS:
            continue  # ambassadors attend; they are not the visitor's counterparts
        if not any(_same_party(view, h, c) for c in d.counterparts):
            d.counterparts.append(h)


def _in_title(view: DocView, m: Mention) -> bool:
    return any(s.is_title and s.start <= m.start < s.end for s in view.sentences)


def _absorb(view: DocView, d: Draft, f: Frame, hosts: list[PartyMention]) -> None:
    """Add what a frame says to a draft."""
    text = view.article.text
    sent = f.sent
    if f.planned and d.frames and not d.planned:
        # "ومن المنتظر أن يتحول الوفد غدا إلى …": a next step of an event that happened. Its
        # place and day are the step's, not the event's.
        d.frames.append(f)
        _merge_hosts(view, d, hosts)
        if sent not in d.sentences:
            d.sentences.append(sent)  # "ومن المرتقب أن يبحث الجانبان …": what will be discussed
        return
    d.frames.append(f)
    if sent not in d.sentences:
        d.sentences.append(sent)
    _merge_hosts(view, d, hosts)
    for a in f.attendees:
        if _party_country(view, a) in (None, d.host_country) and not _same_party(view, a, d.visitor):
            _merge_hosts(view, d, [a])
    place = frame_place(f)
    if d.city is not None and not sent.is_title and _in_title(view, d.city) and place is not None \
            and place.type == "CITY" and _country_of(view, place) in (None, d.host_country):
        # a headline's city ("معبر تندوف") gives way to the one the body states
        d.city = None
        d.evidence = [e for e in d.evidence if e.slot != "city"]
    if (
        place is not None and place.type == "CITY" and d.city is None
        and (d.host_country is None or _country_of(view, place) in (None, d.host_country))
    ):
        d.city = place
        d.add_evidence("city", sent, place.start, place.end, "frame.place", text)
    if place is not None and d.host_country and _country_of(view, place) == d.host_country:
        d.add_evidence("host_country", sent, place.start, place.end, "frame.place", text)
    if d.city is None and d.host_country:
        # "… إلى تركيا … الذي يقام … بأنقرة": a city of the host country in the same sentence.
        city = next(
            (m for m in sent.mentions if m.type == "CITY" and _country_of(view, m) == d.host_country), None
        )
        if city is not None:
            d.city = city
            d.add_evidence("city", sent, city.start, city.end, "frame.city_in_sentence", text)
    if f.time is not None and (d.time is None or (
            _better_time(f.time, d.time) and not occasion_dating(f.sent, f.time))):
        d.time = f.time  # an occasion's own dates do not replace the day of the encounter
    if f.inviter is not None and d.inviter is None:
        d.inviter = f.inviter
    if f.occasion is not None and d.occasion is None:
        d.occasion = f.occasion
    d.delegation = d.delegation or f.delegation
    d.planned = d.planned or (f.planned and len(d.frames) == 1)
    if f.origin is not None and d.origin is None:
        d.origin = f.origin
    _absorb_sentence(view, d, sent)


def _absorb_sentence(view: DocView, d: Draft, sent: Sentence) -> None:
    """A sentence that talks about the current event: its topics, times, occasions, attendees."""
    if sent not in d.sentences:
        if not (sent.has_cue("anaphora") or sent.has_cue("discussion") or sent.has_cue("sidelines")
                or _names_both_sides(view, d, sent)):
            return
        d.sentences.append(sent)
    if d.occasion is None and (sent.has_cue("sidelines") or sent.has_cue("anaphora")):
        d.occasion = next((m for m in sent.mentions if m.type == "OCCASION"), None)
    if d.time is None and sent.has_cue("anaphora"):
        # "خلال هذه الزيارة، عقد … يومي الخميس والجمعة": a date said of the event told before.
        t = next((t for t in sent.times if not t.is_name_year and t.kind not in ("time", "duration", "year")), None)
        if t is not None and t.value_start is not None:
            d.time = t


def _names_both_sides(view: DocView, d: Draft, sent: Sentence) -> bool:
    """"Laftit et Darmanin se sont félicités …": the visitor and one he met, named together."""
    if not sent.topics or not d.counterparts:
        return False
    parties = parties_in(sent)
    return any(_same_party(view, p, d.visitor) for p in parties) and any(
        _same_party(view, p, c) for p in parties for c in d.counterparts
    )


def _better_time(new: TimeExpr, old: TimeExpr) -> bool:
    rank = {"range": 3, "date": 2, "weekday": 2, "relative": 1}
    return rank.get(new.kind, 0) > rank.get(old.kind, 0) and new.value_start is not None


__all__ = ["Draft", "Occasion", "PartialDate", "Party", "Place", "assemble"]
