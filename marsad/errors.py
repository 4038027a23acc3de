"""Small exception classes with searchable codes.

Every error marsad raises on purpose carries a code such as ``M012`` that appears in its
message as ``[M012] ...``: the code is stable, so a user can search the docs and the issue
tracker for it, and the failures table stores it next to the reason.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of marsad's own errors."""

    code = "M000"

    def __init__(self, message: str) -> None:
        self.reason = message
        super().__init__(f"[{self.code}] {message}")


# --- input (M001-M019) ---------------------------------------------------------------------


class EmptyInputError(MarsadError):
    """The input holds no bytes, or only whitespace."""

    code = "M001"


class BinaryInputError(MarsadError):
    """The input is not text (NUL bytes, image or archive signatures)."""

    code = "M002"


class InputTooLargeError(MarsadError):
    """The input is larger than the configured limit."""

    code = "M003"


class EncodingError(MarsadError):
    """The bytes could not be decoded as any accepted encoding without loss."""

    code = "M004"


class HtmlError(MarsadError):
    """An HTML page held no extractable article text."""

    code = "M005"


class JsonlError(MarsadError):
    """A JSONL line is not a JSON object with ``text`` or ``html``."""

    code = "M006"


class WarcError(MarsadError):
    """A WARC file or record could not be read."""

    code = "M007"


class UnreadableSourceError(MarsadError):
    """A path could not be read (missing, permission denied, not a file)."""

    code = "M008"


class NoTextError(MarsadError):
    """Cleaning left no article body."""

    code = "M009"


# --- configuration (M020-M029) -----------------------------------------------------------


class SettingsError(MarsadError):
    """A settings file is missing, unreadable or invalid."""

    code = "M020"


class LexiconError(MarsadError):
    """A lexicon or knowledge-base file is invalid."""

    code = "M021"


# --- pipeline and storage (M030-M049) ---------------------------------------------------


class StageError(MarsadError):
    """A pipeline stage raised an unexpected exception for one document."""

    code = "M030"

    def __init__(self, stage: str, message: str) -> None:
        self.stage = stage
        super().__init__(f"stage {stage!r}: {message}")


class StoreError(MarsadError):
    """The database could not be opened, migrated or written."""

    code = "M040"


class NotFoundError(MarsadError):
    """An id asked for does not exist in the database."""

    code = "M041"


class GoldError(MarsadError):
    """A gold file could not be read."""

    code = "M050"
