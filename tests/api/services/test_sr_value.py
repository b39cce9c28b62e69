"""The SR table a shortlist is valued with: picked from the contract's stored table name and
start date in the same request, so a contract changed by another process (or plain SQL, which
bumps no version) is valued with its new table at once, although tables are remembered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlmodel import Session

from api.services.reports import contract_input
from api.services.sr_value import contract_table
from matcher.sr.progress import table_for_contract
from models.contracts import Contract
from tests.api.conftest import make_contract, make_vacancy


def _set(session: Session, contract_id: int, **values: object) -> None:
    """Change the contract as another process would: plain SQL, then commit."""
    sets = ", ".join(f"{k} = :{k}" for k in values)
    session.execute(
        text(f"UPDATE contract SET {sets} WHERE id = :id"), {**values, "id": contract_id}
    )
    session.commit()
    session.expire_all()


def test_contract_table_follows_the_stored_contract(session: Session) -> None:
    contract = make_contract(session, sr_table="nationaal", start_date=dt.date(2025, 3, 1))
    vacancy = make_vacancy(session, contract_id=contract.id)
    assert contract.id is not None

    def expected() -> str:
        stored = session.get(Contract, contract.id)
        assert stored is not None
        return table_for_contract(contract_input(stored, None)).region

    first = contract_table(session, vacancy)
    assert first is not None and first.region == "nationaal" == expected()
    assert contract_table(session, vacancy) is first  # remembered
    _set(session, contract.id, sr_table="utrecht")
    moved = contract_table(session, vacancy)
    assert moved is not None and moved.region == "utrecht" == expected()
    # a start before the first shipped version takes the earliest, as the report does
    _set(session, contract.id, start_date=dt.date(2019, 1, 1))
    early = contract_table(session, vacancy)
    assert early is not None
    stored = session.get(Contract, contract.id)
    assert stored is not None
    assert early.version == table_for_contract(contract_input(stored, None)).version
    _set(session, contract.id, sr_table="no-such-table")
    assert contract_table(session, vacancy) is None  # no value rather than no shortlist


def test_no_contract_no_table(session: Session) -> None:
    assert contract_table(session, make_vacancy(session)) is None


def test_with_sr_values_values_with_the_table_of_the_stored_contract(session: Session) -> None:
    from datetime import date

    from api.services.sr_value import with_sr_values
    from matcher.sr.hire import hire_value
    from matcher.sr.tables import load_table
    from models.matching import ShortlistEntryPublic, ShortlistPublic
    from tests.api.conftest import make_candidate

    contract = make_contract(session, sr_table="nationaal", start_date=dt.date(2025, 3, 1))
    vacancy = make_vacancy(session, contract_id=contract.id, hours_per_week=24.0)
    cand = make_candidate(session)
    assert contract.id is not None and cand.id is not None
    listed = ShortlistPublic(
        vacancy_id=vacancy.id or 0,
        vacancy_ref=vacancy.ref,
        model_version=None,
        entries=[
            ShortlistEntryPublic(
                candidate_id=cand.id, candidate_ref=cand.ref, rank=1, score=1.0, reasons=[],
                missing_skills=[],
            )
        ],
    )  # fmt: skip

    def value(table: str) -> float:
        return float(
            hire_value(
                load_table(table, dt.date(2025, 3, 1)),
                hours_per_week=24.0,
                benefit=cand.benefit,
                start=date.today(),
            ).per_year_eur
        )

    first = with_sr_values(session, vacancy=vacancy, shortlist=listed).entries[0]
    assert first.counts_for_sr and first.sr_value_per_year_eur == value("nationaal")
    _set(session, contract.id, sr_table="utrecht")
    moved = with_sr_values(session, vacancy=vacancy, shortlist=listed).entries[0]
    assert moved.sr_value_per_year_eur == value("utrecht") != value("nationaal")
    _set(session, contract.id, sr_table="no-such-table")
    gone = with_sr_values(session, vacancy=vacancy, shortlist=listed).entries[0]
    assert (gone.counts_for_sr, gone.sr_value_per_year_eur) == (True, None)
