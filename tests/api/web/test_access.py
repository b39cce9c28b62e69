"""Who may open which page: role 403, foreign objects 404, API errors stay JSON (issue 10)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.audit import AuditEvent
from tests.api.conftest import auth, make_candidate, make_world
from tests.api.web.conftest import log_in

COACH_PAGES = ("/coach/candidates", "/coach/vacancies")


@pytest.mark.parametrize("path", COACH_PAGES)
def test_a_contractor_session_cannot_open_a_coach_page(
    web: TestClient, session: Session, path: str
) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    page = web.get(path)
    assert page.status_code == 403
    assert "geen toegang" in page.text
    assert page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("coach", "/sr-officer/dashboard"),
        ("coach", "/admin/users"),
        ("sr_officer", "/coach/candidates"),
        ("contractor", "/admin/users"),
        ("admin", "/contractor/contracts"),
    ],
)
def test_roles_stay_on_their_own_pages(
    web: TestClient, session: Session, who: str, path: str
) -> None:
    world = make_world(session)
    user = {
        "coach": world.a.coach,
        "sr_officer": world.a.sr_officer,
        "contractor": world.a.contractor_user,
        "admin": world.admin,
    }[who]
    log_in(web, user)
    assert web.get(path).status_code == 403


def test_a_coach_cannot_open_another_municipalitys_candidate(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    own = web.get(f"/coach/candidates/{world.a.candidate.id}")
    assert own.status_code == 200 and world.a.candidate.ref in own.text
    foreign = web.get(f"/coach/candidates/{world.b.candidate.id}")
    missing = web.get("/coach/candidates/999999")
    assert foreign.status_code == missing.status_code == 404
    assert world.b.candidate.ref not in foreign.text
    assert foreign.headers["content-type"].startswith("text/html")


def test_opening_a_candidate_page_is_audited(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    page = web.get(f"/coach/candidates/{world.a.candidate.id}")
    events = session.exec(
        select(AuditEvent).where(AuditEvent.request_id == page.headers["x-request-id"])
    ).all()
    assert [(e.action, e.candidate_id) for e in events] == [
        ("candidate.read", world.a.candidate.id)
    ]


def test_api_errors_stay_json_next_to_the_pages(web: TestClient, session: Session) -> None:
    world = make_world(session)
    answer = web.get(
        f"/api/v1/coach/candidates/{world.b.candidate.id}",
        headers=auth(world.a.coach, web.app.state.settings),  # type: ignore[attr-defined]
    )
    assert answer.status_code == 404
    assert answer.json() == {"detail": "candidate not found"}


def test_caseload_filters_live_in_the_url_and_list_only_the_municipality(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    muni = world.a.municipality.id
    make_candidate(session, municipality_id=muni, ref="ZZ-CONSENT", consent_share=True)
    make_candidate(session, municipality_id=muni, ref="ZZ-NOCONSENT", consent_share=False)
    log_in(web, world.a.coach)
    everyone = web.get("/coach/candidates").text
    assert world.a.candidate.ref in everyone and world.b.candidate.ref not in everyone
    only = web.get("/coach/candidates", params={"ref": "ZZ-", "consent": "no"}).text
    assert "ZZ-NOCONSENT" in only and "ZZ-CONSENT<" not in only
    assert world.a.candidate.ref not in only
    assert 'value="ZZ-"' in only  # the filter is shown as it was asked
    none = web.get("/coach/candidates", params={"ref": "NOBODY"}).text
    assert 'class="empty"' in none


def test_caseload_pages_through_at_most_100_rows(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    assert web.get("/coach/candidates", params={"limit": 101}).status_code == 422
    for i in range(3):
        make_candidate(session, municipality_id=world.a.municipality.id, ref=f"PG-{i}")
    first = web.get("/coach/candidates", params={"ref": "PG-", "limit": 2}).text
    assert "PG-0" in first and "PG-1" in first and "PG-2" not in first
    assert 'rel="next"' in first and "offset=2" in first
    second = web.get("/coach/candidates", params={"ref": "PG-", "limit": 2, "offset": 2}).text
    assert "PG-2" in second and 'rel="prev"' in second


def test_caseload_answers_htmx_with_the_results_only(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    part = web.get("/coach/candidates", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and world.a.candidate.ref in part.text


def test_the_caseload_list_is_audited_per_candidate(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    page = web.get("/coach/candidates")
    logged = session.exec(
        select(AuditEvent.candidate_id).where(
            AuditEvent.request_id == page.headers["x-request-id"],
            AuditEvent.action == "candidate.list",
        )
    ).all()
    assert world.a.candidate.id in logged


def test_an_unknown_page_is_a_page_and_an_unknown_api_route_stays_json(web: TestClient) -> None:
    page = web.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text
    api = web.get("/api/v1/no/such/route")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_an_htmx_request_without_session_loads_the_login_page(web: TestClient) -> None:
    answer = web.get("/coach/candidates", params={"ref": "X"}, headers={"HX-Request": "true"})
    assert answer.status_code == 204
    assert answer.headers["hx-redirect"] == "/login?next=%2Fcoach%2Fcandidates%3Fref%3DX"
