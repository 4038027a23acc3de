"""Bytes to text: BOMs, UTF-8, UTF-16, legacy Arabic code pages, and nothing silent.

Order of trust: a byte-order mark; then strict UTF-8 (nearly all news today); then
charset-normalizer restricted to the encodings settings accept (Windows-1256 and ISO-8859-6 for
legacy Arabic sites). A decoded text must look like language (letters, few control characters)
or it is refused: refusing is better than storing mojibake. The only repair made is to drop an
incomplete UTF-8 character cut off at the very end of a file (a truncated download), and that
is recorded as a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import charset_normalizer

from marsad.errors import BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError
from marsad.settings import IngestSettings

_SIGNATURES: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive (or DOCX/XLSX)",
    b"\x1f\x8b": "gzip data",
    b"\x7fELF": "ELF executable",
    b"MZ": "Windows executable",
    b"RIFF": "RIFF media",
    b"\x00\x00\x01\x00": "icon",
    b"SQLite format 3\x00": "SQLite database",
}

_LETTER = re.compile(r"[^\W\d_]+")  # runs: their lengths are counted (faster than letters)
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: UTF-8 text that was decoded as Windows-1252 once: "Ø§Ù„" for "ال".
_MOJIBAKE = re.compile("[ØÙÚÛ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")


@dataclass(slots=True)
class Decoded:
    """Decoded text, the encoding used, and anything worth a warning."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def check_size(data: bytes, cfg: IngestSettings) -> None:
    """Refuse inputs over ``cfg.max_bytes`` (M003) and empty ones (M001)."""
    if len(data) > cfg.max_bytes:
        raise InputTooLargeError(
            f"input is {len(data) / 1e6:.1f} MB, over the limit of {cfg.max_bytes / 1e6:.1f} MB "
            "(settings: ingest.max_bytes)"
        )
    if not data.strip():
        raise EmptyInputError("input is empty" if not data else "input holds only whitespace")


def _sniff_binary(data: bytes) -> str | None:
    for sig, what in _SIGNATURES.items():
        if data.startswith(sig):
            return what
    head = data[:8192]
    nul = head.count(b"\x00")
    if nul and not _looks_utf16(head):
        return f"binary data ({nul} NUL bytes in the first {len(head)} bytes)"
    return None


def _looks_utf16(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if len(head) < 4:
        return False
    even = head[0::2].count(b"\x00")
    odd = head[1::2].count(b"\x00")
    half = len(head) // 2
    # Latin text in UTF-16 has a NUL in every other byte; Arabic (U+06xx) has 0x06 there.
    return max(even, odd) > 0.3 * half or (
        head[1::2].count(b"\x06") > 0.3 * half or head[0::2].count(b"\x06") > 0.3 * half
    )


def _plausible(text: str) -> str | None:
    """A reason the text does not look like language, or None."""
    sample = text[:3000]
    if not sample.strip():
        return "decoded text is blank"
    controls = len(_CONTROL.findall(sample))
    if controls > max(3, len(sample) // 200):
        return f"decoded text holds {controls} control characters"
    if sample.count("\ufffd") > max(2, len(sample) // 500):
        return "decoded text holds replacement characters"
    letters = sum(map(len, _LETTER.findall(sample)))
    visible = len(sample) - sum(map(len, _SPACE.findall(sample)))
    if visible and letters / visible < 0.4:
        return f"only {letters / visible:.0%} of the characters are letters"
    return None


def _repair_mojibake(text: str) -> tuple[str, bool]:
    hits = len(_MOJIBAKE.findall(text[:4000]))
    if hits < 5:
        return text, False
    try:
        return text.encode("cp1252").decode("utf-8"), True
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return text.encode("latin-1").decode("utf-8"), True
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text, False


def decode_bytes(data: bytes, cfg: IngestSettings) -> Decoded:
    """Decode ``data`` or raise an :class:`~marsad.errors.MarsadError` that says why not."""
    check_size(data, cfg)
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"has a {enc} byte-order mark but is not {enc}: {exc}") from exc
            return _finish(Decoded(text, enc))
    what = _sniff_binary(data)
    if what is not None:
        raise BinaryInputError(f"not text: {what}")
    if _looks_utf16(data[:8192]):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible(text) is None:
                return _finish(Decoded(text, enc))
    try:
        return _finish(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            text = data[: exc.start].decode("utf-8")
            return _finish(
                Decoded(
                    text,
                    "utf-8",
                    [
                        f"[M004] truncated UTF-8: an incomplete character at byte {exc.start} "
                        f"of {len(data)} was dropped"
                    ],
                )
            )
        utf8_error = exc
    legacy = [e for e in cfg.encodings if e.replace("-", "_").lower() not in ("utf_8", "utf8")]
    best = charset_normalizer.from_bytes(data, cp_isolation=legacy or None).best()
    if best is None:
        raise EncodingError(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not any of "
            f"{', '.join(legacy)}"
        )
    text = str(best)
    problem = _plausible(text)
    if problem is not None:
        raise EncodingError(f"detected {best.encoding}, but {problem}")
    return _finish(Decoded(text, best.encoding))


def _finish(decoded: Decoded) -> Decoded:
    text, repaired = _repair_mojibake(decoded.text)
    if repaired:
        decoded.text = text
        decoded.warnings.append(
            "[M004] text was UTF-8 read as Windows-1252 (mojibake); repaired by re-decoding"
        )
    problem = _plausible(decoded.text)
    if problem is not None:
        raise EncodingError(f"decoded as {decoded.encoding}, but {problem}")
    decoded.text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded
