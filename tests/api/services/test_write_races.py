"""Two writers racing for the same unique key on PostgreSQL (issue 13, finding 1): the loser
gets a ConflictError (409) that says what happened and what to do, not a UniqueViolation 500.
SQLite's IMMEDIATE transactions queue writers, so the second one simply sees the first's rows.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.services.errors import ConflictError
from api.services.importer import import_file
from models.candidates import Candidate
from models.organisations import Municipality

FILE = (
    b"candidate_ref,municipality,postcode,benefit,skills,occupations\n"
    b"RACE-1,Utrecht,3512,ww,heftruck,magazijnmedewerker\n"
    b"RACE-2,Utrecht,3521,ww,orderpicken,\n"
)


# PostgreSQL only: the per-test SQLite database is one connection; real SQLite files queue
# writers (IMMEDIATE), see tests/api/test_concurrent_writes.py
@pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_imports_of_the_same_new_references_at_once(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(Municipality(name="Utrecht"))
        s.commit()
    first, second = Session(engine), Session(engine)
    outcome: dict[str, object] = {}
    try:
        report = import_file(first, kind="candidates", data=FILE, filename="a.csv", actor=None)
        assert report.committed  # written, not yet committed: the key is taken but not visible

        def other() -> None:
            try:
                outcome["report"] = import_file(
                    second, kind="candidates", data=FILE, filename="b.csv", actor=None
                )
                second.commit()
            except Exception as exc:  # what the second writer gets is the point of the test
                outcome["error"] = exc
                second.rollback()

        racer = threading.Thread(target=other)
        racer.start()
        racer.join(timeout=2)  # PostgreSQL: waits on the unique index; SQLite: on the lock
        first.commit()
        racer.join(timeout=60)
        assert not racer.is_alive()
    finally:
        first.close()
        second.close()
    error = outcome.get("error")
    assert isinstance(error, ConflictError), outcome
    assert "another import or edit" in str(error) and "import it again" in str(error)
    assert "candidate" in str(error)  # names the clash (constraint or key)
    with Session(engine) as s:
        refs = s.exec(select(Candidate.ref).where(Candidate.ref.startswith("RACE-"))).all()  # type: ignore[union-attr]
    assert sorted(refs) == ["RACE-1", "RACE-2"]


@pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_proposals_of_the_same_pair_at_once(engine: Engine) -> None:
    from api.services.referrals import propose_referral
    from models.referrals import Referral, ReferralCreate
    from tests.api.conftest import make_world

    with Session(engine, expire_on_commit=False) as s:
        w = make_world(s)
    body = ReferralCreate(candidate_id=w.a.candidate.id or 0, vacancy_id=w.a.free_vacancy.id or 0)
    first, second = Session(engine), Session(engine)
    outcome: dict[str, object] = {}
    try:
        propose_referral(session=first, actor=w.a.coach, body=body, request_id=None)

        def other() -> None:
            try:
                propose_referral(session=second, actor=w.a.coach, body=body, request_id=None)
                second.commit()
            except Exception as exc:  # what the second writer gets is the point of the test
                outcome["error"] = exc
                second.rollback()

        racer = threading.Thread(target=other)
        racer.start()
        racer.join(timeout=2)  # waits on the unique index until the first commits
        first.commit()
        racer.join(timeout=60)
        assert not racer.is_alive()
    finally:
        first.close()
        second.close()
    error = outcome.get("error")
    assert isinstance(error, ConflictError), outcome
    assert "by another request at the same moment" in str(error)
    with Session(engine) as s:
        pairs = s.exec(
            select(Referral).where(
                Referral.candidate_id == body.candidate_id, Referral.vacancy_id == body.vacancy_id
            )
        ).all()
    assert len(pairs) == 1
