"""A killed ingest loses nothing and duplicates nothing: SIGKILL mid-batch, then re-run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.files import ARTICLE_A

N_FILES = 3000


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_mid_batch_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(N_FILES):
        text = ARTICLE_A.replace("المنامة", f"المنامة ({i})") + f"\nرقم البلاغ {i}.\n"
        (folder / f"a{i:05d}.txt").write_text(text, "utf-8")
    config = tmp_path / "marsad.toml"
    config.write_text('pipeline = ["clean"]\n[store]\nbatch_size = 25\n', "utf-8")
    db = tmp_path / "crash.db"
    cmd = [sys.executable, "-m", "marsad", "--config", str(config), "--db", str(db),
           "ingest", str(folder), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < 100 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(db)
    assert 0 < at_kill < N_FILES, f"the kill did not land mid-batch ({at_kill} stored)"

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == N_FILES
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == N_FILES
        assert conn.execute("SELECT count(DISTINCT sha256) FROM documents").fetchone()[0] == N_FILES
        per_file = conn.execute(
            "SELECT source, count(*) FROM sightings GROUP BY source HAVING count(*) > 1"
        ).fetchall()
        assert per_file == []
        assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
