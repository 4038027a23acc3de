"""Load the data files under ``marsad/lexicon/data`` once, normalised on load."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marsad.arabic import normalize
from marsad.errors import LexiconError

#: libyaml's C parser when PyYAML was built with it (about 8 times faster), else the Python one.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATA_DIR = Path(__file__).parent / "data"


def read_text(name: str) -> str:
    """The text of data file ``name``."""
    try:
        return (DATA_DIR / name).read_text("utf-8")
    except OSError as exc:
        raise LexiconError(f"lexicon file {name} cannot be read: {exc}") from exc


@cache
def load_yaml(name: str) -> Any:
    """A YAML data file, parsed (not normalised: callers know which values are terms)."""
    try:
        return yaml.load(read_text(name), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise LexiconError(f"lexicon file {name} is not valid YAML: {exc}") from exc


@cache
def load_terms(name: str) -> dict[str, tuple[str, ...]]:
    """A YAML file of ``list name -> [terms]``, every term normalised."""
    data = load_yaml(name)
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon file {name} must map list names to lists of terms")
    out: dict[str, tuple[str, ...]] = {}
    for key, values in data.items():
        if not isinstance(values, list):
            raise LexiconError(f"{name}: {key} must be a list")
        out[str(key)] = tuple(dict.fromkeys(" ".join(normalize(str(v)).split()) for v in values))
    return out


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A one-term-per-line file (``#`` comments), normalised and de-duplicated."""
    terms = (
        " ".join(normalize(line).split())
        for line in read_text(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return tuple(dict.fromkeys(terms))


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """A TSV file whose first ``#``-prefixed line names the columns."""
    text = read_text(name)
    lines = text.splitlines()
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    body: list[str] = []
    for line in lines:
        if line.startswith("#"):
            if header is None and "\t" in line:
                header = [h.strip() for h in line.lstrip("#").split("\t")]
            continue
        if line.strip():
            body.append(line)
    if header is None:
        raise LexiconError(f"{name}: first comment line must name the tab-separated columns")
    for record in csv.reader(io.StringIO("\n".join(body)), delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append(dict(zip(header, record, strict=False)))
    return tuple(rows)
