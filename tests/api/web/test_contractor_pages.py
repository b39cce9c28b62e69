"""The contractor's vacancy form with its live reading, editing, and the proposals received."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.vacancies import Vacancy
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in

FORM = {
    "ref": "WEB-1",
    "title": "Magazijnmedewerker",
    "postcode": "3511 AB",
    "hours_per_week": "32",
    "positions": "2",
    "required_skills": "heftruck rijden\norderpicken",
    "optional_skills": "",
    "description": "",
    "driving_licence": "",
}


@pytest.mark.parametrize(
    "path", ["/contractor/vacancies", "/contractor/vacancies/new", "/contractor/proposals"]
)
def test_only_contractors_open_their_pages(web: TestClient, session: Session, path: str) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    assert web.get(path).status_code == 403


def test_a_contractor_posts_a_vacancy_and_sees_how_it_is_read(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    page = web.get("/contractor/vacancies/new")
    assert page.status_code == 200 and 'hx-get="/contractor/vacancies/preview"' in page.text
    preview = web.get("/contractor/vacancies/preview", params=FORM, headers={"HX-Request": "true"})
    assert preview.status_code == 200 and 'data-preview="occupation"' in preview.text
    assert 'data-preview="required"' in preview.text and "<!doctype" not in preview.text
    refused = web.post("/contractor/vacancies/new", data=FORM)
    assert refused.status_code == 403
    assert session.exec(select(Vacancy).where(Vacancy.ref == "WEB-1")).first() is None
    session.commit()
    data = {**FORM, "contract_id": str(world.a.contract.id), "csrf_token": csrf_from(page.text)}
    posted = web.post("/contractor/vacancies/new", data=data)
    assert posted.status_code == 303, posted.text
    vac = session.exec(select(Vacancy).where(Vacancy.ref == "WEB-1")).one()
    assert vac.contractor_id == world.a.contractor.id and vac.positions == 2
    assert vac.required_skills == ["heftruck rijden", "orderpicken"] and vac.required_norm
    session.commit()
    assert posted.headers["location"] == f"/contractor/vacancies/{vac.id}?saved=1"
    shown = web.get(posted.headers["location"])
    assert shown.status_code == 200 and "WEB-1" in shown.text and "opgeslagen" in shown.text


def test_a_vacancy_form_keeps_its_input_and_names_the_field(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    token = csrf_from(web.get("/contractor/vacancies/new").text)
    answer = web.post(
        "/contractor/vacancies/new",
        data={**FORM, "hours_per_week": "veel", "csrf_token": token},
    )
    assert answer.status_code == 422
    assert 'id="f-hours_per_week-error"' in answer.text and 'value="veel"' in answer.text
    bad_postcode = web.post(
        "/contractor/vacancies/new", data={**FORM, "postcode": "0000", "csrf_token": token}
    )
    assert bad_postcode.status_code == 422 and 'id="f-postcode-error"' in bad_postcode.text
    assert 'value="Magazijnmedewerker"' in bad_postcode.text
    assert session.exec(select(Vacancy).where(Vacancy.ref == "WEB-1")).first() is None


def test_a_contractor_edits_its_own_vacancy_only(web: TestClient, session: Session) -> None:
    world = make_world(session)
    own, foreign = world.a.vacancy.id, world.b.vacancy.id
    log_in(web, world.a.contractor_user)
    page = web.get(f"/contractor/vacancies/{own}")
    assert page.status_code == 200
    assert web.get(f"/contractor/vacancies/{foreign}").status_code == 404
    token = csrf_from(page.text)
    data = {**FORM, "title": "Schoonmaker", "csrf_token": token}
    assert web.post(f"/contractor/vacancies/{foreign}", data=data).status_code == 404
    saved = web.post(f"/contractor/vacancies/{own}", data=data)
    assert saved.status_code == 303
    session.expire_all()
    vac = session.get(Vacancy, own)
    assert vac is not None and vac.title == "Schoonmaker"
    assert vac.occupation_norm is not None


def test_proposals_are_anonymous_until_a_consented_introduction(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    html = web.get("/contractor/proposals").text
    assert "Anonieme kandidaat" in html
    assert world.a.candidate.ref not in html and world.b.candidate.ref not in html
