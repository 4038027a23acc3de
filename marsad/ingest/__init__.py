"""Ingest stage: input records to articles (decoded text plus declared metadata).

:func:`iter_documents` finds the records (files, folders, globs, stdin; text, HTML, JSONL,
WARC); :func:`read_article` decodes one record and, for HTML, extracts the main text. Neither
touches the database.
"""

from __future__ import annotations

from marsad.arabic import guess_lang
from marsad.clean.dates import parse_declared
from marsad.ingest.decode import Decoded, check_size, decode_bytes
from marsad.ingest.html import extract_html
from marsad.ingest.sources import iter_documents
from marsad.model import Article, RawDocument
from marsad.settings import IngestSettings

__all__ = ["iter_documents", "read_article"]


def read_article(raw: RawDocument, cfg: IngestSettings) -> Article:
    """Decode ``raw`` into an :class:`Article` with its declared metadata; nothing cleaned yet."""
    warnings: list[str] = []
    meta = raw.meta
    title, author, outlet, published, url, lang = (
        meta.title, meta.author, meta.outlet, meta.published, meta.url, meta.lang
    )
    if raw.payload is not None:
        check_size(raw.payload.encode("utf-8", "surrogatepass"), cfg)
        decoded = Decoded(raw.payload.replace("\r\n", "\n").replace("\r", "\n"), "utf-8")
        kind = raw.payload_kind or "text"
    else:
        decoded = decode_bytes(raw.data, cfg)
        kind = "html" if raw.fmt == "html" else "text"
    warnings.extend(decoded.warnings)
    text = decoded.text
    if kind == "html":
        page = extract_html(text, url=url)
        text = page.text.replace("\r\n", "\n")
        warnings.extend(page.warnings)
        title = title or page.title
        author = author or page.author
        outlet = outlet or page.sitename
        published = published or page.date
        url = url or page.url
        lang = lang or page.lang
    article = Article(
        doc_id=raw.sha256,
        source=raw.source,
        fmt=raw.fmt,
        text=text,
        record=raw.record,
        encoding=decoded.encoding,
        url=url,
        external_id=meta.external_id,
        lang=(lang[:2].lower() if lang else None) or guess_lang(text),
        title=title,
        outlet=outlet,
        author=author,
        warnings=warnings,
    )
    if published:
        value = parse_declared(published)
        if value is not None:
            article.published = value
        else:
            article.warnings.append(f"declared publication date {published!r} not understood")
    return article
