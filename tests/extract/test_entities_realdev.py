"""Recall of the realdev gold people (visitors and counterparts) and their countries.

Measured twice: with the knowledge base, and with its people removed (how the rules do on
names they have never seen). The floors are the figures measured when the stage was written
(docs/notes/entities.md), rounded down; a change that loses recall fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from marsad.clean import clean_article
from marsad.extract.entities import extract_with
from marsad.ingest import iter_documents, read_article
from marsad.lexicon.countries import phrase_key
from marsad.link.kb import KnowledgeBase, build_kb
from marsad.link.translit import name_key
from marsad.model import Article, Entity, Failure
from marsad.settings import Settings

from ..conftest import REALDEV

FLOORS = {"kb": (0.97, 0.95), "no_kb": (0.92, 0.60)}


def _found(article: Article, name: dict[str, Any], lang: str) -> Entity | None:
    queries = [name.get("arabic")] if lang == "ar" else [name.get("latin"), name.get("arabic")]
    for e in article.entities:
        if e.type != "PERSON":
            continue
        forms = [phrase_key(x) for x in [*e.aliases, e.name, e.name_latin or ""] if x]
        keys = {name_key(f.split()) for f in forms}
        for q in queries:
            if not q:
                continue
            qk = phrase_key(q)
            if name_key(qk.split()) in keys or any(
                qk in f or (f in qk and len(f.split()) >= 2) for f in forms
            ):
                return e
    return None


def recall(records: list[dict[str, Any]], settings: Settings, kb: KnowledgeBase) -> tuple[float, float]:
    """(name recall, country recall) of the gold visitors and named counterparts."""
    raws = list(iter_documents([str(REALDEV)], settings.ingest))
    names = hits = countries = chits = 0
    for rec, raw in zip(records, raws, strict=True):
        assert not isinstance(raw, Failure)
        article = extract_with(clean_article(read_article(raw, settings.ingest), settings.clean), kb)
        for ev in rec["gold"]:
            people = [(ev["visitor"], ev["visitor_country"])] if ev["visitor"] else []
            people += [(c["name"], c["country"]) for c in ev["counterparts"] if c["name"]]
            for name, country in people:
                names += 1
                e = _found(article, name, rec["lang"])
                hits += e is not None
                if country:
                    countries += 1
                    chits += e is not None and e.country == country
    return hits / names, chits / countries


@pytest.mark.parametrize("mode", ["kb", "no_kb"])
def test_realdev_recall(mode: str, realdev_records: list[dict[str, Any]], settings: Settings) -> None:
    kb = build_kb()
    if mode == "no_kb":
        kb.persons.clear()
        kb.index()
    name_recall, country_recall = recall(realdev_records, settings, kb)
    print(f"realdev {mode}: names {name_recall:.3f} countries {country_recall:.3f}")
    floor_names, floor_countries = FLOORS[mode]
    assert name_recall >= floor_names
    assert country_recall >= floor_countries
