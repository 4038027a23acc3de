"""Normalisation for matching: the fast paths give what the plain definitions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic import _TABLE, _fold, normalize, normalize_with_map, script_share
from marsad.ingest.decode import _plausible

# Arabic, Latin with accents, digits of three scripts, punctuation and spaces.
TEXTS = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x6FF) | st.sampled_from("ـًٌٍَُِّ«»–—“”\n"),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_fold_is_translate(text: str) -> None:
    assert _fold(text) == text.translate(_TABLE)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_normalize_with_map_agrees_with_normalize(text: str) -> None:
    norm = normalize_with_map(text)
    assert norm.text == normalize(text)


def test_normalize_folds_letter_variants_and_drops_marks() -> None:
    assert normalize("إلى الأمنِيّة ـــ مدرسةٌ ١٢") == "الي الامنيه  مدرسه 12"
    assert normalize("Défense ÉTAT") == "defense etat"


def test_script_share_counts_letters_not_runs() -> None:
    ar, la = script_share("وزير الداخلية met the minister")
    assert ar == 12 / 26 and la == 14 / 26  # 4 + 8 Arabic letters, 3 + 3 + 8 Latin
    assert script_share("123 - 456") == (0.0, 0.0)


def test_plausible_rejects_symbol_soup_and_accepts_prose() -> None:
    assert _plausible("استقبل الوزير نظيره في الرباط.") is None
    assert _plausible("@@## $$%% ^^&& ** ((")  # a reason, not None
