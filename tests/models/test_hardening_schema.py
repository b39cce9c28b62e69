"""Schema hardening of issue 13: TRUNCATE of the audit trail refused (finding 10), money in
BIGINT cents (finding 12), version counters on the optimistically locked tables."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from models.contracts import Contract
from models.organisations import Contractor

EUR_250M_CENTS = 250_000_000 * 100


# PostgreSQL only: SQLite has no TRUNCATE (its DELETE guard covers DELETE FROM auditevent)
@pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_truncating_the_audit_trail_is_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO auditevent (at, username, role, action) "
                "VALUES (CURRENT_TIMESTAMP, 'c1', 'coach', 'candidate.read')"
            )
        )
    for stmt in ("TRUNCATE auditevent", "TRUNCATE auditevent RESTART IDENTITY CASCADE"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from auditevent")).scalar_one() == 1


def test_a_contract_of_250_million_euro_is_stored_exactly(session: Session) -> None:
    contractor = Contractor(name="Bouw BV")
    session.add(contractor)
    session.flush()
    assert contractor.id is not None
    contract = Contract(
        ref="C-BIG",
        contractor_id=contractor.id,
        value_cents=EUR_250M_CENTS,
        social_purchasing_cents=EUR_250M_CENTS // 10,
    )
    session.add(contract)
    session.commit()
    session.expire_all()
    again = session.get(Contract, contract.id)
    assert again is not None
    assert again.value_cents == EUR_250M_CENTS
    assert again.social_purchasing_cents == EUR_250M_CENTS // 10


def test_versions_count_updates_and_refuse_a_stale_write(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as s:
        contractor = Contractor(name="Versie BV")
        s.add(contractor)
        s.flush()
        assert contractor.id is not None
        contract = Contract(ref="C-V", contractor_id=contractor.id, value_cents=100)
        s.add(contract)
        s.commit()
        assert contract.version == 1
        contract.title = "one"
        s.commit()
        assert contract.version == 2
        contract_id = contract.id
    with Session(engine) as s:
        mine = s.get(Contract, contract_id)
        assert mine is not None and mine.version == 2
        # another writer changes the row after we read it (plain SQL, as a second server would)
        s.execute(
            text("UPDATE contract SET title = 'theirs', version = version + 1 WHERE id = :id"),
            {"id": contract_id},
        )
        mine.title = "mine"
        with pytest.raises(StaleDataError):
            s.flush()
        s.rollback()
    with Session(engine) as s:
        stored = s.get(Contract, contract_id)
        assert stored is not None
        assert (stored.title, stored.version) == ("one", 2)  # the rolled-back pair left nothing
