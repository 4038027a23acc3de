"""Shared fixtures: paths to the shared data sets, settings, temporary databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.settings import Settings, load_settings
from marsad.store import SqliteStore, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REALDEV = SHARED / "realdev" / "articles.jsonl"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Package default settings."""
    return load_settings()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A fresh database in a temporary folder."""
    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles; skipped where ../shared/seeds is absent."""
    if not (SEEDS / "gold.jsonl").exists():
        pytest.skip(f"seed articles not found at {SEEDS} (they live outside the repository)")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_gold(seeds_dir: Path) -> dict[str, dict[str, Any]]:
    """Seed gold records by file name."""
    out = {}
    for line in (seeds_dir / "gold.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["doc"]] = rec
    return out


@pytest.fixture(scope="session")
def realdev_records() -> list[dict[str, Any]]:
    """The realdev excerpts with gold; skipped where ../shared/realdev is absent."""
    if not REALDEV.exists():
        pytest.skip(f"realdev set not found at {REALDEV} (it lives outside the repository)")
    return [json.loads(line) for line in REALDEV.read_text("utf-8").splitlines() if line.strip()]
