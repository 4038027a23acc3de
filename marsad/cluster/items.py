"""What clustering looks at in one event: its parties, place, dates and a text to embed.

A :class:`StoryItem` is built once per extracted event (:func:`item_of`) from the event and its
article, and it is everything the story stage needs to compare two events without opening the
article again: party keys across scripts, host country, city and occasion keys, the stated
dates, the article's publication date, the outlet, and the sentence text that the embedding
model reads. Items are plain data, stored as JSON by ``marsad/store/story_store.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from marsad.arabic import normalize
from marsad.cluster.names import NameKey, name_key, normal_title
from marsad.lexicon.countries import is_country_code
from marsad.model import Article, Event, PartialDate, Party, from_jsonable, to_jsonable

#: Characters of sentence text given to the embedding model per event.
EMBED_CHARS = 600


@dataclass(frozen=True, slots=True)
class PartyView:
    """One party of an event, reduced to what identifies it."""

    entity: str | None = None
    #: Name skeletons of a named person (None for an official known only by title).
    name: NameKey | None = None
    country: str | None = None
    title: str | None = None

    @property
    def named(self) -> bool:
        """Whether the party is a named person."""
        return self.name is not None and bool(self.name.words)

    @property
    def role(self) -> str | None:
        """The role entity id of an unnamed official ("role:minister:interior_ministry:qa")."""
        if self.entity and self.entity.startswith("role:"):
            return self.entity
        return None

    def block_keys(self) -> list[str]:
        """Blocking keys of this party: entity id, family name, pairs of name words.

        Two names that :func:`~marsad.cluster.names.name_similarity` matches nearly always
        share one of them: the family name, the end of the run-together form ("Yerlikaya" /
        "Yarli Kaya"), or a pair of words (neighbours, or first and last: a shortened name keeps
        those). A given name alone is never a key: it would put every Mohammed in one block.
        """
        out: list[str] = []
        if self.entity and not self.entity.startswith("org:"):
            out.append("e:" + self.entity)
        if self.name is not None:
            fam = self.name.family
            if fam and len(fam) >= 2:
                out.append("n:" + fam)
            joined = self.name.joined
            if joined and len(joined) >= 4:
                out.append("j:" + joined[-4:])
            out.extend(f"p:{a}+{b}" for a, b in word_pairs(self.name))
        return out


def word_pairs(name: NameKey) -> set[tuple[str, str]]:
    """Unordered pairs of neighbouring name words, and of the first and last word."""
    words = [w for w in name.words if w != "abd"]
    pairs = set(pairwise(words))
    if len(words) > 2:
        pairs.add((words[0], words[-1]))
    return {(a, b) if a <= b else (b, a) for a, b in pairs if a != b}


def _slug_name(entity_id: str) -> str:
    """The name words of a person entity id, without a trailing country code."""
    words = entity_id.partition(":")[2].split("-")
    if len(words) > 1 and len(words[-1]) == 2 and is_country_code(words[-1].upper()):
        words = words[:-1]
    return " ".join(words)


def party_view(p: Party | None) -> PartyView | None:
    """The :class:`PartyView` of an event party."""
    if p is None:
        return None
    key: NameKey | None = None
    is_person = p.entity_id is None or p.entity_id.startswith("person:")
    if is_person and (p.name_latin or p.name):
        key = name_key(p.name_latin or p.name or "")
    elif p.entity_id and p.entity_id.startswith("person:"):
        # A person the text names only in a form the event did not keep: the id's slug is
        # the name's Latin form ("person:abidalla-maayta-jo" -> Abidalla Maayta).
        key = name_key(_slug_name(p.entity_id))
    if key is not None and not key.words:
        key = None
    if key is None and p.entity_id is None and not p.title and not p.country:
        return None
    return PartyView(entity=p.entity_id, name=key, country=p.country, title=normal_title(p.title))


@dataclass(slots=True)
class StoryItem:
    """The clustering view of one extracted event."""

    event_key: str
    doc: str
    salience: str = "main"
    status: str = "happened"
    type: str = "visit"
    actor: PartyView | None = None
    others: tuple[PartyView, ...] = ()
    host: str | None = None
    city: str | None = None
    occasion: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    #: The start's year came from outside the sentence (occasion, ingest time).
    inferred: bool = False
    published: PartialDate | None = None
    lang: str | None = None
    outlet: str | None = None
    text: str = ""
    #: Hash of the event record: a re-extraction that changes the event changes it.
    fingerprint: str = ""
    #: Integer id of the document in the store, when stored.
    document_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Values computed from the item during a run (its time span); never stored.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def parties(self) -> list[PartyView]:
        """Actor first, then counterparts and inviter."""
        return ([self.actor] if self.actor else []) + list(self.others)

    def to_json(self) -> str:
        """The item as compact JSON."""
        memo, self.memo = self.memo, {}
        try:
            data = to_jsonable(self)
        finally:
            self.memo = memo
        data.pop("memo", None)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> StoryItem:
        """The item that :meth:`to_json` wrote."""
        return from_jsonable(cls, json.loads(text))


def _key(text: str | None) -> str | None:
    if not text:
        return None
    return " ".join(normalize(text).split()) or None


def fingerprint(event: Event) -> str:
    """A short hash of an event record (without its story id)."""
    data = to_jsonable(event)
    data.pop("story_id", None)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(raw).hexdigest()[:16]


def embed_text(article: Article, event: Event) -> str:
    """The text the embedding model reads for an event: its headline and evidence sentences."""
    parts: list[str] = []
    if event.salience == "main" and article.title:
        parts.append(article.title)
    seen: set[tuple[int, int]] = set()
    for ev in sorted(event.evidence, key=lambda e: e.start):
        if ev.sentence_start is None or ev.sentence_end is None:
            continue
        span = (ev.sentence_start, ev.sentence_end)
        if span in seen:
            continue
        seen.add(span)
        sentence = " ".join(article.text[span[0] : span[1]].split())
        if sentence and sentence not in parts:
            parts.append(sentence)
        if sum(len(p) for p in parts) >= EMBED_CHARS:
            break
    return " ".join(parts)[:EMBED_CHARS]


def item_of(article: Article, event: Event, document_id: int | None = None) -> StoryItem:
    """The :class:`StoryItem` of ``event``, an event extracted from ``article``."""
    others = [party_view(p) for p in [*event.counterparts, event.inviter]]
    city = None
    if event.city is not None:
        city = event.city.entity_id or _key(event.city.name_latin) or _key(event.city.name)
    occasion = None
    if event.occasion is not None:
        occasion = event.occasion.entity_id or _key(event.occasion.name_latin or event.occasion.name)
    return StoryItem(
        event_key=event.id,
        doc=event.doc_id,
        salience=event.salience,
        status=event.status,
        type=event.type,
        actor=party_view(event.actor),
        others=tuple(p for p in others if p is not None),
        host=event.host_country,
        city=city,
        occasion=occasion,
        start=event.start,
        end=event.end,
        inferred=event.date_inferred,
        published=article.published,
        lang=article.lang,
        outlet=article.outlet,
        text=embed_text(article, event),
        fingerprint=fingerprint(event),
        document_id=document_id,
    )
