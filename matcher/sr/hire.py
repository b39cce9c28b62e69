"""What a hire would credit: the SR value of one year's work at a vacancy's hours.

A coach deciding whom to propose wants to know what a hire is worth to the contract. This is
the valuation engine (:mod:`matcher.sr.valuation`) asked about a hypothetical placement: a
contract of employment (or the given kind) starting on ``start``, running one year (365 days), at
the vacancy's hours, for a person with the candidate's benefit and target groups. The block
chosen, its bonuses, the hours pro rata and the counting cap are exactly those a real placement
would get; only the contract period is left out (the figure is "per year").

Public API
----------
``hire_value(table, *, hours_per_week, benefit, target_groups=(), ...) -> HireValue``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from matcher.sr.tables import SrTable
from matcher.sr.valuation import PlacementInput, select_block, value_placement

_YEAR = timedelta(days=364)  # both ends inclusive: 365 days


@dataclass(frozen=True, slots=True)
class HireValue:
    """The yearly SR value of a hire and where it comes from.

    ``block`` is None (and ``per_year_eur`` zero) when no block of the table applies: the hire
    would not count for SR under this table.
    """

    per_year_eur: Decimal
    block: str | None
    block_label: str | None
    explanation: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        """Whether the hire would credit anything."""
        return self.block is not None and self.per_year_eur > 0


def hire_value(
    table: SrTable,
    *,
    hours_per_week: float,
    benefit: str,
    target_groups: tuple[str, ...] = (),
    kind: str = "arbeidsovereenkomst",
    permanent: bool = False,
    language_gap: bool = False,
    start: date | None = None,
) -> HireValue:
    """The SR value a one-year hire at ``hours_per_week`` would credit under ``table``.

    Parameters
    ----------
    table
        The contract's building-block table (:func:`matcher.sr.tables.load_table`).
    hours_per_week
        The vacancy's hours (above the table's full-time basis they count as full time).
    benefit, target_groups, language_gap
        The candidate's, as on the day of the hire.
    kind, permanent
        The placement kind (``matcher.vocab.PLACEMENT_KINDS``) and whether the contract is
        permanent (some tables add a bonus).
    start
        First day of the hypothetical year (default: today; a leap day in it is not counted
        twice, the year is always 365 days).

    Examples
    --------
    >>> from matcher.sr.tables import load_table
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> v = hire_value(t, hours_per_week=18, benefit="participatiewet", start=date(2025, 1, 1))
    >>> v.per_year_eur, v.block
    (Decimal('20000.00'), 'participatiewet')
    >>> hire_value(t, hours_per_week=36, benefit="none", start=date(2025, 1, 1)).counts
    False
    """
    if not hours_per_week > 0:
        raise ValueError(f"field 'hours_per_week' has value {hours_per_week!r}; expected > 0")
    day = start or date.today()
    placement = PlacementInput(
        "hire",
        "candidate",
        day,
        day + _YEAR,
        Decimal(str(hours_per_week)),
        kind=kind,
        permanent=permanent,
        benefit=benefit,
        target_groups=tuple(target_groups),
        language_gap=language_gap,
    )
    block = select_block(table, placement)
    if block is None:
        return HireValue(Decimal("0.00"), None, None)
    valuation = value_placement(table, placement, as_of=day - timedelta(days=1))
    total = sum((ln.amount_eur for ln in valuation.lines), Decimal("0.00"))
    return HireValue(total, block.key, block.label, tuple(ln.explanation for ln in valuation.lines))


__all__ = ["HireValue", "hire_value"]
