"""Who never appears on a vacancy's shortlist, whatever the score: an open referral or a
placement on that vacancy, or a running placement anywhere (they are at work). Closed referrals
and ended placements do not exclude."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.services.importer import import_file
from api.services.matching import excluded_for_vacancies
from models import Placement, Referral, Vacancy
from tests.api.services.test_changes import _setup


def test_excluded_for_vacancies(engine: Engine) -> None:
    ids = _setup(engine)
    today = date.today()
    with Session(engine) as session:
        more = (
            "vacancy_ref,contractor,contract_ref,title,required_skills,postcode,hours_per_week\n"
            "V-2,Magazijn BV,C-1,Orderpicker,orderpicken,3511,24\n"
        )
        report = import_file(
            session, kind="vacancies", data=more.encode(), filename="v.csv", actor=None
        )
        assert report.committed, report.errors
        session.commit()
        vacs = {v.ref: int(v.id or 0) for v in session.exec(select(Vacancy))}
        v1, v2 = vacs["V-1"], vacs["V-2"]
        session.add(Referral(candidate_id=ids["K-1"], vacancy_id=v1, status="proposed",
                             status_date=today))  # fmt: skip
        session.add(Referral(candidate_id=ids["K-2"], vacancy_id=v1, status="rejected",
                             status_date=today))  # fmt: skip
        # at work on V-2 since last month: excluded from both
        session.add(Placement(candidate_id=ids["K-3"], vacancy_id=v2, hours_per_week=24,
                              start_date=today - timedelta(days=30)))  # fmt: skip
        # a placement on V-2 that ended: excluded from V-2 only (placed there before)
        session.add(Placement(candidate_id=ids["K-4"], vacancy_id=v2, hours_per_week=24,
                              start_date=today - timedelta(days=400),
                              end_date=today - timedelta(days=30)))  # fmt: skip
        session.commit()
        out = excluded_for_vacancies(session, [v1, v2])
    assert out[v1] == {ids["K-1"], ids["K-3"]}
    assert out[v2] == {ids["K-3"], ids["K-4"]}
    with Session(engine) as session:
        assert excluded_for_vacancies(session, []) == {}
