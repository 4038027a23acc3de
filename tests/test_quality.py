"""Quality gate: extraction scored against every gold set must stay above the floors in
tests/gold/baseline.json (seeds and realdev are read from ../shared when present)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from marsad.evaluation import evaluate, ingest_gold
from marsad.settings import Settings
from marsad.store import open_store
from tests.conftest import EXAMPLES, REALDEV, ROOT, SEEDS

BASELINE = ROOT / "tests" / "gold" / "baseline.json"

GOLD_SETS = {
    "seeds": SEEDS / "gold.jsonl",
    "realdev": REALDEV,
    "events_dev": ROOT / "tests" / "gold" / "events_dev" / "gold.jsonl",
    "stories_dev": ROOT / "tests" / "gold" / "stories_dev" / "gold.jsonl",
    "examples": EXAMPLES / "gold.jsonl",
}


def _floors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASELINE.read_text("utf-8"))
    return data


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> dict[str, Any]:
    """Each available gold set ingested into its own database and scored once."""
    out: dict[str, Any] = {}
    for name, path in GOLD_SETS.items():
        if not path.exists():
            continue
        db = tmp_path_factory.mktemp(name) / "q.db"
        with open_store(db) as store:
            ingest_gold(path, store, settings)
            out[name] = evaluate(store, path).as_dict()
    return out


def _header_f1(report: dict[str, Any]) -> float:
    tp = sum(v["tp"] for v in report["header"].values())
    fp = sum(v["fp"] for v in report["header"].values())
    fn = sum(v["fn"] for v in report["header"].values())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.mark.parametrize("name", list(GOLD_SETS))
def test_quality_stays_above_the_floors(name: str, reports: dict[str, Any]) -> None:
    if name not in reports:
        pytest.skip(f"gold set {name} not found at {GOLD_SETS[name]} (it lives outside the repository)")
    report = reports[name]
    floors = _floors()[name]
    assert not report["missing_documents"], report["missing_documents"]
    measured = {"event_f1": report["events"]["f1"], "slot_f1": report["overall_slot_f1"]}
    if "header_f1" in floors:
        measured["header_f1"] = _header_f1(report)
    below = {k: (round(measured[k], 4), floors[k]) for k in measured if k in floors and measured[k] < floors[k]}
    assert not below, f"{name}: below the floors in {BASELINE.name}: {below}"


def test_negatives_yield_no_event(reports: dict[str, Any]) -> None:
    """Gold articles with no event (opinion, domestic tours, pilgrimages) stay empty."""
    if "events_dev" not in reports:
        pytest.skip("events_dev gold set missing")
    spurious = [m for m in reports["events_dev"]["misses"] if m["kind"] == "spurious"]
    assert len(spurious) <= 12, spurious
