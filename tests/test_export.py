"""The export contract of docs/FORMAT.md, and the eval command, on the sample corpus."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.export import CSV_COLUMNS
from marsad.store import open_store
from tests.conftest import EXAMPLES

DATE = re.compile(r"^(\d{4}-\d{2}(-\d{2})?|--\d{2}-\d{2})$")
PARTY_KEYS = {"name", "name_latin", "title", "org", "country"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "ex.db"
    res = CliRunner().invoke(main, ["--db", str(path), "ingest", str(EXAMPLES), "--quiet", "--json"])
    assert res.exit_code == 0, res.output
    return path


@pytest.mark.parametrize("what", ["extractions", "events"])
def test_jsonl_records_follow_the_contract(db: Path, what: str) -> None:
    res = CliRunner().invoke(main, ["--db", str(db), "export", "--what", what, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(records) >= 8
    with open_store(db) as store:
        texts = {row["sha256"]: store.get_article(row["id"])[1].text for row in store.list_articles()}
    for rec in records:
        for key in ("id", "type", "actor", "host_country", "city", "start", "end", "date_precision",
                    "date_reason", "counterparts", "inviter", "occasion", "topics", "plover", "cameo",
                    "sources", "story_id", "confidence"):
            assert key in rec, key
        assert rec["type"] in ("visit", "reception", "meeting")
        assert set(rec["actor"]) >= PARTY_KEYS
        assert re.fullmatch(r"[A-Z]{2}", rec["host_country"])
        for field in ("start", "end"):
            assert rec[field] is None or DATE.match(rec[field]), rec[field]
        for c in rec["counterparts"]:
            assert set(c) >= PARTY_KEYS
        if rec["occasion"]:
            assert {"name", "name_latin", "edition", "year"} <= set(rec["occasion"])
        assert rec["plover"]["event"] == "CONSULT" and rec["cameo"]
        assert rec["sources"]
        for src in rec["sources"]:
            assert "path" in src or "url" in src
            text = texts[src["document"]]
            for ev in src["evidence"]:
                assert text[ev["start"] : ev["end"]] == ev["text"]


def test_csv_has_the_documented_columns(db: Path) -> None:
    res = CliRunner().invoke(main, ["--db", str(db), "export", "--what", "events", "--format", "csv"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and list(rows[0]) == CSV_COLUMNS


def test_eval_scores_the_database_against_gold(db: Path) -> None:
    res = CliRunner().invoke(main, ["--db", str(db), "eval", str(EXAMPLES / "gold.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["documents"] == 15 and not report["missing_documents"]
    assert report["events"]["f1"] > 0.5
    assert set(report["slots"]) >= {"visitor", "host_country", "start", "counterparts", "topics"}


def test_event_command_shows_slots_and_evidence(db: Path) -> None:
    runner = CliRunner()
    rows = json.loads(runner.invoke(main, ["--db", str(db), "events", "--json"]).stdout)
    assert rows
    shown = runner.invoke(main, ["--db", str(db), "event", str(rows[0]["id"])])
    assert shown.exit_code == 0
    assert "evidence" in shown.output and "visitor" in shown.output
