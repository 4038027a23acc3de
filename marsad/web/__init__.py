"""The web app and JSON API (``marsad serve``): a thin shell over ``marsad.store.queries``."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["create_app"]

if TYPE_CHECKING:
    from pathlib import Path

    from fastapi import FastAPI

    from marsad.settings import Settings


def create_app(db: str | Path, settings: Settings | None = None, *, cache_mb: int = 64,
               response_cache: bool = True) -> FastAPI:
    """The marsad web app over database ``db`` (see :func:`marsad.web.app.create_app`)."""
    from marsad.web.app import create_app as _create

    return _create(db, settings, cache_mb=cache_mb, response_cache=response_cache)
