"""Durability: follow-up checks of placements, the shares that last, and the carousel.

Pure functions; nothing here reads a database or a clock: every function takes ``today``.

Durability (:func:`due_checks`, :func:`durability_shares`)
    Checks at 3, 6 and 12 calendar months after a placement starts (a start on the 31st falls due
    on the last day of a shorter month). A check is due from its date on until it is recorded,
    whether or not the placement still runs: durability is about the person. Shares are taken over
    the recorded checks of a milestone; the latest recorded check per placement and milestone
    counts.
Carousel (:func:`carousel_flags`)
    A placement is *short* when it ended before completing six calendar months
    (``end_date + 1 day < start + 6 months``); open placements are not short. A person is flagged
    when three or more short placements start within two years of each other (a sliding window
    over start dates), across all contracts.

Examples
--------
>>> p = PlacementInput(7, "k", date(2025, 1, 15), None, 20)
>>> [d.months for d in due_checks([p], [], today=date(2025, 8, 1))]
[3, 6]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matcher.sr.dates import add_months
from matcher.sr.valuation import PlacementInput

CHECK_MONTHS: tuple[int, ...] = (3, 6, 12)


@dataclass(frozen=True, slots=True)
class DurabilityCheck:
    """A follow-up recorded by a coach or contractor ``months`` after a placement started."""

    placement_id: int | str
    months: int
    checked_on: date
    still_employed: bool
    off_benefit: bool


@dataclass(frozen=True, slots=True)
class DueCheck:
    """A follow-up that is due (on or before ``today``) and not yet recorded."""

    placement_id: int | str
    candidate_key: str
    months: int
    due_on: date
    days_overdue: int


@dataclass(frozen=True, slots=True)
class DurabilityShare:
    """Outcome at one milestone: how many were due, checked, still employed, off benefits."""

    months: int
    due: int
    checked: int
    still_employed: int
    off_benefit: int

    @property
    def share_still_employed(self) -> float | None:
        """Still employed over checked (None when nothing was checked)."""
        return None if self.checked == 0 else self.still_employed / self.checked

    @property
    def share_off_benefit(self) -> float | None:
        """Off benefits over checked (None when nothing was checked)."""
        return None if self.checked == 0 else self.off_benefit / self.checked


def _latest_checks(
    placements: Sequence[PlacementInput], checks: Iterable[DurabilityCheck]
) -> dict[tuple[int | str, int], DurabilityCheck]:
    ids = {p.placement_id for p in placements}
    latest: dict[tuple[int | str, int], DurabilityCheck] = {}
    for ch in checks:
        if ch.months not in CHECK_MONTHS:
            raise ValueError(
                f"durability check of placement {ch.placement_id}: field 'months' has value "
                f"{ch.months!r}; allowed: {', '.join(map(str, CHECK_MONTHS))}"
            )
        if ch.placement_id not in ids:
            raise ValueError(
                f"durability check: field 'placement_id' has value {ch.placement_id!r}; "
                "no such placement was given"
            )
        key = (ch.placement_id, ch.months)
        if key not in latest or ch.checked_on >= latest[key].checked_on:
            latest[key] = ch
    return latest


def due_checks(
    placements: Sequence[PlacementInput],
    checks: Iterable[DurabilityCheck],
    *,
    today: date,
    horizon_days: int = 0,
) -> list[DueCheck]:
    """The 3/6/12-month checks due by ``today + horizon_days`` and not recorded, oldest first.

    Examples
    --------
    >>> p = PlacementInput(7, "k", date(2025, 1, 15), None, 20)
    >>> [(d.months, d.due_on.isoformat()) for d in due_checks([p], [], today=date(2025, 8, 1))]
    [(3, '2025-04-15'), (6, '2025-07-15')]
    """
    latest = _latest_checks(placements, checks)
    limit = today + timedelta(days=horizon_days)
    out: list[DueCheck] = []
    for p in placements:
        for m in CHECK_MONTHS:
            due = add_months(p.start_date, m)
            if due <= limit and (p.placement_id, m) not in latest:
                out.append(
                    DueCheck(p.placement_id, p.candidate_key, m, due, max((today - due).days, 0))
                )
    out.sort(key=lambda d: (d.due_on, str(d.placement_id), d.months))
    return out


def durability_shares(
    placements: Sequence[PlacementInput],
    checks: Iterable[DurabilityCheck],
    *,
    today: date,
) -> list[DurabilityShare]:
    """Per milestone (3, 6, 12 months): due, checked, still employed and off benefits.

    Examples
    --------
    >>> ps = [PlacementInput(i, f"k{i}", date(2024, 1, 1), None, 20) for i in (1, 2)]
    >>> cs = [DurabilityCheck(1, 6, date(2024, 7, 2), True, True),
    ...       DurabilityCheck(2, 6, date(2024, 7, 3), False, False)]
    >>> s = durability_shares(ps, cs, today=date(2024, 8, 1))[1]
    >>> s.months, s.due, s.checked, s.share_still_employed
    (6, 2, 2, 0.5)
    """
    latest = _latest_checks(placements, checks)
    out = []
    for m in CHECK_MONTHS:
        due = sum(1 for p in placements if add_months(p.start_date, m) <= today)
        recorded = [ch for (pid, mm), ch in latest.items() if mm == m]
        out.append(
            DurabilityShare(
                months=m,
                due=due,
                checked=len(recorded),
                still_employed=sum(ch.still_employed for ch in recorded),
                off_benefit=sum(ch.off_benefit for ch in recorded),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class CarouselFlag:
    """A person cycling through short SR placements."""

    candidate_key: str
    placement_ids: tuple[int | str, ...]
    first_start: date
    last_start: date


def is_short(placement: PlacementInput, *, months: int = 6) -> bool:
    """Whether a placement ended before completing ``months`` calendar months.

    Examples
    --------
    >>> is_short(PlacementInput(1, "k", date(2025, 1, 1), date(2025, 6, 30), 20))
    False
    >>> is_short(PlacementInput(1, "k", date(2025, 1, 1), date(2025, 6, 29), 20))
    True
    """
    if placement.end_date is None:
        return False
    return placement.end_date + timedelta(days=1) < add_months(placement.start_date, months)


def carousel_flags(
    placements: Iterable[PlacementInput],
    *,
    min_placements: int = 3,
    short_months: int = 6,
    window_years: int = 2,
) -> list[CarouselFlag]:
    """People with ``min_placements`` or more short placements starting within two years.

    ``placement_ids`` lists every short placement that is part of such a window.

    Examples
    --------
    >>> ps = [PlacementInput(i, "k", date(2024, 1 + 3 * i, 1), date(2024, 2 + 3 * i, 1), 20)
    ...       for i in range(3)]
    >>> [(f.candidate_key, f.placement_ids) for f in carousel_flags(ps)]
    [('k', (0, 1, 2))]
    """
    short: dict[str, list[PlacementInput]] = defaultdict(list)
    for p in placements:
        if is_short(p, months=short_months):
            short[p.candidate_key].append(p)
    flags = []
    for cand in sorted(short):
        ps = sorted(short[cand], key=lambda p: (p.start_date, str(p.placement_id)))
        hit: set[int] = set()
        j = 0
        for i in range(len(ps)):
            while add_months(ps[j].start_date, 12 * window_years) <= ps[i].start_date:
                j += 1
            if i - j + 1 >= min_placements:
                hit.update(range(j, i + 1))
        if hit:
            chosen = [ps[k] for k in sorted(hit)]
            flags.append(
                CarouselFlag(
                    cand,
                    tuple(p.placement_id for p in chosen),
                    chosen[0].start_date,
                    chosen[-1].start_date,
                )
            )
    return flags


__all__ = [
    "CHECK_MONTHS",
    "CarouselFlag",
    "DueCheck",
    "DurabilityCheck",
    "DurabilityShare",
    "carousel_flags",
    "due_checks",
    "durability_shares",
    "is_short",
]
