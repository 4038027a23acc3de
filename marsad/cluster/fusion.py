"""Fusion: one event per story, each slot chosen by its evidence, alternatives kept.

Every report of a story votes for what it states. A vote weighs one for an independent source:
near-duplicate copies of one text share a single vote (a re-post repeats, it does not confirm),
two readings of one article share that article's vote, and a passing mention counts half. The
value with the most weight wins; ties go to the more precise value (a full date over a day
without a year, a day over a month), then to the earlier-published source. Values that lose
are kept in :attr:`Story.conflicts` with the documents that state them ("start 2026-02-08 (3
sources) vs 2026-02-09 (1 source)").

Dates follow one more rule: a day without a year agrees with a full date on the same day, and
when the chosen day has no year but another report of the story states the year of a date
within a few days of it, the fused date takes that year and says so (``date_inferred`` and
``date_reason`` name the source). A year no report states is never supplied.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from marsad.cluster.identity import party_similarity
from marsad.cluster.items import party_view
from marsad.model import Event, Evidence, Occasion, PartialDate, Party, Place, Story

LOGGER = logging.getLogger(__name__)

V = TypeVar("V")

#: How many days a yearless day may be from a dated day of the story to take its year.
YEAR_FROM_NEIGHBOUR_DAYS = 3
_TYPE_ORDER = {"visit": 0, "reception": 1, "meeting": 2}


@dataclass(slots=True)
class Source:
    """One report in a story: its event and where the article came from."""

    event: Event
    document_id: int | None = None
    outlet: str | None = None
    published: str | None = None
    lang: str | None = None
    #: Near-duplicate group: reports with the same group are copies of one text.
    group: str | None = None

    @property
    def doc(self) -> str:
        """The document's content hash."""
        return self.event.doc_id

    @property
    def label(self) -> str:
        """A short name for messages: the outlet, or the document id."""
        return self.outlet or (f"document {self.document_id}" if self.document_id else self.doc[:12])


@dataclass(slots=True)
class _Ballot:
    """Votes for one value of one slot."""

    value: Any
    weight: float = 0.0
    sources: list[Source] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        """Distinct documents behind the value."""
        return sorted({s.doc for s in self.sources})


def weights(sources: Sequence[Source]) -> dict[int, float]:
    """The vote of each source (by position): one per independent text, split among copies."""
    group_docs: dict[str, set[str]] = defaultdict(set)
    doc_events: dict[str, int] = defaultdict(int)
    for s in sources:
        group_docs[s.group or s.doc].add(s.doc)
        doc_events[s.doc] += 1
    out: dict[int, float] = {}
    for i, s in enumerate(sources):
        w = 1.0 / len(group_docs[s.group or s.doc]) / doc_events[s.doc]
        out[i] = w * (0.5 if s.event.salience != "main" else 1.0)
    return out


def _tally(
    sources: Sequence[Source], w: dict[int, float], get: Callable[[Event], V | None],
    key: Callable[[V], Hashable],
) -> list[_Ballot]:
    ballots: dict[Hashable, _Ballot] = {}
    for i, s in enumerate(sources):
        value = get(s.event)
        if value is None:
            continue
        b = ballots.setdefault(key(value), _Ballot(value))
        b.weight += w[i]
        b.sources.append(s)
    return list(ballots.values())


def _published_rank(b: _Ballot) -> str:
    return min((s.published or "9999") for s in b.sources)


def _rank(ballots: list[_Ballot], precision: Callable[[Any], int] | None = None) -> list[_Ballot]:
    return sorted(
        ballots,
        key=lambda b: (-round(b.weight, 6), -(precision(b.value) if precision else 0),
                       -len(b.documents), _published_rank(b), str(b.value)),
    )


def _plural(n: int) -> str:
    return f"{n} source" + ("" if n == 1 else "s")


def _conflict(slot: str, ranked: list[_Ballot], show: Callable[[Any], str]) -> dict[str, Any] | None:
    if len(ranked) < 2:
        return None
    win = ranked[0]
    alts: list[dict[str, Any]] = [
        {"value": show(b.value), "sources": len(b.documents), "weight": round(b.weight, 3),
         "documents": b.documents}
        for b in ranked[1:]
    ]
    text = f"{slot} {show(win.value)} ({_plural(len(win.documents))}) vs " + ", ".join(
        f"{show(b.value)} ({_plural(len(b.documents))})" for b in ranked[1:]
    )
    return {"slot": slot, "chosen": show(win.value), "sources": len(win.documents),
            "weight": round(win.weight, 3), "documents": win.documents, "alternatives": alts,
            "text": text}


# --- parties ----------------------------------------------------------------------------------


def _same_party(p: Party, q: Party) -> bool:
    if p.entity_id and p.entity_id == q.entity_id:
        return True
    return party_similarity(party_view(p), party_view(q)) >= 0.8


def _merge_parties(parties: list[Party]) -> Party:
    """One party from several reports' forms of it: the most frequent value of each field."""

    def most(values: Sequence[str | None]) -> str | None:
        counts: dict[str, int] = defaultdict(int)
        for v in values:
            if v:
                counts[v] += 1
        if not counts:
            return None
        return sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]

    arabic = [p.name for p in parties if p.name and not p.name.isascii()]
    latin_written = [p.name for p in parties if p.name and p.name.isascii()]
    return Party(
        entity_id=most([p.entity_id for p in parties if p.name]) or most([p.entity_id for p in parties]),
        name=most(arabic) or most(latin_written),
        name_latin=most(latin_written) or most([p.name_latin for p in parties]),
        title=most([p.title for p in parties if p.title and not p.title.isascii()])
        or most([p.title for p in parties]),
        org=most([p.org for p in parties]),
        country=most([p.country for p in parties]),
    )


@dataclass(slots=True)
class _PartyGroup:
    """Mentions of one party across reports, with their summed vote."""

    parties: list[Party]
    sources: list[Source]
    weight: float = 0.0

    def merged(self) -> Party:
        """The party the mentions describe."""
        return _merge_parties(self.parties)


def _group_parties(items: list[tuple[Party, Source, float]]) -> list[_PartyGroup]:
    """Group party mentions that name one party; unnamed officials group by title and country."""
    groups: list[_PartyGroup] = []
    for p, s, w in items:
        for g in groups:
            rep = g.parties[0]
            same = (p.entity_id is not None and p.entity_id == rep.entity_id) or (
                bool(p.name) and bool(rep.name) and _same_party(p, rep)
            ) or (
                not p.name and not rep.name and p.country == rep.country and p.title == rep.title
            )
            if same:
                g.parties.append(p)
                if s not in g.sources:
                    g.sources.append(s)
                g.weight += w
                break
        else:
            groups.append(_PartyGroup([p], [s], w))
    return groups


def _visitor(
    sources: Sequence[Source], w: dict[int, float], host: str | None
) -> tuple[Party | None, dict[str, Any] | None]:
    groups = _group_parties(
        [(s.event.actor, s, w[i]) for i, s in enumerate(sources) if s.event.actor is not None]
    )
    if not groups:
        return None, None

    # A party of the host country is the host seen as the actor (a report's framing): it only
    # wins when no visitor from elsewhere is reported.
    def rank(g: _PartyGroup) -> tuple[float, float, int]:
        country = g.merged().country
        foreign = 0.0 if host is not None and country == host else 1.0
        named = 1 if any(p.name for p in g.parties) else 0
        return (-foreign, -round(g.weight, 6), -named)

    groups.sort(key=rank)
    win = groups[0].merged()
    for g in groups[1:]:
        rep = g.merged()
        if not rep.name and rep.country == win.country and not win.title:
            win.title = rep.title  # an unnamed mention of the visitor describes him
    rivals = [g for g in groups[1:] if g.merged().name and g.merged().country != host]
    if not rivals:
        return win, None
    ranked = [_Ballot(g.merged(), g.weight, g.sources) for g in [groups[0], *rivals]]
    return win, _conflict("visitor", ranked, lambda p: p.name or p.name_latin or p.title or "?")


def _counterparts(sources: Sequence[Source], w: dict[int, float], visitor: Party | None) -> list[Party]:
    mentions: list[tuple[Party, Source, float]] = []
    for i, s in enumerate(sources):
        parties = list(s.event.counterparts)
        # A report framed from the host's side has the visitor as a counterpart and the host as
        # the actor: the host is then a counterpart of the fused event.
        if s.event.actor is not None and visitor is not None and not _same_party(s.event.actor, visitor) \
                and (s.event.actor.country is None or s.event.actor.country != visitor.country):
            parties.append(s.event.actor)
        mentions.extend((p, s, w[i]) for p in parties)
    out = []
    for g in sorted(_group_parties(mentions), key=lambda g: -g.weight):
        merged = g.merged()
        if visitor is not None and (
            _same_party(merged, visitor) or (merged.entity_id and merged.entity_id == visitor.entity_id)
        ):
            continue
        if visitor is not None and merged.country and merged.country == visitor.country:
            continue  # the visitor's own side is not a counterpart
        if not (merged.name or merged.title or merged.entity_id):
            continue
        out.append(merged)
    return out


# --- dates ------------------------------------------------------------------------------------


def _precision(d: PartialDate) -> int:
    return {"minute": 6, "hour": 5, "day": 4, "month": 3, "year": 2, "day_without_year": 1,
            "month_without_year": 0, "unknown": -1}[d.precision]


def _date_ballots(sources: Sequence[Source], w: dict[int, float], get: Callable[[Event], PartialDate | None]) -> list[_Ballot]:
    ballots = _tally(sources, w, get, lambda d: d.iso() or str(d))
    # A day without a year supports the full dates that fall on its day and month.
    for b in ballots:
        d: PartialDate = b.value
        if d.year is not None:
            continue
        for other in ballots:
            o: PartialDate = other.value
            if o.year is not None and o.month == d.month and o.day == d.day and d.day is not None:
                other.weight += b.weight
                other.sources.extend(s for s in b.sources if s not in other.sources)
                b.weight = 0.0
                break
    return [b for b in ballots if b.weight > 0]


def _year_near(d: PartialDate, sources: Sequence[Source]) -> tuple[int, Source, PartialDate] | None:
    """The year of a stated full date within a few days of yearless ``d``, and its source."""
    if d.month is None or d.day is None:
        return None
    best: tuple[int, str, int, Source, PartialDate] | None = None
    for s in sources:
        if s.event.date_inferred:
            continue  # a year that was itself inferred is not passed on
        for o in (s.event.start, s.event.end):
            if o is None or o.year is None or o.month is None or o.day is None:
                continue
            anchor = date(o.year, o.month, o.day)
            for year in (o.year - 1, o.year, o.year + 1):
                try:
                    cand = date(year, d.month, d.day)
                except ValueError:
                    continue
                gap = abs((cand - anchor).days)
                if gap <= YEAR_FROM_NEIGHBOUR_DAYS:
                    key = (gap, s.published or "9999", year, s, o)
                    if best is None or key[:3] < best[:3]:
                        best = key
    return (best[2], best[3], best[4]) if best else None


@dataclass(slots=True)
class _Dates:
    start: PartialDate | None = None
    end: PartialDate | None = None
    reason: str | None = None
    inferred: bool = False
    candidate_years: list[int] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _fuse_dates(sources: Sequence[Source], w: dict[int, float]) -> _Dates:
    out = _Dates()
    starts = _rank(_date_ballots(sources, w, lambda e: e.start), lambda d: _precision(d))
    if not starts:
        return out
    win = starts[0]
    start: PartialDate = win.value
    first = min(win.sources, key=lambda s: (s.event.date_inferred, s.published or "9999"))
    reasons = [first.event.date_reason or "stated"]
    # The year is inferred when every report that gives it inferred it (from an occasion...).
    dated = [s for s in win.sources if s.event.start is not None and s.event.start.year is not None]
    inferred = bool(dated) and all(s.event.date_inferred for s in dated)
    if start.year is None:
        near = _year_near(start, sources)
        if near is not None:
            year, src, anchor = near
            start = start.with_year(year)
            inferred = True
            reasons.append(f"year {year} from {src.label} ({src.doc[:12]}), a report of the same "
                           f"story dated {anchor.iso()}")
        else:
            years = [set(s.event.candidate_years) for s in win.sources if s.event.candidate_years]
            if years:
                out.candidate_years = sorted(set.intersection(*years))
    if len(win.documents) > 1:
        reasons.append(f"{len(win.documents)} sources agree")
    conflict = _conflict("start", starts, lambda d: d.iso() or str(d))
    if conflict:
        out.conflicts.append(conflict)
    # The end: stated ends that do not fall before the chosen start.
    ends = _rank(_date_ballots(sources, w, lambda e: e.end if e.end != e.start else None),
                 lambda d: _precision(d))
    end: PartialDate | None = None
    if ends:
        cand: PartialDate = ends[0].value
        if cand.year is None and start.year is not None and cand.month is not None:
            year = start.year + (1 if cand.month < (start.month or 0) else 0)
            cand = cand.with_year(year)
            inferred = True
            reasons.append(f"the end's year {year} from the fused start {start.iso()}")
        end = None if _before(cand, start) else cand
        conflict = _conflict("end", ends, lambda d: d.iso() or str(d))
        if conflict:
            out.conflicts.append(conflict)
    out.start, out.end = start, end
    out.inferred = inferred
    out.reason = "; ".join(reasons)
    return out


def _before(a: PartialDate | None, b: PartialDate) -> bool:
    if a is None:
        return False
    if a.year is not None and b.year is not None:
        return (a.year, a.month or 0, a.day or 0) < (b.year, b.month or 0, b.day or 0)
    if a.year is None and b.year is None:
        return (a.month or 0, a.day or 0) < (b.month or 0, b.day or 0)
    return False


# --- the story --------------------------------------------------------------------------------


def _codes(ev: Event) -> None:
    try:
        from marsad.extract.events.codes import cameo, plover
    except ImportError:  # pragma: no cover - the events stage is part of the package
        return
    ev.plover = plover(ev)
    ev.cameo = cameo(ev)


def fuse(story_id: str, sources: Sequence[Source]) -> Story:
    """Fuse the reports of one story into one event; keep alternatives and conflicts."""
    if not sources:
        raise ValueError("a story needs at least one report")
    sources = sorted(sources, key=lambda s: (s.published or "9999", s.doc, s.event.id))
    w = weights(sources)
    conflicts: list[dict[str, Any]] = []

    hosts = _rank(_tally(sources, w, lambda e: e.host_country, str))
    host = hosts[0].value if hosts else None
    if c := _conflict("host_country", hosts, str):
        conflicts.append(c)

    visitor, c = _visitor(sources, w, host)
    if c:
        conflicts.append(c)

    types = _rank(_tally(sources, w, lambda e: e.type, str), lambda t: -_TYPE_ORDER.get(t, 9))
    statuses = _rank(_tally(sources, w, lambda e: e.status, str), lambda s: 1 if s == "happened" else 0)

    def city_key(p: Place) -> str:
        return p.entity_id or (p.name_latin or p.name).lower()

    cities = _rank(_tally(sources, w, lambda e: e.city, city_key))
    city = None
    if cities:
        forms: list[Place] = [s.event.city for s in cities[0].sources if s.event.city is not None]
        latin = next((p.name_latin for p in forms if p.name_latin), None)
        arabic = next((p.name for p in forms if not p.name.isascii()), forms[0].name)
        city = replace(forms[0], name=arabic, name_latin=latin)
        if c := _conflict("city", cities, lambda p: p.name_latin or p.name):
            conflicts.append(c)

    dates = _fuse_dates(sources, w)
    conflicts.extend(dates.conflicts)

    def occ_key(o: Occasion) -> str:
        return o.entity_id or (o.name_latin or o.name)

    occasions = _rank(_tally(sources, w, lambda e: e.occasion, occ_key))
    occasion = occasions[0].value if occasions else None

    inviters = _rank(_tally(sources, w, lambda e: e.inviter, lambda p: p.entity_id or p.name or p.title or ""))
    prev = _rank(_tally(sources, w, lambda e: e.previous_stop, str))
    nxt = _rank(_tally(sources, w, lambda e: e.next_stop, str))

    topic_weight: dict[str, float] = defaultdict(float)
    for i, s in enumerate(sources):
        for t in s.event.topics:
            topic_weight[t] += w[i]
    topics = sorted(topic_weight, key=lambda t: (-topic_weight[t], t))

    evidence: list[Evidence] = []
    for s in sources:
        evidence.extend(replace(e, document=e.document or s.doc) for e in s.event.evidence)

    # Independent texts corroborate: noisy-or over near-duplicate groups (best report each).
    best: dict[str, float] = {}
    for s in sources:
        g = s.group or s.doc
        best[g] = max(best.get(g, 0.0), s.event.confidence)
    miss = 1.0
    for conf in best.values():
        miss *= 1.0 - conf
    primary = max(
        sources, key=lambda s: (s.event.salience == "main", s.event.confidence, -(s.document_id or 0))
    )
    fused = Event(
        id=story_id,
        doc_id=primary.doc,
        type=types[0].value if types else primary.event.type,
        status=statuses[0].value if statuses else "happened",
        actor=visitor,
        host_country=host,
        city=city,
        start=dates.start,
        end=dates.end,
        date_precision=dates.start.precision if dates.start else "unknown",
        date_reason=dates.reason,
        date_inferred=dates.inferred,
        candidate_years=dates.candidate_years,
        counterparts=_counterparts(sources, w, visitor),
        inviter=inviters[0].value if inviters else None,
        occasion=occasion,
        delegation=any(s.event.delegation for s in sources),
        previous_stop=prev[0].value if prev else None,
        next_stop=nxt[0].value if nxt else None,
        topics=topics,
        evidence=evidence,
        confidence=round(min(0.99, 1.0 - miss), 3),
        story_id=story_id,
        salience="main" if any(s.event.salience == "main" for s in sources) else "passing",
    )
    _codes(fused)
    return Story(
        id=story_id,
        event_ids=[s.event.id for s in sources],
        doc_ids=sorted({s.doc for s in sources}),
        fused=fused,
        conflicts=conflicts,
    )
