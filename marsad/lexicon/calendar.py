"""Month and weekday names of every Arabic calendar family, from CLDR (Babel) and hijridate.

Families: standard and Egyptian (يناير…), Moroccan (ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر),
Algerian and Tunisian (جانفي، فيفري، جوان، جويلية، أوت…), Levantine and Iraqi (كانون الثاني،
شباط، آذار…); the Hijri months; weekdays. All keys are normalised (see :mod:`marsad.arabic`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import Locale
from babel.localedata import locale_identifiers
from hijridate import Hijri

from marsad.arabic import normalize
from marsad.lexicon.load import load_yaml

#: Babel weekday index (0 = Monday) is Python's ``date.weekday()``.
_FAMILIES = {
    "ar": "standard",
    "ar_EG": "standard",
    "ar_MA": "Moroccan",
    "ar_EH": "Moroccan",
    "ar_DZ": "Algerian/Tunisian",
    "ar_TN": "Algerian/Tunisian",
    "ar_SY": "Levantine",
    "ar_LB": "Levantine",
    "ar_JO": "Levantine",
    "ar_PS": "Levantine",
    "ar_IQ": "Levantine",
}


def _clean(name: str) -> str:
    return " ".join(normalize(name).split())


def _extra() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("calendar_extra.yaml")
    return data


@cache
def gregorian_months() -> dict[str, tuple[int, str]]:
    """Normalised month name -> ``(month number, family)`` for every Arabic locale in CLDR."""
    out: dict[str, tuple[int, str]] = {}
    locales = sorted(i for i in locale_identifiers() if i == "ar" or i.startswith("ar_"))
    # Known families first so that a name is labelled by the family it is most typical of.
    locales.sort(key=lambda i: (i not in _FAMILIES, i != "ar", i))
    for ident in locales:
        loc = Locale.parse(ident)
        family = _FAMILIES.get(ident, "standard")
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in loc.months[context][width].items():
                    key = _clean(name)
                    if len(key) >= 2 and not key.isdigit():
                        out.setdefault(key, (int(num), family))
    for num, names in _extra()["gregorian_months"].items():
        for name in names:
            out.setdefault(_clean(name), (int(num), "variant"))
    return out


@cache
def hijri_months() -> dict[str, int]:
    """Normalised Hijri month name -> month number (hijridate's names plus variants)."""
    out = {_clean(Hijri(1446, m, 1).month_name("ar")): m for m in range(1, 13)}
    for num, names in _extra()["hijri_months"].items():
        for name in names:
            out.setdefault(_clean(name), int(num))
    return out


@cache
def weekdays() -> dict[str, int]:
    """Normalised weekday name (with and without the article) -> ``date.weekday()`` number."""
    out: dict[str, int] = {}
    for num, name in Locale.parse("ar").days["format"]["wide"].items():
        key = _clean(name)
        out[key] = int(num)
        if key.startswith("ال"):
            out[key[2:]] = int(num)
    for num, names in _extra()["weekdays"].items():
        for name in names:
            out.setdefault(_clean(name), int(num))
    return out


@cache
def ambiguous_months() -> frozenset[str]:
    """Month names that are also common words; they need a day, a year or a direction beside them."""
    names = {_clean(n) for n in _extra().get("ambiguous_months", [])}
    # Latin abbreviations ("oct", "sept", "mar") are words or other abbreviations too.
    wide = {
        normalize(name)
        for ident in ("fr", "en")
        for name in Locale.parse(ident).months["format"]["wide"].values()
    }
    names.update(n for n in latin_months() if len(n) <= 4 and n not in wide)
    return frozenset(names)


@cache
def latin_weekdays(abbreviated: bool = True) -> dict[str, int]:
    """French and English weekday names -> ``date.weekday()`` number.

    With ``abbreviated`` (header date lines: "Mon, Oct 9") also "lun", "mon", "wed"; prose
    matching asks for the wide names only, since "sun", "sat", "wed", "mar" and "jeu" are words.
    """
    out: dict[str, int] = {}
    widths = ("wide", "abbreviated") if abbreviated else ("wide",)
    for ident in ("fr", "en"):
        loc = Locale.parse(ident)
        for width in widths:
            for num, name in loc.days["format"][width].items():
                key = normalize(name).rstrip(".")
                if len(key) >= 3:
                    out.setdefault(key, int(num))
    return out


@cache
def latin_months() -> dict[str, int]:
    """French and English month names and abbreviations (for Latin-script articles)."""
    out: dict[str, int] = {}
    for ident in ("fr", "en"):
        loc = Locale.parse(ident)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for num, name in loc.months[context][width].items():
                    key = normalize(name).rstrip(".")
                    if len(key) >= 3:
                        out.setdefault(key, int(num))
    return out
