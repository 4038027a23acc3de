"""The knowledge base: people and organisations with global ids, kept as YAML data files.

The package's own files are ``marsad/lexicon/data/kb/persons.yaml`` and
``kb/organisations.yaml``; a user adds or overrides entries with YAML files named in
``EntitySettings.kb_files`` (same format: top-level ``persons:`` and/or ``organisations:``
lists; an entry whose id already exists replaces the package's entry). Names are normalised on
load, so user files may be written in ordinary spelling.

The entity stage looks names up here (:meth:`KnowledgeBase.person_by_name`) and gives a
person the KB knows the KB's id, Latin name and roles; a person it does not know gets an id
derived from the name (see :mod:`marsad.link.translit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import LexiconError
from marsad.lexicon.countries import phrase_key
from marsad.lexicon.load import SafeLoader, load_yaml
from marsad.link.translit import bare, name_key, name_units


@dataclass(frozen=True, slots=True)
class KbRole:
    """A role the KB records for a person."""

    title: str
    org: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    attested: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KbPerson:
    """A person the KB knows."""

    id: str
    name: str
    name_latin: str
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    latin_aliases: tuple[str, ...] = ()
    country: str | None = None
    ambiguous: bool = False
    roles: tuple[KbRole, ...] = ()


@dataclass(frozen=True, slots=True)
class KbOrg:
    """A specific organisation the KB knows."""

    id: str
    name: str
    name_latin: str
    country: str | None = None
    kind: str | None = None
    arabic: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    latin: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _person(entry: dict[str, Any], origin: str) -> KbPerson:
    try:
        roles = tuple(
            KbRole(
                str(r["title"]), _str(r.get("org")), _str(r.get("country")),
                _str(r.get("since")), _str(r.get("until")), _strs(r.get("attested")),
            )
            for r in entry.get("roles") or []
        )
        return KbPerson(
            id=str(entry["id"]),
            name=str(entry["name"]),
            name_latin=str(entry.get("name_latin") or entry["name"]),
            aliases=_strs(entry.get("aliases")),
            short=_strs(entry.get("short")),
            latin_aliases=_strs(entry.get("latin_aliases")),
            country=_str(entry.get("country")),
            ambiguous=bool(entry.get("ambiguous", False)),
            roles=roles,
        )
    except (KeyError, TypeError) as exc:
        raise LexiconError(f"{origin}: bad person entry {entry!r}: {exc}") from exc


def _org(entry: dict[str, Any], origin: str) -> KbOrg:
    try:
        return KbOrg(
            id=str(entry["id"]),
            name=str(entry["name"]),
            name_latin=str(entry.get("name_latin") or entry["name"]),
            country=_str(entry.get("country")),
            kind=_str(entry.get("kind")),
            arabic=_strs(entry.get("arabic")),
            short=_strs(entry.get("short")),
            latin=_strs(entry.get("latin")),
            acronyms=_strs(entry.get("acronyms")),
        )
    except (KeyError, TypeError) as exc:
        raise LexiconError(f"{origin}: bad organisation entry {entry!r}: {exc}") from exc


@dataclass(slots=True)
class KnowledgeBase:
    """People and organisations by id, with name indexes."""

    persons: dict[str, KbPerson] = field(default_factory=dict)
    orgs: dict[str, KbOrg] = field(default_factory=dict)
    #: Phrase key of a full Arabic or Latin name -> person ids.
    by_name: dict[str, list[str]] = field(default_factory=dict)
    #: Canonical name key (first + last unit) -> person ids.
    by_key: dict[str, list[str]] = field(default_factory=dict)
    #: One-word references safe on their own ("حموشي") -> person ids.
    by_short: dict[str, list[str]] = field(default_factory=dict)
    #: (kind, country) -> org id.
    org_by_kind: dict[tuple[str, str], str] = field(default_factory=dict)

    def add_person(self, person: KbPerson) -> None:
        """Add or replace a person."""
        self.persons[person.id] = person

    def add_org(self, org: KbOrg) -> None:
        """Add or replace an organisation."""
        self.orgs[org.id] = org

    def index(self) -> None:
        """Rebuild the name indexes (after adding entries)."""
        self.by_name.clear()
        self.by_key.clear()
        self.by_short.clear()
        self.org_by_kind.clear()
        for p in self.persons.values():
            for name in (p.name, *p.aliases, p.name_latin, *p.latin_aliases):
                key = phrase_key(name)
                if " " in key or name in (p.name, *p.aliases):
                    _append(self.by_name, key, p.id)
            for name in (p.name, *p.aliases):
                _append(self.by_key, name_key(name.split()), p.id)
            for name in p.short:
                _append(self.by_short, phrase_key(name), p.id)
            for name in p.latin_aliases:
                key = phrase_key(name)
                if " " not in key:
                    _append(self.by_short, key, p.id)
        for o in self.orgs.values():
            if o.kind and o.country:
                self.org_by_kind.setdefault((o.kind, o.country), o.id)

    def person_by_name(self, tokens: Sequence[str]) -> list[KbPerson]:
        """People whose full name (any spelling) is exactly these tokens (normalised words)."""
        key = " ".join(tokens)
        ids = self.by_name.get(key) or self.by_name.get(phrase_key(key), [])
        return [self.persons[i] for i in ids]

    def person_by_key(self, tokens: Sequence[str], common: frozenset[str] = frozenset()) -> list[KbPerson]:
        """People whose canonical key (first + last unit) equals the key of ``tokens``.

        A key whose last unit is in ``common`` (given names: "محمد الامين") is too weak to
        link on; an exact spelling (:meth:`person_by_name`) is needed then.
        """
        units = name_units(tokens)
        if len(units) < 2 or bare(units[-1]) in common or units[-1] in common:
            return []
        return [self.persons[i] for i in self.by_key.get(name_key(tokens), [])]

    def person_by_short(self, word: str) -> list[KbPerson]:
        """People a one-word reference can name on its own."""
        ids = self.by_short.get(word) or self.by_short.get(phrase_key(word), [])
        return [self.persons[i] for i in ids]

    def org_for_kind(self, kind: str, country: str | None) -> KbOrg | None:
        """The specific body of ``kind`` in ``country`` (DGSN + MA -> org:dgsn-ma)."""
        if country is None:
            return None
        oid = self.org_by_kind.get((kind, country))
        return self.orgs.get(oid) if oid else None


def _append(index: dict[str, list[str]], key: str, value: str) -> None:
    if not key:
        return
    bucket = index.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)


def _read_user_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=SafeLoader) or {}
    except OSError as exc:
        raise LexiconError(f"knowledge base file {path} cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"knowledge base file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"knowledge base file {path} must hold persons: and/or organisations:")
    return data


def build_kb(extra: Iterable[dict[str, Any]] = (), origins: Sequence[str] = ()) -> KnowledgeBase:
    """The package KB plus extra parsed YAML documents (later entries replace earlier ones)."""
    kb = KnowledgeBase()
    for entry in load_yaml("kb/persons.yaml")["persons"]:
        kb.add_person(_person(entry, "kb/persons.yaml"))
    for entry in load_yaml("kb/organisations.yaml")["organisations"]:
        kb.add_org(_org(entry, "kb/organisations.yaml"))
    for n, data in enumerate(extra):
        origin = origins[n] if n < len(origins) else f"extra #{n}"
        for entry in data.get("persons") or []:
            kb.add_person(_person(entry, origin))
        for entry in data.get("organisations") or []:
            kb.add_org(_org(entry, origin))
    kb.index()
    return kb


@cache
def load_kb(files: tuple[Path, ...] = ()) -> KnowledgeBase:
    """The package KB plus the user files (cached per list of files)."""
    docs = [_read_user_file(Path(f)) for f in files]
    return build_kb(docs, [str(f) for f in files])
