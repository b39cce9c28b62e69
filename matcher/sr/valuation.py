"""The valuation engine: what a placement is worth under a building-block table, and why.

Pure functions on dataclasses. A placement is credited, day by day, the value of **one block**
(plus its bonuses) pro rata for hours and days, and every credited euro appears on a
:class:`ValuationLine` that says which block, which yearly rate, which hours out of the full-time
basis, which days, and which bonus.

Rules (documented here once; the tests reproduce them by hand):

Block selection (:func:`select_block`)
    The placement kind decides first: the table's ``kinds`` maps a kind to a block (``bbl``,
    ``bol_stage``, ``werkervaringsplaats``), to ``"person"`` (``arbeidsovereenkomst``,
    ``leerwerkplek``), or to ``null`` (does not count). For ``"person"`` the **highest-valued**
    block whose ``applies_to`` matches the person's benefit, target groups and flags is used
    (banenafspraak 50,000 beats Participatiewet 40,000); ties go to the block listed first.
    Exactly one block per placement; bonuses (50+/55+, permanent, statushouder...) are added on
    top when the block allows bonuses. Benefit and target groups are those at the placement's
    start.
Days
    Calendar days, both ends inclusive; a person-year is 365 days, so a full year of a leap year
    credits 366/365 of the yearly rate. Only days inside the contract period (``period_start`` ..
    ``period_end``) count. An open placement (``end_date`` None) is assumed to run on until
    ``period_end`` (forecast); without a ``period_end`` it runs until ``as_of``.
Counting cap (``max_years``)
    Per candidate and block, a window of ``max_years x 365`` days opens on the first day the
    candidate counts under that block in this contract; days after the window are not credited,
    even in a later placement (the cap is a window, not a budget of days).
Hours
    ``hours_fraction = credited hours / fulltime_hours``. Hours above the full-time basis count as
    full time. Blocks with ``hours_pro_rata: false`` (BBL/BOL per year, work experience per
    month) credit the full rate whatever the hours.
No day twice
    Per candidate and day within one valuation (one contract), the credited hours of all the
    candidate's placements add up to at most the full-time basis. Placements take their share in
    order of start date (then placement id); a later concurrent placement gets what is left, so
    two half-time jobs both count and two full-time jobs count once. Bonuses follow the hours
    their block line got.
Money and rounding
    Each line's amount is ``rate_per_year x hours / fulltime x days / 365``, computed exactly with
    fractions and rounded half-up to whole cents once per line. Totals are sums of line amounts,
    so a trace always adds up to its total to the cent. Lines split at ``as_of``: days up to and
    including ``as_of`` are *realised*, later days are *forecast*.

Examples
--------
>>> from datetime import date
>>> from matcher.sr.tables import load_table
>>> t = load_table("utrecht", date(2025, 1, 1))
>>> p = PlacementInput("p1", "c1", date(2025, 1, 1), date(2025, 12, 31), 18,
...                    benefit="participatiewet")
>>> v = value_placements(t, [p], as_of=date(2026, 1, 1))
>>> v.realised_eur, v.lines[0].explanation
(Decimal('20000.00'), 'participatiewet: 40,000.00/yr x 18/36 h x 365/365 d = 20,000.00')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from matcher.sr.tables import PERSON, Block, Bonus, SrTable
from matcher.vocab import BENEFITS, PLACEMENT_KINDS, TARGET_GROUPS

DAYS_PER_YEAR = 365
_CENT = Decimal("0.01")
_ONE_DAY = timedelta(days=1)

#: Values of :attr:`ValuationLine.source`.
LINE_SOURCES: tuple[str, ...] = (
    "placement",
    "social_purchasing",
    "volunteer",
    "pso",
    "training",
)


@dataclass(frozen=True, slots=True)
class PlacementInput:
    """A placement as the valuation needs it (no personal data beyond what SR valuation needs).

    ``benefit`` and ``target_groups`` are the candidate's at the start of the placement;
    ``work_limitation`` and ``language_gap`` feed table conditions that have no data-contract
    column yet (Holland Rijnland's nugger-with-work-limitation block, Utrecht's language-gap bonus).
    """

    placement_id: int | str
    candidate_key: str
    start_date: date
    end_date: date | None
    hours_per_week: float | int | Decimal
    kind: str = "arbeidsovereenkomst"
    permanent: bool = False
    benefit: str = "none"
    target_groups: tuple[str, ...] = ()
    work_limitation: bool = False
    language_gap: bool = False


@dataclass(frozen=True, slots=True)
class ValuationLine:
    """One line of the trace: how one amount of euro was computed.

    For ``source == "placement"`` the amount is
    ``rate_per_year_eur x hours_per_week / fulltime_hours x days / 365`` rounded half-up to
    cents; ``bonus`` is None on the block line and names the bonus on a bonus line. Other sources
    (social purchasing, volunteer hours, PSO) leave the placement fields None and explain
    themselves in ``explanation``.
    """

    source: str
    amount_eur: Decimal
    realised: bool
    explanation: str
    placement_id: int | str | None = None
    candidate_key: str | None = None
    block: str | None = None
    bonus: str | None = None
    rate_per_year_eur: Decimal | None = None
    hours_per_week: Decimal | None = None
    fulltime_hours: Decimal | None = None
    days: int | None = None
    day_from: date | None = None
    day_to: date | None = None
    #: the reported SR effort this line credits (matcher.sr.efforts), None for other lines
    effort_id: int | str | None = None

    @property
    def hours_fraction(self) -> Decimal | None:
        """Credited hours over the full-time basis (display value; amounts use exact fractions).

        Examples
        --------
        >>> ValuationLine("placement", Decimal(0), True, "", hours_per_week=Decimal(18),
        ...               fulltime_hours=Decimal(36)).hours_fraction
        Decimal('0.5')
        """
        if self.hours_per_week is None or self.fulltime_hours is None:
            return None
        return self.hours_per_week / self.fulltime_hours


@dataclass(frozen=True, slots=True)
class SkippedPlacement:
    """A placement that credits nothing, with the reason (shown next to the trace)."""

    placement_id: int | str
    candidate_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class Valuation:
    """The trace of a set of placements: credited lines and placements that credit nothing."""

    lines: tuple[ValuationLine, ...]
    skipped: tuple[SkippedPlacement, ...] = ()

    @property
    def realised_eur(self) -> Decimal:
        """Sum of the realised lines (days up to and including ``as_of``)."""
        return sum((ln.amount_eur for ln in self.lines if ln.realised), Decimal("0.00"))

    @property
    def forecast_eur(self) -> Decimal:
        """Sum of all lines: realised plus what running placements add until the period ends."""
        return sum((ln.amount_eur for ln in self.lines), Decimal("0.00"))


def round_cents(value: Fraction | Decimal | int) -> Decimal:
    """Round half-up to whole cents, exactly (no binary floating point on the way).

    Examples
    --------
    >>> round_cents(Fraction(1, 200)), round_cents(Fraction(40000 * 32 * 10, 36 * 365))
    (Decimal('0.01'), Decimal('974.12'))
    """
    f = Fraction(value) * 100
    cents = (f.numerator * 2 + f.denominator) // (2 * f.denominator)  # floor(f + 1/2)
    return (Decimal(cents) / 100).quantize(_CENT)


def _fmt_eur(d: Decimal) -> str:
    return f"{d:,.2f}"


def _fmt_num(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def _dec(value: float | int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def check_placement(p: PlacementInput) -> None:
    """Refuse a placement with an impossible field, naming placement, field, value and allowed.

    Examples
    --------
    >>> check_placement(PlacementInput(1, "c", date(2025, 1, 1), None, 20, kind="job"))
    Traceback (most recent call last):
    ...
    ValueError: placement 1: field 'kind' has value 'job'; allowed: arbeidsovereenkomst, bbl, \
bol_stage, werkervaringsplaats, leerwerkplek
    """

    def fail(fld: str, value: object, allowed: str) -> ValueError:
        return ValueError(
            f"placement {p.placement_id}: field {fld!r} has value {value!r}; {allowed}"
        )

    if p.kind not in PLACEMENT_KINDS:
        raise fail("kind", p.kind, f"allowed: {', '.join(PLACEMENT_KINDS)}")
    if p.benefit not in BENEFITS:
        raise fail("benefit", p.benefit, f"allowed: {', '.join(BENEFITS)}")
    for tg in p.target_groups:
        if tg not in TARGET_GROUPS:
            raise fail("target_groups", tg, f"allowed: {', '.join(TARGET_GROUPS)}")
    hours = _dec(p.hours_per_week)
    if not hours.is_finite() or hours <= 0 or hours > 168:
        raise fail("hours_per_week", p.hours_per_week, "expected hours per week > 0 and <= 168")
    if p.end_date is not None and p.end_date < p.start_date:
        raise fail(
            "end_date", p.end_date.isoformat(), f"must not be before start_date {p.start_date}"
        )
    if not p.candidate_key:
        raise fail("candidate_key", p.candidate_key, "expected a non-empty key")


def _attrs(p: PlacementInput) -> dict[str, object]:
    return {
        "benefit": p.benefit,
        "target_groups": frozenset(p.target_groups),
        "work_limitation": p.work_limitation,
        "language_gap": p.language_gap,
        "permanent": p.permanent,
    }


def select_block(table: SrTable, placement: PlacementInput) -> Block | None:
    """The one block that values ``placement``, or None when nothing in the table applies.

    Kind first (``bbl`` -> the BBL block), then the highest-valued matching person block.

    Examples
    --------
    >>> from matcher.sr.tables import load_table
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> p = PlacementInput(1, "c", date(2025, 1, 1), None, 36, benefit="participatiewet",
    ...                    target_groups=("banenafspraak",))
    >>> select_block(t, p).key
    'banenafspraak'
    >>> select_block(t, PlacementInput(2, "c", date(2025, 1, 1), None, 36, kind="bbl")).key
    'bbl'
    """
    target = table.kinds.get(placement.kind)
    if target is None:
        return None
    if target != PERSON:
        return table.block(target)
    attrs = _attrs(placement)
    best: Block | None = None
    for b in table.person_blocks():
        if any(c.holds(**attrs) for c in b.applies_to):  # type: ignore[arg-type]
            if best is None or b.value_per_year_eur > best.value_per_year_eur:
                best = b
    return best


def applicable_bonuses(
    table: SrTable, placement: PlacementInput, block: Block
) -> tuple[Bonus, ...]:
    """The bonuses of ``table`` that apply to ``placement`` valued with ``block``.

    Examples
    --------
    >>> from matcher.sr.tables import load_table
    >>> t = load_table("holland-rijnland", date(2025, 1, 1))
    >>> p = PlacementInput(1, "c", date(2025, 1, 1), None, 36, benefit="ww",
    ...                    target_groups=("50plus", "55plus"))
    >>> [b.key for b in applicable_bonuses(t, p, select_block(t, p))]
    ['55plus']
    """
    if not block.bonuses_apply:
        return ()
    attrs = _attrs(placement)
    return tuple(
        b
        for b in table.bonuses
        if any(c.holds(**attrs) for c in b.applies_to)  # type: ignore[arg-type]
    )


def _skip_reason(table: SrTable, p: PlacementInput) -> str:
    if table.kinds.get(p.kind) is None:
        return f"kind {p.kind!r} does not count in table {table.region} {table.version}"
    groups = ", ".join(p.target_groups) or "none"
    return (
        f"no block of table {table.region} {table.version} applies to benefit {p.benefit!r} "
        f"with target groups {groups}"
    )


@dataclass(slots=True)
class _Active:
    placement: PlacementInput
    block: Block
    bonuses: tuple[Bonus, ...]
    first: date
    last: date
    want_hours: Decimal


@dataclass(slots=True)
class _Seg:
    day_from: date
    day_to: date
    hours: Decimal
    realised: bool

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.day_from, self.day_to, self.hours, self.realised))


def _line(
    *,
    table: SrTable,
    act: _Active,
    rate: Decimal,
    bonus: str | None,
    hours: Decimal,
    day_from: date,
    day_to: date,
    realised: bool,
) -> ValuationLine:
    days = (day_to - day_from).days + 1
    amount = round_cents(
        Fraction(rate) * Fraction(hours) / Fraction(table.fulltime_hours) * days / DAYS_PER_YEAR
    )
    head = act.block.key if bonus is None else f"bonus {bonus} on {act.block.key}"
    if act.block.per_month_eur is not None and bonus is None:
        rate_txt = f"{_fmt_eur(act.block.per_month_eur)}/month x 12 = {_fmt_eur(rate)}/yr"
    else:
        rate_txt = f"{_fmt_eur(rate)}/yr"
    return ValuationLine(
        source="placement",
        amount_eur=amount,
        realised=realised,
        explanation=(
            f"{head}: {rate_txt} x {_fmt_num(hours)}/{_fmt_num(table.fulltime_hours)} h"
            f" x {days}/{DAYS_PER_YEAR} d = {_fmt_eur(amount)}"
        ),
        placement_id=act.placement.placement_id,
        candidate_key=act.placement.candidate_key,
        block=act.block.key,
        bonus=bonus,
        rate_per_year_eur=rate,
        hours_per_week=hours,
        fulltime_hours=table.fulltime_hours,
        days=days,
        day_from=day_from,
        day_to=day_to,
    )


def value_placements(
    table: SrTable,
    placements: Iterable[PlacementInput],
    *,
    as_of: date,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Valuation:
    """Value the placements of one contract under ``table``, with a line-by-line trace.

    Parameters
    ----------
    table
        The building-block table (see :func:`matcher.sr.tables.load_table`).
    placements
        All placements credited to one contract; placement ids must be unique.
    as_of
        Days up to and including ``as_of`` are realised, later days are forecast.
    period_start, period_end
        The contract period; days outside it are not credited. ``period_end`` is also the
        horizon to which open placements are assumed to run on.

    Returns
    -------
    Valuation
        ``lines`` in placement order then date order (block line before its bonus lines), and
        the placements that credit nothing with the reason.

    Raises
    ------
    ValueError
        For an invalid placement (see :func:`check_placement`) or a duplicate placement id.

    Examples
    --------
    A WW placement of two years counts one year in Utrecht (cap 1 year):

    >>> from matcher.sr.tables import load_table
    >>> t = load_table("utrecht", date(2025, 1, 1))
    >>> p = PlacementInput("p", "c", date(2025, 1, 1), date(2026, 12, 31), 36, benefit="ww")
    >>> v = value_placements(t, [p], as_of=date(2027, 1, 1))
    >>> v.realised_eur, v.lines[0].day_to
    (Decimal('20000.00'), datetime.date(2025, 12, 31))
    """
    plist = list(placements)
    seen: set[int | str] = set()
    for p in plist:
        check_placement(p)
        if p.placement_id in seen:
            raise ValueError(f"placement {p.placement_id}: field 'placement_id' is duplicated")
        seen.add(p.placement_id)
    if period_start is not None and period_end is not None and period_end < period_start:
        raise ValueError(
            f"field 'period_end' has value {period_end.isoformat()!r}; "
            f"must not be before period_start {period_start}"
        )

    skipped: list[SkippedPlacement] = []
    by_candidate: dict[str, list[tuple[PlacementInput, Block, tuple[Bonus, ...], date, date]]]
    by_candidate = defaultdict(list)
    horizon = period_end if period_end is not None else as_of
    for p in plist:
        block = select_block(table, p)
        if block is None:
            skipped.append(
                SkippedPlacement(p.placement_id, p.candidate_key, _skip_reason(table, p))
            )
            continue
        first = max(p.start_date, period_start) if period_start is not None else p.start_date
        end = p.end_date if p.end_date is not None else horizon
        last = min(end, period_end) if period_end is not None else end
        if last < first:
            skipped.append(
                SkippedPlacement(
                    p.placement_id,
                    p.candidate_key,
                    f"no day between {first} and {last} falls in the contract period"
                    if p.end_date is not None or period_end is not None
                    else f"starts after {as_of}, the report date",
                )
            )
            continue
        by_candidate[p.candidate_key].append(
            (p, block, applicable_bonuses(table, p, block), first, last)
        )

    lines_by_placement: dict[int | str, list[ValuationLine]] = defaultdict(list)
    for cand, items in by_candidate.items():
        # The counting window of each block opens on the candidate's first counted day under it.
        window_end: dict[str, date | None] = {}
        for _p, block, _b, first, _l in sorted(items, key=lambda it: it[3]):
            if block.key not in window_end:
                max_days = block.max_days
                window_end[block.key] = (
                    None if max_days is None else first + timedelta(days=max_days - 1)
                )
        active: list[_Active] = []
        for p, block, bonuses, first, last in items:
            cap_end = window_end[block.key]
            eff_last = last if cap_end is None else min(last, cap_end)
            if eff_last < first:
                skipped.append(
                    SkippedPlacement(
                        p.placement_id,
                        cand,
                        f"counting cap of block {block.key} "
                        f"({_fmt_num(block.max_years or Decimal(0))} years) ended on {cap_end} "
                        "before this placement counted",
                    )
                )
                continue
            hours = min(_dec(p.hours_per_week), table.fulltime_hours)
            want = hours if block.hours_pro_rata else table.fulltime_hours
            active.append(_Active(p, block, bonuses, first, eff_last, want))
        if not active:
            continue
        active.sort(key=lambda a: (a.placement.start_date, str(a.placement.placement_id)))
        bounds = {a.first for a in active} | {a.last + _ONE_DAY for a in active}
        bounds.add(as_of + _ONE_DAY)
        cuts = sorted(bounds)
        # segments per placement: (from, to, hours, realised), merged when contiguous and equal
        segs: dict[int | str, list[_Seg]] = defaultdict(list)
        for lo, hi_next in zip(cuts, cuts[1:], strict=False):
            hi = hi_next - _ONE_DAY
            remaining = table.fulltime_hours
            realised = hi <= as_of
            for a in active:
                if a.first > lo or a.last < hi or remaining <= 0:
                    continue
                give = min(a.want_hours, remaining)
                remaining -= give
                pid = a.placement.placement_id
                prev = segs[pid][-1] if segs[pid] else None
                if (
                    prev is not None
                    and prev.day_to == lo - _ONE_DAY
                    and prev.hours == give
                    and prev.realised == realised
                ):
                    prev.day_to = hi
                else:
                    segs[pid].append(_Seg(lo, hi, give, realised))
        for a in active:
            pid = a.placement.placement_id
            if not segs.get(pid):
                skipped.append(
                    SkippedPlacement(
                        pid,
                        cand,
                        "every day of it is already credited at full time to an earlier "
                        "placement of the same candidate in this contract",
                    )
                )
            for lo_d, hi_d, hours_g, real in segs.get(pid, []):
                out = lines_by_placement[pid]
                for rate, bonus_key in [(a.block.value_per_year_eur, None)] + [
                    (b.value_per_year_eur, b.key) for b in a.bonuses
                ]:
                    out.append(
                        _line(
                            table=table,
                            act=a,
                            rate=rate,
                            bonus=bonus_key,
                            hours=hours_g,
                            day_from=lo_d,
                            day_to=hi_d,
                            realised=real,
                        )
                    )

    lines: list[ValuationLine] = []
    for p in plist:
        lines.extend(lines_by_placement.get(p.placement_id, []))
    order = {p.placement_id: i for i, p in enumerate(plist)}
    skipped.sort(key=lambda s: order[s.placement_id])
    return Valuation(lines=tuple(lines), skipped=tuple(skipped))


def value_placement(
    table: SrTable,
    placement: PlacementInput,
    *,
    as_of: date,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Valuation:
    """Value one placement on its own (see :func:`value_placements` for the rules).

    Examples
    --------
    A BBL year in Holland Rijnland, flat 25,000 a year whatever the hours:

    >>> from matcher.sr.tables import load_table
    >>> t = load_table("holland-rijnland", date(2025, 1, 1))
    >>> p = PlacementInput("b", "c", date(2025, 8, 1), date(2026, 7, 31), 24, kind="bbl")
    >>> value_placement(t, p, as_of=date(2026, 8, 1)).realised_eur
    Decimal('25000.00')
    """
    return value_placements(
        table, [placement], as_of=as_of, period_start=period_start, period_end=period_end
    )


def sum_lines(lines: Sequence[ValuationLine], *, realised_only: bool = False) -> Decimal:
    """Sum line amounts exactly.

    Examples
    --------
    >>> sum_lines([ValuationLine("pso", Decimal("1.10"), True, ""),
    ...            ValuationLine("pso", Decimal("2.20"), False, "")], realised_only=True)
    Decimal('1.10')
    """
    return sum((ln.amount_eur for ln in lines if ln.realised or not realised_only), Decimal("0.00"))


__all__ = [
    "DAYS_PER_YEAR",
    "LINE_SOURCES",
    "PlacementInput",
    "SkippedPlacement",
    "Valuation",
    "ValuationLine",
    "applicable_bonuses",
    "check_placement",
    "round_cents",
    "select_block",
    "sum_lines",
    "value_placement",
    "value_placements",
]
