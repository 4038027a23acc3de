"""The five seed articles through ingest and clean, compared with ../shared/seeds/gold.jsonl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marsad.clean import clean_article
from marsad.ingest import iter_documents, read_article
from marsad.model import Article
from marsad.settings import Settings

SEED_FILES = [
    "000_9664b6333194a4d8.txt",
    "001_32de162e36f2e746.txt",
    "002_48b536697cb48f1a.txt",
    "003_174be3a6b685c2fc.txt",
    "004_933d8c02cf74ad84.txt",
]


def load(seeds_dir: Path, name: str, settings: Settings) -> Article:
    [raw] = list(iter_documents([str(seeds_dir / name)], settings.ingest))
    assert not hasattr(raw, "code"), raw
    return clean_article(read_article(raw, settings.ingest), settings.clean)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", SEED_FILES)
def test_header_fields_match_gold(
    name: str, seeds_dir: Path, seeds_gold: dict[str, dict[str, Any]], settings: Settings
) -> None:
    gold = seeds_gold[name]
    a = load(seeds_dir, name, settings)
    assert a.outlet == gold["outlet"]
    assert a.author == gold["author"]
    assert (a.published.iso() if a.published else None) == gold["published"]
    assert a.title == gold["title"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_no_body_sentence_is_lost(name: str, seeds_dir: Path, settings: Settings) -> None:
    """Every line is kept, or removed by a rule that accounts for it."""
    a = load(seeds_dir, name, settings)
    kept = a.clean_text
    kept_norm = {" ".join(a.text[p.start : p.end].split()) for p in a.paragraphs}
    header_values = {a.title, *a.alt_titles, a.outlet, a.author}
    for r in a.removals:
        text = " ".join(a.text[r.start : r.end].split())
        if r.rule.startswith("dedup."):
            assert text in kept_norm, f"repeat of nothing kept: {text[:50]}"
        elif r.rule in ("header.title", "header.alt_title", "header.repeated_title"):
            assert text in header_values or text == a.title
    removed_spans = [(r.start, r.end) for r in a.removals]
    for line in a.text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = a.text.index(line)
        if any(s <= start < e for s, e in removed_spans):
            continue
        assert line in kept, f"lost: {line[:60]}"


def test_seed_003_ticker_and_breaking_label_removed(seeds_dir: Path, settings: Settings) -> None:
    a = load(seeds_dir, SEED_FILES[3], settings)
    rules = [r.rule for r in a.removals]
    assert rules.count("chrome.ticker") == 5
    assert rules.count("chrome.breaking") == 1
    assert "عاجل" not in a.clean_text.split()
    assert "•" not in a.clean_text
    assert rules.count("header.repeated_title") == 1


def test_seed_002_repeated_paragraphs_present_once(seeds_dir: Path, settings: Settings) -> None:
    a = load(seeds_dir, SEED_FILES[2], settings)
    paras = [" ".join(a.text[p.start : p.end].split()) for p in a.paragraphs]
    assert len(paras) == len(set(paras))
    assert sum(r.rule == "dedup.repeated_paragraph" for r in a.removals) == 4
    assert len(paras) == 5


def test_seed_001_footer_removed(seeds_dir: Path, settings: Settings) -> None:
    a = load(seeds_dir, SEED_FILES[1], settings)
    rules = {r.rule for r in a.removals}
    assert {"chrome.editor_note", "chrome.counter"} <= rules
    assert a.title is None
    assert "التعاليق" not in a.clean_text


def test_seed_000_headline_variants_are_alternative_titles(seeds_dir: Path, settings: Settings) -> None:
    a = load(seeds_dir, SEED_FILES[0], settings)
    assert len(a.alt_titles) == 2
    assert all(t not in a.clean_text for t in a.alt_titles)
