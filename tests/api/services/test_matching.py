"""The matching runtime on stored data: protected attributes never move a score, and the
excluded are excluded for the right reasons (issue 4, acceptance 3, end to end)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.services.importer import import_file
from api.services.matching import MatchingService
from models import Vacancy

SETUP = {
    "contracts": "contract_ref,contractor,municipality,value_eur,sr_table\n"
    "C-1,Magazijn BV,Utrecht,1000000,utrecht\n",
    "vacancies": "vacancy_ref,contractor,contract_ref,title,required_skills,postcode,"
    "hours_per_week\n"
    "V-1,Magazijn BV,C-1,Magazijnmedewerker,heftruck;orderpicken,3511,32\n",
    # identical profiles but for birth year and gender (and their refs)
    "candidates": "candidate_ref,municipality,postcode,benefit,skills,occupations,"
    "birth_year,gender\n"
    "K-1,Utrecht,3512,participatiewet,heftruck;orderpicken,magazijnmedewerker,1961,m\n"
    "K-2,Utrecht,3512,participatiewet,heftruck;orderpicken,magazijnmedewerker,2001,v\n"
    "K-3,Utrecht,3512,participatiewet,heftruck;orderpicken,magazijnmedewerker,,x\n"
    "K-4,Utrecht,9711,participatiewet,heftruck,,1980,m\n",
}


def _setup(engine: Engine) -> None:
    with Session(engine) as session:
        for kind, text in SETUP.items():
            report = import_file(
                session, kind=kind, data=text.encode(), filename=f"{kind}.csv", actor=None
            )
            assert report.committed, report.errors
        session.commit()  # the importer writes in the caller's transaction


def test_protected_attributes_never_move_a_score(engine: Engine) -> None:
    _setup(engine)
    service = MatchingService(engine=engine, settings=SimpleNamespace()).start(background=False)
    with Session(engine) as session:
        vac = session.exec(select(Vacancy)).one()
        result = service.shortlist(session, vacancy=vac, top=10, coach=None, explain_excluded=True)
    scores = {e.candidate_ref: e.score for e in result.entries}
    assert set(scores) == {"K-1", "K-2", "K-3"}
    assert len(set(scores.values())) == 1, scores
    reasons = {e.candidate_ref: e.reasons for e in result.entries}
    assert reasons["K-1"] == reasons["K-2"] == reasons["K-3"]
    # Groningen (9711) is far beyond 25 km: left out, with the rule that did it
    [far] = result.excluded
    assert far.candidate_ref == "K-4"
    assert any("reisafstand" in r and "maximaal 25 km" in r for r in far.reasons), far.reasons
