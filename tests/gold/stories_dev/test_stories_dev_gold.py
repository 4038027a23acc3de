"""The stories development set is well formed, matches its articles and keeps its story structure."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pycountry
import pytest

from marsad.evaluation.gold import COARSE_TOPICS, load_gold

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.jsonl"
SHARED = HERE.parents[2] / ".." / "shared"
ISO2 = {c.alpha_2 for c in pycountry.countries}
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|--\d{2}-\d{2})$")
PUBLISHED = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
DOC_KEYS = {"doc", "lang", "outlet", "author", "published", "title", "story", "events", "notes"}
EVENT_KEYS = {
    "type",
    "status",
    "visitor",
    "host_country",
    "city",
    "start",
    "end",
    "counterparts",
    "inviter",
    "occasion",
    "delegation",
    "previous_stop",
    "next_stop",
    "topics",
    "cameo",
}
PARTY_KEYS = {"name_ar", "name_en", "title_ar", "country"}
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+")


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def _text(doc: str) -> str:
    return (HERE / doc).read_text("utf-8")


def _parties(event: dict[str, Any]) -> list[dict[str, Any]]:
    inviter = [event["inviter"]] if event["inviter"] else []
    return [event["visitor"], *event["counterparts"], *inviter]


def _stories() -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in _records():
        if rec["story"] is not None:
            groups[rec["story"]].append(rec)
    return groups


def test_gold_loads_with_the_evaluator() -> None:
    """``marsad eval`` reads the file and sees every record with its story."""
    docs = load_gold(GOLD)
    assert len(docs) == len(_records())
    assert {d.story for d in docs} == {r["story"] for r in _records()}


def test_every_article_has_one_gold_line() -> None:
    """Each gold line names an existing article and each article has exactly one line."""
    docs = [r["doc"] for r in _records()]
    assert len(docs) == len(set(docs))
    articles = {p.name for p in HERE.iterdir() if p.suffix in {".txt", ".html"}}
    assert articles == set(docs)


def test_fields_follow_gold_md() -> None:
    """Keys, codes, dates and topic names follow docs/GOLD.md."""
    for rec in _records():
        doc = rec["doc"]
        assert set(rec) == DOC_KEYS, doc
        assert rec["lang"] in {"ar", "fr", "en"}, doc
        assert rec["published"] is None or PUBLISHED.match(rec["published"]), doc
        assert bool(rec["events"]) == (rec["story"] is not None), doc
        assert rec["notes"], doc
        for ev in rec["events"]:
            assert EVENT_KEYS <= set(ev) <= EVENT_KEYS | {"same_visit_key"}, doc
            assert ev["type"] in {"visit", "reception", "meeting"}, doc
            assert ev["status"] in {"happened", "planned"}, doc
            assert ev["host_country"] in ISO2, doc
            assert ev["visitor"]["country"] != ev["host_country"], doc
            for slot in ("start", "end"):
                assert ev[slot] is None or DATE.match(ev[slot]), (doc, slot)
            if ev["start"] and ev["end"] and len(ev["start"]) == len(ev["end"]):
                assert ev["start"] <= ev["end"], doc
            for slot in ("previous_stop", "next_stop"):
                assert ev[slot] is None or ev[slot] in ISO2, (doc, slot)
            assert set(ev["topics"]) <= COARSE_TOPICS, doc
            assert len(ev["topics"]) == len(set(ev["topics"])), doc
            for party in _parties(ev):
                assert set(party) == PARTY_KEYS, doc
                assert party["title_ar"], doc
                assert (party["name_ar"] is None) == (party["name_en"] is None), doc
                assert party["country"] is None or party["country"] in ISO2, doc


def test_names_are_copied_from_the_article() -> None:
    """Arabic files copy ``name_ar`` as written; French and English files copy ``name_en``."""
    for rec in _records():
        text = _text(rec["doc"])
        slot = "name_ar" if rec["lang"] == "ar" else "name_en"
        for ev in rec["events"]:
            for party in _parties(ev):
                assert party[slot] is None or party[slot] in text, (rec["doc"], party[slot])


def test_title_is_printed_in_the_article() -> None:
    """The gold headline appears verbatim in the page."""
    for rec in _records():
        assert rec["title"] is None or rec["title"] in _text(rec["doc"]), rec["doc"]


def test_every_story_article_reports_its_story() -> None:
    """An article with a story key has at least one event that is that story's event."""
    for rec in _records():
        if rec["story"] is None:
            continue
        keys = [ev.get("same_visit_key", rec["story"]) for ev in rec["events"]]
        assert rec["story"] in keys, rec["doc"]


def test_story_structure() -> None:
    """At least 15 stories of 2 to 5 reports, Latin-script reports joining Arabic ones, and 10 distractors."""
    groups = _stories()
    multi = {k: v for k, v in groups.items() if len(v) >= 2}
    assert len(multi) >= 15
    assert all(len(v) <= 5 for v in multi.values())
    assert all(any(r["lang"] == "ar" for r in v) for v in multi.values())
    assert all(len({r["outlet"] for r in v}) == len(v) for v in multi.values())
    latin = sum(r["lang"] != "ar" for v in multi.values() for r in v)
    assert latin >= 8
    singles = sum(len(v) == 1 for v in groups.values())
    negatives = sum(r["story"] is None for r in _records())
    assert singles + negatives >= 10
    assert negatives >= 3


def test_reports_of_one_story_agree_on_the_core_facts() -> None:
    """All reports of a story share the visitor's country and the host country of their main event."""
    for key, recs in _stories().items():
        cores: Counter[tuple[str | None, str]] = Counter()
        for rec in recs:
            main = [ev for ev in rec["events"] if ev.get("same_visit_key", key) == key]
            cores[(main[0]["visitor"]["country"], main[0]["host_country"])] += 1
        assert len(cores) == 1, (key, cores)


def test_articles_have_a_news_length() -> None:
    """Each article is UTF-8 and holds 100 to 350 words of text outside HTML tags."""
    for rec in _records():
        words = WORD.findall(TAG.sub(" ", _text(rec["doc"])))
        assert 100 <= len(words) <= 350, (rec["doc"], len(words))


#: Official titles written out in full; like names, they are facts that any report repeats.
TITLES = (
    "المدير العام للأمن الوطني ولمراقبة التراب الوطني",
    "وزير الداخلية والجماعات المحلية والنقل",
    "نائب رئيس مجلس الوزراء وزير الداخلية",
    "صاحب السمو الملكي الأمير",
)


def _facts() -> re.Pattern[str]:
    """Names and titles from the gold plus TITLES, longest first, as one alternation."""
    facts = set(TITLES)
    for rec in _records():
        for ev in rec["events"]:
            for party in _parties(ev):
                facts |= {v for v in (party["name_ar"], party["name_en"], party["title_ar"]) if v}
    return re.compile("|".join(re.escape(f) for f in sorted(facts, key=len, reverse=True)))


def _shingles(text: str, facts: re.Pattern[str], size: int = 8) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for piece in facts.split(text):
        words = WORD.findall(piece)
        found |= {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    return found


def test_no_sentence_is_taken_from_the_shared_articles() -> None:
    """Outside names and titles, no run of eight words is shared with the seed or realdev articles."""
    seeds = SHARED / "seeds"
    realdev = SHARED / "realdev" / "articles.jsonl"
    if not seeds.is_dir() or not realdev.is_file():
        pytest.skip("../shared seeds or realdev not found")
    facts = _facts()
    shared: set[tuple[str, ...]] = set()
    for path in seeds.glob("*.txt"):
        shared |= _shingles(path.read_text("utf-8"), facts)
    for line in realdev.read_text("utf-8").splitlines():
        if line.strip():
            shared |= _shingles(json.loads(line)["text"], facts)
    for rec in _records():
        common = _shingles(_text(rec["doc"]), facts) & shared
        assert not common, (rec["doc"], sorted(common)[:3])
