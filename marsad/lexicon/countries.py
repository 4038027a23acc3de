"""Countries and nationalities: CLDR (Babel) and pycountry names plus what news adds.

Arabic country names come from Babel's CLDR territories (``Locale.parse("ar").territories`` and
the regional Arabic locales), pycountry's Arabic ``iso3166-1`` catalogue (short and official
forms) and ``countries_extra.yaml``; English and French names from CLDR too. Nationality
adjectives come from ``nationalities.yaml``, nisba bases expanded into every gender and number.
Every key is a phrase key: the normalised tokens joined by one space (see :func:`phrase_key`).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry
from babel import Locale
from babel.localedata import locale_identifiers

from marsad.arabic import normalize, tokenize
from marsad.lexicon.load import load_yaml

Lang = Literal["ar", "en", "fr"]

#: CLDR territory codes that are not countries (regions, the EU, "unknown").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


def phrase_key(text: str) -> str:
    """The normalised tokens of ``text`` joined by single spaces (how lexicons are keyed)."""
    return " ".join(t.text for t in tokenize(normalize(text)))


def _is_latin(key: str) -> bool:
    return any("a" <= c <= "z" for c in key)


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes of every country CLDR names in Arabic."""
    codes = {
        str(code)
        for code in Locale.parse("ar").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return frozenset(codes)


def _extra() -> dict[str, object]:
    data: dict[str, object] = load_yaml("countries_extra.yaml")
    return data


@cache
def _pycountry_ar() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    except OSError:  # pragma: no cover - pycountry always ships the catalogue
        return gettext.NullTranslations()


@cache
def _arabic_display() -> dict[str, str]:
    return {
        code: name for code, name in Locale.parse("ar").territories.items() if code in country_codes()
    }


@dataclass(frozen=True, slots=True)
class CountryForm:
    """One written form of a country's name."""

    iso2: str
    #: ``any`` (Arabic, matched however written), ``title`` (a Latin name: capital initial),
    #: ``upper`` (an acronym: all capitals).
    case: Literal["any", "title", "upper"] = "any"
    #: Also a common word: a country only in context ("مالي", "بنين").
    context: bool = False


@cache
def country_forms() -> dict[str, CountryForm]:
    """Phrase key -> country, for every Arabic, English and French name of every country."""
    extra = _extra()
    excluded = {phrase_key(str(x)) for x in extra.get("exclude", []) or []}  # type: ignore[attr-defined]
    context = {phrase_key(str(x)) for x in extra.get("context_required", []) or []}  # type: ignore[attr-defined]
    out: dict[str, CountryForm] = {}

    def add(name: str, code: str, case: Literal["any", "title", "upper"] = "any") -> None:
        if " - " in name or "(" in name:
            return  # "الكونغو - كينشاسا": CLDR's disambiguated labels, not names news writes
        key = phrase_key(name)
        if not key or key in excluded or key in out:
            return
        if case == "any" and _is_latin(key):
            case = "upper" if name.isupper() and len(name) <= 6 else "title"
        out[key] = CountryForm(code, case, key in context)

    for code, names in (extra.get("arabic") or {}).items():  # type: ignore[attr-defined]
        for name in names:
            add(str(name), str(code))
    idents = sorted(i for i in locale_identifiers() if i == "ar" or i.startswith("ar_"))
    for ident in idents:
        for code, name in Locale.parse(ident).territories.items():
            if code in country_codes():
                add(name, code)
    tr = _pycountry_ar()
    for c in pycountry.countries:
        code = c.alpha_2
        if code not in country_codes():
            continue
        for attr in ("name", "official_name", "common_name"):
            english = getattr(c, attr, None)
            if english:
                arabic = tr.gettext(english)
                if arabic != english:
                    add(arabic, code)
    for code, names in (extra.get("latin") or {}).items():  # type: ignore[attr-defined]
        for name in names:
            add(str(name), str(code))
    for ident in ("en", "fr"):
        for code, name in Locale.parse(ident).territories.items():
            if code in country_codes():
                add(name, code, "title")
    return out


@cache
def country_name(iso2: str, lang: Lang = "ar") -> str:
    """The country's usual name (CLDR) in Arabic, English or French; the code if unknown."""
    code = iso2.upper()
    if lang == "ar":
        return _arabic_display().get(code, code)
    name = _territories(lang).get(code)
    return str(name) if name else code


@cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def is_country_code(code: str) -> bool:
    """Whether ``code`` is an ISO alpha-2 code of a country marsad knows."""
    return code.upper() in country_codes()


@dataclass(frozen=True, slots=True)
class NationalityForm:
    """One form of a nationality adjective."""

    iso2: str
    gender: Literal["m", "f", "?"]
    number: Literal["sg", "du", "pl"]
    #: Also a common word ("المالي" financial): only qualifies a title or a body.
    strict: bool = False
    case: Literal["any", "title", "upper"] = "any"


Gender = Literal["m", "f", "?"]
Number = Literal["sg", "du", "pl"]


def _nisba_forms(base: str) -> list[tuple[str, Gender, Number]]:
    """Every gender and number of a nisba adjective ending in ي (without the article)."""
    return [
        (base, "m", "sg"),
        (base + "ه", "f", "sg"),
        (base + "ين", "m", "pl"),
        (base + "ون", "m", "pl"),
        (base + "ان", "m", "du"),
        (base + "تان", "f", "du"),
        (base + "تين", "f", "du"),
        (base + "ات", "f", "pl"),
    ]


@cache
def nationality_forms() -> dict[str, NationalityForm]:
    """Phrase key -> nationality, every gender and number, with and without the article."""
    data = load_yaml("nationalities.yaml")
    strict = {phrase_key(str(x)) for x in data.get("strict", [])}
    out: dict[str, NationalityForm] = {}
    for code, words in data["arabic"].items():
        for word in words:
            key = phrase_key(str(word))
            first, *rest = key.split(" ")
            is_strict = first in strict
            forms: list[tuple[str, Gender, Number]] = (
                _nisba_forms(first) if first.endswith("ي") else [(first, "?", "pl")]
            )
            for form, gender, number in forms:
                for article in ("", "ال"):
                    # "الكوري الجنوبي": every word of a compound adjective takes the article.
                    tail = " ".join(article + _agree(w, form, first) for w in rest)
                    phrase = f"{article}{form} {tail}".strip()
                    out.setdefault(phrase, NationalityForm(str(code), gender, number, is_strict))
    for code, words in (data.get("latin") or {}).items():
        for word in words:
            key = phrase_key(str(word))
            case: Literal["any", "title"] = "title" if str(word)[:1].isupper() else "any"
            out.setdefault(key, NationalityForm(str(code), "?", "sg", False, case))
    return out


def _agree(word: str, form: str, base: str) -> str:
    """``word`` (a nisba ending in ي) in the gender and number of ``form`` of ``base``."""
    suffix = form[len(base):]
    return word + suffix if word.endswith("ي") else word
