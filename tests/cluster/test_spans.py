"""Event time spans and whether two of them can be one happening."""

from __future__ import annotations

import pytest

from marsad.cluster.spans import compare_times, time_of
from marsad.model import PartialDate

P = PartialDate.parse


def span(start: str | None, end: str | None = None, published: str | None = None, planned: bool = False):  # type: ignore[no-untyped-def]
    return time_of(P(start), P(end), P(published), planned)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (span("2026-02-08"), span("2026-02-08"), "same_day"),
        (span("2026-02-08"), span("2026-02-10"), "near_day"),
        (span("2026-02-08"), span("2026-02-15"), None),
        (span("--02-08", "--02-12"), span("2026-02-08"), "month_day"),
        (span("--02-08", "--02-12"), span("2026-02-14"), "month_day"),
        (span("--02-08"), span("2026-03-20"), None),
        (span("--12-31"), span("2026-01-01"), "month_day"),
        (span("2026-02"), span("2026-02-20"), "coarse"),
        (span("2025-02-20"), span("2026-02-20"), None),
        (span(None, published="2026-02-10"), span("2026-02-08"), "window"),
        (span(None, published="2026-02-10"), span("2026-01-10"), None),
        (span(None, published="2026-02-10"), span("2026-02-20"), None),
        (span(None, published="2026-02-10"), span(None, published="2026-02-11"), "published"),
        (span(None, published="2026-02-10"), span(None, published="2026-04-11"), None),
        (span(None), span("2026-02-08"), "unknown"),
    ],
)
def test_compare_times(a, b, expected) -> None:  # type: ignore[no-untyped-def]
    assert compare_times(a, b, 3) == expected
    assert compare_times(b, a, 3) == expected


def test_a_planned_visit_looks_forward_from_publication() -> None:
    planned = span(None, published="2026-02-10", planned=True)
    assert compare_times(planned, span("2026-03-01"), 3) == "window"
    assert compare_times(planned, span("2026-01-20"), 3) is None


def test_a_yearless_date_stays_yearless() -> None:
    s = span("--02-08")
    assert s.kind == "md" and not s.has_year
