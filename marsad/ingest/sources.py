"""Where documents come from: files, folders (recursive), globs, stdin; and in what format.

:func:`iter_documents` turns command-line paths into :class:`RawDocument` records, one per
article (a JSONL line, a WARC response record, a text or HTML file). A source that cannot be
read yields a :class:`Failure` instead, and the iteration goes on.
"""

from __future__ import annotations

import fnmatch
import glob
import gzip
import io
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from marsad.errors import (
    InputTooLargeError,
    JsonlError,
    MarsadError,
    UnreadableSourceError,
    WarcError,
)
from marsad.model import Failure, Format, RawDocument, SourceMeta
from marsad.settings import IngestSettings

LOGGER = logging.getLogger(__name__)

STDIN = "-"


def detect_format(name: str, head: bytes, cfg: IngestSettings) -> Format:
    """The format of a source, from its name and, failing that, its first bytes."""
    lower = name.lower()
    for ext in cfg.warc_extensions:
        if lower.endswith(ext):
            return "warc"
    for ext in cfg.jsonl_extensions:
        if lower.endswith(ext):
            return "jsonl"
    for ext in cfg.html_extensions:
        if lower.endswith(ext):
            return "html"
    for ext in cfg.text_extensions:
        if lower.endswith(ext):
            return "text"
    return sniff_format(head)


def sniff_format(head: bytes) -> Format:
    """Guess the format from the first bytes (for stdin and unknown extensions)."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(head)).read(64)
        except (OSError, EOFError):
            return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return "warc"
    low = stripped[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<head" in low:
        return "html"
    if stripped.startswith(b"{"):
        first_line = stripped.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first_line), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def expand_paths(paths: Iterable[str], cfg: IngestSettings) -> Iterator[str | Failure]:
    """Files named by ``paths``: files as given, folders recursively, globs expanded."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if cfg.skip_hidden and any(p.startswith(".") for p in rel.parts):
                    continue
                if any(fnmatch.fnmatch(child.name, pat) for pat in cfg.ignore):
                    continue
                if child.is_file():
                    yield str(child)
        elif path.is_file():
            yield str(path)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Failure(raw, "ingest", UnreadableSourceError.code, "glob matched no file")
            for match in matches:
                if Path(match).is_file():
                    yield match
                elif Path(match).is_dir():
                    yield from expand_paths([match], cfg)
        else:
            yield Failure(
                raw, "ingest", UnreadableSourceError.code, "no such file, folder or glob match"
            )


def _read_source(name: str, cfg: IngestSettings) -> bytes:
    if name == STDIN:
        data = sys.stdin.buffer.read(cfg.max_bytes + 1)
    else:
        path = Path(name)
        try:
            size = path.stat().st_size
            if size > cfg.max_bytes and not name.lower().endswith(
                tuple(cfg.warc_extensions) + tuple(cfg.jsonl_extensions)
            ):
                raise InputTooLargeError(
                    f"file is {size / 1e6:.1f} MB, over the limit of {cfg.max_bytes / 1e6:.1f} MB "
                    "(settings: ingest.max_bytes)"
                )
            data = path.read_bytes()
        except MarsadError:
            raise
        except OSError as exc:
            raise UnreadableSourceError(f"cannot read: {exc.strerror or exc}") from exc
    return data


def iter_documents(
    paths: Iterable[str], cfg: IngestSettings
) -> Iterator[RawDocument | Failure]:
    """Every document in ``paths``; unreadable sources and records become failures."""
    for item in expand_paths(paths, cfg):
        if isinstance(item, Failure):
            yield item
            continue
        name = item
        if name != STDIN:
            fmt = detect_format(name, b"", cfg) if _has_known_ext(name, cfg) else None
            if fmt == "warc":
                yield from _iter_warc_file(name, cfg)
                continue
            if fmt == "jsonl":
                yield from _iter_jsonl_file(name, cfg)
                continue
        try:
            data = _read_source(name, cfg)
        except MarsadError as exc:
            yield Failure(name, "ingest", exc.code, exc.reason)
            continue
        fmt = detect_format("" if name == STDIN else name, data[:4096], cfg)
        source = "<stdin>" if name == STDIN else name
        if fmt == "warc":
            yield from _iter_warc(source, io.BytesIO(data))
        elif fmt == "jsonl":
            yield from _iter_jsonl(source, io.BytesIO(data), cfg)
        else:
            yield RawDocument(source=source, data=data, fmt=fmt)


def _has_known_ext(name: str, cfg: IngestSettings) -> bool:
    lower = name.lower()
    exts = cfg.text_extensions + cfg.html_extensions + cfg.jsonl_extensions + cfg.warc_extensions
    return any(lower.endswith(e) for e in exts)


# --- JSONL ---------------------------------------------------------------------------------

_META_KEYS = ("url", "title", "outlet", "author", "published", "lang")


def _iter_jsonl_file(name: str, cfg: IngestSettings) -> Iterator[RawDocument | Failure]:
    try:
        fh = open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Failure(name, "ingest", UnreadableSourceError.code, f"cannot read: {exc.strerror}")
        return
    with fh:
        yield from _iter_jsonl(name, fh, cfg)


def _iter_jsonl(source: str, fh: BinaryIO, cfg: IngestSettings) -> Iterator[RawDocument | Failure]:
    for lineno, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        if len(line) > cfg.max_bytes:
            yield Failure(
                source, "ingest", InputTooLargeError.code,
                f"line {lineno} is {len(line) / 1e6:.1f} MB, over ingest.max_bytes", record=lineno,
            )
            continue
        try:
            obj = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            yield Failure(
                source, "ingest", JsonlError.code, f"line {lineno} is not JSON: {exc}",
                record=lineno,
            )
            continue
        if not isinstance(obj, dict):
            yield Failure(
                source, "ingest", JsonlError.code, f"line {lineno} is not a JSON object",
                record=lineno,
            )
            continue
        text, html = obj.get("text"), obj.get("html")
        if not (isinstance(text, str) and text.strip()) and not (
            isinstance(html, str) and html.strip()
        ):
            yield Failure(
                source, "ingest", JsonlError.code,
                f"line {lineno} has neither a non-empty 'text' nor 'html' field", record=lineno,
            )
            continue
        meta = SourceMeta(
            **{k: (str(obj[k]) if obj.get(k) not in (None, "") else None) for k in _META_KEYS},
            external_id=str(obj["id"]) if obj.get("id") not in (None, "") else None,
        )
        payload_kind: Literal["text", "html"] = (
            "html" if isinstance(html, str) and html.strip() else "text"
        )
        payload = html if payload_kind == "html" else text
        assert isinstance(payload, str)
        yield RawDocument(
            source=source, data=line.rstrip(b"\r\n"), fmt="jsonl", record=lineno, meta=meta,
            payload=payload, payload_kind=payload_kind,
        )


# --- WARC ----------------------------------------------------------------------------------


def _iter_warc_file(name: str, cfg: IngestSettings) -> Iterator[RawDocument | Failure]:
    try:
        fh = open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Failure(name, "ingest", UnreadableSourceError.code, f"cannot read: {exc.strerror}")
        return
    with fh:
        yield from _iter_warc(name, fh)


def _iter_warc(source: str, fh: BinaryIO) -> Iterator[RawDocument | Failure]:
    """HTML response records of a WARC (or WARC.gz) stream; a broken record ends the file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = 0
    yielded = 0
    try:
        for record in ArchiveIterator(fh, arc2warc=True):
            index += 1
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = ""
            if record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if ctype and "html" not in ctype.lower() and "text/plain" not in ctype.lower():
                continue
            try:
                data = record.content_stream().read()
            except Exception as exc:
                yield Failure(
                    source, "ingest", WarcError.code,
                    f"record {index}: cannot read its content: {exc}", record=index,
                )
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            fmt: Format = "text" if "text/plain" in ctype.lower() else "html"
            # WARC-Date is when the page was crawled, not when the article was published.
            yielded += 1
            yield RawDocument(
                source=source, data=data, fmt=fmt, record=index, meta=SourceMeta(url=url)
            )
        if yielded == 0:
            yield Failure(
                source, "ingest", WarcError.code,
                f"no HTML response record among {index} record(s): not a WARC file, a corrupt "
                "compressed stream, or a crawl of other content types",
            )
    except ArchiveLoadFailed as exc:
        yield Failure(
            source, "ingest", WarcError.code,
            f"record {index + 1}: not a valid WARC record ({exc}); the rest of the file was skipped",
            record=index + 1,
        )
    except Exception as exc:
        yield Failure(
            source, "ingest", WarcError.code,
            f"record {index + 1}: broken record ({type(exc).__name__}: {exc}); the rest of the file "
            "was skipped",
            record=index + 1,
        )
