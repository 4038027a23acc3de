"""The light Latin-script extractor: a French or English report still yields its story key."""

from __future__ import annotations

import pytest

from marsad.arabic import is_normalized
from marsad.cluster.latin import add_latin_events, latin_event, matcher
from marsad.lexicon.load import load_yaml
from marsad.model import Article, RawDocument
from marsad.pipeline import process_document
from marsad.settings import Settings

FR_PASSIVE = (
    "Abdellatif Hammouchi reçu à Doha\n\n"
    "Le directeur général de la Sûreté nationale, Abdellatif Hammouchi, a été reçu mardi 14 octobre "
    "2025 à Doha par le ministre qatari de l'Intérieur, dans le cadre d'une visite de travail.\n\n"
    "Les deux responsables ont évoqué la coopération sécuritaire et l'échange d'informations."
)
EN_VISIT = (
    "Moroccan security chief in Doha\n\n"
    "Abdellatif Hammouchi paid a working visit to Doha on 14 October 2025 and held talks with "
    "senior Qatari security officials.\n\n"
    "The talks covered counter-terrorism and the security of major sporting events."
)
FR_NONE = (
    "Débat budgétaire au Parlement\n\n"
    "Le ministre de l'Intérieur a présenté mardi le budget de son département devant la commission "
    "des finances, en insistant sur la modernisation des services.\n\n"
    "Les députés ont posé de nombreuses questions sur les effectifs."
)
AR_TEXT = "زار المدير العام للأمن الوطني الدوحة يوم الثلاثاء وبحث مع المسؤولين التعاون الأمني.\n\nوتناولت المباحثات تبادل المعلومات."


def _article(text: str, settings: Settings) -> Article:
    cfg = settings.model_copy(update={"pipeline": ["clean", "dates", "entities"]})
    return process_document(RawDocument("t.txt", text.encode("utf-8"), "text"), cfg)


def test_trigger_lists_are_normalised_and_unique() -> None:
    for kind, by_lang in load_yaml("latin_triggers.yaml").items():
        for lang, phrases in by_lang.items():
            assert all(is_normalized(str(p)) for p in phrases), (kind, lang)
            assert len(phrases) == len(set(phrases)), (kind, lang)
    assert len(matcher()) > 50


@pytest.mark.parametrize("text", [FR_PASSIVE, EN_VISIT])
def test_a_latin_report_gives_visitor_host_city_and_date(text: str, settings: Settings) -> None:
    ev = latin_event(_article(text, settings))
    assert ev is not None and ev.actor is not None
    assert ev.actor.entity_id == "person:abdellatif-hammouchi"
    assert ev.host_country == "QA"
    assert ev.city is not None and ev.city.name == "Doha"
    assert ev.start is not None and ev.start.iso() == "2025-10-14"
    assert all(e.rule.startswith(("latin.", "dates.")) for e in ev.evidence)
    assert ev.confidence < 0.5


def test_a_latin_article_without_an_encounter_gives_nothing(settings: Settings) -> None:
    assert latin_event(_article(FR_NONE, settings)) is None


def test_the_stage_leaves_arabic_articles_and_found_events_alone(settings: Settings) -> None:
    arabic = _article(AR_TEXT, settings)
    assert add_latin_events(arabic, settings.events).events == []
    french = _article(FR_PASSIVE, settings)
    assert len(add_latin_events(french, settings.events).events) == 1
    again = add_latin_events(french, settings.events)
    assert len(again.events) == 1


@pytest.mark.parametrize(
    ("text", "visitor_title", "inviter_country", "inviter_name"),
    [
        ("Le ministre tunisien de l'Intérieur s'est rendu mardi à Riyad, à l'invitation de son "
         "homologue saoudien, le prince Abdelaziz bin Saoud bin Nayef.",
         "ministre tunisien de l'Intérieur", "SA", "Abdelaziz bin Saoud bin Nayef"),
        ("Iraq's interior minister arrived in Ankara on Monday at the invitation of his Turkish "
         "counterpart for talks on border security.",
         "Iraq's interior minister", "TR", None),
    ],
)
def test_the_inviter_is_read_and_is_not_a_counterpart(
    text: str, visitor_title: str, inviter_country: str, inviter_name: str | None,
    settings: Settings,
) -> None:
    ev = latin_event(_article(text, settings))
    assert ev is not None and ev.actor is not None and ev.inviter is not None
    assert ev.actor.title == visitor_title
    assert ev.inviter.country == inviter_country
    assert ev.inviter.name == inviter_name
    assert all(c.name != ev.inviter.name for c in ev.counterparts if ev.inviter.name)
    assert any(e.slot == "inviter" and e.rule == "latin.invitation" for e in ev.evidence)


def test_a_latin_report_gets_the_talks_topics_and_the_dateline_city(settings: Settings) -> None:
    text = ("Omani police chief in Rabat\n\n"
            "RABAT, March 3 -- The inspector general of the Royal Oman Police arrived on Monday "
            "in Morocco for a working visit.\n\n"
            "The talks covered the fight against drug trafficking and the exchange of expertise "
            "in police training.\n\n"
            "The weather in the capital was mild.")
    a = process_document(RawDocument("t.txt", text.encode("utf-8"), "text"), settings)
    ev = next(e for e in a.events if e.salience == "main")
    assert ev.host_country == "MA"
    assert ev.city is not None and ev.city.name_latin == "Rabat"
    assert {"drug_trafficking", "training"} <= set(ev.topics)
    assert any(e.slot == "topic" for e in ev.evidence)
