"""Log-in, log-out, cookie flags, CSRF refusal and the sliding session (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.config import Settings
from api.main import create_app
from api.security import create_token
from api.web.session import CSRF_COOKIE, SESSION_COOKIE
from models.organisations import Role, User
from tests.api.conftest import PASSWORD, api_settings, make_user, make_world
from tests.api.web.conftest import csrf_from, log_in


def _set_cookies(response: object) -> dict[str, SimpleCookie]:
    out: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name in jar:
            out[name] = jar
    return out


def test_root_leads_to_the_login_page(web: TestClient) -> None:
    answer = web.get("/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"


def test_login_page_is_dutch_with_landmarks_skip_link_and_labels(web: TestClient) -> None:
    page = web.get("/login")
    html = page.text
    assert page.status_code == 200
    assert '<html lang="nl">' in html
    for landmark in ("<header", "<main", 'class="skip-link" href="#main"'):
        assert landmark in html
    assert '<label for="f-username">Gebruikersnaam</label>' in html
    assert '<label for="f-password">Wachtwoord</label>' in html
    assert "cdn" not in html.lower()


def test_language_switch_to_english_is_remembered(web: TestClient) -> None:
    answer = web.get("/lang/en", params={"next": "/login"})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    page = web.get("/login")
    assert '<html lang="en">' in page.text
    assert '<label for="f-username">User name</label>' in page.text


def test_language_switch_never_redirects_off_site(web: TestClient) -> None:
    answer = web.get("/lang/en", params={"next": "//evil.example/"})
    assert answer.headers["location"] == "/"


def test_login_sets_a_httponly_samesite_secure_session_cookie(
    web: TestClient, session: Session
) -> None:
    coach = make_user(session, role=Role.coach)
    page = web.get("/login")
    answer = web.post(
        "/login",
        data={"username": coach.username, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/coach/candidates"
    cookies = _set_cookies(answer)
    morsel = cookies[SESSION_COOKIE][SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["secure"] is True
    assert morsel["samesite"].lower() == "lax"
    csrf = cookies[CSRF_COOKIE][CSRF_COOKIE]
    assert csrf["httponly"] is True and csrf["samesite"].lower() == "lax"


def test_demo_mode_cookie_is_not_secure(engine: Engine, session: Session) -> None:
    coach = make_user(session, role=Role.coach)
    app = create_app(api_settings(demo_mode=True), engine=engine)
    with TestClient(app, follow_redirects=False) as web:  # plain http, as `make run` serves
        page = web.get("/login")
        answer = web.post(
            "/login",
            data={
                "username": coach.username,
                "password": PASSWORD,
                "csrf_token": csrf_from(page.text),
            },
        )
        morsel = _set_cookies(answer)[SESSION_COOKIE][SESSION_COOKIE]
        assert morsel["httponly"] is True and not morsel["secure"]
        assert web.get("/coach/candidates").status_code == 200


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.coach, "/coach/candidates"),
        (Role.sr_officer, "/sr-officer/dashboard"),
        (Role.contractor, "/contractor/contracts"),
        (Role.admin, "/admin/users"),
    ],
)
def test_each_role_reaches_its_start_page(
    web: TestClient, session: Session, role: Role, start: str
) -> None:
    user = make_user(session, role=role)
    assert log_in(web, user) == start
    page = web.get(start)
    assert page.status_code == 200, page.text
    assert "<nav" in page.text and 'aria-current="page"' in page.text
    assert web.get("/").headers["location"] == start
    assert web.get("/login").headers["location"] == start


def test_wrong_password_re_renders_the_form_with_the_message_and_the_name_kept(
    web: TestClient, session: Session
) -> None:
    coach = make_user(session, role=Role.coach)
    page = web.get("/login")
    answer = web.post(
        "/login",
        data={"username": coach.username, "password": "wrong", "csrf_token": csrf_from(page.text)},
    )
    assert answer.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in answer.text
    assert f'value="{coach.username}"' in answer.text
    assert SESSION_COOKIE not in _set_cookies(answer)


def test_empty_fields_are_named_next_to_their_input(web: TestClient) -> None:
    page = web.get("/login")
    answer = web.post(
        "/login", data={"username": "", "password": "", "csrf_token": csrf_from(page.text)}
    )
    assert answer.status_code == 422
    assert 'aria-describedby="f-username-error"' in answer.text
    assert 'id="f-username-error"' in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_login_without_csrf_token_is_refused_and_counts_nothing(
    web: TestClient, session: Session
) -> None:
    coach = make_user(session, role=Role.coach)
    web.get("/login")  # the browser has its CSRF cookie, but the form lacks the token
    answer = web.post("/login", data={"username": coach.username, "password": "wrong"})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in _set_cookies(answer)
    session.refresh(coach)
    assert coach.failed_logins == 0  # the handler never ran


def test_a_token_from_another_browser_is_refused(
    web: TestClient, session: Session, engine: Engine, settings: Settings
) -> None:
    coach = make_user(session, role=Role.coach)
    other = TestClient(create_app(settings, engine=engine), base_url="https://testserver")
    with other:
        foreign_token = csrf_from(other.get("/login").text)
    web.get("/login")
    answer = web.post(
        "/login",
        data={"username": coach.username, "password": PASSWORD, "csrf_token": foreign_token},
    )
    assert answer.status_code == 403
    assert SESSION_COOKIE not in _set_cookies(answer)


def test_logout_needs_the_token_and_ends_the_session(web: TestClient, session: Session) -> None:
    coach = make_user(session, role=Role.coach)
    start = log_in(web, coach)
    page = web.get(start)
    assert web.post("/logout", data={}).status_code == 403
    assert web.get(start).status_code == 200  # still logged in: nothing changed
    copied = web.cookies.get(SESSION_COOKIE)
    answer = web.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert answer.status_code == 303 and answer.headers["location"] == "/login?bye=1"
    again = web.get(start)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")
    # the token is revoked, not only the cookie dropped: a copy of it no longer works (issue 13)
    assert copied
    web.cookies.set(SESSION_COOKIE, copied)
    stolen = web.get(start)
    assert stolen.status_code == 303 and stolen.headers["location"].startswith("/login")


def test_a_page_without_session_sends_to_login_and_back(web: TestClient, session: Session) -> None:
    coach = make_user(session, role=Role.coach)
    answer = web.get("/coach/candidates", params={"ref": "UT"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fcoach%2Fcandidates%3Fref%3DUT"
    page = web.get(answer.headers["location"])
    assert 'name="next" value="/coach/candidates?ref=UT"' in page.text
    back = web.post(
        "/login",
        data={
            "username": coach.username,
            "password": PASSWORD,
            "next": "/coach/candidates?ref=UT",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert back.headers["location"] == "/coach/candidates?ref=UT"


def _session_token(user: User, settings: Settings, issued: datetime) -> str:
    return create_token(user, typ="access", settings=settings, now=issued)


def test_the_session_is_renewed_while_the_user_works(
    web: TestClient, session: Session, settings: Settings
) -> None:
    coach = make_user(session, role=Role.coach)
    ten_minutes_ago = datetime.now(UTC) - timedelta(minutes=10)
    web.cookies.set(SESSION_COOKIE, _session_token(coach, settings, ten_minutes_ago))
    answer = web.get("/coach/candidates")
    assert answer.status_code == 200
    renewed = _set_cookies(answer)[SESSION_COOKIE][SESSION_COOKIE]
    assert int(renewed["max-age"]) == settings.access_token_minutes * 60
    # the new token is good for a full period from now: five more minutes of work
    # would have ended the old one
    web.cookies.set(SESSION_COOKIE, renewed.value)
    assert web.get("/coach/candidates").status_code == 200


def test_a_fresh_session_is_not_reissued_on_every_page(web: TestClient, session: Session) -> None:
    coach = make_user(session, role=Role.coach)
    start = log_in(web, coach)
    assert SESSION_COOKIE not in _set_cookies(web.get(start))


def test_an_expired_session_sends_to_login(
    web: TestClient, session: Session, settings: Settings
) -> None:
    coach = make_user(session, role=Role.coach)
    long_ago = datetime.now(UTC) - timedelta(minutes=settings.access_token_minutes + 1)
    web.cookies.set(SESSION_COOKIE, _session_token(coach, settings, long_ago))
    answer = web.get("/coach/candidates")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_deactivated_user_loses_the_session(web: TestClient, session: Session) -> None:
    coach = make_user(session, role=Role.coach)
    start = log_in(web, coach)
    coach.active = False
    session.add(coach)
    session.commit()
    assert web.get(start).status_code == 303


def test_pages_are_not_in_the_openapi_document(web: TestClient, session: Session) -> None:
    make_world(session)
    paths = web.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith(("/api/", "/healthz", "/readyz", "/metrics"))]
