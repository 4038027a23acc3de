"""Show how the events stage reads an article: sentences, triggers, cues, parties, frames, events.

    python scripts/debug_events.py FILE [--record N]
"""

from __future__ import annotations

import argparse
import sys

from marsad.extract.events.assemble import _resolve
from marsad.extract.events.doc import build_view
from marsad.extract.events.frames import build_frames, parties_in
from marsad.ingest import iter_documents
from marsad.model import RawDocument
from marsad.pipeline import process_document
from marsad.settings import load_settings


def main() -> None:
    """Print the events stage's reading of one document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--record", type=int, default=None)
    parser.add_argument("--id", default=None, help="JSONL record id")
    args = parser.parse_args()
    settings = load_settings()
    for raw in iter_documents([args.path], settings.ingest):
        if not isinstance(raw, RawDocument):
            continue
        if args.record is not None and raw.record != args.record:
            continue
        if args.id is not None and raw.meta.external_id != args.id:
            continue
        article = process_document(raw, settings)
        view = build_view(article)
        for sent in view.sentences:
            print(f"--- s{sent.idx} p{sent.para} {'TITLE ' if sent.is_title else ''}{sent.text[:160]}")
            for t in sent.triggers:
                print(f"    TRIG {t.kind}/{t.tense} «{article.text[t.start:t.end]}»")
            for c in sent.cues:
                print(f"    CUE {c.kind} «{article.text[c.start:c.end]}»")
            for p in parties_in(sent):
                print(f"    PARTY «{article.text[p.start:p.end]}» {p.main.type} {p.entity_id} {p.country} {p.title}")
            for m in sent.mentions:
                if m.type in ("COUNTRY", "CITY", "OCCASION"):
                    print(f"    {m.type} «{m.text}» {m.key} {m.attrs.get('country')}")
            for t in sent.times:
                print(f"    TIME «{t.text}» {t.kind} {t.value_start} {t.value_end} {t.is_name_year}")
            for f in build_frames(view, sent):
                kind, visitor, _hosts, host = _resolve(view, f)
                print(
                    f"    FRAME {f.kind} subj={f.subject.main.text if f.subject else None} "
                    f"objs={[o.main.text for o in f.objects]} dest={f.dest.text if f.dest else None} "
                    f"loc={f.location.text if f.location else None} planned={f.planned} neg={f.negative} "
                    f"ana={f.anaphoric} -> {kind} visitor={visitor.main.text if visitor else None} host={host}"
                )
        print("=== EVENTS")
        for e in article.events:
            print(
                f"  {e.type}/{e.status} {e.salience} actor={e.actor.name or e.actor.title if e.actor else None}"
                f" ({e.actor.country if e.actor else None}) host={e.host_country} city={e.city.name if e.city else None}"
                f" {e.start}..{e.end} cps={[(c.name or c.title, c.country) for c in e.counterparts]}"
                f" inv={e.inviter.name or e.inviter.title if e.inviter else None} occ={e.occasion.name if e.occasion else None}"
                f" deleg={e.delegation} prev={e.previous_stop} topics={e.topics}"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
