"""Durability: follow-up checks of placements, the shares that last, and the carousel.

Pure functions; nothing here reads a database or a clock: every function takes ``today``.

Durability (:func:`due_checks`, :func:`durability_shares`, :func:`durable_at`)
    Checks at 3, 6 and 12 calendar months after a placement starts (a start on the 31st falls due
    on the last day of a shorter month). A check is due from its date on until it is recorded,
    whether or not the placement still runs: whether the person works elsewhere and is off
    benefits is about the person (a due check says when the placement ended before its
    milestone). Shares of still employed / off benefits are taken over the recorded checks of a
    milestone; the latest recorded check per placement and milestone counts. Whether a
    *placement* lasted to a milestone counts its end date too: a placement that ended before the
    milestone is not durable there, whatever a check says; one that runs past it without a check
    is durable by its dates from the day its end date passed the milestone, and unknown while it
    runs on without an end date and nobody has checked.
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
    """A follow-up that is due (on or before ``today``) and not yet recorded.

    ``ended_before`` is True when the placement ended (``end_date``) before this milestone: the
    placement is not durable there; the check asks whether the person works elsewhere and is
    off benefits.
    """

    placement_id: int | str
    candidate_key: str
    months: int
    due_on: date
    days_overdue: int
    start_date: date | None = None
    end_date: date | None = None
    ended_before: bool = False


@dataclass(frozen=True, slots=True)
class DurabilityShare:
    """Outcome at one milestone: how many were due, checked, still employed, off benefits, and
    how many placements lasted to it counting their end dates (:func:`durable_at`)."""

    months: int
    due: int
    checked: int
    still_employed: int
    off_benefit: int
    #: placements due here that ended before the milestone (not durable, by their dates)
    ended_before: int = 0
    #: placements known durable / not durable here (end dates and checks); the rest is unknown
    durable: int = 0
    not_durable: int = 0

    @property
    def share_durable(self) -> float | None:
        """Durable over known (durable + not durable); None when nothing is known."""
        known = self.durable + self.not_durable
        return None if known == 0 else self.durable / known

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
                    DueCheck(
                        p.placement_id,
                        p.candidate_key,
                        m,
                        due,
                        max((today - due).days, 0),
                        start_date=p.start_date,
                        end_date=p.end_date,
                        ended_before=is_short(p, months=m),
                    )
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
        reached = [p for p in placements if add_months(p.start_date, m) <= today]
        recorded = [ch for (pid, mm), ch in latest.items() if mm == m]
        verdicts = [durable_at(p, latest.get((p.placement_id, m)), months=m, today=today)
                    for p in reached]  # fmt: skip
        out.append(
            DurabilityShare(
                months=m,
                due=len(reached),
                checked=len(recorded),
                still_employed=sum(ch.still_employed for ch in recorded),
                off_benefit=sum(ch.off_benefit for ch in recorded),
                ended_before=sum(is_short(p, months=m) for p in reached),
                durable=sum(v is True for v in verdicts),
                not_durable=sum(v is False for v in verdicts),
            )
        )
    return out


def durable_at(
    placement: PlacementInput,
    check: DurabilityCheck | None,
    *,
    months: int,
    today: date,
) -> bool | None:
    """Whether a placement lasted ``months`` after its start, on ``today``.

    None while the milestone is ahead, or when it passed and neither the end date nor a check
    tells: the placement runs on without an end date and nobody recorded a check. A placement
    that ended before the milestone is not durable there, whatever a check says (the person
    may work elsewhere: that is the check's ``still_employed``, not this placement's
    durability). A recorded end date on or after the milestone makes it durable; else the
    check's ``still_employed`` decides.

    Examples
    --------
    >>> p = PlacementInput(1, "k", date(2025, 1, 1), date(2025, 4, 30), 36)  # ended in month 4
    >>> durable_at(p, None, months=3, today=date(2026, 1, 1))
    True
    >>> durable_at(p, DurabilityCheck(1, 6, date(2025, 7, 1), True, True), months=6,
    ...            today=date(2026, 1, 1))
    False
    >>> durable_at(PlacementInput(2, "k", date(2025, 1, 1), None, 36), None, months=6,
    ...            today=date(2026, 1, 1)) is None
    True
    """
    if months not in CHECK_MONTHS:
        raise ValueError(
            f"durability: field 'months' has value {months!r}; "
            f"allowed: {', '.join(map(str, CHECK_MONTHS))}"
        )
    if add_months(placement.start_date, months) > today:
        return None
    if is_short(placement, months=months):
        return False
    if placement.end_date is not None:
        return True
    if check is not None:
        return check.still_employed
    return None


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
    "durable_at",
    "durability_shares",
    "is_short",
]
