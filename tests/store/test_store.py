"""The SQLite store: migrations, read-only opening, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import NotFoundError, StoreError
from marsad.store import open_store
from marsad.store.sqlite import migrations


def test_schema_is_migrated_to_the_last_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "x.db") as store:
        assert store.version() == migrations()[-1][0]
        assert store.migrate() == store.version()  # idempotent


def test_readonly_needs_an_existing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.db", readonly=True)
    open_store(tmp_path / "x.db").close()
    with open_store(tmp_path / "x.db", readonly=True) as ro, pytest.raises(StoreError):
        ro.save_failures([])


def test_unknown_ids_raise_not_found(tmp_path: Path) -> None:
    with open_store(tmp_path / "x.db") as store, pytest.raises(NotFoundError) as info:
        store.get_article("12345")
    assert "[M041]" in str(info.value)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite", "utf-8")
    with pytest.raises(StoreError) as info:
        open_store(bad)
    assert "[M040]" in str(info.value)
