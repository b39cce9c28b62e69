"""SR measurement: contract progress, durability, the carousel, reach and matching success.

Pure functions for the SR team's questions; the API, the database and ``srmatch report`` adapt
them. Nothing here reads a database or a clock: every function takes ``as_of`` / ``today``.

Contract progress (:func:`contract_report`)
    ``obligation = min(value x percentage / 100, cap_eur)`` when the value is at or above the
    table's threshold for the contract's category (``null`` threshold: SR does not apply to the
    category) and the term is at least ``min_term_months``; otherwise 0 and the obligation does
    not apply. Rounded half-up to cents. *Realised* = placement lines up to ``as_of`` (see
    :mod:`matcher.valuation`) + social purchasing x factor + volunteer hours x rate + PSO share x
    obligation. *Forecast* = realised + what running placements add until the contract's end date,
    assuming open placements run on. Status: ``met`` when realised >= obligation (also when no
    obligation applies), ``on_track`` when forecast >= obligation, else ``behind``.
    ``shortfall_eur`` = obligation - realised (>= 0, what is missing today),
    ``forecast_shortfall_eur`` = obligation - forecast (>= 0, what will be missing at the end);
    ``penalty_eur`` = table ``penalty_factor`` x forecast shortfall (after the end date the
    forecast equals the realised value, so it becomes the actual penalty), or None when the table
    defines no penalty. Social purchasing, volunteer hours and PSO are taken as realised on
    ``as_of`` (the caller passes what was invoiced / certified to date).
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
Reach (:func:`reach`)
    Per participatieladder step, benefit and target group: the pool, the people placed and their
    shares, and ``representation = placed share / pool share``. Values below 1 for the steps and
    groups furthest from work show creaming.
Matching success (:func:`matching_funnel`)
    Per model version, of the shortlisted (vacancy, candidate) pairs: how many reached proposed,
    introduced, interviewed and hired (a later stage implies the earlier ones; ``rejected`` and
    ``withdrawn`` imply proposed), and how many hires were ranked in the top 10.

Examples
--------
>>> from datetime import date
>>> from decimal import Decimal
>>> from matcher.sr_tables import load_table
>>> from matcher.valuation import PlacementInput
>>> c = ContractInput("C-1", Decimal(400_000), start_date=date(2025, 1, 1),
...                   end_date=date(2025, 12, 31), sr_table="utrecht")
>>> p = PlacementInput("p1", "k1", date(2025, 1, 1), None, 36, benefit="participatiewet")
>>> r = contract_report(c, [p], load_table("utrecht", c.start_date), as_of=date(2025, 6, 30))
>>> r.obligation.amount_eur, r.realised_eur, r.forecast_eur, r.status
(Decimal('20000.00'), Decimal('19835.62'), Decimal('40000.00'), 'on_track')
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from matcher.sr_tables import PSO_LEVELS, SrTable, load_all, load_table
from matcher.valuation import (
    PlacementInput,
    SkippedPlacement,
    ValuationLine,
    round_cents,
    sum_lines,
    value_placements,
)
from matcher.vocab import (
    BENEFITS,
    CONTRACT_CATEGORIES,
    DEFAULT_SR_TABLE,
    OUTCOME_STATUSES,
    PARTICIPATIELADDER,
    TARGET_GROUPS,
)

STATUSES: tuple[str, ...] = ("met", "on_track", "behind")
CHECK_MONTHS: tuple[int, ...] = (3, 6, 12)
FUNNEL_STAGES: tuple[str, ...] = ("proposed", "introduced", "interviewed", "hired")
_STAGE_OF: dict[str, int] = {
    "proposed": 1,
    "introduced": 2,
    "interviewed": 3,
    "hired": 4,
    "rejected": 1,
    "withdrawn": 1,
}
_ZERO = Decimal("0.00")


def _dec(value: float | int | Decimal | None, fld: str, owner: str) -> Decimal:
    d = (
        Decimal(0)
        if value is None
        else value
        if isinstance(value, Decimal)
        else Decimal(str(value))
    )
    if not d.is_finite() or d < 0:
        raise ValueError(f"{owner}: field {fld!r} has value {value!r}; expected a number >= 0")
    return d


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the end of a shorter month.

    Examples
    --------
    >>> add_months(date(2025, 8, 31), 6)
    datetime.date(2026, 2, 28)
    """
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- contract progress


@dataclass(frozen=True, slots=True)
class ContractInput:
    """A contract with an SR obligation, as the measurement needs it.

    ``sr_percentage`` None takes the table's default; ``social_purchasing_eur`` is the invoice
    value excl. VAT bought from social enterprises to date, ``volunteer_hours`` the hours of
    volunteer or knowledge support to date, ``pso_level`` a valid PSO certificate's level.
    """

    contract_ref: str
    value_eur: Decimal | float | int
    start_date: date | None = None
    end_date: date | None = None
    sr_percentage: Decimal | float | int | None = None
    category: str | None = None
    sr_table: str = DEFAULT_SR_TABLE
    contractor: str | None = None
    pso_level: str | None = None
    social_purchasing_eur: Decimal | float | int = 0
    volunteer_hours: Decimal | float | int = 0


@dataclass(frozen=True, slots=True)
class Obligation:
    """The SR obligation of a contract and how it was derived."""

    applies: bool
    reason: str
    value_eur: Decimal
    percentage: Decimal
    threshold_eur: Decimal | None
    cap_eur: Decimal | None
    amount_eur: Decimal


@dataclass(frozen=True, slots=True)
class ContractReport:
    """Where a contract stands on ``as_of``; ``lines`` is the full trace of every credited euro."""

    contract_ref: str
    contractor: str | None
    table: str
    table_version: str
    as_of: date
    start_date: date | None
    end_date: date | None
    obligation: Obligation
    realised_eur: Decimal
    forecast_eur: Decimal
    status: str
    shortfall_eur: Decimal
    forecast_shortfall_eur: Decimal
    penalty_eur: Decimal | None
    lines: tuple[ValuationLine, ...]
    skipped: tuple[SkippedPlacement, ...] = ()

    @property
    def realised_pct(self) -> Decimal | None:
        """Realised as a percentage of the obligation (None without an obligation)."""
        if self.obligation.amount_eur == 0:
            return None
        return (self.realised_eur * 100 / self.obligation.amount_eur).quantize(Decimal("0.1"))


def _check_contract(c: ContractInput) -> None:
    def fail(fld: str, value: object, allowed: str) -> ValueError:
        return ValueError(
            f"contract {c.contract_ref}: field {fld!r} has value {value!r}; {allowed}"
        )

    if c.category is not None and c.category not in CONTRACT_CATEGORIES:
        raise fail("category", c.category, f"allowed: {', '.join(CONTRACT_CATEGORIES)}")
    if c.pso_level is not None and c.pso_level not in PSO_LEVELS:
        raise fail("pso_level", c.pso_level, f"allowed: {', '.join(PSO_LEVELS)}")
    if c.start_date and c.end_date and c.end_date < c.start_date:
        raise fail("end_date", c.end_date.isoformat(), f"must not be before {c.start_date}")
    if c.sr_percentage is not None and _dec(c.sr_percentage, "sr_percentage", c.contract_ref) > 100:
        raise fail("sr_percentage", c.sr_percentage, "expected a percentage 0..100")


def table_for_contract(contract: ContractInput, *, directory: str | Path | None = None) -> SrTable:
    """The table a contract names, in the version valid on its start date.

    Without a start date the newest version is used. A contract that started before the first
    version of its table (the shipped tables begin in 2024; contracts from 2023 still run) is
    valued with the earliest version; the report names the version used.

    Examples
    --------
    >>> table_for_contract(ContractInput("C", 1, start_date=date(2025, 1, 1))).region
    'nationaal'
    >>> table_for_contract(ContractInput("C", 1, start_date=date(2023, 4, 1))).version
    '2024.1'
    """
    versions = sorted(
        (t for t in load_all(directory) if t.region == contract.sr_table),
        key=lambda t: t.valid_from,
    )
    start = contract.start_date
    if versions and start is not None and start < versions[0].valid_from:
        return versions[0]
    return load_table(contract.sr_table, start, directory=directory)


def contract_obligation(contract: ContractInput, table: SrTable) -> Obligation:
    """The obligation: percentage x value above the threshold, within the cap.

    Examples
    --------
    >>> t = load_table("nationaal", date(2025, 1, 1))
    >>> contract_obligation(ContractInput("C", 1_000_000, category="werken"), t).amount_eur
    Decimal('50000.00')
    >>> contract_obligation(ContractInput("C", 200_000, category="werken"), t).reason
    'value 200,000.00 is below the threshold 250,000.00 for werken'
    """
    _check_contract(contract)
    value = _dec(contract.value_eur, "value_eur", f"contract {contract.contract_ref}")
    pct = (
        table.percentage
        if contract.sr_percentage is None
        else _dec(contract.sr_percentage, "sr_percentage", contract.contract_ref)
    )
    cat = contract.category or "default"
    threshold = table.threshold_eur.get(cat, table.threshold_eur["default"])

    def no(reason: str) -> Obligation:
        return Obligation(False, reason, value, pct, threshold, table.cap_eur, _ZERO)

    if threshold is None:
        return no(f"table {table.region} sets no SR obligation for category {cat}")
    if value < threshold:
        return no(f"value {value:,.2f} is below the threshold {threshold:,.2f} for {cat}")
    if (
        table.min_term_months is not None
        and contract.start_date is not None
        and contract.end_date is not None
        and contract.end_date + timedelta(days=1)
        < add_months(contract.start_date, table.min_term_months)
    ):
        return no(f"term is shorter than {table.min_term_months} months")
    amount = round_cents(Fraction(value) * Fraction(pct) / 100)
    reason = f"{pct.normalize():f}% of {value:,.2f}"
    if table.cap_eur is not None and amount > table.cap_eur:
        amount = table.cap_eur.quantize(Decimal("0.01"))
        reason += f", capped at {table.cap_eur:,.2f}"
    return Obligation(True, reason, value, pct, threshold, table.cap_eur, amount)


def contract_report(
    contract: ContractInput,
    placements: Iterable[PlacementInput],
    table: SrTable,
    *,
    as_of: date,
) -> ContractReport:
    """Obligation, realised to date, forecast to the end date, status, shortfall and penalty.

    Parameters
    ----------
    contract
        The contract.
    placements
        The placements credited to this contract (a person may hold several).
    table
        The table valuing this contract (usually :func:`table_for_contract`).
    as_of
        The report date: realised counts days up to and including it.

    Examples
    --------
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> c = ContractInput("C-2", 100_000, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    >>> p = PlacementInput(1, "k", date(2025, 1, 1), date(2025, 3, 31), 36, benefit="ww")
    >>> r = contract_report(c, [p], t, as_of=date(2025, 6, 1))
    >>> r.obligation.amount_eur, r.realised_eur, r.status, r.shortfall_eur
    (Decimal('5000.00'), Decimal('4931.51'), 'behind', Decimal('68.49'))
    """
    _check_contract(contract)
    obligation = contract_obligation(contract, table)
    valuation = value_placements(
        table,
        placements,
        as_of=as_of,
        period_start=contract.start_date,
        period_end=contract.end_date,
    )
    lines = list(valuation.lines)
    owner = f"contract {contract.contract_ref}"
    purchased = _dec(contract.social_purchasing_eur, "social_purchasing_eur", owner)
    if purchased > 0:
        amount = round_cents(Fraction(purchased) * Fraction(table.social_purchasing_factor))
        lines.append(
            ValuationLine(
                source="social_purchasing",
                amount_eur=amount,
                realised=True,
                explanation=(
                    f"social purchasing: invoices {purchased:,.2f} x factor "
                    f"{table.social_purchasing_factor.normalize():f} = {amount:,.2f}"
                ),
            )
        )
    hours = _dec(contract.volunteer_hours, "volunteer_hours", owner)
    if hours > 0:
        if table.volunteer_hour_eur is None:
            raise ValueError(
                f"{owner}: field 'volunteer_hours' has value {contract.volunteer_hours!r}; "
                f"table {table.region} {table.version} does not value volunteer hours"
            )
        amount = round_cents(Fraction(hours) * Fraction(table.volunteer_hour_eur))
        lines.append(
            ValuationLine(
                source="volunteer",
                amount_eur=amount,
                realised=True,
                explanation=(
                    f"volunteer / knowledge support: {hours.normalize():f} h x "
                    f"{table.volunteer_hour_eur:,.2f}/h = {amount:,.2f}"
                ),
            )
        )
    if contract.pso_level is not None and obligation.applies:
        share = table.pso.get(contract.pso_level, Decimal(0))
        amount = round_cents(Fraction(share) * Fraction(obligation.amount_eur))
        if amount > 0:
            lines.append(
                ValuationLine(
                    source="pso",
                    amount_eur=amount,
                    realised=True,
                    explanation=(
                        f"PSO {contract.pso_level}: {share.normalize():f} of obligation "
                        f"{obligation.amount_eur:,.2f} = {amount:,.2f}"
                    ),
                )
            )
    realised = sum_lines(lines, realised_only=True)
    forecast = sum_lines(lines)
    need = obligation.amount_eur
    if realised >= need:
        status = "met"
    elif forecast >= need:
        status = "on_track"
    else:
        status = "behind"
    forecast_short = max(need - forecast, _ZERO)
    penalty = (
        None
        if table.penalty_factor is None
        else round_cents(Fraction(forecast_short) * Fraction(table.penalty_factor))
    )
    return ContractReport(
        contract_ref=contract.contract_ref,
        contractor=contract.contractor,
        table=table.region,
        table_version=table.version,
        as_of=as_of,
        start_date=contract.start_date,
        end_date=contract.end_date,
        obligation=obligation,
        realised_eur=realised,
        forecast_eur=forecast,
        status=status,
        shortfall_eur=max(need - realised, _ZERO),
        forecast_shortfall_eur=forecast_short,
        penalty_eur=penalty,
        lines=tuple(lines),
        skipped=valuation.skipped,
    )


# --------------------------------------------------------------------------- report rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def report_summary_row(report: ContractReport) -> dict[str, Any]:
    """One flat row per contract (plain str / float / int / bool / None values).

    Examples
    --------
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> r = contract_report(ContractInput("C", 10_000), [], t, as_of=date(2025, 1, 1))
    >>> report_summary_row(r)["status"], report_summary_row(r)["obligation_eur"]
    ('behind', 500.0)
    """
    o = report.obligation
    pct = report.realised_pct
    return {
        "contract_ref": report.contract_ref,
        "contractor": report.contractor,
        "sr_table": report.table,
        "sr_table_version": report.table_version,
        "as_of": report.as_of.isoformat(),
        "start_date": _plain(report.start_date),
        "end_date": _plain(report.end_date),
        "value_eur": float(o.value_eur),
        "sr_percentage": float(o.percentage),
        "obligation_applies": o.applies,
        "obligation_basis": o.reason,
        "obligation_eur": float(o.amount_eur),
        "realised_eur": float(report.realised_eur),
        "realised_pct": None if pct is None else float(pct),
        "forecast_eur": float(report.forecast_eur),
        "status": report.status,
        "shortfall_eur": float(report.shortfall_eur),
        "forecast_shortfall_eur": float(report.forecast_shortfall_eur),
        "penalty_eur": _plain(report.penalty_eur),
        "placements_credited": len(
            {ln.placement_id for ln in report.lines if ln.placement_id is not None}
        ),
        "placements_not_credited": len(report.skipped),
    }


_TRACE_FIELDS = (
    "source",
    "placement_id",
    "candidate_key",
    "block",
    "bonus",
    "rate_per_year_eur",
    "hours_per_week",
    "fulltime_hours",
    "days",
    "day_from",
    "day_to",
    "realised",
    "amount_eur",
    "explanation",
)


#: the columns of :func:`report_trace_rows`, in order (also the header of an empty trace sheet)
TRACE_COLUMNS: tuple[str, ...] = ("contract_ref", *_TRACE_FIELDS, "hours_fraction")


def report_trace_rows(report: ContractReport) -> list[dict[str, Any]]:
    """The trace as rows: one per line, then one per placement credited nothing (amount 0).

    Every row carries ``contract_ref`` so the rows of several contracts can share one CSV.

    Examples
    --------
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> p = PlacementInput(1, "k", date(2025, 1, 1), date(2025, 1, 31), 36, benefit="ww")
    >>> r = contract_report(ContractInput("C", 10_000), [p], t, as_of=date(2025, 2, 1))
    >>> row = report_trace_rows(r)[0]
    >>> row["block"], row["days"], row["amount_eur"]
    ('ww', 31, 1698.63)
    """
    rows: list[dict[str, Any]] = []
    for ln in report.lines:
        row: dict[str, Any] = {"contract_ref": report.contract_ref}
        for f in _TRACE_FIELDS:
            row[f] = _plain(getattr(ln, f))
        frac = ln.hours_fraction
        row["hours_fraction"] = None if frac is None else round(float(frac), 6)
        rows.append(row)
    for s in report.skipped:
        row = dict.fromkeys(TRACE_COLUMNS)
        row.update(
            contract_ref=report.contract_ref,
            source="placement",
            placement_id=s.placement_id,
            candidate_key=s.candidate_key,
            realised=True,
            amount_eur=0.0,
            explanation=f"not credited: {s.reason}",
        )
        rows.append(row)
    return rows


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(ref: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", ref).strip("'") or "contract"
    name, n = base[:31], 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def reports_to_sheets(reports: Sequence[ContractReport]) -> dict[str, list[dict[str, Any]]]:
    """Sheets for an XLSX (or files for CSV): ``contracts`` with one summary row per contract,
    then one sheet per contract with its trace, named by contract ref (made a valid, unique
    Excel sheet name of at most 31 characters). Insertion order is the sheet order.

    Cells are plain str / float / int / bool / None; escaping cells that start with ``=``, ``+``,
    ``-`` or ``@`` is the writer's job (data contract).

    Examples
    --------
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> r = contract_report(ContractInput("A/1", 10_000), [], t, as_of=date(2025, 1, 1))
    >>> list(reports_to_sheets([r]))
    ['contracts', 'A_1']
    """
    used = {"contracts"}
    sheets: dict[str, list[dict[str, Any]]] = {
        "contracts": [report_summary_row(r) for r in reports]
    }
    for r in reports:
        sheets[_sheet_name(r.contract_ref, used)] = report_trace_rows(r)
    return sheets


# --------------------------------------------------------------------------- durability


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


# --------------------------------------------------------------------------- reach

REACH_COLUMNS: tuple[str, ...] = (
    "dimension",
    "value",
    "pool",
    "pool_share",
    "placed",
    "placed_share",
    "placements",
    "placement_rate",
    "representation",
)


def _groups(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split(r"[;|]", value) if v.strip())
    return tuple(value)


def reach(
    pool: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    dimensions: Sequence[str] = ("ladder_step", "benefit", "target_groups"),
) -> pd.DataFrame:
    """Who is reached: placements per ladder step, benefit and target group against the pool.

    Parameters
    ----------
    pool
        One row per candidate in the pool (placed or not): ``candidate_key``, ``ladder_step``
        (1-6 or missing), ``benefit``, ``target_groups`` (list/tuple, or a string separated by
        ``;`` or ``|``).
    placements
        One row per placement: ``candidate_key`` (must be in the pool).
    dimensions
        Which of ``ladder_step``, ``benefit``, ``target_groups`` to report.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REACH_COLUMNS`: ``pool`` and ``placed`` count people, ``placements``
        counts placements, shares are over all people in the pool / all people placed,
        ``placement_rate = placed / pool``, ``representation = placed_share / pool_share``
        (below 1: under-reached). A person in two target groups counts in both (those shares do
        not add up to 1); missing values show as ``onbekend`` (ladder) or ``geen`` (no group).

    Examples
    --------
    >>> pool = pd.DataFrame({"candidate_key": ["a", "b", "c", "d"],
    ...                      "ladder_step": [2, 2, 5, 5], "benefit": ["participatiewet"] * 4,
    ...                      "target_groups": [[], [], [], []]})
    >>> out = reach(pool, pd.DataFrame({"candidate_key": ["c", "d"]}), dimensions=["ladder_step"])
    >>> out[["value", "pool", "placed", "representation"]].to_dict("records")
    [{'value': '2', 'pool': 2, 'placed': 0, 'representation': 0.0}, \
{'value': '5', 'pool': 2, 'placed': 2, 'representation': 2.0}]
    """
    allowed = ("ladder_step", "benefit", "target_groups")
    for d in dimensions:
        if d not in allowed:
            raise ValueError(f"field 'dimensions' has value {d!r}; allowed: {', '.join(allowed)}")
    need = {"candidate_key", *dimensions}
    missing = need - set(pool.columns)
    if missing:
        raise ValueError(f"pool: missing column(s) {', '.join(sorted(missing))}")
    if "candidate_key" not in placements.columns:
        raise ValueError("placements: missing column candidate_key")
    keys = pool["candidate_key"].astype(str)
    if keys.duplicated().any():
        raise ValueError(
            f"pool: field 'candidate_key' has duplicate value {keys[keys.duplicated()].iloc[0]!r}"
        )
    placed_keys = placements["candidate_key"].astype(str)
    unknown = sorted(set(placed_keys) - set(keys))
    if unknown:
        raise ValueError(
            f"placements: field 'candidate_key' has value {unknown[0]!r} not in the pool "
            f"({len(unknown)} unknown)"
        )
    counts = placed_keys.value_counts()
    n_placements = keys.map(counts).fillna(0).astype(int).to_numpy()
    n_pool = len(keys)
    n_placed = int((n_placements > 0).sum())

    frames = []
    for d in dimensions:
        if d == "ladder_step":
            vals = [
                "onbekend" if v is None or pd.isna(v) else str(int(v)) for v in pool[d].tolist()
            ]
            for v in vals:
                if v != "onbekend" and int(v) not in PARTICIPATIELADDER:
                    raise ValueError(
                        f"pool: field 'ladder_step' has value {v!r}; allowed: 1-6 or empty"
                    )
            order = [str(k) for k in PARTICIPATIELADDER] + ["onbekend"]
            long = pd.DataFrame({"value": vals, "n": n_placements})
        elif d == "benefit":
            vals = [str(v) for v in pool[d].tolist()]
            for v in vals:
                if v not in BENEFITS:
                    raise ValueError(
                        f"pool: field 'benefit' has value {v!r}; allowed: {', '.join(BENEFITS)}"
                    )
            order = list(BENEFITS)
            long = pd.DataFrame({"value": vals, "n": n_placements})
        else:
            rows_v, rows_n = [], []
            for gs, n in zip(pool[d].tolist(), n_placements, strict=True):
                groups = _groups(gs) or ("geen",)
                for g in groups:
                    if g != "geen" and g not in TARGET_GROUPS:
                        raise ValueError(
                            f"pool: field 'target_groups' has value {g!r}; "
                            f"allowed: {', '.join(TARGET_GROUPS)}"
                        )
                    rows_v.append(g)
                    rows_n.append(n)
            order = [*TARGET_GROUPS, "geen"]
            long = pd.DataFrame({"value": rows_v, "n": rows_n})
        grp = long.groupby("value", sort=False)["n"]
        agg = pd.DataFrame(
            {
                "pool": grp.size(),
                "placed": grp.apply(lambda s: int((s > 0).sum())),
                "placements": grp.sum(),
            }
        )
        agg = agg.reindex([v for v in order if v in agg.index])
        agg.index.name = "value"
        agg = agg.reset_index()
        agg.insert(0, "dimension", d)
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REACH_COLUMNS)
    out["pool"] = out["pool"].astype(int)
    out["placed"] = out["placed"].astype(int)
    out["placements"] = out["placements"].astype(int)
    out["pool_share"] = out["pool"] / n_pool if n_pool else float("nan")
    out["placed_share"] = out["placed"] / n_placed if n_placed else float("nan")
    out["placement_rate"] = out["placed"] / out["pool"]
    out["representation"] = out["placed_share"] / out["pool_share"]
    return out[list(REACH_COLUMNS)]


# --------------------------------------------------------------------------- matching success


def matching_funnel(
    rows: pd.DataFrame | Sequence[Mapping[str, Any]], *, top_k: int = 10
) -> pd.DataFrame:
    """Per model version: shortlisted pairs, how far they got, and hires from the top ``top_k``.

    Parameters
    ----------
    rows
        Columns ``model_version``, ``vacancy_ref``, ``candidate_ref``, ``rank`` (1 = top of the
        shortlist) and ``status`` (an outcome status or missing when nothing happened). Either
        one row per pair with its latest status, or the event log (several rows per pair): a
        pair counts at the furthest stage it reached and with its best rank.

    Returns
    -------
    pandas.DataFrame
        One row per model version: ``shortlisted``, ``proposed``, ``introduced``,
        ``interviewed``, ``hired``, ``hired_top{top_k}``, ``proposed_rate`` (proposed /
        shortlisted), ``hire_rate`` (hired / proposed) and ``top{top_k}_share_of_hires``.

    Examples
    --------
    >>> rows = [
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "a", "rank": 1,
    ...      "status": "hired"},
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "b", "rank": 12,
    ...      "status": "rejected"},
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "c", "rank": 3,
    ...      "status": None}]
    >>> cols = ["shortlisted", "proposed", "hired", "hired_top10"]
    >>> matching_funnel(rows)[cols].to_dict("records")
    [{'shortlisted': 3, 'proposed': 2, 'hired': 1, 'hired_top10': 1}]
    """
    df = pd.DataFrame(list(rows)) if not isinstance(rows, pd.DataFrame) else rows.copy()
    cols = ["model_version", "vacancy_ref", "candidate_ref", "rank", "status"]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"matching rows: missing column(s) {', '.join(missing)}")
    if top_k < 1:
        raise ValueError(f"field 'top_k' has value {top_k!r}; expected an integer >= 1")
    status = df["status"].astype(object).where(df["status"].notna(), None)
    bad = [s for s in status.tolist() if s is not None and s not in OUTCOME_STATUSES]
    if bad:
        raise ValueError(
            f"matching rows: field 'status' has value {bad[0]!r}; "
            f"allowed: {', '.join(OUTCOME_STATUSES)} or empty"
        )
    rank = pd.to_numeric(df["rank"], errors="coerce")
    if rank.isna().any() or (rank < 1).any() or (rank % 1 != 0).any():
        first = df["rank"][rank.isna() | (rank < 1) | (rank % 1 != 0)].tolist()[0]
        raise ValueError(
            f"matching rows: field 'rank' has value {first!r}; expected an integer >= 1"
        )
    df = df.assign(
        _stage=[0 if s is None else _STAGE_OF[s] for s in status.tolist()],
        _rank=rank.astype(int),
        model_version=df["model_version"].astype(str),
    )
    pairs = df.groupby(["model_version", "vacancy_ref", "candidate_ref"], sort=True).agg(
        stage=("_stage", "max"), rank=("_rank", "min")
    )
    hired_col = f"hired_top{top_k}"
    out = pairs.groupby("model_version").agg(shortlisted=("stage", "size"))
    for i, name in enumerate(FUNNEL_STAGES, start=1):
        out[name] = (pairs["stage"] >= i).groupby("model_version").sum().astype(int)
    out[hired_col] = (
        ((pairs["stage"] >= 4) & (pairs["rank"] <= top_k))
        .groupby("model_version")
        .sum()
        .astype(int)
    )
    out["proposed_rate"] = out["proposed"] / out["shortlisted"]
    out["hire_rate"] = out["hired"] / out["proposed"].where(out["proposed"] > 0)
    out[f"top{top_k}_share_of_hires"] = out[hired_col] / out["hired"].where(out["hired"] > 0)
    return out.reset_index()


__all__ = [
    "CHECK_MONTHS",
    "FUNNEL_STAGES",
    "REACH_COLUMNS",
    "STATUSES",
    "CarouselFlag",
    "ContractInput",
    "ContractReport",
    "DueCheck",
    "DurabilityCheck",
    "DurabilityShare",
    "Obligation",
    "add_months",
    "carousel_flags",
    "contract_obligation",
    "contract_report",
    "due_checks",
    "durability_shares",
    "is_short",
    "matching_funnel",
    "reach",
    "report_summary_row",
    "report_trace_rows",
    "reports_to_sheets",
    "table_for_contract",
]
