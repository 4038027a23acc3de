"""The typed records every stage passes on.

One raw input record becomes a :class:`RawDocument`; the clean stage turns it into an
:class:`Article`, and the later stages fill the article's ``times``, ``mentions``, ``entities``
and ``events``. Every span is a pair of character offsets into ``Article.text``, the decoded
text the article was read from (for HTML, the text extracted from the page), so evidence always
points back into what the source said.

The records are plain dataclasses; :func:`to_jsonable` and :func:`from_jsonable` turn them into
JSON-ready dicts and back (pydantic's ``TypeAdapter`` does the validation).
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import TypeAdapter

Format = Literal["text", "html", "jsonl", "warc"]
Precision = Literal[
    "minute", "hour", "day", "month", "year", "day_without_year", "month_without_year", "unknown"
]
EventType = Literal["visit", "reception", "meeting"]
EventStatus = Literal["happened", "planned"]
MentionType = Literal[
    "PERSON", "ROLE", "ORG", "COUNTRY", "CITY", "REGION", "NATIONALITY", "OCCASION"
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into ``Article.text``."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date of which any part may be unknown (never guessed)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def precision(self) -> Precision:
        """How much of the date is known."""
        if self.month is None:
            return "year" if self.year is not None else "unknown"
        if self.day is None:
            return "month" if self.year is not None else "month_without_year"
        if self.year is None:
            return "day_without_year"
        if self.hour is not None:
            return "minute" if self.minute is not None else "hour"
        return "day"

    def iso(self) -> str | None:
        """ISO 8601 form: ``2022-06-18T15:27``, ``2022-06-18``, ``2022-06``, ``2022``, ``--02-08``.

        A month without a year has no form in the export contract and gives ``None``.
        """
        if self.year is None:
            if self.month is not None and self.day is not None:
                return f"--{self.month:02d}-{self.day:02d}"
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        out = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.hour is not None:
            out += f"T{self.hour:02d}:{(self.minute or 0):02d}"
        return out

    def with_year(self, year: int) -> PartialDate:
        """Return a copy with ``year`` set."""
        return PartialDate(year, self.month, self.day, self.hour, self.minute)

    def is_valid(self) -> bool:
        """Whether the known parts form a real calendar date."""
        if self.month is not None and not 1 <= self.month <= 12:
            return False
        if self.day is not None:
            if self.month is None or self.day < 1:
                return False
            # 29 February is valid when the year is unknown.
            last = 29 if self.year is None and self.month == 2 else None
            if last is None:
                last = calendar.monthrange(self.year or 2000, self.month)[1]
            if self.day > last:
                return False
        return True

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        """Parse the forms :meth:`iso` writes."""
        if not text:
            return None
        if text.startswith("--"):
            month, day = text[2:].split("-")
            return cls(None, int(month), int(day))
        date_part, _, time_part = text.partition("T")
        parts = [int(p) for p in date_part.split("-")]
        hour = minute = None
        if time_part:
            hm = time_part.split(":")
            hour = int(hm[0])
            minute = int(hm[1]) if len(hm) > 1 else None
        return cls(
            parts[0],
            parts[1] if len(parts) > 1 else None,
            parts[2] if len(parts) > 2 else None,
            hour,
            minute,
        )

    def __str__(self) -> str:
        return self.iso() or (f"--{self.month:02d}" if self.month else "?")


# --- input ----------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceMeta:
    """Metadata a container declares for a record (JSONL fields, WARC headers, HTML meta)."""

    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    lang: str | None = None
    external_id: str | None = None


@dataclass(slots=True)
class RawDocument:
    """One input record exactly as read: its bytes and where they came from."""

    source: str
    data: bytes
    fmt: Format
    record: int = 0
    meta: SourceMeta = field(default_factory=SourceMeta)
    #: For JSONL records: the text or HTML held in the record, already a str.
    payload: str | None = None
    payload_kind: Literal["text", "html"] | None = None

    @property
    def sha256(self) -> str:
        """Content hash of the raw bytes: the document's identity."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class Failure:
    """A document (or a whole source) that a stage could not handle, and why."""

    source: str
    stage: str
    code: str
    reason: str
    record: int = 0
    sha256: str | None = None
    severity: Literal["error", "warning"] = "error"


# --- cleaning -------------------------------------------------------------------------------


@dataclass(slots=True)
class Removal:
    """A span the clean stage removed from the body, with the rule and reason."""

    start: int
    end: int
    rule: str
    reason: str


@dataclass(slots=True)
class Field:
    """A header value the clean stage read off the text (title, outlet, author, published)."""

    name: str
    value: str
    start: int
    end: int
    rule: str


# --- extraction -----------------------------------------------------------------------------


@dataclass(slots=True)
class TimeExpr:
    """A time expression found in the text and its honest resolution."""

    start: int
    end: int
    text: str
    kind: str
    rule: str
    #: What the tagger read, before resolution: day, month, year, weekday, offsets, ...
    parsed: dict[str, Any] = field(default_factory=dict)
    value_start: PartialDate | None = None
    value_end: PartialDate | None = None
    precision: Precision = "unknown"
    #: ``published``, ``occasion``, ``weekday``, ``text``, ``dateline``, ``ingest`` or ``none``.
    anchor: str = "none"
    reason: str = ""
    candidate_years: list[int] = field(default_factory=list)
    #: True only when the user asked to anchor on the ingest time.
    assumed: bool = False
    #: Not a date of the happening: a year inside a name, an edition, ...
    is_name_year: bool = False


@dataclass(slots=True)
class Mention:
    """An entity mention: a span, its type, what it refers to, and the rule that found it."""

    start: int
    end: int
    text: str
    type: MentionType
    rule: str
    entity_id: str | None = None
    #: Normalised lookup key (country code, lexicon key, person key).
    key: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


@dataclass(slots=True)
class Role:
    """A title a person holds, with the organisation and when the texts attest it."""

    title: str
    org: str | None = None
    country: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(slots=True)
class Entity:
    """One real thing (person, organisation, place, occasion), however it is spelled."""

    id: str
    type: MentionType
    name: str
    name_latin: str | None = None
    #: ``kb`` (from the knowledge base), ``text`` (a Latin form in the text) or ``transliterated``.
    latin_source: str | None = None
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    roles: list[Role] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Evidence:
    """Where an extracted value came from."""

    slot: str
    text: str
    start: int
    end: int
    rule: str
    sentence_start: int | None = None
    sentence_end: int | None = None
    document: str | None = None
    confidence: float = 1.0


@dataclass(slots=True)
class Party:
    """A person or body taking part in an event: named, or a role with a country."""

    entity_id: str | None = None
    name: str | None = None
    name_latin: str | None = None
    title: str | None = None
    org: str | None = None
    country: str | None = None


@dataclass(slots=True)
class Place:
    """A city or place named in the text."""

    name: str
    name_latin: str | None = None
    country: str | None = None
    entity_id: str | None = None


@dataclass(slots=True)
class Occasion:
    """A named occasion: exhibition, summit, session, tournament."""

    name: str
    name_latin: str | None = None
    edition: int | None = None
    year: int | None = None
    entity_id: str | None = None


@dataclass(slots=True)
class Event:
    """A visit, reception or meeting, every slot with its evidence."""

    id: str
    doc_id: str
    type: EventType
    status: EventStatus = "happened"
    actor: Party | None = None
    host_country: str | None = None
    city: Place | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    date_precision: Precision = "unknown"
    date_reason: str | None = None
    date_inferred: bool = False
    candidate_years: list[int] = field(default_factory=list)
    counterparts: list[Party] = field(default_factory=list)
    inviter: Party | None = None
    occasion: Occasion | None = None
    delegation: bool = False
    previous_stop: str | None = None
    next_stop: str | None = None
    topics: list[str] = field(default_factory=list)
    plover: dict[str, Any] = field(default_factory=dict)
    cameo: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    story_id: str | None = None
    #: ``main`` for the article's subject, ``passing`` for an earlier or other trip mentioned.
    salience: str = "main"


# --- the article ----------------------------------------------------------------------------


@dataclass(slots=True)
class Article:
    """One document after cleaning, and everything later stages extract from it."""

    doc_id: str
    source: str
    fmt: Format
    text: str
    record: int = 0
    encoding: str = "utf-8"
    url: str | None = None
    external_id: str | None = None
    lang: str | None = None
    title: str | None = None
    alt_titles: list[str] = field(default_factory=list)
    outlet: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    #: Kept body paragraphs, in reading order.
    paragraphs: list[Span] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def clean_text(self) -> str:
        """The kept body, paragraphs separated by a blank line."""
        return "\n\n".join(self.text[p.start : p.end] for p in self.paragraphs)

    def get_field(self, name: str) -> Field | None:
        """The header field ``name``, if cleaning found one."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(slots=True)
class Story:
    """Every report of one real-world event, and the event fused from them."""

    id: str
    event_ids: list[str]
    doc_ids: list[str]
    fused: Event | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)


# --- (de)serialisation ----------------------------------------------------------------------

T = TypeVar("T")


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(cls: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def to_jsonable(obj: Any) -> Any:
    """A JSON-ready structure (dicts, lists, str, numbers) for a record."""
    return _adapter(type(obj)).dump_python(obj, mode="json")


def to_json(obj: Any) -> str:
    """The record as compact JSON text (UTF-8, not escaped), as the store keeps it."""
    return _adapter(type(obj)).dump_json(obj).decode("utf-8")


def from_json(cls: type[T], text: str | bytes) -> T:
    """The record of type ``cls`` from :func:`to_json` text."""
    result: T = _adapter(cls).validate_json(text)
    return result


def from_jsonable(cls: type[T], data: Any) -> T:
    """The record of type ``cls`` that :func:`to_jsonable` wrote."""
    result: T = _adapter(cls).validate_python(data)
    return result
