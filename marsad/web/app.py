"""The web app: :func:`create_app` builds the FastAPI application over one database.

The database is opened read-only (``mode=ro``), one connection per worker thread. Ingestion
over HTTP (``POST /api/ingest``) exists only when ``web.ingest_token`` is set, and then only
for requests that carry it as a Bearer token; it writes through the normal store.

Every 4xx and 5xx answer of the API has one shape, pinned by a test::

    {"error": {"code": "not_found", "message": "no event '42'", "status": 404}}

Pages get the same errors as an HTML page. Article text is untrusted: templates autoescape
everything and a Content-Security-Policy forbids inline scripts.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.errors import MarsadError, NotFoundError, StoreError
from marsad.settings import Settings, load_settings
from marsad.store import queries
from marsad.web import render
from marsad.web.i18n import Lang, choose_lang, translate

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests",
    500: "internal", 503: "unavailable",
}

#: No inline script or style, nothing from another origin: a script injected into a page
#: through article text could not run even if escaping failed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ApiError(Exception):
    """An error answered in the one JSON error shape (or as an error page)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class Database:
    """The database the app reads: one read-only connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        queries.connect_readonly(self.path).close()  # fail now if it cannot be opened

    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = queries.connect_readonly(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def state(self) -> tuple[int, ...]:
        """A fingerprint of the database files: it changes whenever anyone writes to them."""
        out: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(str(self.path) + suffix)
            except OSError:
                out += [0, 0]
            else:
                out += [st.st_mtime_ns, st.st_size]
        return tuple(out)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the database changes (for aggregates and facets).

        The value is shared between requests: callers must not modify it.
        """
        full = (key, self.state())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return cast(T, self._cache[full])
        value = compute()
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class _SecurityHeaders:
    """ASGI middleware adding security headers to every HTTP response (cheaper than BaseHTTP)."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape."""
    err: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        err["details"] = details
    return {"error": err}


def _error_response(request: Request, status: int, code: str, message: str,
                    details: Any = None) -> Response:
    if _is_api(request):
        return JSONResponse(error_body(status, code, message, details), status_code=status)
    lang = request_lang(request)
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(
        **base_context(request, lang), status=status, code=code, message=message,
        title=translate(lang, "not_found" if status == 404 else "error"),
    )
    return HTMLResponse(html, status_code=status)


def request_lang(request: Request) -> Lang:
    """The interface language of a request."""
    return choose_lang(request.query_params.get("lang"), request.cookies.get("lang"),
                       request.headers.get("accept-language"))


def lang_url(request: Request, lang: str) -> str:
    """The current URL with ``lang`` set (for the language switch)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    from urllib.parse import urlencode

    return request.url.path + "?" + urlencode(params)


def base_context(request: Request, lang: Lang) -> dict[str, Any]:
    """What every template gets: language, direction, translations, helpers."""

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return {
        "request": request,
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "t": t,
        "other_lang": "en" if lang == "ar" else "ar",
        "switch_url": lang_url(request, "en" if lang == "ar" else "ar"),
        "country": lambda code: render.country_label(code, lang),
        "topic": lambda key: render.topic_label(key, lang),
        "path": request.url.path,
    }


def create_app(db: str | Path, settings: Settings | None = None) -> FastAPI:
    """The marsad web app over the database ``db`` (opened read-only).

    ``settings.web`` gives the page size and the ingest token; with no token, ``POST
    /api/ingest`` answers 404 as if it did not exist.
    """
    from marsad import __version__ as version

    settings = settings or load_settings()
    database = Database(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()

    app = FastAPI(
        title="marsad API",
        version=version,
        description="Official visits and meetings extracted from Arabic news, with evidence.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan,
    )
    app.state.db = database
    app.state.settings = settings
    app.state.templates = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True,
    )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error_response(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return _error_response(request, 404, "not_found", exc.reason)

    @app.exception_handler(MarsadError)
    async def _marsad_error(request: Request, exc: MarsadError) -> Response:
        LOGGER.warning("marsad error on %s: %s", request.url.path, exc)
        return _error_response(request, 500, "internal", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path {request.url.path!r}"
        return _error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()
        ]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "invalid request"
        return _error_response(request, 422, "invalid", message, details)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        LOGGER.exception("unhandled error on %s", request.url.path)
        return _error_response(request, 500, "internal", "internal error (see the server log)")

    from marsad.web.api import router as api_router
    from marsad.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(_SecurityHeaders)
    return app


def _no_delay_h11() -> type:
    """uvicorn's h11 protocol with ``TCP_NODELAY`` set on every connection."""
    import contextlib
    import socket

    from uvicorn.protocols.http.h11_impl import H11Protocol

    class NoDelayH11Protocol(H11Protocol):
        """h11 with Nagle's algorithm off.

        With ``--workers`` uvicorn hands each worker a copy of the listening socket whose
        ``proto`` is 0, so asyncio does not set ``TCP_NODELAY`` on accepted connections; a
        response written as headers then body then waits for the client's delayed ACK (40 ms
        on Linux). Measured with benchmarks/bench_web.py: 5 clients, p50 44 ms -> 6 ms.
        """

        def connection_made(self, transport: Any) -> None:
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                with contextlib.suppress(OSError):  # not a TCP socket after all
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    return NoDelayH11Protocol


NoDelayH11Protocol = _no_delay_h11()
#: What to pass as uvicorn's ``http`` option (``uvicorn --http``).
HTTP_PROTOCOL = "marsad.web.app:NoDelayH11Protocol"

#: Environment variables :func:`app_from_environment` reads (set by ``marsad serve --workers``).
ENV_DB = "MARSAD_WEB_DB"
ENV_CONFIG = "MARSAD_WEB_CONFIG"


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory`` when several worker processes each build their own.

    uvicorn starts workers from an import string, so ``marsad serve --workers N`` passes the
    database (``MARSAD_WEB_DB``) and the settings file (``MARSAD_WEB_CONFIG``, optional) in
    the environment; nothing else reads these variables.
    """
    db = os.environ.get(ENV_DB)
    if not db:
        raise StoreError(f"{ENV_DB} is not set: start the app with `marsad serve --db FILE`")
    config = os.environ.get(ENV_CONFIG)
    return create_app(db, load_settings(Path(config) if config else None))


def conn_of(request: Request) -> sqlite3.Connection:
    """The request thread's read-only connection."""
    db: Database = request.app.state.db
    return db.conn()


def db_of(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings
