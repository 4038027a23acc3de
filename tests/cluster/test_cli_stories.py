"""The story commands of the CLI, and fused events in the export (once wired in cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.model import RawDocument
from marsad.store import open_store
from tests.cluster.factory import QA_MINISTER, article, event


def _wired(name: str) -> None:
    if name not in main.commands:
        pytest.skip(f"`marsad {name}` is not wired into marsad/cli.py yet")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    with open_store(path) as store:
        arts = [
            article("a", "نص أ", outlet="Alpha", events=[event("a", start="2025-10-14", counterparts=[QA_MINISTER])]),
            article("b", "نص ب", outlet="Beta", events=[event("b", start="2025-10-13", counterparts=[QA_MINISTER])]),
        ]
        store.save_articles([(RawDocument(a.source, a.source.removesuffix(".txt").encode(), "text"), a)
                             for a in arts])
    return path


def test_recluster_stories_story_and_export(db: Path) -> None:
    for name in ("recluster", "stories", "story"):
        _wired(name)
    runner = CliRunner()
    res = runner.invoke(main, ["--db", str(db), "recluster", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["stories_total"] == 1
    res = runner.invoke(main, ["--db", str(db), "stories", "--json"])
    rows = json.loads(res.output)
    assert len(rows) == 1 and rows[0]["n_documents"] == 2
    res = runner.invoke(main, ["--db", str(db), "story", rows[0]["id"], "--json"])
    data = json.loads(res.output)
    assert data["event"]["corroboration"] == 2
    assert any(c["slot"] == "start" for c in data["conflicts"])
    res = runner.invoke(main, ["--db", str(db), "story", rows[0]["id"]])
    assert res.exit_code == 0 and "conflict" in res.output
    res = runner.invoke(main, ["--db", str(db), "export", "--what", "events"])
    records = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert len(records) == 1 and len(records[0]["sources"]) == 2
    res = runner.invoke(main, ["--db", str(db), "story", "st-nothing"])
    assert res.exit_code == 1 and "[M041]" in res.output


def test_story_commands_have_help() -> None:
    for name in ("recluster", "stories", "story"):
        _wired(name)
        assert main.commands[name].help
