"""Event identity rules: which pairs of reports are one happening, and which conflict."""

from __future__ import annotations

from marsad.cluster.identity import blocking, conflict, link
from marsad.model import Party
from tests.cluster.factory import HAMMOUCHI, LAFTIT, QA_MINISTER, TN_MINISTER, event, item

GAP = 3


def test_same_visitor_host_and_day_is_one_happening() -> None:
    a = item(event("a", start="2025-10-14", counterparts=[QA_MINISTER]))
    b = item(event("b", start="2025-10-14"))
    lk = link(a, b, GAP)
    assert lk is not None and lk.rule == "T1"


def test_reports_a_day_apart_still_agree() -> None:
    a = item(event("a", start="2025-10-13"))
    b = item(event("b", start="2025-10-14"))
    assert link(a, b, GAP) is not None


def test_same_visitor_in_another_country_is_another_happening() -> None:
    a = item(event("a", start="2025-10-14", host="QA"))
    b = item(event("b", start="2025-10-14", host="KW"))
    assert link(a, b, GAP) is None
    assert conflict(a, b, GAP) == "host"


def test_same_visitor_two_weeks_later_is_another_visit() -> None:
    a = item(event("a", start="2025-10-14"))
    b = item(event("b", start="2025-10-28"))
    assert link(a, b, GAP) is None
    assert conflict(a, b, GAP) == "dates"


def test_same_host_and_counterpart_with_another_visitor_is_not_linked() -> None:
    a = item(event("a", start="2025-10-14", counterparts=[QA_MINISTER]))
    b = item(event("b", actor=TN_MINISTER, start="2025-10-14", counterparts=[QA_MINISTER]))
    assert link(a, b, GAP) is None
    assert conflict(a, b, GAP) == "visitor"


def test_a_yearless_day_joins_a_dated_report_of_the_same_day() -> None:
    a = item(event("a", host="SA", start="--02-08", end="--02-12"))
    b = item(event("b", host="SA", start="2026-02-09"))
    lk = link(a, b, GAP)
    assert lk is not None and lk.rule == "T1"


def test_an_undated_report_needs_a_supporting_fact() -> None:
    dated = item(event("a", host="SA", start="--02-08", city="Riyadh"))
    bare = item(event("b", host="SA"))
    with_city = item(event("c", host="SA", city="Riyadh"))
    assert link(dated, bare, GAP) is None
    lk = link(dated, with_city, GAP)
    assert lk is not None and lk.rule == "T2"


def test_embeddings_alone_are_only_one_supporting_fact() -> None:
    dated = item(event("a", host="SA", start="2026-02-08"))
    bare = item(event("b", host="SA"))
    assert link(dated, bare, GAP, cosine=0.95) is not None  # same visitor and host: support enough
    other = item(event("c", actor=LAFTIT, host="SA"))
    assert link(dated, other, GAP, cosine=0.99) is None  # another visitor: never


def test_host_side_framing_matches_the_visitor_side() -> None:
    visit = item(event("a", start="2025-10-14", counterparts=[QA_MINISTER]))
    reception = item(event("b", actor=QA_MINISTER, host="MA", start="2025-10-14",
                           counterparts=[HAMMOUCHI], type="reception"))
    lk = link(visit, reception, GAP)
    assert lk is not None
    undated = item(event("c", actor=QA_MINISTER, host="MA", counterparts=[HAMMOUCHI]))
    assert link(visit, undated, GAP) is None
    assert conflict(visit, undated, GAP) is None


def test_an_unnamed_official_matches_by_country_with_support() -> None:
    unnamed = Party(entity_id="role:director_general:dgsn:ma", title="المدير العام للأمن الوطني",
                    country="MA")
    a = item(event("a", actor=unnamed, start="2025-10-14", counterparts=[QA_MINISTER]))
    b = item(event("b", start="2025-10-14", counterparts=[QA_MINISTER]))
    lk = link(a, b, GAP)
    assert lk is not None and lk.rule == "T3"
    c = item(event("c", actor=unnamed, start="2025-10-14"))
    d = item(event("d", start="2025-10-14"))
    assert link(c, d, GAP) is None


def test_two_readings_of_one_article_are_linked() -> None:
    a = item(event("a", 1, start="2025-10-14", counterparts=[QA_MINISTER]))
    b = item(event("a", 2, actor=Party(title="وزير الداخلية"), host="QA", counterparts=[QA_MINISTER]))
    lk = link(a, b, GAP)
    assert lk is not None and lk.rule == "same_article"


def test_near_duplicate_articles_link_their_main_events() -> None:
    a = item(event("a", start="2025-10-14"))
    b = item(event("b", actor=Party(title="المدير العام"), host="QA"))
    assert link(a, b, GAP) is None
    lk = link(a, b, GAP, near_duplicate=True)
    assert lk is not None and lk.rule == "near_duplicate"


def test_linked_pairs_share_a_blocking_key() -> None:
    a = item(event("a", host="SA", start="--02-08"))
    b = item(event("b", host="SA", start="2026-02-09"))
    c = item(event("c", host="SA"))
    ba, bb, bc = (blocking(x, GAP) for x in (a, b, c))
    assert ba.query & bb.index and bb.query & ba.index
    assert bc.timeless and bc.parties & ba.parties
