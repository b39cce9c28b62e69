"""What a hire from a shortlist would bring the contract: SR eligibility and SR value per year.

Computed for the entries a shortlist returns (at most 100 on a page, 500 through the API), never
for the whole pool: one eligibility call over all entries (``counts_for_sr_pairs``) and one
valuation per distinct (benefit, target groups, language gap), since the value depends on nothing
else of the candidate.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlmodel import Session, col, select

from matcher.eligibility import SrPair, counts_for_sr_pairs
from matcher.sr.hire import HireValue, hire_value
from matcher.sr.progress import ContractInput, table_for_contract
from matcher.sr.tables import SrTable, load_all
from models.candidates import Candidate
from models.contracts import Contract
from models.matching import ShortlistPublic
from models.vacancies import Vacancy

#: (table name, contract start) -> (the shipped tables it was picked from, the table or None)
_TABLES: OrderedDict[tuple[str, date | None], tuple[tuple[SrTable, ...], SrTable | None]] = (
    OrderedDict()
)
_TABLES_MAX = 64
_TABLES_LOCK = threading.Lock()  # requests run on a thread pool


def _table(name: str, start: date | None) -> SrTable | None:
    """``table_for_contract`` for a contract naming table ``name`` and starting on ``start``
    (the only two fields it reads), remembered until the shipped table files change: every
    call compares the cached files with ``load_all()``, which notices an edited file."""
    try:
        shipped = load_all()
    except ValueError:  # no valid table directory: no value rather than no shortlist
        return None
    key = (name, start)
    with _TABLES_LOCK:
        hit = _TABLES.get(key)
        if hit is not None and hit[0] is shipped:
            _TABLES.move_to_end(key)
            return hit[1]
    try:
        table: SrTable | None = table_for_contract(
            ContractInput(contract_ref="", value_eur=0, start_date=start, sr_table=name)
        )
    except ValueError:  # a table name no longer shipped: no value rather than no shortlist
        table = None
    with _TABLES_LOCK:
        _TABLES[key] = (shipped, table)
        if len(_TABLES) > _TABLES_MAX:
            _TABLES.popitem(last=False)
    return table


def contract_table(session: Session, vacancy: Vacancy) -> SrTable | None:
    """The building-block table of the vacancy's contract (None without a contract or table).

    Reads only the two columns that pick the table, in this request, so a contract changed
    by another process is valued with its new table at once."""
    if vacancy.contract_id is None:
        return None
    row = session.exec(
        select(Contract.sr_table, col(Contract.start_date)).where(
            Contract.id == vacancy.contract_id
        )
    ).first()
    if row is None:
        return None
    return _table(row[0], row[1])


def with_sr_values(
    session: Session, *, vacancy: Vacancy, shortlist: ShortlistPublic, today: date | None = None
) -> ShortlistPublic:
    """The shortlist with ``counts_for_sr``, ``sr_value_per_year_eur`` and ``sr_block`` filled
    in on every entry (the value at the vacancy's hours under its contract's table)."""
    if not shortlist.entries:
        return shortlist
    ids = [e.candidate_id for e in shortlist.entries]
    # the three columns the value depends on, not whole candidate rows, and on the same round
    # trip the two contract columns that pick the table (``contract_table``)
    stmt = select(
        Candidate.id, Candidate.benefit, Candidate.target_groups, Candidate.dutch_level_ord
    ).where(col(Candidate.id).in_(ids))
    if vacancy.contract_id is not None:
        of_contract = Contract.id == vacancy.contract_id
        rows = session.execute(
            stmt.add_columns(
                select(Contract.sr_table).where(of_contract).scalar_subquery(),
                select(col(Contract.start_date)).where(of_contract).scalar_subquery(),
            )
        ).all()
    else:
        rows = session.execute(stmt).all()
    people = {row[0]: (row[1], row[2], row[3]) for row in rows}
    # no contract row: NULL table name (the column itself is never null)
    terms = (rows[0][4], rows[0][5]) if rows and vacancy.contract_id is not None else None
    pairs = [
        SrPair(
            people[i][0],
            tuple(people[i][1] or ()),
            tuple(vacancy.eligible_benefits or ()),
            tuple(vacancy.eligible_target_groups or ()),
        )
        for i in ids
    ]
    counts = counts_for_sr_pairs(pairs)
    table = _table(terms[0], terms[1]) if terms is not None and terms[0] is not None else None
    values: dict[tuple[str, tuple[str, ...], bool], HireValue] = {}
    entries = []
    for e, sr in zip(shortlist.entries, counts, strict=True):
        benefit, groups, dutch = people[e.candidate_id]
        update: dict[str, object] = {"counts_for_sr": bool(sr)}
        if table is not None:
            key = (benefit, tuple(sorted(groups or ())), dutch is not None and dutch < 3)
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
