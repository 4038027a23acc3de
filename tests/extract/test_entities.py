"""Entities stage: a table of short sentences written for these tests, one rule each.

The sentences live in ``data/entity_sentences.yaml``: for each, the mentions that must be found
(type, exact surface text, key, entity id, attributes) and those that must not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from marsad.arabic import normalize
from marsad.extract.entities import (
    city_info,
    country_name,
    entity_of,
    extract_entities,
    find_places,
    mentions_in_span,
)
from marsad.extract.entities.names import is_verbal_noun
from marsad.model import Article, Field, Mention, Span
from marsad.settings import EntitySettings

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "entity_sentences.yaml").read_text("utf-8")
)
CFG = EntitySettings()


def run(text: str) -> Article:
    """One paragraph through the entities stage."""
    article = Article(doc_id="t", source="t", fmt="text", text=text, paragraphs=[Span(0, len(text))])
    return extract_entities(article, CFG)


def _matches(m: Mention, want: dict[str, Any]) -> bool:
    if m.type != want["type"]:
        return False
    if "text" in want and m.text != want["text"]:
        return False
    if "key" in want and m.key != want["key"]:
        return False
    if "entity" in want and m.entity_id != want["entity"]:
        return False
    for attr in ("country", "edition", "year", "city", "relation", "plural", "org", "person"):
        if attr in want and m.attrs.get(attr) != want[attr]:
            return False
    return True


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 150
    kinds = {w["type"] for c in CASES for w in c.get("expect", []) + c.get("reject", [])}
    assert kinds >= {"PERSON", "ROLE", "ORG", "COUNTRY", "CITY", "REGION", "NATIONALITY", "OCCASION"}
    assert sum(1 for c in CASES if c.get("reject")) >= 35


@pytest.mark.parametrize("case", CASES, ids=[f"{n:03d}" for n in range(len(CASES))])
def test_sentence(case: dict[str, Any]) -> None:
    article = run(case["text"])
    found = article.mentions
    shown = [(m.type, m.text, m.key, m.entity_id, m.attrs) for m in found]
    for want in case.get("expect", []):
        assert any(_matches(m, want) for m in found), f"missing {want} in {shown}"
    for bad in case.get("reject", []):
        assert not any(_matches(m, bad) for m in found), f"unwanted {bad} in {shown}"
    for m in found:
        assert case["text"][m.start : m.end] == m.text


def test_offsets_survive_diacritics_and_tatweel() -> None:
    text = "وصل وزيـر الداخليّة الفرنسيّ إلى الرّباط"
    article = run(text)
    city = next(m for m in article.mentions if m.type == "CITY")
    assert text[city.start : city.end] == "الرّباط"
    role = next(m for m in article.mentions if m.type == "ROLE")
    assert role.attrs["country"] == "FR"


def test_removed_spans_are_never_read() -> None:
    text = "• حموشي يزور الرباط\nاستقبل وزير الداخلية عبد الوافي لفتيت ضيفه."
    body = text.index("استقبل")
    article = Article(doc_id="t", source="t", fmt="text", text=text, paragraphs=[Span(body, len(text))])
    extract_entities(article, CFG)
    assert all(m.start >= body for m in article.mentions)
    assert not any(e.id == "person:abdellatif-hammouchi" for e in article.entities)


def test_title_fields_are_read() -> None:
    title = "حموشي يحل بمدريد"
    body = "بدأ المسؤول زيارة عمل."
    text = f"{title}\n\n{body}"
    article = Article(doc_id="t", source="t", fmt="text", text=text,
                      paragraphs=[Span(len(title) + 2, len(text))],
                      fields=[Field("title", title, 0, len(title), "header.title")])
    extract_entities(article, CFG)
    ids = {m.entity_id for m in article.mentions}
    assert {"person:abdellatif-hammouchi", "city:madrid"} <= ids


def test_unknown_person_gets_transliterated_latin_name_and_stable_id() -> None:
    a1 = run("استقبل وزير الداخلية الأردني سامي العبادي ضيفه.")
    a2 = run("قال وزير الداخلية الأردني سامي العبادي إن بلاده مستعدة.")
    p1 = next(e for e in a1.entities if e.type == "PERSON")
    p2 = next(e for e in a2.entities if e.type == "PERSON")
    assert p1.id == p2.id == "person:sami-abadi-jo"
    assert p1.latin_source == "transliterated" and p1.name_latin == "Sami Al-Abadi"
    assert p1.country == "JO"


def test_kb_person_gets_kb_latin_name_and_roles() -> None:
    article = run("وصل المدير العام للأمن الوطني ومراقبة التراب الوطني عبد اللطيف حموشي إلى أنقرة.")
    person = next(e for e in article.entities if e.type == "PERSON")
    assert person.name_latin == "Abdellatif Hammouchi" and person.latin_source == "kb"
    assert person.roles and person.roles[0].org == "org:dgsn-ma"


def test_role_only_entity_has_country_and_no_name() -> None:
    article = run("زار محافظ الشرطة الهولندية الرباط الشهر الماضي.")
    role = next(e for e in article.entities if e.type == "ROLE")
    assert role.id == "role:governor:police:nl" and role.country == "NL"


def test_unqualified_ministry_takes_the_dominant_country_marked_as_context() -> None:
    article = run("زار وفد تونسي المغرب. وأكدت وزارة الداخلية أن المغرب والمغاربة مرحبون.")
    org = next(m for m in article.mentions if m.type == "ORG")
    assert org.attrs["country"] == "MA" and org.attrs["country_source"] == "context"


def test_helpers() -> None:
    assert country_name("MA") == "المغرب" and country_name("ma", "en") == "Morocco"
    assert city_info("rabat") == ("Rabat", "MA")
    assert city_info("nowhere") is None
    places = find_places("سافر من الرياض إلى ماليزيا ثم إلى سلطنة عمان")
    assert [(p.type, p.key) for p in places] == [("CITY", "riyadh"), ("COUNTRY", "MY"), ("COUNTRY", "OM")]
    text = "التقى وزير الداخلية عبد الوافي لفتيت نظيره الفرنسي جيرالد دارمانان في الرباط."
    article = run(text)
    inside = mentions_in_span(article, 0, text.index("نظيره"))
    assert {m.entity_id for m in inside} == {"person:abdelouafi-laftit"}
    person = next(m for m in article.mentions if m.type == "PERSON")
    ent = entity_of(article, person)
    assert ent is not None and ent.type == "PERSON"


# --- quality pass: role and person ------------------------------------------------------------


def _person(article: Article, text: str) -> Mention:
    return next(m for m in article.mentions if m.type == "PERSON" and m.text == text)


def test_title_before_a_rank_is_that_persons_title() -> None:
    article = run("ناقش وزير الداخلية اللواء سامح عبد الرحيم مع نظيره الأردني سبل التعاون.")
    person = _person(article, "سامح عبد الرحيم")
    role = next(m for m in article.mentions if m.type == "ROLE" and m.text == "وزير الداخلية")
    assert role.attrs["person"] == person.entity_id


def test_assistant_minister_with_a_rank_is_one_person() -> None:
    article = run("وصل إلى بيروت مساعد وزير الداخلية السوري اللواء ماهر الحلبي في زيارة قصيرة.")
    persons = [m for m in article.mentions if m.type == "PERSON"]
    assert [p.text for p in persons] == ["ماهر الحلبي"]
    assert persons[0].attrs["country"] == "SY"
    role = next(m for m in article.mentions if m.type == "ROLE" and m.text.startswith("مساعد"))
    assert role.text == "مساعد وزير الداخلية السوري"
    assert role.attrs["person"] == persons[0].entity_id


def test_a_later_title_points_to_the_minister_named_before() -> None:
    text = ("استقبل وزير الداخلية الأردني سامي العبادي نظيره وزير الداخلية الفرنسي لوران دوبون "
            "في عمان. وأكد وزير الداخلية الفرنسي أن بلاده تدعم الأردن.")
    article = run(text)
    dubun = _person(article, "لوران دوبون")
    later = [m for m in article.mentions if m.type == "ROLE" and m.start > text.index("وأكد")]
    assert later and later[0].attrs["person"] == dubun.entity_id == "person:laurent-dubun-fr"
    assert later[0].attrs.get("coref") is True


def test_the_one_office_left_gives_its_country_to_the_unnamed_minister() -> None:
    text = ("وزير الداخلية السعودي يلتقي نظيره الفرنسي. التقى الأمير فيصل بن سالم، وزير الداخلية، "
            "نظيره وزير الداخلية الفرنسي لوران دوبون في باريس.")
    article = run(text)
    faisal = _person(article, "فيصل بن سالم")
    assert faisal.attrs["country"] == "SA" and faisal.attrs["country_source"] == "role"
    headline = next(m for m in article.mentions if m.type == "ROLE" and m.start == 0)
    assert headline.attrs["person"] == faisal.entity_id


def test_no_country_is_given_when_two_people_could_hold_the_office() -> None:
    text = ("وزير الداخلية السعودي يلتقي مسؤولين. التقى الأمير فيصل بن سالم، وزير الداخلية، "
            "والوزير جان مارتان، وزير الداخلية، في باريس.")
    article = run(text)
    assert "country" not in _person(article, "فيصل بن سالم").attrs


@pytest.mark.parametrize("word", ["تنفيذ", "التعاون", "بالاستقبال", "لتسهيل", "اجتماع", "انطلاق",
                                  "استعراض", "وتبادل"])
def test_verbal_noun_shapes(word: str) -> None:
    assert is_verbal_noun(normalize(word))


@pytest.mark.parametrize("word", ["تركي", "تواتي", "الانصاري", "التونسي", "تبون", "ابراهيم"])
def test_names_are_not_verbal_nouns(word: str) -> None:
    assert not is_verbal_noun(normalize(word))
