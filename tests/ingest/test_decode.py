"""Decoding bytes: encodings, BOMs, truncation, binary and empty input; never silent mojibake."""

from __future__ import annotations

import codecs

import pytest

from marsad.errors import BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError
from marsad.ingest.decode import decode_bytes
from marsad.settings import Settings

SAMPLE = "استقبل وزير الداخلية نظيره التونسي بمقر الوزارة، وبحث الجانبان سبل تعزيز التعاون الأمني."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("cp1256"), "cp1256"),
        (SAMPLE.encode("iso8859_6"), "iso8859_6"),
    ],
)
def test_accepted_encodings_decode_exactly(data: bytes, encoding: str, settings: Settings) -> None:
    decoded = decode_bytes(data, settings.ingest)
    assert decoded.text == SAMPLE
    assert decoded.encoding.replace("-", "_").lower() == encoding.replace("-", "_").lower()


def test_truncated_utf8_keeps_text_and_warns(settings: Settings) -> None:
    data = (SAMPLE + " أمن").encode("utf-8")[:-1]  # cut inside the final two-byte letter
    decoded = decode_bytes(data, settings.ingest)
    assert decoded.text == SAMPLE + " أم"
    assert decoded.warnings and "truncated UTF-8" in decoded.warnings[0]


def test_mojibake_is_repaired_and_reported(settings: Settings) -> None:
    mojibake = SAMPLE.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    decoded = decode_bytes(mojibake, settings.ingest)
    assert decoded.warnings and "mojibake" in decoded.warnings[0]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInputError),
        (b"  \n\t  \n", EmptyInputError),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, BinaryInputError),
        (bytes(range(256)) * 40, BinaryInputError),
        (b"%PDF-1.7\n" + b"x" * 100, BinaryInputError),
    ],
)
def test_unusable_input_is_refused_with_a_reason(
    data: bytes, error: type[Exception], settings: Settings
) -> None:
    with pytest.raises(error) as info:
        decode_bytes(data, settings.ingest)
    assert str(info.value).startswith("[M00")


def test_invalid_bytes_in_the_middle_are_not_guessed(settings: Settings) -> None:
    data = SAMPLE.encode("utf-8") + b"\xff\xfe\xfd garbage \x80\x81" + SAMPLE.encode("utf-8")
    with pytest.raises(EncodingError):
        decode_bytes(data, settings.ingest.model_copy(update={"encodings": ["utf_8"]}))


def test_size_limit(settings: Settings) -> None:
    cfg = settings.ingest.model_copy(update={"max_bytes": 100})
    with pytest.raises(InputTooLargeError) as info:
        decode_bytes(SAMPLE.encode("utf-8") * 3, cfg)
    assert "ingest.max_bytes" in str(info.value)
