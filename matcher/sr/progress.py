"""Contract progress: the SR obligation, what is realised, the forecast, the status and the trace.

Pure functions; the API, the database and ``srmatch report`` adapt them. Nothing here reads a
database or a clock: every function takes ``as_of``.

Contract progress (:func:`contract_report`)
    ``obligation = min(value x percentage / 100, cap_eur)`` when the value is at or above the
    table's threshold for the contract's category (``null`` threshold: SR does not apply to the
    category) and the term is at least ``min_term_months``; otherwise 0 and the obligation does
    not apply. Rounded half-up to cents. *Realised* = placement lines up to ``as_of`` (see
    :mod:`matcher.sr.valuation`) + social purchasing x factor + volunteer hours x rate + PSO share
    x obligation. *Forecast* = realised + what running placements add until the contract's end
    date, assuming open placements run on. Status: ``met`` when realised >= obligation (also when
    no obligation applies), ``on_track`` when forecast >= obligation, else ``behind``; after
    the end date it is final, ``met`` or ``not_met`` (:mod:`matcher.sr.lifecycle`).
    ``shortfall_eur`` = obligation - realised (>= 0, what is missing today),
    ``forecast_shortfall_eur`` = obligation - forecast (>= 0, what will be missing at the end);
    ``penalty_eur`` = table ``penalty_factor`` x forecast shortfall (after the end date the
    forecast equals the realised value, so it becomes the actual penalty), or None when the table
    defines no penalty. Social purchasing, volunteer hours and PSO are taken as realised on
    ``as_of`` (the caller passes what was invoiced / certified to date).
Report rows (:func:`report_summary_row`, :func:`report_trace_rows`, :func:`reports_to_sheets`)
    A report as plain rows for CSV and XLSX: one summary row per contract and its trace, one row
    per credited line (and per placement credited nothing).

Examples
--------
>>> from datetime import date
>>> from decimal import Decimal
>>> from matcher.sr.tables import load_table
>>> from matcher.sr.valuation import PlacementInput
>>> c = ContractInput("C-1", Decimal(400_000), start_date=date(2025, 1, 1),
...                   end_date=date(2025, 12, 31), sr_table="utrecht")
>>> p = PlacementInput("p1", "k1", date(2025, 1, 1), None, 36, benefit="participatiewet")
>>> r = contract_report(c, [p], load_table("utrecht", c.start_date), as_of=date(2025, 6, 30))
>>> r.obligation.amount_eur, r.realised_eur, r.forecast_eur, r.status
(Decimal('20000.00'), Decimal('19835.62'), Decimal('40000.00'), 'on_track')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from matcher.sr.dates import add_months
from matcher.sr.efforts import EffortInput, value_efforts
from matcher.sr.lifecycle import CONTRACT_STATUSES, contract_ended, contract_status
from matcher.sr.tables import PSO_LEVELS, SrTable, load_all, load_table
from matcher.sr.valuation import (
    PlacementInput,
    SkippedPlacement,
    ValuationLine,
    round_cents,
    sum_lines,
    value_placements,
)
from matcher.vocab import CONTRACT_CATEGORIES, DEFAULT_SR_TABLE

STATUSES: tuple[str, ...] = CONTRACT_STATUSES
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
    def final(self) -> bool:
        """True after the end date: the status (``met`` / ``not_met``) no longer changes."""
        return contract_ended(self.end_date, self.as_of)

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
    efforts: Iterable[EffortInput] = (),
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
    efforts
        Approved SR efforts (social purchasing, PSO, training, volunteer work), each valued on
        its own trace line (:func:`matcher.sr.efforts.value_efforts`).

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
    lines.extend(
        value_efforts(
            table,
            efforts,
            obligation_eur=obligation.amount_eur if obligation.applies else _ZERO,
            as_of=as_of,
            contract_pso_level=contract.pso_level if obligation.applies else None,
        )
    )
    realised = sum_lines(lines, realised_only=True)
    forecast = sum_lines(lines)
    need = obligation.amount_eur
    status = contract_status(
        realised=realised,
        forecast=forecast,
        obligation=need,
        end_date=contract.end_date,
        as_of=as_of,
    )
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
        "status_final": report.final,
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
    "effort_id",
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


__all__ = [
    "STATUSES",
    "TRACE_COLUMNS",
    "ContractInput",
    "ContractReport",
    "Obligation",
    "contract_obligation",
    "contract_report",
    "report_summary_row",
    "report_trace_rows",
    "reports_to_sheets",
    "table_for_contract",
]
