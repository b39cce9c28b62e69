"""The SR officer's dashboard figures beyond the contracts: placements per month, durability at
3/6/12 months and the matching funnel per model version.

All aggregates (no candidate is named), for the officer's own municipality. Placements per month
and durability read placements that started on or before ``today``; the funnel reads the
shortlist log and the referrals (``reports.matching_success``).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from api.services.reports import durability_overview, matching_success
from models.candidates import Candidate
from models.placements import Placement
from models.sr_reports import DurabilitySharePublic, MatchingSuccessRowPublic


def month_labels(today: date, months: int) -> list[str]:
    """The ``months`` calendar months up to and including ``today``'s, oldest first.

    >>> month_labels(date(2026, 2, 15), 3)
    ['2025-12', '2026-01', '2026-02']
    """
    if months < 1:
        raise ValueError(f"field 'months' has value {months!r}; expected an integer >= 1")
    y, m = today.year, today.month
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def placements_per_month(
    session: Session, *, municipality_id: int, today: date, months: int = 24
) -> list[tuple[str, int]]:
    """Placements of the municipality's candidates by the month they started, the last
    ``months`` months up to ``today`` (months without a placement count 0)."""
    labels = month_labels(today, months)
    first = date(int(labels[0][:4]), int(labels[0][5:]), 1)
    starts = session.exec(
        select(Placement.start_date)
        .join(Candidate, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
        .where(
            Candidate.municipality_id == municipality_id,
            col(Placement.start_date) >= first,
            col(Placement.start_date) <= today,
        )
    ).all()
    counts = dict.fromkeys(labels, 0)
    for d in starts:
        counts[f"{d.year:04d}-{d.month:02d}"] += 1
    return list(counts.items())


def durability_milestones(
    session: Session, *, municipality_id: int, today: date
) -> list[DurabilitySharePublic]:
    """Per milestone (3, 6, 12 months): placements due, checked, still employed, off benefits."""
    return durability_overview(session, municipality_id=municipality_id, today=today).shares


def funnel(session: Session, *, municipality_id: int) -> list[MatchingSuccessRowPublic]:
    """Per model version: shortlisted, proposed, introduced, interviewed, hired."""
    return matching_success(session, municipality_id=municipality_id)
