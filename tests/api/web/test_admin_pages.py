"""The administrator's pages: create a user (password shown once), deactivate, reset the
password, API keys (shown once, revoke) and the training runs next to the baseline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.model_versions import ModelVersion
from models.organisations import ApiKey, User
from tests.api.conftest import World, make_world
from tests.api.web.conftest import csrf_from, log_in

ADMIN_PAGES = ("/admin/users/new", "/admin/api-keys", "/admin/training")
PASSWORD = re.compile(r'<code class="secret" id="one-time-password">([^<]+)</code>')


def _fresh(session: Session, user_id: int) -> User:
    session.expire_all()
    found = session.get(User, user_id)
    assert found is not None
    session.commit()  # end the read: the app's next request shares this SQLite connection
    return found


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["coach", "contractor", "sr_officer"])
def test_only_admins_open_their_pages(
    web: TestClient, session: Session, path: str, who: str
) -> None:
    world = make_world(session)
    user = {
        "coach": world.a.coach,
        "contractor": world.a.contractor_user,
        "sr_officer": world.a.sr_officer,
    }
    log_in(web, user[who])
    assert web.get(path).status_code == 403
    assert web.get(f"/admin/users/{world.a.coach.id}").status_code == 403


def _create(web: TestClient, world: World, **fields: str) -> tuple[int, str]:
    token = csrf_from(web.get("/admin/users/new").text)
    data = {"csrf_token": token, "username": "nieuw", "full_name": "Nieuwe Coach", **fields}
    answer = web.post("/admin/users/new", data=data)
    return answer.status_code, answer.text


def test_an_admin_creates_a_user_who_can_log_in_with_the_password_shown_once(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.admin)
    status, html = _create(
        web, world, role="coach", municipality_id=str(world.a.municipality.id), contractor_id=""
    )
    assert status == 201, html
    found = PASSWORD.search(html)
    assert found
    created = session.exec(select(User).where(User.username == "nieuw")).one()
    session.commit()  # end the read: the app's next request shares this SQLite connection
    assert created.municipality_id == world.a.municipality.id and created.role == "coach"
    assert found.group(1) not in (created.password_hash or "")
    # the user page shows no password afterwards
    assert PASSWORD.search(web.get(f"/admin/users/{created.id}").text) is None
    # and the new user logs in with it
    other = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    assert log_in(other, created, password=found.group(1)) == "/coach/candidates"


def test_a_new_user_form_keeps_the_input_and_names_the_field(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.admin)
    status, html = _create(web, world, role="coach", municipality_id="", contractor_id="")
    assert status == 422
    assert 'id="f-municipality_id-error"' in html
    assert 'aria-describedby="f-municipality_id-hint f-municipality_id-error"' in html
    assert 'value="nieuw"' in html and 'value="Nieuwe Coach"' in html
    assert session.exec(select(User).where(User.username == "nieuw")).first() is None
    session.commit()
    status, html = _create(
        web,
        world,
        role="coach",
        username=world.a.coach.username,
        municipality_id=str(world.a.municipality.id),
    )
    assert status == 409 and 'id="f-username-error"' in html


def test_creating_a_user_without_csrf_is_refused(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.admin)
    answer = web.post(
        "/admin/users/new",
        data={"username": "nieuw", "role": "admin"},
    )
    assert answer.status_code == 403
    assert session.exec(select(User).where(User.username == "nieuw")).first() is None


def test_deactivate_and_reset_password(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.admin)
    target, admin_id = world.a.other_coach, world.admin.id
    assert target.id is not None and admin_id is not None
    page = web.get(f"/admin/users/{target.id}")
    token = csrf_from(page.text)
    assert web.post(f"/admin/users/{target.id}", data={"action": "deactivate"}).status_code == 403
    assert _fresh(session, target.id).active
    done = web.post(f"/admin/users/{target.id}", data={"action": "deactivate", "csrf_token": token})
    assert done.status_code == 200 and not _fresh(session, target.id).active
    before = _fresh(session, target.id).password_hash
    reset = web.post(
        f"/admin/users/{target.id}", data={"action": "reset_password", "csrf_token": token}
    )
    assert reset.status_code == 200 and PASSWORD.search(reset.text)
    assert _fresh(session, target.id).password_hash != before
    self_off = web.post(
        f"/admin/users/{admin_id}", data={"action": "deactivate", "csrf_token": token}
    )
    assert self_off.status_code == 422 and _fresh(session, admin_id).active
    assert web.get("/admin/users/999999").status_code == 404


def test_an_api_key_is_shown_once_and_can_be_revoked(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.admin)
    page = web.get("/admin/api-keys")
    assert page.status_code == 200
    token = csrf_from(page.text)
    owner = str(world.a.contractor_user.id)
    refused = web.post("/admin/api-keys", data={"action": "create", "user_id": owner, "name": "x"})
    assert refused.status_code == 403
    made = web.post(
        "/admin/api-keys",
        data={"action": "create", "user_id": owner, "name": "erp-koppeling", "csrf_token": token},
    )
    assert made.status_code == 201
    key = re.search(r'<code class="secret" id="new-api-key">([^<]+)</code>', made.text)
    assert key
    row = session.exec(select(ApiKey).where(ApiKey.name == "erp-koppeling")).one()
    session.commit()
    assert f"_{row.prefix}_" in key.group(1) and key.group(1) not in web.get("/admin/api-keys").text
    missing = web.post(
        "/admin/api-keys",
        data={"action": "create", "user_id": "", "name": "", "csrf_token": token},
    )
    assert missing.status_code == 422
    assert 'id="f-user_id-error"' in missing.text and 'id="f-name-error"' in missing.text
    revoked = web.post(
        "/admin/api-keys", data={"action": "revoke", "key_id": str(row.id), "csrf_token": token}
    )
    assert revoked.status_code == 200
    session.expire_all()
    assert session.get(ApiKey, row.id).revoked_at is not None  # type: ignore[union-attr]


def test_training_runs_show_metrics_next_to_the_baseline(web: TestClient, session: Session) -> None:
    world = make_world(session)
    session.add(
        ModelVersion(
            version="test-2",
            status="trained",
            accepted=True,
            metrics={"ndcg@10": 0.61, "recall@10": 0.4, "auc": 0.7},
            baseline_metrics={"ndcg@10": 0.5, "recall@10": 0.45, "auc": 0.6},
        )
    )
    session.commit()
    log_in(web, world.admin)
    html = web.get("/admin/training").text
    assert "test-1" in html and "test-2" in html
    assert "0,610" in html and "0,500" in html and "+0,110" in html and "-0,050" in html
    assert "in gebruik" in html
