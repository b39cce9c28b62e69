"""Public shapes of the SR measurement (not tables): contract reports, durability, reach, matching.

Money is euros as a JSON number (``float``) rounded half-up to cents. The measurement itself
(``matcher.sr``) computes in ``Decimal`` and exact fractions and
rounds every line to cents before it reaches these shapes, so the realised trace lines of a
report add up to ``realised_eur`` exactly when summed as decimals (``Decimal(str(x))``), and to
within float noise when summed as floats. The CSV/XLSX downloads carry the same numbers.

Candidate references are personal data: the routes that return a shape with ``candidate_ref``
write one audit event per candidate named. Contractors get their own shape
(:class:`ContractorDueCheckPublic`) that names a candidate only after a consented introduction.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field as PField
from sqlmodel import SQLModel

# --- contract reports --------------------------------------------------------------------


class TraceLinePublic(SQLModel):
    """One credited amount (or a placement credited nothing) and how it was computed.

    ``source`` is ``placement``, ``social_purchasing``, ``volunteer``, ``pso`` or ``training``;
    the placement fields are null for the other sources, and ``effort_id`` names the approved
    SR effort a line credits (null for placements and the contract's own fields). ``realised``
    false marks the forecast part (days after
    ``as_of`` until the contract's end date). ``candidate_ref`` is the municipality's reference of
    the person placed (``candidate_key`` in the CSV/XLSX download).
    """

    source: str
    placement_id: int | None = None
    candidate_ref: str | None = None
    effort_id: int | None = None
    block: str | None = None
    bonus: str | None = None
    rate_per_year_eur: float | None = None
    hours_per_week: float | None = None
    fulltime_hours: float | None = None
    hours_fraction: float | None = None
    days: int | None = None
    day_from: dt.date | None = None
    day_to: dt.date | None = None
    realised: bool
    amount_eur: float
    explanation: str


class ContractReportPublic(SQLModel):
    """Where one contract stands on ``as_of``: obligation, realised, forecast, status, trace."""

    contract_id: int
    contract_ref: str
    contractor: str | None
    sr_table: str
    sr_table_version: str
    as_of: dt.date
    start_date: dt.date | None
    end_date: dt.date | None
    value_eur: float
    sr_percentage: float
    obligation_applies: bool
    obligation_basis: str = PField(description="how the obligation was derived, in words")
    obligation_eur: float
    realised_eur: float
    realised_pct: float | None = PField(description="realised / obligation x 100; null if none")
    forecast_eur: float
    status: str = PField(
        description="met, on_track or behind while the contract runs; after its end date "
        "final: met or not_met (shortfall_eur is then what was not realised)"
    )
    status_final: bool = PField(
        default=False, description="true after the end date: the status no longer changes"
    )
    shortfall_eur: float
    forecast_shortfall_eur: float
    penalty_eur: float | None = PField(description="null when the SR table has no penalty")
    placements_credited: int
    placements_not_credited: int
    trace: list[TraceLinePublic]


class ContractReportsPublic(SQLModel):
    data: list[ContractReportPublic]
    count: int


# --- durability --------------------------------------------------------------------------


class DueCheckPublic(SQLModel):
    """A 3/6/12-month follow-up that is due and not recorded (coaches and SR officers): which
    candidate, which placement (vacancy, dates), which milestone, due since when.

    ``ended_before_milestone``: the placement ended before this milestone, so it is not durable
    there; what is left to record is whether the person works elsewhere and is off benefits.
    """

    placement_id: int
    candidate_id: int
    candidate_ref: str
    vacancy_id: int
    vacancy_ref: str | None = None
    vacancy_title: str | None = None
    contract_id: int | None
    months: int
    due_on: dt.date
    days_overdue: int
    placement_start: dt.date | None = None
    placement_end: dt.date | None = None
    ended_before_milestone: bool = False


class DueChecksPublic(SQLModel):
    data: list[DueCheckPublic]
    count: int


class ContractorDueCheckPublic(SQLModel):
    """A due follow-up as the contractor sees it: ``candidate_ref`` only after a consented
    introduction of that referral, never the candidate's id."""

    placement_id: int
    vacancy_id: int
    contract_id: int | None
    months: int
    due_on: dt.date
    days_overdue: int
    candidate_ref: str | None = None
    placement_start: dt.date | None = None
    placement_end: dt.date | None = None
    ended_before_milestone: bool = False


class ContractorDueChecksPublic(SQLModel):
    data: list[ContractorDueCheckPublic]
    count: int


class DurabilitySharePublic(SQLModel):
    """One milestone: placements due, checks recorded, still employed and off benefits."""

    months: int
    due: int
    checked: int
    still_employed: int
    off_benefit: int
    share_still_employed: float | None = PField(description="of the checked; null if none")
    share_off_benefit: float | None = PField(description="of the checked; null if none")
    ended_before: int = PField(
        default=0, description="placements due here that ended before the milestone"
    )
    durable: int = PField(
        default=0, description="placements that lasted to the milestone (end dates and checks)"
    )
    not_durable: int = PField(
        default=0, description="placements that did not: ended before it, or checked not employed"
    )
    share_durable: float | None = PField(
        default=None, description="durable / (durable + not_durable); null if none is known"
    )


class CarouselFlagPublic(SQLModel):
    """A person with three or more short placements starting within two years."""

    candidate_ref: str
    placement_ids: list[int]
    first_start: dt.date
    last_start: dt.date


class DurabilityOverviewPublic(SQLModel):
    """Placements that last, on ``today``: due checks, shares per milestone, the carousel."""

    today: dt.date
    due: list[DueCheckPublic]
    shares: list[DurabilitySharePublic]
    carousel: list[CarouselFlagPublic]


class DurabilityCheckPublic(SQLModel):
    """A recorded follow-up."""

    id: int
    placement_id: int
    months: int
    checked_on: dt.date
    still_employed: bool
    off_benefit: bool


# --- reach and matching success ------------------------------------------------------------


class ReachRowPublic(SQLModel):
    """One value of one dimension (ladder step, benefit, target group) against the pool.

    Shares and rates are fractions (0..1); ``representation`` = placed share / pool share, below
    1 means under-reached; null where the denominator is 0.
    """

    dimension: str
    value: str
    pool: int
    pool_share: float | None
    placed: int
    placed_share: float | None
    placements: int
    placement_rate: float | None
    representation: float | None


class ReachPublic(SQLModel):
    as_of: dt.date
    data: list[ReachRowPublic]
    count: int


class MatchingSuccessRowPublic(SQLModel):
    """Of the (vacancy, candidate) pairs a model version shortlisted: how far they got."""

    model_version: str
    shortlisted: int
    proposed: int
    introduced: int
    interviewed: int
    hired: int
    hired_top10: int
    proposed_rate: float | None = PField(description="proposed / shortlisted")
    hire_rate: float | None = PField(description="hired / proposed; null without proposals")
    top10_share_of_hires: float | None = PField(description="null without hires")
    set_aside: int = PField(default=0, description="ranked candidates a coach set aside")
    added: int = PField(default=0, description="candidates a coach added to the shortlist")


class MatchingSuccessPublic(SQLModel):
    data: list[MatchingSuccessRowPublic]
    count: int


__all__ = [
    "CarouselFlagPublic",
    "ContractReportPublic",
    "ContractReportsPublic",
    "ContractorDueCheckPublic",
    "ContractorDueChecksPublic",
    "DueCheckPublic",
    "DueChecksPublic",
    "DurabilityCheckPublic",
    "DurabilityOverviewPublic",
    "DurabilitySharePublic",
    "MatchingSuccessPublic",
    "MatchingSuccessRowPublic",
    "ReachPublic",
    "ReachRowPublic",
    "TraceLinePublic",
]
