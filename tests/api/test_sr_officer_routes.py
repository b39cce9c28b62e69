"""The SR officer routes live under /api/v1/sr-officer; /api/v1/sr is a deprecated alias that
serves the same routes but is not in the OpenAPI document. Metrics label each by its mount."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.organisations import Role
from tests.api.conftest import api_settings, auth, make_user, make_world


def test_the_old_prefix_serves_the_same_routes_but_is_not_documented(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    sr = auth(w.a.sr_officer, api_settings())
    new = client.get("/api/v1/sr-officer/contracts", headers=sr)
    old = client.get("/api/v1/sr/contracts", headers=sr)
    assert new.status_code == old.status_code == 200
    assert new.json() == old.json()
    assert [c["id"] for c in new.json()["data"]] == [w.a.contract.id]
    foreign = f"/api/v1/sr/contracts/{w.b.contract.id}"
    assert client.get(foreign, headers=sr).status_code == 404
    coach = auth(w.a.coach, api_settings())
    assert client.get("/api/v1/sr/contracts", headers=coach).status_code == 403

    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    assert "/api/v1/sr-officer/contracts" in paths
    assert not [p for p in paths if p.startswith("/api/v1/sr/")]
    tags = {
        t
        for p, ops in paths.items()
        if "/sr-officer/" in p
        for op in ops.values()
        for t in op["tags"]
    }
    assert tags == {"sr-officers"}


def test_metrics_label_sr_officer_routes_with_their_full_template(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    sr = auth(w.a.sr_officer, api_settings())
    assert client.get(f"/api/v1/sr-officer/contracts/{w.a.contract.id}", headers=sr).is_success
    assert client.get("/api/v1/sr/contracts", headers=sr).is_success
    admin = make_user(session, role=Role.admin)
    text = client.get("/metrics", headers=auth(admin, api_settings())).text
    assert 'route="/api/v1/sr-officer/contracts/{contract_id}",status="200"' in text
    assert 'route="/api/v1/sr/contracts",status="200"' in text
    assert 'route="/api/v1/contracts"' not in text
