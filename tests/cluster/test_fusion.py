"""Fusion: one event per story, slots chosen by their evidence, alternatives and conflicts kept."""

from __future__ import annotations

from marsad.cluster.fusion import Source, fuse
from marsad.model import Party
from tests.cluster.factory import HAMMOUCHI, QA_MINISTER, SA_HOST, event


def src(ev, outlet: str, published: str | None = None, group: str | None = None, lang: str = "ar") -> Source:  # type: ignore[no-untyped-def]
    return Source(ev, None, outlet, published, lang, group)


def test_the_start_most_sources_state_wins_and_the_other_is_kept() -> None:
    sources = [
        src(event("a", host="SA", start="2026-02-08"), "A"),
        src(event("b", host="SA", start="2026-02-08"), "B"),
        src(event("c", host="SA", start="2026-02-08"), "C"),
        src(event("d", host="SA", start="2026-02-09"), "D"),
    ]
    story = fuse("st-x", sources)
    assert story.fused is not None and story.fused.start is not None
    assert story.fused.start.iso() == "2026-02-08"
    texts = [c["text"] for c in story.conflicts]
    assert "start 2026-02-08 (3 sources) vs 2026-02-09 (1 source)" in texts
    assert len(story.doc_ids) == 4 and story.fused.story_id == "st-x"


def test_a_yearless_day_takes_the_year_of_a_dated_report_and_says_so() -> None:
    yearless = event("a", host="SA", start="--02-08", end="--02-12", counterparts=[SA_HOST])
    dated = event("b", host="SA", start="2026-02-08")
    story = fuse("st-x", [src(yearless, "Alpha"), src(dated, "Beta", "2026-02-09")])
    f = story.fused
    assert f is not None and f.start is not None and f.end is not None
    assert (f.start.iso(), f.end.iso()) == ("2026-02-08", "2026-02-12")
    assert f.date_inferred
    assert "2026" in (f.date_reason or "")


def test_a_neighbouring_dated_report_lends_its_year_with_its_source() -> None:
    yearless = event("a", host="SA", start="--02-08")
    other = event("b", host="SA", start="--02-08")
    dated = event("c", host="SA", start="2026-02-09")
    f = fuse("st-x", [src(yearless, "Alpha"), src(other, "Gamma"), src(dated, "Beta")]).fused
    assert f is not None and f.start is not None
    assert f.start.iso() == "2026-02-08" and f.date_inferred
    assert "Beta" in (f.date_reason or "")


def test_no_year_is_invented_when_no_report_states_one() -> None:
    story = fuse("st-x", [src(event("a", host="SA", start="--02-08", end="--02-12"), "A"),
                          src(event("b", host="SA"), "B")])
    f = story.fused
    assert f is not None and f.start is not None and f.end is not None
    assert f.start.iso() == "--02-08" and f.end.iso() == "--02-12"
    assert not f.date_inferred


def test_an_inferred_year_is_not_passed_on() -> None:
    guessed = event("a", host="SA", start="2026-02-08", inferred=True)
    yearless = event("b", host="SA", start="--02-10")
    yearless2 = event("c", host="SA", start="--02-10")
    f = fuse("st-x", [src(guessed, "A"), src(yearless, "B"), src(yearless2, "C")]).fused
    assert f is not None and f.start is not None
    assert f.start.iso() == "--02-10"


def test_copies_of_one_text_count_once() -> None:
    sources = [
        src(event("a", start="2025-10-13"), "A", group="g"),
        src(event("b", start="2025-10-13"), "B", group="g"),
        src(event("c", start="2025-10-13"), "C", group="g"),
        src(event("d", start="2025-10-14"), "D"),
        src(event("e", start="2025-10-14"), "E"),
    ]
    f = fuse("st-x", sources).fused
    assert f is not None and f.start is not None and f.start.iso() == "2025-10-14"


def test_the_visitor_is_the_foreign_party_whatever_the_framing() -> None:
    visit = event("a", start="2025-10-14", counterparts=[QA_MINISTER])
    reception = event("b", actor=QA_MINISTER, host="QA", start="2025-10-14", counterparts=[HAMMOUCHI],
                      type="reception")
    f = fuse("st-x", [src(visit, "A"), src(reception, "B")]).fused
    assert f is not None and f.actor is not None and f.actor.entity_id == HAMMOUCHI.entity_id
    assert [c.entity_id for c in f.counterparts] == [QA_MINISTER.entity_id]


def test_names_in_both_scripts_are_kept() -> None:
    latin = Party(entity_id="person:abdellatif-hammouchi", name="Abdellatif Hammouchi", country="MA")
    f = fuse("st-x", [src(event("a", start="2025-10-14"), "A"),
                      src(event("b", actor=latin, start="2025-10-14"), "B", lang="fr")]).fused
    assert f is not None and f.actor is not None
    assert f.actor.name == "عبد اللطيف حموشي" and f.actor.name_latin == "Abdellatif Hammouchi"


def test_every_source_keeps_its_evidence_and_confidence_grows() -> None:
    a, b = event("a", start="2025-10-14"), event("b", start="2025-10-14")
    f = fuse("st-x", [src(a, "A"), src(b, "B")]).fused
    assert f is not None
    assert {e.document for e in f.evidence} == {a.doc_id, b.doc_id}
    assert f.confidence > max(a.confidence, b.confidence)


def test_city_disagreement_is_a_conflict() -> None:
    story = fuse("st-x", [src(event("a", start="2025-10-14", city="Rabat"), "A"),
                          src(event("b", start="2025-10-14", city="Rabat"), "B"),
                          src(event("c", start="2025-10-14", city="Marrakesh"), "C")])
    assert story.fused is not None and story.fused.city is not None
    assert story.fused.city.name_latin == "Rabat"
    assert any(c["slot"] == "city" and c["alternatives"][0]["value"] == "Marrakesh" for c in story.conflicts)
