"""What a hire from a shortlist would bring the contract: SR eligibility and SR value per year.

Computed for the entries a shortlist returns (at most 100 on a page, 500 through the API), never
for the whole pool: one eligibility call over all entries (``counts_for_sr_pairs``) and one
valuation per distinct (benefit, target groups, language gap), since the value depends on nothing
else of the candidate.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from api.services.reports import contract_input
from matcher.eligibility import SrPair, counts_for_sr_pairs
from matcher.sr.hire import HireValue, hire_value
from matcher.sr.progress import table_for_contract
from matcher.sr.tables import SrTable
from models.candidates import Candidate
from models.contracts import Contract
from models.matching import ShortlistPublic
from models.vacancies import Vacancy


def contract_table(session: Session, vacancy: Vacancy) -> SrTable | None:
    """The building-block table of the vacancy's contract (None without a contract or table)."""
    if vacancy.contract_id is None:
        return None
    contract = session.get(Contract, vacancy.contract_id)
    if contract is None:
        return None
    try:
        return table_for_contract(contract_input(contract, None))
    except ValueError:  # a table name no longer shipped: no value rather than no shortlist
        return None


def with_sr_values(
    session: Session, *, vacancy: Vacancy, shortlist: ShortlistPublic, today: date | None = None
) -> ShortlistPublic:
    """The shortlist with ``counts_for_sr``, ``sr_value_per_year_eur`` and ``sr_block`` filled
    in on every entry (the value at the vacancy's hours under its contract's table)."""
    if not shortlist.entries:
        return shortlist
    ids = [e.candidate_id for e in shortlist.entries]
    people = {
        c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids))).all()
    }
    pairs = [
        SrPair(
            people[i].benefit,
            tuple(people[i].target_groups or ()),
            tuple(vacancy.eligible_benefits or ()),
            tuple(vacancy.eligible_target_groups or ()),
        )
        for i in ids
    ]
    counts = counts_for_sr_pairs(pairs)
    table = contract_table(session, vacancy)
    values: dict[tuple[str, tuple[str, ...], bool], HireValue] = {}
    entries = []
    for e, sr in zip(shortlist.entries, counts, strict=True):
        c = people[e.candidate_id]
        update: dict[str, object] = {"counts_for_sr": bool(sr)}
        if table is not None:
            key = (
                c.benefit,
                tuple(sorted(c.target_groups or ())),
                c.dutch_level_ord is not None and c.dutch_level_ord < 3,
            )
            if key not in values:
                values[key] = hire_value(
                    table,
                    hours_per_week=vacancy.hours_per_week,
                    benefit=key[0],
                    target_groups=key[1],
                    language_gap=key[2],
                    start=today,
                )
            v = values[key]
            # a hire outside the vacancy's SR eligibility credits nothing, whatever the table
            update["sr_value_per_year_eur"] = float(v.per_year_eur) if sr else 0.0
            update["sr_block"] = v.block if sr else None
        entries.append(e.model_copy(update=update))
    return shortlist.model_copy(update={"entries": entries})
