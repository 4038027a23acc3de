"""Gold files in both formats (marsad/seeds gold and realdev gold), read into one form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import GoldError

#: Fine topic keys that the coarse gold list calls "other" (see lexicon/data/topics.yaml).
COARSE_TOPICS = frozenset({
    "terrorism", "extremism", "organized_crime", "illegal_migration", "drug_trafficking",
    "cybersecurity", "intelligence_sharing", "information_exchange", "training", "technology",
    "major_events_security", "border_security", "technical_assistance", "other",
})


@dataclass(slots=True)
class GoldParty:
    """A visitor, counterpart or inviter as a gold file gives it."""

    names: list[str] = field(default_factory=list)
    title: str | None = None
    country: str | None = None

    @property
    def named(self) -> bool:
        """Whether the gold gives a name (not only a role)."""
        return bool(self.names)


@dataclass(slots=True)
class GoldEvent:
    """One gold event in the common form."""

    type: str
    status: str = "happened"
    visitor: GoldParty | None = None
    host_country: str | None = None
    city: str | None = None
    start: str | None = None
    end: str | None = None
    counterparts: list[GoldParty] = field(default_factory=list)
    inviter: GoldParty | None = None
    occasion: str | None = None
    topics: set[str] = field(default_factory=set)
    delegation: bool | None = None
    previous_stop: str | None = None
    key: str | None = None


@dataclass(slots=True)
class GoldDoc:
    """One gold article: how to find it in the database, its header fields and its events."""

    key: str
    #: ``file`` (matched by source file name) or ``external_id`` (matched by the JSONL id).
    match_by: str
    events: list[GoldEvent]
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    title: str | None = None
    story: str | None = None
    lang: str = "ar"
    text: str | None = None
    url: str | None = None
    header: bool = False


def _party_marsad(obj: dict[str, Any] | None) -> GoldParty | None:
    if not obj:
        return None
    names = [n for n in (obj.get("name_ar"), obj.get("name_en")) if n]
    return GoldParty(names, obj.get("title_ar") or obj.get("title"), obj.get("country"))


def _party_realdev(obj: dict[str, Any] | None, role: str | None = None) -> GoldParty | None:
    if obj is None:
        return None
    name = obj.get("name") if "name" in obj or "title_or_org" in obj else obj
    names: list[str] = []
    if isinstance(name, dict):
        names = [n for n in (name.get("arabic"), name.get("latin")) if n]
    return GoldParty(names, obj.get("title_or_org") or role, obj.get("country"))


def _topics(values: list[str] | None) -> set[str]:
    return {t if t in COARSE_TOPICS else "other" for t in (values or [])}


def _occasion(obj: Any) -> str | None:
    if obj is None:
        return None
    if isinstance(obj, str):
        return obj
    return str(obj.get("name_en") or obj.get("name_ar") or "") or None


def _event_marsad(ev: dict[str, Any]) -> GoldEvent:
    visitor = _party_marsad(ev.get("visitor"))
    counterparts = [p for p in (_party_marsad(c) for c in ev.get("counterparts") or []) if p]
    if visitor is None and ev.get("participants"):
        # Seed 004's side meeting lists participants: the first is the article's subject.
        parts = [p for p in (_party_marsad(c) for c in ev["participants"]) if p]
        visitor, counterparts = (parts[0], parts[1:]) if parts else (None, [])
    return GoldEvent(
        type=ev.get("type", "visit"),
        status=ev.get("status", "happened"),
        visitor=visitor,
        host_country=ev.get("host_country"),
        city=ev.get("city"),
        start=ev.get("start"),
        end=ev.get("end"),
        counterparts=counterparts,
        inviter=_party_marsad(ev.get("inviter")),
        occasion=_occasion(ev.get("occasion")),
        topics=_topics(ev.get("topics")),
        delegation=ev.get("delegation"),
        previous_stop=ev.get("previous_stop"),
        key=ev.get("same_visit_key"),
    )


def _event_realdev(ev: dict[str, Any]) -> GoldEvent:
    visitor = _party_realdev(ev.get("visitor") and {"name": ev["visitor"]}, ev.get("visitor_role"))
    if visitor is None:
        visitor = GoldParty([], ev.get("visitor_role"), None)
    visitor.country = ev.get("visitor_country")
    return GoldEvent(
        type=ev.get("type", "visit"),
        status=ev.get("status", "happened"),
        visitor=visitor,
        host_country=ev.get("host_country"),
        city=ev.get("city"),
        start=ev.get("start"),
        end=ev.get("end"),
        counterparts=[p for p in (_party_realdev(c) for c in ev.get("counterparts") or []) if p],
        inviter=_party_realdev(ev.get("inviter")),
        occasion=_occasion(ev.get("occasion")),
        topics=_topics(ev.get("topics")),
        key=ev.get("same_visit_key"),
    )


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold file in either format."""
    path = Path(path)
    try:
        lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        records = [json.loads(ln) for ln in lines]
    except (OSError, ValueError) as exc:
        raise GoldError(f"cannot read gold file {path}: {exc}") from exc
    docs: list[GoldDoc] = []
    for rec in records:
        if "gold" in rec and "text" in rec:
            docs.append(GoldDoc(
                key=str(rec["id"]), match_by="external_id",
                events=[_event_realdev(e) for e in rec["gold"]],
                outlet=rec.get("outlet"), story=rec.get("same_visit_key"),
                lang=rec.get("lang", "ar"), text=rec["text"], url=rec.get("url"),
            ))
        elif "doc" in rec:
            docs.append(GoldDoc(
                key=str(rec["doc"]), match_by="file",
                events=[_event_marsad(e) for e in rec.get("events") or []],
                outlet=rec.get("outlet"), author=rec.get("author"),
                published=rec.get("published"), title=rec.get("title"),
                story=rec.get("story"), lang=rec.get("lang", "ar"), header=True,
            ))
        else:
            raise GoldError(f"{path}: a record has neither 'doc' nor 'id'+'text'+'gold'")
    return docs
