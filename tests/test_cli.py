"""The command line: every command has help text; errors are one clean line with a code."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from marsad.cli import main
from tests.fixtures.files import ARTICLE_A, ARTICLE_B


def commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_text(name: str) -> None:
    cmd = main.commands[name]
    assert isinstance(cmd, click.Command)
    assert cmd.help and len(cmd.help.strip()) > 20, name
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts}"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_ingest_articles_show_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, "utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, "utf-8")
    (folder / "bad.txt").write_bytes(b"")
    db = str(tmp_path / "m.db")
    runner = CliRunner()
    res = runner.invoke(main, ["--db", db, "ingest", str(folder), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert (summary["new"], summary["duplicate"], summary["failed"]) == (2, 0, 1)
    res = runner.invoke(main, ["--db", db, "ingest", str(folder), "--json"])
    assert json.loads(res.output)["duplicate"] == 2
    rows = json.loads(runner.invoke(main, ["--db", db, "articles", "--json"]).output)
    assert [r["title"] for r in rows] == ["وزير الداخلية الكويتي يزور المنامة", "مدير الشرطة الأردنية في أنقرة"]
    shown = runner.invoke(main, ["--db", db, "show", str(rows[0]["id"]), "--removed"])
    assert "header.title" in shown.output and "وصل وزير الداخلية الكويتي" in shown.output
    fails = json.loads(runner.invoke(main, ["--db", db, "failures", "--json"]).output)
    assert fails[0]["code"] == "M001"


def test_unknown_article_is_a_clean_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "m.db"), "show", "999"])
    assert res.exit_code == 1
    assert "[M041]" in res.output and "Traceback" not in res.output
