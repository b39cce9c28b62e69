"""SR efforts other than placements: social purchasing, PSO, training and volunteer work.

A contractor reports such an effort with evidence; once an SR officer approves it, it counts in
the contract's realisation through the contract's building-block table, each effort on its own
trace line (``source`` is the effort's kind, ``effort_id`` names it). Pure functions; the API
stores efforts and passes the approved ones to :func:`matcher.sr.progress.contract_report`.

Valuation (documented once; the tests reproduce it by hand)

``social_purchasing``
    invoice value excl. VAT x the table's ``social_purchasing_factor``.
``training``
    training cost excl. VAT x the table's ``training_factor`` (a table with ``null`` does not
    value training).
``volunteer``
    hours x the table's ``volunteer_hour_eur`` (a table with ``null`` does not value it).
``pso``
    a PSO certificate fulfils ``table.pso[level]`` x the obligation. One certificate counts: the
    best approved level (ties: the earliest effort) credits what it adds above the level already
    on the contract (``contract_pso_level``); other PSO efforts credit 0 with the reason.

Each amount is computed exactly and rounded half-up to cents once per line. An effort counts as
realised on its date: efforts dated after ``as_of`` are left out (they are not done yet).

Examples
--------
>>> from datetime import date
>>> from decimal import Decimal
>>> from matcher.sr.tables import load_table
>>> t = load_table("utrecht", date(2025, 1, 1))
>>> e = EffortInput(7, "social_purchasing", date(2025, 3, 1), amount_eur=Decimal("1234.56"))
>>> [ln.amount_eur for ln in value_efforts(t, [e], obligation_eur=Decimal(5000),
...                                           as_of=date(2025, 6, 1))]
[Decimal('1234.56')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from matcher.sr.tables import PSO_LEVELS, SrTable
from matcher.sr.valuation import ValuationLine, round_cents

#: the kinds of effort a contractor may report, in the order the pages list them
EFFORT_KINDS: tuple[str, ...] = ("social_purchasing", "pso", "training", "volunteer")
_ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class EffortInput:
    """An approved effort as the valuation needs it.

    ``amount_eur`` is the invoice value or cost excl. VAT (social purchasing, training),
    ``hours`` the hours of volunteer or knowledge support, ``pso_level`` the certificate's level.
    """

    effort_id: int | str
    kind: str
    day: date
    amount_eur: Decimal | float | int = 0
    hours: Decimal | float | int = 0
    pso_level: str | None = None


def _dec(value: Decimal | float | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def allowed_kinds(table: SrTable) -> tuple[str, ...]:
    """The effort kinds a contract valued with ``table`` can credit.

    Examples
    --------
    >>> from matcher.sr.tables import load_table
    >>> allowed_kinds(load_table("utrecht", date(2025, 1, 1)))
    ('social_purchasing', 'pso', 'training', 'volunteer')
    >>> "volunteer" in allowed_kinds(load_table("nationaal", date(2025, 1, 1)))
    False
    """
    out = []
    for kind in EFFORT_KINDS:
        if kind == "social_purchasing" and table.social_purchasing_factor <= 0:
            continue
        if kind == "pso" and not any(v > 0 for v in table.pso.values()):
            continue
        if kind == "training" and not table.training_factor:
            continue
        if kind == "volunteer" and not table.volunteer_hour_eur:
            continue
        out.append(kind)
    return tuple(out)


def check_effort(effort: EffortInput, table: SrTable) -> None:
    """Refuse an effort the table cannot value, naming effort, field, value and what is allowed.

    Examples
    --------
    >>> from matcher.sr.tables import load_table
    >>> t = load_table("nationaal", date(2025, 1, 1))
    >>> check_effort(EffortInput(1, "volunteer", date(2025, 1, 1), hours=10), t)
    Traceback (most recent call last):
    ...
    ValueError: effort 1: field 'kind' has value 'volunteer'; table nationaal 2024.1 does not \
value it; allowed: social_purchasing, pso, training
    """

    def fail(fld: str, value: object, allowed: str) -> ValueError:
        return ValueError(
            f"effort {effort.effort_id}: field {fld!r} has value {value!r}; {allowed}"
        )

    if effort.kind not in EFFORT_KINDS:
        raise fail("kind", effort.kind, f"allowed: {', '.join(EFFORT_KINDS)}")
    kinds = allowed_kinds(table)
    if effort.kind not in kinds:
        raise fail(
            "kind",
            effort.kind,
            f"table {table.region} {table.version} does not value it; allowed: {', '.join(kinds)}",
        )
    amount, hours = _dec(effort.amount_eur), _dec(effort.hours)
    if effort.kind in ("social_purchasing", "training"):
        if not amount.is_finite() or amount <= 0:
            raise fail("amount_eur", effort.amount_eur, "expected an amount in euro > 0")
    if effort.kind == "volunteer" and (not hours.is_finite() or hours <= 0):
        raise fail("hours", effort.hours, "expected hours > 0")
    if effort.kind == "pso" and effort.pso_level not in PSO_LEVELS:
        raise fail("pso_level", effort.pso_level, f"allowed: {', '.join(PSO_LEVELS)}")


def _line(effort: EffortInput, amount: Decimal, explanation: str) -> ValuationLine:
    return ValuationLine(
        source=effort.kind,
        amount_eur=amount,
        realised=True,
        explanation=explanation,
        effort_id=effort.effort_id,
        day_from=effort.day,
        day_to=effort.day,
    )


def value_efforts(
    table: SrTable,
    efforts: Iterable[EffortInput],
    *,
    obligation_eur: Decimal,
    as_of: date,
    contract_pso_level: str | None = None,
) -> list[ValuationLine]:
    """Trace lines of the approved efforts dated on or before ``as_of`` (rules: module doc).

    Parameters
    ----------
    table
        The contract's building-block table.
    efforts
        Approved efforts of one contract.
    obligation_eur
        The contract's obligation (a PSO certificate fulfils a share of it; 0: PSO credits 0).
    as_of
        The report date.
    contract_pso_level
        The PSO level already entered on the contract (credited by the contract report).

    Raises
    ------
    ValueError
        For an effort the table cannot value (see :func:`check_effort`).

    Examples
    --------
    A trede-3 certificate on a contract that already credits trede 1 adds the other 75%:

    >>> from matcher.sr.tables import load_table
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> e = EffortInput(3, "pso", date(2025, 2, 1), pso_level="trede_3")
    >>> ln = value_efforts(t, [e], obligation_eur=Decimal(10000), as_of=date(2025, 3, 1),
    ...                    contract_pso_level="trede_1")[0]
    >>> ln.amount_eur, ln.effort_id
    (Decimal('7500.00'), 3)
    """
    todo = sorted((e for e in efforts if e.day <= as_of), key=lambda e: (e.day, str(e.effort_id)))
    for e in todo:
        check_effort(e, table)
    lines: list[ValuationLine] = []
    pso = [e for e in todo if e.kind == "pso"]
    best: EffortInput | None = None
    for e in pso:
        if best is None or table.pso.get(e.pso_level or "", 0) > table.pso.get(
            best.pso_level or "", 0
        ):
            best = e
    base_share = table.pso.get(contract_pso_level or "", Decimal(0))
    base = round_cents(Fraction(base_share) * Fraction(obligation_eur))
    for e in todo:
        if e.kind == "social_purchasing":
            amount_in = _dec(e.amount_eur)
            factor = table.social_purchasing_factor
            amount = round_cents(Fraction(amount_in) * Fraction(factor))
            text = (
                f"social purchasing (effort {e.effort_id}): invoices {amount_in:,.2f} x factor "
                f"{factor.normalize():f} = {amount:,.2f}"
            )
        elif e.kind == "training":
            amount_in = _dec(e.amount_eur)
            tfactor = table.training_factor or Decimal(0)
            amount = round_cents(Fraction(amount_in) * Fraction(tfactor))
            text = (
                f"training (effort {e.effort_id}): costs {amount_in:,.2f} x factor "
                f"{tfactor.normalize():f} = {amount:,.2f}"
            )
        elif e.kind == "volunteer":
            hours = _dec(e.hours)
            rate = table.volunteer_hour_eur or Decimal(0)
            amount = round_cents(Fraction(hours) * Fraction(rate))
            text = (
                f"volunteer / knowledge support (effort {e.effort_id}): {hours.normalize():f} h"
                f" x {rate:,.2f}/h = {amount:,.2f}"
            )
        else:  # pso
            share = table.pso.get(e.pso_level or "", Decimal(0))
            full = round_cents(Fraction(share) * Fraction(obligation_eur))
            if e is not best:
                amount = _ZERO
                text = (
                    f"PSO {e.pso_level} (effort {e.effort_id}): not credited, one certificate "
                    f"counts and effort {best.effort_id if best else '?'} is the best level"
                )
            elif full <= base:
                amount = _ZERO
                text = (
                    f"PSO {e.pso_level} (effort {e.effort_id}): {share.normalize():f} of "
                    f"obligation {obligation_eur:,.2f} = {full:,.2f}, not above the "
                    f"{base:,.2f} already credited for the contract's {contract_pso_level}"
                )
            else:
                amount = full - base
                text = (
                    f"PSO {e.pso_level} (effort {e.effort_id}): {share.normalize():f} of "
                    f"obligation {obligation_eur:,.2f} = {full:,.2f}"
                    + (
                        f" minus {base:,.2f} already credited for {contract_pso_level}"
                        f" = {amount:,.2f}"
                        if base > 0
                        else ""
                    )
                )
        lines.append(_line(e, amount, text))
    return lines


__all__ = ["EFFORT_KINDS", "EffortInput", "allowed_kinds", "check_effort", "value_efforts"]
