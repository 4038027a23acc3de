"""The entity lexicons: every Arabic entry already normalised, no entry twice, keys valid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from marsad.arabic import is_normalized
from marsad.lexicon.countries import country_codes, country_forms, nationality_forms
from marsad.lexicon.load import load_lines, load_tsv, load_yaml, read_text
from marsad.lexicon.places import cities, city_names, is_city_name, regions

_ARABIC = re.compile(r"[\u0600-\u06ff]")
FILES = [
    "countries_extra.yaml", "nationalities.yaml", "regions.yaml", "organisations.yaml",
    "titles.yaml", "occasions.yaml", "names.yaml", "cities_extra.yaml", "kb/persons.yaml",
    "kb/organisations.yaml",
]
#: Keys whose values are display text, not matched terms (they may keep hamza and ة).
_DISPLAY = {"name", "name_latin", "title", "latin", "latin_aliases"}


def _lists(node: Any, path: str = "") -> Iterator[tuple[str, list[str]]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) in _DISPLAY:
                continue
            yield from _lists(v, f"{path}/{k}")
    elif isinstance(node, list):
        if all(isinstance(x, str) for x in node):
            yield path, node
        else:
            for n, item in enumerate(node):
                yield from _lists(item, f"{path}[{n}]")


@pytest.mark.parametrize("name", FILES)
def test_arabic_terms_are_normalised_and_unique(name: str) -> None:
    data = load_yaml(name)
    for path, terms in _lists(data):
        arabic = [t for t in terms if _ARABIC.search(t)]
        bad = [t for t in arabic if not is_normalized(t)]
        assert not bad, f"{name}{path}: not normalised: {bad}"
        assert len(terms) == len(set(terms)), f"{name}{path}: repeated entries"


def test_given_names_file_is_normalised_and_unique() -> None:
    raw = [
        line.strip()
        for line in read_text("given_names.txt").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(raw) == len(set(raw)) == len(load_lines("given_names.txt"))
    assert all(is_normalized(n) for n in raw)


def test_common_words_are_normalised_unique_and_never_names() -> None:
    raw = [
        line.strip()
        for line in read_text("common_words.txt").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(raw) == len(set(raw)) == len(load_lines("common_words.txt")) > 500
    assert all(is_normalized(w) for w in raw)
    given = set(load_lines("given_names.txt"))
    kb_words = {
        w
        for p in load_yaml("kb/persons.yaml")["persons"]
        for name in [p["name"], *(p.get("aliases") or []), *(p.get("short") or [])]
        for w in name.split()
    }
    assert not set(raw) & given, set(raw) & given
    assert not set(raw) & kb_words, set(raw) & kb_words


def test_name_word_lists_are_normalised() -> None:
    names = load_yaml("names.yaml")
    titles = load_yaml("titles.yaml")
    for key, data in (("facilities", names), ("regnal", names), ("construct", titles)):
        terms = [str(t) for t in data[key]]
        assert terms and all(is_normalized(t) for t in terms), key
        assert len(terms) == len(set(terms)), key


def test_city_table_is_normalised_and_keys_unique() -> None:
    rows = load_tsv("cities.tsv")
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)) and len(rows) > 500
    for r in rows:
        for n in r["arabic_variants"].split("|"):
            assert is_normalized(n), (r["key"], n)
        assert r["country"] in country_codes(), r


def test_city_helpers_kept_for_the_clean_stage() -> None:
    assert city_names()["الرباط"] == "rabat"
    assert is_city_name("الدار البيضاء") and not is_city_name("الخبر")
    assert cities()["riyadh"].country == "SA"


def test_countries_and_nationalities_cover_the_official_forms() -> None:
    forms = country_forms()
    for text, code in [
        ("السعوديه", "SA"), ("المملكه العربيه السعوديه", "SA"), ("الامارات", "AE"),
        ("دوله الامارات العربيه المتحده", "AE"), ("المملكه المغربيه", "MA"),
        ("الجمهوريه التركيه", "TR"), ("جمهوريه تونس", "TN"), ("امريكا", "US"),
        ("الولايات المتحده الامريكيه", "US"), ("بريطانيا", "GB"), ("المملكه المتحده", "GB"),
        ("اسبانيا", "ES"), ("سوريه", "SY"), ("جزر القمر", "KM"), ("القمر المتحده", "KM"),
        ("arabie saoudite", "SA"), ("maroc", "MA"), ("emirats arabes unis", "AE"),
        ("saudi arabia", "SA"), ("morocco", "MA"), ("uae", "AE"),
    ]:
        assert forms[text].iso2 == code, text
    assert forms["مالي"].context and not forms["ماليزيا"].context
    nats = nationality_forms()
    for text, code in [
        ("السعودي", "SA"), ("السعوديه", "SA"), ("السعوديين", "SA"), ("السعوديون", "SA"),
        ("الاماراتي", "AE"), ("الاماراتيه", "AE"), ("الاسبانيه", "ES"), ("الاسباني", "ES"),
        ("التركي", "TR"), ("الامريكيه", "US"), ("الامريكي", "US"), ("الامريكيين", "US"),
        ("saudi", "SA"), ("marocain", "MA"), ("francaise", "FR"),
    ]:
        assert nats[text].iso2 == code, text
    assert nats["المالي"].strict


def test_regions_have_names() -> None:
    assert {"sahel_sahara", "mediterranean", "gulf", "north_africa", "schengen", "middle_east"} <= set(regions())
