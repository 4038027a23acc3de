"""Display values: the English summary, dates in two calendars, highlight segments, the map."""

from __future__ import annotations

import json

import pytest

from marsad.model import Article, Event, Evidence, Occasion, PartialDate, Party, Place, Span
from marsad.web import geo, render


def _event(**kw: object) -> Event:
    base: dict[str, object] = {"id": "x-e1", "doc_id": "x", "type": "visit"}
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


HAMMOUCHI = Party(entity_id="person:abdellatif-hammouchi", name="عبد اللطيف حموشي",
                  name_latin="Abdellatif Hammouchi", country="MA")


def test_summary_of_a_visit_without_a_year() -> None:
    ev = _event(actor=HAMMOUCHI, host_country="SA", city=Place("الرياض", "Riyadh", "SA"),
                start=PartialDate(None, 2, 8), end=PartialDate(None, 2, 12),
                counterparts=[Party(title="كبار المسؤولين الأمنيين السعوديين", country="SA")],
                topics=["intelligence_sharing", "technology"])
    assert render.summary_en(ev) == (
        "Abdellatif Hammouchi (MA) visited Saudi Arabia (Riyadh), 8–12 Feb (year not stated), "
        "met security officials of Saudi Arabia; topics: intelligence sharing, technology"
    )


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"type": "visit", "status": "planned", "host_country": "ES", "start": PartialDate(2026, 3)},
         "Abdellatif Hammouchi (MA) is to visit Spain, Mar 2026"),
        ({"type": "reception", "host_country": "MA", "start": PartialDate(2025, 9, 18),
          "counterparts": [Party(name="x", name_latin="Valdecy Urquiza")]},
         "Abdellatif Hammouchi (MA) was received in Morocco, 18 Sep 2025, by Valdecy Urquiza"),
        ({"type": "meeting", "host_country": "PT",
          "counterparts": [Party(title="مدير الشرطة البرتغالية", country="PT")]},
         "Abdellatif Hammouchi (MA) met the police director of Portugal in Portugal, date not stated"),
        ({"type": "visit", "host_country": "QA", "start": PartialDate(None, 12, 9),
          "candidate_years": [2014, 2025]},
         "Abdellatif Hammouchi (MA) visited Qatar, 9 Dec (year not stated; the weekday fits 2014, 2025)"),
        ({"type": "visit", "host_country": "AE", "start": PartialDate(2025, 11, 30),
          "end": PartialDate(2025, 12, 2), "date_inferred": True,
          "occasion": Occasion("معرض دبي للطيران", "Dubai Airshow")},
         "Abdellatif Hammouchi (MA) visited United Arab Emirates, 30 Nov – 2 Dec 2025 (year inferred), "
         "for Dubai Airshow"),
    ],
)
def test_summary_variants(kw: dict[str, object], expected: str) -> None:
    assert render.summary_en(_event(actor=HAMMOUCHI, **kw)) == expected


def test_unnamed_officials_are_glossed_from_their_title() -> None:
    assert render.party_en(Party(title="وزير الداخلية البحريني", country="BH")) == \
        "the interior minister of Bahrain"
    assert render.party_en(Party(title="نظيره اللبناني", country="LB")) == "an official of Lebanon"
    assert render.party_en(None) == ""


def test_hijri_conversion() -> None:
    assert render.hijri_of(PartialDate(2025, 3, 5)) == "5 Ramadan 1446 AH"
    assert render.hijri_of(PartialDate(2025, 3, 5), "ar") == "5 رمضان 1446 هـ"
    assert render.hijri_of(PartialDate(None, 3, 5)) is None
    assert render.hijri_of(None) is None


def test_segments_split_without_building_html() -> None:
    text = "قال <b>الوزير</b> كلاما"
    parts = render.segments(text, 0, len(text), [(4, 16, "actor"), (10, 20, "city")])
    assert "".join(p.text for p in parts) == text
    assert [p.label for p in parts] == [None, "actor", "city", None]
    assert parts[1].text == "<b>الوزير</b"  # raw text: the template escapes it


def test_evidence_sentences_group_spans_by_sentence() -> None:
    text = "جملة أولى عن الزيارة. وصل الوزير إلى الرباط أمس."
    s2 = text.index("وصل")
    ev = _event(evidence=[
        Evidence("actor", "الوزير", text.index("الوزير"), text.index("الوزير") + 6, "r", s2, len(text)),
        Evidence("city", "الرباط", text.index("الرباط"), text.index("الرباط") + 6, "r", s2, len(text)),
        Evidence("bad", "x", 500, 501, "r", 500, 600),
    ])
    art = Article(doc_id="x", source="s", fmt="text", text=text, paragraphs=[Span(0, len(text))])
    (sentence,) = render.evidence_sentences(ev, art)
    assert sentence.slots == ["actor", "city"]
    assert [p.text for p in sentence.parts if p.label] == ["الوزير", "الرباط"]


def test_snippet_window_marks_hits() -> None:
    text = "بداية " * 40 + "الحموشي في الرباط" + " نهاية" * 40
    start = text.index("الحموشي")
    parts = render.snippet(text, [(start, start + 7)])
    assert parts[0].text == "…" and parts[-1].text == "…"
    assert [p.text for p in parts if p.label == "hit"] == ["الحموشي"]


def test_world_outline_is_keyed_by_iso_alpha2() -> None:
    data = json.loads(geo.WORLD.read_text("utf-8"))
    assert "Natural Earth" in data["source"]
    countries = data["countries"]
    for code in ("MA", "DZ", "TN", "EG", "SA", "AE", "QA", "JO", "LB", "IQ", "TR", "ES", "FR",
                 "PT", "IT", "DE", "US", "BH"):
        assert code in countries, code
    assert all(len(c) == 2 and c.isupper() for c in countries)
    assert countries["MA"]["d"].startswith("M") and countries["MA"]["d"].endswith("Z")
    assert countries["BH"]["d"] == ""  # too small at 1:110m: a point at its capital
    lon, lat = countries["MA"]["ll"]
    assert -10 < lon < -4 and 28 < lat < 34
    assert "madrid" in data["cities"]


def test_map_layers_shade_hosts_and_draw_arcs() -> None:
    shapes, arcs = geo.map_layers([{"source": "MA", "target": "PT", "visits": 3},
                                   {"source": "BH", "target": "SA", "visits": 1},
                                   {"source": "ZZ", "target": "SA", "visits": 1}])
    levels = {s.code: s.level for s in shapes}
    assert levels["PT"] == 5 and levels["SA"] >= 1 and levels["MA"] == 0
    assert [(a.source, a.target) for a in arcs] == [("MA", "PT"), ("BH", "SA")]
    assert arcs[0].width > arcs[1].width
    assert geo.fit_view([]) .startswith("0 0 1000")


def test_geojson_feature_falls_back_to_the_country() -> None:
    feat = geo.geojson_feature({"id": "e", "host_country": "MA", "city": {"name": "؟", "name_latin": "Nowhere"}})
    assert feat["geometry"]["type"] == "Point"
    assert feat["properties"]["located_at"] == "country"
    assert geo.geojson_feature({"id": "e", "host_country": None})["geometry"] is None


def test_slot_evidence_marks_every_span_of_a_sentence_once() -> None:
    text = "بحث الجانبان الإرهاب والهجرة. ثم غادر."
    a, b = text.index("الإرهاب"), text.index("الهجرة")
    end = text.index(".") + 1
    ev = _event(evidence=[Evidence("topic", "الإرهاب", a, a + 7, "r", 0, end),
                          Evidence("topic", "الهجرة", b, b + 6, "r", 0, end)])
    art = Article(doc_id="x", source="s", fmt="text", text=text, paragraphs=[Span(0, len(text))])
    (sentence,) = render.slot_evidence(ev, art, "topic")
    assert [p.text for p in sentence if p.label] == ["الإرهاب", "الهجرة"]
    assert render.slot_evidence(ev, art, "city") == []
