"""The export contract (docs/FORMAT.md): one object per event, as JSONL or CSV.

``extractions`` writes one record per article and event; ``events`` writes one record per
real-world event (fused from its story's reports once stories exist, otherwise the same rows).
Keep field names and meanings stable: other tools read these files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from marsad.model import Event, Party
from marsad.store import SqliteStore

FORMAT_VERSION = "1"

CSV_COLUMNS = [
    "id", "type", "status", "actor_name", "actor_name_latin", "actor_title", "actor_org",
    "actor_country", "host_country", "city", "city_latin", "start", "end", "date_precision",
    "date_reason", "counterparts", "inviter", "occasion", "occasion_edition", "occasion_year",
    "topics", "plover_event", "plover_mode", "cameo", "documents", "outlets", "story_id",
    "corroboration", "confidence",
]


def _party(p: Party | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"name": p.name, "name_latin": p.name_latin, "title": p.title, "org": p.org,
            "country": p.country, "entity_id": p.entity_id}


def _source(ev: Event, info: dict[str, Any]) -> dict[str, Any]:
    src: dict[str, Any] = {
        "document": info.get("sha256") or ev.doc_id,
        "document_id": info.get("document_id"),
        "outlet": info.get("outlet"),
        "published": info.get("published"),
        "evidence": [
            {"slot": e.slot, "text": e.text, "start": e.start, "end": e.end, "rule": e.rule}
            for e in ev.evidence if e.document in (None, ev.doc_id)
        ],
    }
    if info.get("url"):
        src["url"] = info["url"]
    else:
        src["path"] = info.get("source")
    return src


def event_record(ev: Event, sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The export object of one event."""
    return {
        "id": ev.id,
        "type": ev.type,
        "status": ev.status,
        "actor": _party(ev.actor),
        "host_country": ev.host_country,
        "city": {"name": ev.city.name, "name_latin": ev.city.name_latin} if ev.city else None,
        "start": ev.start.iso() if ev.start else None,
        "end": ev.end.iso() if ev.end else None,
        "date_precision": ev.date_precision,
        "date_reason": ev.date_reason,
        "date_inferred": ev.date_inferred,
        "candidate_years": ev.candidate_years,
        "counterparts": [_party(c) for c in ev.counterparts],
        "inviter": _party(ev.inviter),
        "occasion": (
            {"name": ev.occasion.name, "name_latin": ev.occasion.name_latin,
             "edition": ev.occasion.edition, "year": ev.occasion.year}
            if ev.occasion else None
        ),
        "delegation": ev.delegation,
        "previous_stop": ev.previous_stop,
        "next_stop": ev.next_stop,
        "topics": ev.topics,
        "plover": ev.plover,
        "cameo": ev.cameo,
        "sources": sources,
        "story_id": ev.story_id,
        "corroboration": len({s.get("document") for s in sources}),
        "confidence": round(ev.confidence, 3),
        "format_version": FORMAT_VERSION,
    }


def iter_extractions(store: SqliteStore) -> Iterator[dict[str, Any]]:
    """One record per article and event."""
    infos: dict[int, dict[str, Any]] = {}
    offset = 0
    while True:
        rows = store.list_events(limit=500, offset=offset, order="id")
        if not rows:
            return
        for row in rows:
            _, ev = store.get_event(row["id"])
            doc = row["document_id"]
            if doc not in infos:
                infos[doc] = store.document_info(doc)
            yield event_record(ev, [_source(ev, infos[doc])])
        offset += len(rows)


def iter_events(store: SqliteStore) -> Iterator[dict[str, Any]]:
    """One record per real-world event: fused stories where they exist, else extractions."""
    fused = getattr(store, "iter_fused_events", None)
    if fused is None:
        yield from iter_extractions(store)
        return
    yielded_any = False
    for ev, sources in fused():
        yielded_any = True
        yield event_record(ev, sources)
    if not yielded_any:
        yield from iter_extractions(store)


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write records as JSON lines; return how many."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    actor = rec["actor"] or {}
    occ = rec["occasion"] or {}
    city = rec["city"] or {}
    inviter = rec["inviter"] or {}

    def who(p: dict[str, Any]) -> str:
        name = p.get("name") or p.get("title") or ""
        return f"{name} ({p['country']})" if p.get("country") else name

    return {
        "id": rec["id"], "type": rec["type"], "status": rec["status"],
        "actor_name": actor.get("name"), "actor_name_latin": actor.get("name_latin"),
        "actor_title": actor.get("title"), "actor_org": actor.get("org"),
        "actor_country": actor.get("country"), "host_country": rec["host_country"],
        "city": city.get("name"), "city_latin": city.get("name_latin"),
        "start": rec["start"], "end": rec["end"], "date_precision": rec["date_precision"],
        "date_reason": rec["date_reason"],
        "counterparts": "; ".join(who(c) for c in rec["counterparts"]),
        "inviter": who(inviter) if inviter else "",
        "occasion": occ.get("name"), "occasion_edition": occ.get("edition"),
        "occasion_year": occ.get("year"),
        "topics": ";".join(rec["topics"]),
        "plover_event": rec["plover"].get("event"), "plover_mode": rec["plover"].get("mode"),
        "cameo": ";".join(rec["cameo"]),
        "documents": ";".join(str(s.get("document_id") or s.get("document")) for s in rec["sources"]),
        "outlets": ";".join(sorted({s.get("outlet") or "" for s in rec["sources"]} - {""})),
        "story_id": rec["story_id"], "corroboration": rec["corroboration"],
        "confidence": rec["confidence"],
    }


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write records as CSV (one flat row per event); return how many."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(_flat(rec))
        n += 1
    return n
