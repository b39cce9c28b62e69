"""Life cycles: when a contract's SR status is final, and when a vacancy is open or closed.

Pure functions; nothing here reads a database or a clock: every function takes ``today`` /
``as_of``. The API evaluates them on every read, so a vacancy closes the day after its contract
ends without any background job, and a contract's status turns final the day after its end date.

Contract status (:func:`contract_status`)
    Until and including its end date a contract is ``met`` (realised >= obligation),
    ``on_track`` (forecast >= obligation) or ``behind``. After the end date nothing more can be
    realised, so the status is final: ``met`` when realised >= obligation, else ``not_met`` (the
    shortfall is obligation - realised). A contract without an end date never turns final.
Vacancy state (:func:`vacancy_state`)
    A vacancy is closed when it was closed and stored so (``filled`` when its last position was
    taken, ``withdrawn`` when the contractor closed it), when its hires reach its positions
    (``filled``), or when its contract's end date has passed (``contract_ended``, from the day
    after the end date on). The stored reason wins: a vacancy filled before its contract ended
    stays ``filled``.

Examples
--------
>>> contract_status(realised=0, forecast=0, obligation=10, end_date=date(2025, 12, 31),
...                 as_of=date(2026, 1, 1))
'not_met'
>>> vacancy_state(positions=1, hires=0, contract_end=date(2025, 12, 31),
...               today=date(2026, 1, 1)).describe()
'closed (contract_ended on 2026-01-01)'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

#: contract statuses while the contract runs, and the final ones after its end date
RUNNING_STATUSES: tuple[str, ...] = ("met", "on_track", "behind")
FINAL_STATUSES: tuple[str, ...] = ("met", "not_met")
CONTRACT_STATUSES: tuple[str, ...] = ("met", "on_track", "behind", "not_met")

VACANCY_STATUSES: tuple[str, ...] = ("open", "closed")
#: why a vacancy is closed: its positions are taken, its contract ended, the contractor closed it
CLOSED_REASONS: tuple[str, ...] = ("filled", "contract_ended", "withdrawn")


def contract_ended(end_date: date | None, as_of: date) -> bool:
    """Whether a contract with ``end_date`` has ended on ``as_of`` (the end date itself still runs).

    Examples
    --------
    >>> contract_ended(date(2025, 12, 31), date(2025, 12, 31))
    False
    >>> contract_ended(None, date(2099, 1, 1))
    False
    """
    return end_date is not None and as_of > end_date


def contract_status(
    *,
    realised: Decimal | float | int,
    forecast: Decimal | float | int,
    obligation: Decimal | float | int,
    end_date: date | None,
    as_of: date,
) -> str:
    """The contract's SR status on ``as_of``: running (met, on_track, behind) or final.

    Final after the end date: ``met`` or ``not_met``.

    Parameters
    ----------
    realised, forecast, obligation
        Euros realised to ``as_of``, forecast to the end date, and owed.
    end_date
        The contract's end date; None means it runs on (never final).
    as_of
        The report date.

    Examples
    --------
    >>> contract_status(realised=5, forecast=20, obligation=10, end_date=date(2025, 12, 31),
    ...                 as_of=date(2025, 6, 1))
    'on_track'
    >>> contract_status(realised=10, forecast=10, obligation=10, end_date=date(2025, 12, 31),
    ...                 as_of=date(2026, 1, 1))
    'met'
    """
    if realised >= obligation:
        return "met"
    if contract_ended(end_date, as_of):
        return "not_met"
    if forecast >= obligation:
        return "on_track"
    return "behind"


@dataclass(frozen=True, slots=True)
class VacancyState:
    """Whether a vacancy takes proposals and hires, and if not, why and since when."""

    status: str
    closed_reason: str | None
    closed_on: date | None
    positions: int
    hires: int

    @property
    def is_open(self) -> bool:
        """True when the vacancy takes proposals and hires."""
        return self.status == "open"

    @property
    def positions_left(self) -> int:
        """Positions not yet taken (0 when full or closed)."""
        return max(self.positions - self.hires, 0) if self.is_open else 0

    def describe(self) -> str:
        """The state in words, for messages (``closed (filled: 1 of 1 positions taken)``).

        Examples
        --------
        >>> VacancyState("closed", "filled", None, 1, 1).describe()
        'closed (filled: 1 of 1 positions taken)'
        """
        if self.is_open:
            return f"open ({self.positions_left} of {self.positions} positions left)"
        detail = f"{self.closed_reason}"
        if self.closed_reason == "filled":
            detail += f": {self.hires} of {self.positions} positions taken"
        elif self.closed_on is not None:
            detail += f" on {self.closed_on.isoformat()}"
        return f"closed ({detail})"


def vacancy_state(
    *,
    positions: int,
    hires: int,
    contract_end: date | None,
    today: date,
    stored_status: str = "open",
    stored_reason: str | None = None,
    stored_closed_on: date | None = None,
) -> VacancyState:
    """A vacancy's state on ``today`` from what is stored, its hires and its contract's end.

    Parameters
    ----------
    positions
        The places the vacancy offers (at least 1).
    hires
        Placements made on it so far.
    contract_end
        The end date of the contract it serves (None: no contract or no end date).
    today
        The day to evaluate on.
    stored_status, stored_reason, stored_closed_on
        The vacancy's stored status and, when closed, why and when (a vacancy closed before
        reasons were recorded counts as ``withdrawn``).

    Examples
    --------
    >>> vacancy_state(positions=2, hires=1, contract_end=None, today=date(2026, 1, 1)).status
    'open'
    >>> vacancy_state(positions=1, hires=1, contract_end=None, today=date(2026, 1, 1)).closed_reason
    'filled'
    """
    if positions < 1:
        raise ValueError(f"vacancy: field 'positions' has value {positions!r}; expected >= 1")
    if stored_reason is not None and stored_reason not in CLOSED_REASONS:
        raise ValueError(
            f"vacancy: field 'closed_reason' has value {stored_reason!r}; "
            f"allowed: {', '.join(CLOSED_REASONS)}"
        )
    if stored_status == "closed":
        return VacancyState(
            "closed", stored_reason or "withdrawn", stored_closed_on, positions, hires
        )
    if hires >= positions:
        return VacancyState("closed", "filled", stored_closed_on, positions, hires)
    if contract_end is not None and contract_ended(contract_end, today):
        return VacancyState(
            "closed", "contract_ended", contract_end + timedelta(days=1), positions, hires
        )
    return VacancyState("open", None, None, positions, hires)


__all__ = [
    "CLOSED_REASONS",
    "CONTRACT_STATUSES",
    "FINAL_STATUSES",
    "RUNNING_STATUSES",
    "VACANCY_STATUSES",
    "VacancyState",
    "contract_ended",
    "contract_status",
    "vacancy_state",
]
