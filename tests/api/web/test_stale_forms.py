"""Edit pages carry the version they were rendered with: a form saved after someone else saved
the same record is refused with a clear message (both languages) instead of overwriting it,
and the re-rendered form carries the current version (issue 13, optimistic locking)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.candidates import Candidate
from models.vacancies import Vacancy
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "the edit form carries the version"
    return found.group(1)


def _fresh(session: Session, model: type, key: int) -> object:
    session.expire_all()
    found = session.get(model, key)
    session.commit()  # end the read: the app's next request shares this SQLite connection
    return found


def test_a_stale_candidate_form_is_refused_and_keeps_the_other_save(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    own = world.a.candidate.id
    assert own is not None
    log_in(web, world.a.coach)
    page = web.get(f"/coach/candidates/{own}/edit").text  # the coach opens the form...
    form = {"csrf_token": csrf_from(page), "version": _version(page), "postcode": "3511 AB",
            "benefit": "participatiewet", "skills": "heftruck", "hours_per_week": "24",
            "max_travel_km": "15"}  # fmt: skip
    # ...someone else saves meanwhile (the same form, opened at the same version)
    assert web.post(f"/coach/candidates/{own}/edit", data=form).status_code == 303
    # ...and the first save of the stale form is refused
    stale = web.post(f"/coach/candidates/{own}/edit", data={**form, "hours_per_week": "12"})
    assert stale.status_code == 422, stale.text
    assert "Iemand anders heeft dit gegeven opgeslagen" in stale.text
    assert 'value="12"' in stale.text  # the coach's input is kept
    cand = _fresh(session, Candidate, own)
    assert isinstance(cand, Candidate) and cand.hours_per_week == 24
    assert _version(stale.text) == str(cand.version)  # saving again overwrites, knowingly
    web.cookies.set("srmatch_lang", "en")
    again = web.post(f"/coach/candidates/{own}/edit", data={**form, "hours_per_week": "12"})
    assert "Someone else saved this record" in again.text


def test_a_stale_vacancy_form_is_refused(web: TestClient, session: Session) -> None:
    world = make_world(session)
    vid = world.a.vacancy.id
    assert vid is not None
    log_in(web, world.a.contractor_user)
    page = web.get(f"/contractor/vacancies/{vid}").text
    form = {"csrf_token": csrf_from(page), "version": _version(page),
            "title": "Magazijnmedewerker", "postcode": "3542AA", "hours_per_week": "36",
            "positions": "1", "required_skills": "heftruck"}  # fmt: skip
    assert web.post(f"/contractor/vacancies/{vid}", data=form).status_code == 303
    stale = web.post(f"/contractor/vacancies/{vid}", data={**form, "hours_per_week": "20"})
    assert stale.status_code == 422, stale.text
    assert "Iemand anders heeft dit gegeven opgeslagen" in stale.text
    vac = _fresh(session, Vacancy, vid)
    assert isinstance(vac, Vacancy) and vac.hours_per_week == 36


def test_a_stale_contract_form_is_refused(web: TestClient, session: Session) -> None:
    from api.web.sr_contract_form import form_values
    from models.contracts import Contract

    world = make_world(session)
    cid = world.a.contract.id
    assert cid is not None
    log_in(web, world.a.sr_officer)
    page = web.get(f"/sr-officer/contracts/{cid}").text
    values = form_values(world.a.contract)
    form = {**values, "csrf_token": csrf_from(page), "version": _version(page)}
    assert (
        web.post(f"/sr-officer/contracts/{cid}", data={**form, "sr_percentage": "6"}).status_code
        == 303
    )
    stale = web.post(f"/sr-officer/contracts/{cid}", data={**form, "sr_percentage": "8"})
    assert stale.status_code == 422, stale.text
    assert "Iemand anders heeft dit gegeven opgeslagen" in stale.text
    contract = _fresh(session, Contract, cid)
    assert isinstance(contract, Contract) and contract.sr_percentage == 6
