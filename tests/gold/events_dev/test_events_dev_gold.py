"""The project's own gold files (events_dev and examples) are well formed and match their articles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pycountry
import pytest

from marsad.evaluation.gold import COARSE_TOPICS, load_gold

ROOT = Path(__file__).resolve().parents[3]
GOLD_FILES = [ROOT / "tests" / "gold" / "events_dev" / "gold.jsonl", ROOT / "examples" / "gold.jsonl"]
ISO2 = {c.alpha_2 for c in pycountry.countries}
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|--\d{2}-\d{2})$")
PUBLISHED = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
DOC_KEYS = {"doc", "lang", "outlet", "author", "published", "title", "story", "events", "notes"}
PARTY_KEYS = {"name_ar", "name_en", "title_ar", "country"}


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _parties(event: dict[str, Any]) -> list[dict[str, Any]]:
    inviter = [event["inviter"]] if event["inviter"] else []
    return [event["visitor"], *event["counterparts"], *inviter]


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.parent.name)
def test_gold_loads_with_the_evaluator(gold: Path) -> None:
    """``marsad eval`` reads the file and sees every record."""
    assert len(load_gold(gold)) == len(_records(gold))


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.parent.name)
def test_every_article_has_one_gold_line(gold: Path) -> None:
    """Each gold line names an existing article and each article has a gold line."""
    docs = [r["doc"] for r in _records(gold)]
    assert len(docs) == len(set(docs))
    for doc in docs:
        name, _, record = doc.partition("#")
        path = gold.parent / name
        assert path.is_file(), doc
        if record:
            lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]
            assert 1 <= int(record) <= len(lines), doc
    articles = {p.name for p in gold.parent.iterdir() if p.suffix in {".txt", ".html", ".jsonl"}}
    articles.discard("gold.jsonl")
    assert articles == {d.partition("#")[0] for d in docs}


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.parent.name)
def test_fields_follow_gold_md(gold: Path) -> None:
    """Keys, codes, dates and topic names follow docs/GOLD.md."""
    for rec in _records(gold):
        doc = rec["doc"]
        assert set(rec) == DOC_KEYS, doc
        assert rec["lang"] in {"ar", "fr", "en"}, doc
        assert rec["published"] is None or PUBLISHED.match(rec["published"]), doc
        assert bool(rec["events"]) == (rec["story"] is not None), doc
        for ev in rec["events"]:
            assert ev["type"] in {"visit", "reception", "meeting"}, doc
            assert ev["status"] in {"happened", "planned"}, doc
            assert ev["host_country"] in ISO2, doc
            assert ev["visitor"]["country"] != ev["host_country"], doc
            for slot in ("start", "end"):
                assert ev[slot] is None or DATE.match(ev[slot]), (doc, slot)
            for slot in ("previous_stop", "next_stop"):
                assert ev[slot] is None or ev[slot] in ISO2, (doc, slot)
            assert set(ev["topics"]) <= COARSE_TOPICS, doc
            for party in _parties(ev):
                assert set(party) == PARTY_KEYS, doc
                assert party["title_ar"], doc
                assert (party["name_ar"] is None) == (party["name_en"] is None), doc
                assert party["country"] is None or party["country"] in ISO2, doc


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.parent.name)
def test_arabic_names_are_copied_from_the_article(gold: Path) -> None:
    """In Arabic files, ``name_ar`` is the name exactly as the article writes it."""
    for rec in _records(gold):
        if rec["lang"] != "ar" or "#" in rec["doc"]:
            continue
        text = (gold.parent / rec["doc"]).read_text("utf-8")
        for ev in rec["events"]:
            for party in _parties(ev):
                assert party["name_ar"] is None or party["name_ar"] in text, (rec["doc"], party)


def test_events_dev_is_varied_enough() -> None:
    """The development set keeps its size, negatives, languages, statuses and event types."""
    recs = _records(GOLD_FILES[0])
    events = [e for r in recs for e in r["events"]]
    assert len(recs) >= 40
    assert sum(not r["events"] for r in recs) >= 8
    assert {r["lang"] for r in recs} == {"ar", "fr", "en"}
    assert {e["type"] for e in events} == {"visit", "reception", "meeting"}
    assert {e["status"] for e in events} == {"happened", "planned"}
    assert {t for e in events for t in e["topics"]} == COARSE_TOPICS
