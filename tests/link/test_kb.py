"""The knowledge base: loading, user files, lookups; the transliteration scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import LexiconError
from marsad.extract.entities import extract_entities
from marsad.link.kb import build_kb, load_kb
from marsad.link.translit import name_key, name_units, slug, transliterate
from marsad.model import Article, Span
from marsad.settings import EntitySettings


def test_package_kb_has_the_seed_officials_and_many_others() -> None:
    kb = build_kb()
    assert len(kb.persons) >= 60
    for pid in ("person:abdellatif-hammouchi", "person:talal-rashid-al-zaabi", "person:mahmut-demirtas",
                "person:abdelouafi-laftit", "person:abdulaziz-al-huwairini",
                "person:fernando-grande-marlaska"):
        assert pid in kb.persons
    assert kb.persons["person:mahmut-demirtas"].name_latin == "Mahmut Demirtaş"
    assert all(p.id.startswith("person:") and p.roles for p in kb.persons.values())
    for org in kb.orgs.values():
        assert org.id.startswith("org:")


def test_lookups_by_spelling_key_and_short_form() -> None:
    kb = build_kb()
    assert [p.id for p in kb.person_by_name(["عبد", "اللطيف", "الحموشي"])] == ["person:abdellatif-hammouchi"]
    assert [p.id for p in kb.person_by_key(["عبداللطيف", "الحموشي"])] == ["person:abdellatif-hammouchi"]
    assert [p.id for p in kb.person_by_short("حموشي")] == ["person:abdellatif-hammouchi"]
    assert [p.id for p in kb.person_by_short("hammouchi")] == ["person:abdellatif-hammouchi"]
    assert kb.org_for_kind("national_security_directorate", "MA").id == "org:dgsn-ma"  # type: ignore[union-attr]
    assert kb.org_for_kind("national_security_directorate", "DZ").id == "org:dgsn-dz"  # type: ignore[union-attr]
    assert kb.org_for_kind("federal_police", None) is None


def test_user_kb_file_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "kb.yaml"
    user.write_text(
        "persons:\n"
        "  - id: person:test-officer\n"
        "    name: خليل الورداني\n"
        "    name_latin: Khalil Wardani\n"
        "    country: JO\n"
        "    roles: [{title: مدير الامن العام, country: JO}]\n"
        "  - id: person:abdelouafi-laftit\n"
        "    name: عبد الوافي لفتيت\n"
        "    name_latin: Abdelouafi LAFTIT\n"
        "    country: MA\n",
        "utf-8",
    )
    cfg = EntitySettings(kb_files=[user])
    text = "استقبل مدير الأمن العام خليل الورداني وزير الداخلية عبد الوافي لفتيت."
    article = extract_entities(Article("t", "t", "text", text, paragraphs=[Span(0, len(text))]), cfg)
    by_id = {e.id: e for e in article.entities}
    assert by_id["person:test-officer"].name_latin == "Khalil Wardani"
    assert by_id["person:abdelouafi-laftit"].name_latin == "Abdelouafi LAFTIT"
    assert load_kb((user,)) is load_kb((user,))  # built once


def test_bad_user_file_is_a_lexicon_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("persons:\n  - name_latin: nobody\n", "utf-8")
    with pytest.raises(LexiconError):
        load_kb((bad,))
    with pytest.raises(LexiconError):
        load_kb((tmp_path / "missing.yaml",))


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("طلال راشد الزعابي", "Talal Rashid Al-Za'abi"),
        ("عبد الوافي لفتيت", "Abdelouafi Laftit"),
        ("مازن الفراية", "Mazen Al-Faraya"),
        ("راشد بن عبدالله آل خليفة", "Rashid bin Abdullah Al Khalifa"),
        ("محمد ولد أحمد", "Mohammed Ould Ahmed"),
        ("عبد الحق الخيام", "Abdelhaq Al-Khyam"),
        # A word-initial ع before و or ي opens with a vowel: never "un" for عون.
        ("ميشال عون", "Michel Aoun"),
        ("عوني فرحات", "Aouni Farhat"),
        ("عياد", "Ayad"),
        ("عيد", "Eid"),
        ("يحيى العساف", "Yahya Al-Asaf"),
    ],
)
def test_transliteration_scheme(arabic: str, latin: str) -> None:
    assert transliterate(arabic) == latin


def test_short_names_keep_readable_slugs() -> None:
    assert slug(transliterate("عون")) == "aoun"
    assert slug(transliterate("عوده")) == "odeh"
    assert all(slug(transliterate(w)) for w in ["عو", "عي", "ع", "يي", "ء"])


def test_latin_compound_given_names_are_one_unit() -> None:
    assert name_units(["abdul", "hamid", "dbeibah"]) == ["abdulhamid", "dbeibah"]
    assert name_units(["khalifa", "bin", "hamad", "al", "thani"]) == ["khalifa", "hamad", "thani"]


def test_name_key_ignores_spelling_variants() -> None:
    assert name_key(["عبد", "اللطيف", "الحموشي"]) == name_key(["عبداللطيف", "حموشي"])
    assert name_key(["أحمد", "ناصر", "الريسي"]) == name_key(["احمد", "الريسي"])
    assert name_key(["خالـد", "النوري"]) == name_key(["خالد", "النوري"])
    assert slug("Talal Rashid Al-Za'abi") == "talal-rashid-al-zaabi"
