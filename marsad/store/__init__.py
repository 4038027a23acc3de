"""Storage. ``store/`` is the only package that speaks SQL; SQLite is the default backend."""

from __future__ import annotations

from pathlib import Path

from marsad.store.sqlite import SqliteStore

__all__ = ["SqliteStore", "open_store"]


def open_store(path: str | Path, *, readonly: bool = False) -> SqliteStore:
    """Open (and migrate, unless read-only) the database at ``path``."""
    return SqliteStore(path, readonly=readonly)
