"""The SR officer's dashboard figures beyond the contracts: placements per month, durability at
3/6/12 months and the matching funnel per model version.

All aggregates (no candidate is named), for the officer's own municipality. Placements per month
and durability read placements that started on or before ``today``; the funnel reads the
shortlist log and the referrals (``reports.matching_success``).

Cached per process (:func:`cached`): a figure is computed again when the data it reads changed,
seen from a stamp of a few indexed maxima and counts (candidates, placements, durability checks,
referrals and their events), so a dashboard over 100,000 candidates does not rebuild the pool's
reach and the funnel on every view. The shortlist log is left out of the stamp (every shortlist
served would invalidate the funnel): shortlists served since count after ``FUNNEL_MAX_AGE``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

from api.services.reports import durability_overview, matching_success, reach_overview
from models.candidates import Candidate
from models.placements import DurabilityCheck, Placement
from models.referrals import Referral, ReferralEvent
from models.sr_reports import DurabilitySharePublic, MatchingSuccessRowPublic, ReachRowPublic

T = TypeVar("T")
#: seconds a cached funnel may miss shortlists served since (referral changes count at once)
FUNNEL_MAX_AGE = 300.0
_CACHE: dict[tuple[Any, ...], tuple[tuple[Any, ...], float, Any]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 256


def data_stamp(session: Session) -> tuple[Any, ...]:
    """What changes when any figure of the dashboard may change (indexed maxima and counts),
    and which database it is."""
    # one aggregate per statement: SQLite answers a lone max() or count() from an index, a
    # combined one by reading every row
    return (id(session.get_bind()),) + tuple(
        session.exec(select(agg)).one()
        for agg in (
            func.count(col(Candidate.id)),
            func.max(Candidate.updated_at),
            func.count(col(Placement.id)),
            func.max(Placement.id),
            func.max(Placement.updated_at),
            func.count(col(DurabilityCheck.id)),
            func.max(DurabilityCheck.id),
            func.max(Referral.id),
            func.max(Referral.updated_at),
            func.max(ReferralEvent.id),
        )
    )


def cached(
    key: tuple[Any, ...],
    stamp: tuple[Any, ...],
    compute: Callable[[], T],
    *,
    max_age: float | None = None,
) -> T:
    """``compute()``, or its earlier result for ``key`` while ``stamp`` is unchanged (and, with
    ``max_age``, not older than that many seconds)."""
    now = time.monotonic()
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp and (max_age is None or now - hit[1] <= max_age):
        return hit[2]  # type: ignore[no-any-return]
    value = compute()
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (stamp, now, value)
    return value


def reach(
    session: Session, *, municipality_id: int, today: date, stamp: tuple[Any, ...]
) -> list[ReachRowPublic]:
    """``reports.reach_overview`` for the municipality on ``today``, cached."""
    return cached(
        ("reach", municipality_id, today),
        stamp,
        lambda: reach_overview(session, municipality_id=municipality_id, as_of=today),
    )


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
    session: Session,
    *,
    municipality_id: int,
    today: date,
    months: int = 24,
    stamp: tuple[Any, ...] | None = None,
) -> list[tuple[str, int]]:
    """Placements of the municipality's candidates by the month they started, the last
    ``months`` months up to ``today`` (months without a placement count 0); cached while
    ``stamp`` (``data_stamp``) is unchanged."""
    if stamp is not None:
        return cached(
            ("per_month", municipality_id, today, months),
            stamp,
            lambda: placements_per_month(
                session, municipality_id=municipality_id, today=today, months=months
            ),
        )
    labels = month_labels(today, months)
    first = date(int(labels[0][:4]), int(labels[0][5:]), 1)
    starts = session.exec(
        select(col(Placement.start_date))
        .join(Candidate, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
        .where(
            Candidate.municipality_id == municipality_id,
            col(Placement.start_date) >= first,
            col(Placement.start_date) <= today,
        )
    ).all()
    counts = dict.fromkeys(labels, 0)
    for d in starts:
        day: date = d
        counts[f"{day.year:04d}-{day.month:02d}"] += 1
    return list(counts.items())


def durability_milestones(
    session: Session, *, municipality_id: int, today: date, stamp: tuple[Any, ...] | None = None
) -> list[DurabilitySharePublic]:
    """Per milestone (3, 6, 12 months): placements due, checked, still employed, off benefits."""
    return cached(
        ("durability", municipality_id, today),
        stamp if stamp is not None else (time.monotonic(),),
        lambda: durability_overview(session, municipality_id=municipality_id, today=today).shares,
    )


def funnel(
    session: Session, *, municipality_id: int, stamp: tuple[Any, ...] | None = None
) -> list[MatchingSuccessRowPublic]:
    """Per model version: shortlisted, proposed, introduced, interviewed, hired (cached while
    ``stamp`` is unchanged, at most ``FUNNEL_MAX_AGE`` seconds)."""
    return cached(
        ("funnel", municipality_id),
        stamp if stamp is not None else (time.monotonic(),),
        lambda: matching_success(session, municipality_id=municipality_id),
        max_age=FUNNEL_MAX_AGE,
    )
