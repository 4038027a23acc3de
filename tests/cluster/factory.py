"""Events and articles built by hand for the story tests (no extraction involved)."""

from __future__ import annotations

import hashlib
from typing import Any

from marsad.cluster.items import StoryItem, item_of
from marsad.model import Article, Event, Evidence, PartialDate, Party, Place, Span

HAMMOUCHI = Party(entity_id="person:abdellatif-hammouchi", name="عبد اللطيف حموشي",
                  name_latin="Abdellatif Hammouchi", country="MA")
LAFTIT = Party(entity_id="person:abdelouafi-laftit", name="عبد الوافي لفتيت",
               name_latin="Abdelouafi Laftit", country="MA")
QA_MINISTER = Party(entity_id="person:khalifa-bin-hamad-al-thani", name="خليفة بن حمد آل ثاني",
                    name_latin="Khalifa bin Hamad Al Thani", country="QA")
TN_MINISTER = Party(entity_id="person:khaled-nuri", name="خالد النوري", name_latin="Khaled Al-Nuri",
                    country="TN")
SA_HOST = Party(entity_id="role:official:security:sa", title="كبار المسؤولين الأمنيين", country="SA")


def date(text: str | None) -> PartialDate | None:
    """A partial date from its ISO form (``2026-02-08``, ``--02-08``)."""
    return PartialDate.parse(text)


def doc_hash(name: str) -> str:
    """A stable fake content hash for a test document."""
    return hashlib.sha256(name.encode()).hexdigest()


def event(
    doc: str,
    n: int = 1,
    *,
    actor: Party | None = HAMMOUCHI,
    host: str | None = "QA",
    start: str | None = None,
    end: str | None = None,
    counterparts: list[Party] | None = None,
    city: str | None = None,
    type: str = "visit",
    salience: str = "main",
    inferred: bool = False,
    **extra: Any,
) -> Event:
    """An extracted event of document ``doc`` (a name; hashed into the doc id)."""
    d = doc_hash(doc)
    ev = Event(
        id=f"{d[:12]}-e{n}", doc_id=d, type=type,  # type: ignore[arg-type]
        actor=actor, host_country=host, start=date(start), end=date(end),
        counterparts=list(counterparts or []),
        city=Place(name=city, name_latin=city, entity_id=f"city:{city.lower()}") if city else None,
        date_inferred=inferred, salience=salience, confidence=0.6,
        date_reason="stated" if start else None,
        evidence=[Evidence(slot="actor", text="x", start=0, end=1, rule="test", document=d)],
        **extra,
    )
    ev.date_precision = ev.start.precision if ev.start else "unknown"
    return ev


def article(doc: str, text: str = "نص", *, published: str | None = None, lang: str = "ar",
            outlet: str | None = None, events: list[Event] | None = None, title: str | None = None) -> Article:
    """An article holding ``events``."""
    a = Article(doc_id=doc_hash(doc), source=f"{doc}.txt", fmt="text", text=text,
                paragraphs=[Span(0, len(text))], lang=lang, outlet=outlet or doc,
                published=date(published), title=title, events=list(events or []))
    for e in a.events:
        e.doc_id = a.doc_id
    return a


def item(ev: Event, published: str | None = None, text: str = "") -> StoryItem:
    """The clustering item of an event, its article published on ``published``."""
    a = article("x", text or "نص", published=published, events=[])
    a.doc_id = ev.doc_id
    return item_of(a, ev)
