"""Acceptance 4 and log-in: tokens expire, tampered/expired tokens and revoked keys get 401."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.config import DEMO_SECRET
from api.main import create_app
from api.security import InsecureSecretError, create_token
from models.organisations import LoginThrottle, Role
from tests.api.conftest import (
    PASSWORD,
    TEST_SECRET,
    api_settings,
    auth,
    make_api_key,
    make_user,
)

ME = "/api/v1/auth/me"


def test_password_login_refresh_and_me(client: TestClient, session: Session) -> None:
    user = make_user(session, role=Role.coach)
    r = client.post("/api/v1/auth/token", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    pair = r.json()
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 15 * 60
    me = client.get(ME, headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == user.username
    assert "password_hash" not in me.json()
    # a refresh token is not an access token, and vice versa
    assert (
        client.get(ME, headers={"Authorization": f"Bearer {pair['refresh_token']}"}).status_code
        == 401
    )
    bad = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]})
    assert bad.status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 200 and again.json()["access_token"] != pair["access_token"]


def test_expired_and_tampered_tokens_are_refused(client: TestClient, session: Session) -> None:
    settings = api_settings()
    user = make_user(session, role=Role.coach)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=settings.access_token_minutes + 1)
    expired = create_token(user, typ="access", settings=settings, now=old)
    r = client.get(ME, headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.json()["detail"] == "token expired"

    good = create_token(user, typ="access", settings=settings)
    header, payload, sig = good.split(".")
    tampered_sig = f"{header}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}"
    claims = jwt.decode(good, TEST_SECRET, algorithms=["HS256"])
    claims["role"] = "admin"
    forged = jwt.encode(claims, "another secret of at least thirty-two chars", algorithm="HS256")
    truncated = good[:-5]
    for token in (tampered_sig, forged, truncated, "not-a-jwt"):
        assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get(ME, headers={"Authorization": f"Bearer {good}"}).status_code == 200


def test_api_keys_work_until_revoked(client: TestClient, session: Session) -> None:
    owner = make_user(session, role=Role.contractor)
    admin = make_user(session, role=Role.admin)
    settings = api_settings()
    r = client.post(
        "/api/v1/admin/api-keys",
        json={"user_id": owner.id, "name": "erp"},
        headers=auth(admin, settings),
    )
    assert r.status_code == 201, r.text
    created = r.json()
    key = created["key"]
    assert key.startswith(f"srm_{created['prefix']}_")
    assert client.get(ME, headers={"X-API-Key": key}).json()["id"] == owner.id
    # stored hashed: the key itself is nowhere in the listing
    listing = client.get("/api/v1/admin/api-keys", headers=auth(admin, settings)).text
    assert key not in listing and created["prefix"] in listing
    assert client.get(ME, headers={"X-API-Key": key[:-1] + "x"}).status_code == 401
    revoke = client.post(
        f"/api/v1/admin/api-keys/{created['id']}/revoke", headers=auth(admin, settings)
    )
    assert revoke.status_code == 200 and revoke.json()["revoked_at"]
    assert client.get(ME, headers={"X-API-Key": key}).status_code == 401
    _, revoked = make_api_key(session, user=owner, revoked=True)
    assert client.get(ME, headers={"X-API-Key": revoked}).status_code == 401


def test_failed_logins_are_throttled_then_refused(client: TestClient, session: Session) -> None:
    user = make_user(session, role=Role.sr_officer)
    form = {"username": user.username, "password": "wrong password!"}
    for _ in range(3):  # login_max_failures=3 in the test settings
        assert client.post("/api/v1/auth/token", data=form).status_code == 401
    right = {"username": user.username, "password": PASSWORD}
    r = client.post("/api/v1/auth/token", data=right)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    session.expire_all()
    # paused for this name from this address (issue 13: counted in the throttle table, not
    # as a lock on the user row that anyone anywhere could set off)
    pair = session.get(LoginThrottle, f"pair:{user.username}|testclient")
    assert pair is not None and pair.blocked_until is not None
    session.commit()  # SQLite tests share one connection: end this read before the next call
    unknown = client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x"})
    assert unknown.status_code == 401


def test_an_office_behind_one_address_logs_in_all_day(client: TestClient, session: Session) -> None:
    """Successful log-ins do not count against the client address: 30 colleagues behind one
    address (the test client's) log in one after another, well past the address's limit of
    4 x 3 attempts, and none is paused; failures long ago are forgotten."""
    users = [make_user(session, role=Role.coach) for _ in range(30)]
    names = [u.username for u in users]
    for name in names:
        r = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
    session.expire_all()
    address = session.get(LoginThrottle, "addr:testclient")
    assert address is not None and address.attempts == 0 and address.blocked_until is None
    # three failures for one name an hour ago do not pause it now
    pair = session.get(LoginThrottle, f"pair:{names[0]}|testclient")
    assert pair is not None
    pair.attempts, pair.updated_at = 3, pair.updated_at - dt.timedelta(hours=1)
    session.add(pair)
    session.commit()
    wrong = {"username": names[0], "password": "wrong password!"}
    assert client.post("/api/v1/auth/token", data=wrong).status_code == 401
    session.expire_all()
    again = session.get(LoginThrottle, f"pair:{names[0]}|testclient")
    assert again is not None and again.attempts == 1 and again.blocked_until is None
    session.commit()


def test_refuses_to_start_with_the_demo_secret(engine) -> None:  # type: ignore[no-untyped-def]
    app = create_app(api_settings(secret_key=DEMO_SECRET), engine=engine)
    with pytest.raises(InsecureSecretError, match="SRMATCH_SECRET_KEY"), TestClient(app):
        pass
    demo = create_app(api_settings(secret_key=DEMO_SECRET, demo_mode=True), engine=engine)
    with TestClient(demo) as c:
        assert c.get("/healthz").status_code == 200


def test_refuses_to_start_on_an_outdated_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models.db import SchemaOutdatedError, create_db_engine

    eng = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(api_settings(), engine=eng)
    with pytest.raises(SchemaOutdatedError, match="srmatch db upgrade"), TestClient(app):
        pass


def test_request_id_is_echoed(client: TestClient) -> None:
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"


def test_metrics_count_requests_per_route_template(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.admin)
    headers = auth(admin, api_settings())
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/admin/users", headers=headers).status_code == 200
    text = client.get("/metrics", headers=headers).text
    assert 'srmatch_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'route="/api/v1/admin/users",status="200"' in text
    assert "srmatch_http_request_duration_seconds_bucket" in text
    coach = make_user(session, role=Role.coach)
    assert client.get("/metrics", headers=auth(coach, api_settings())).status_code == 403
