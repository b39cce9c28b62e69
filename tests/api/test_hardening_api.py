"""Issue 13 through the HTTP API: a EUR 250,000,000 contract is stored exactly through the API and
through a contracts file (finding 12: a 32-bit INTEGER failed on PostgreSQL above EUR 21.5 M),
and ``/readyz`` answers 503 on a database that refuses writes (finding 11)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.config import Settings
from api.main import create_app
from models.contracts import Contract
from models.db import create_db_engine, database_writable, upgrade
from tests.api.conftest import api_settings, auth, make_world

EUR = 250_000_000
CENTS = EUR * 100


def test_a_250_million_euro_contract_through_the_api(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    body = {"ref": "C-TENDER", "contractor": w.a.contractor.name, "value_cents": CENTS,
            "social_purchasing_cents": CENTS // 20, "sr_table": "nationaal"}  # fmt: skip
    sr = auth(w.a.sr_officer, settings)
    created = client.post("/api/v1/sr-officer/contracts", json=body, headers=sr)
    assert created.status_code == 201, created.text
    assert created.json()["value_cents"] == CENTS and created.json()["value_eur"] == EUR
    read = client.get(f"/api/v1/sr-officer/contracts/{created.json()['id']}", headers=sr)
    assert read.json()["value_cents"] == CENTS
    assert read.json()["social_purchasing_cents"] == CENTS // 20


def test_a_250_million_euro_contract_through_a_contracts_file(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    csv = (
        "contract_ref,contractor,municipality,value_eur,sr_table\n"
        f"C-FILE,{w.a.contractor.name},{w.a.municipality.name},{EUR},nationaal\n"
    )
    answer = client.post(
        "/api/v1/sr-officer/imports/contracts",
        files={"file": ("contracts.csv", csv.encode(), "text/csv")},
        headers=auth(w.a.sr_officer, settings),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["committed"] is True
    session.expire_all()
    stored = session.exec(select(Contract).where(Contract.ref == "C-FILE")).one()
    assert stored.value_cents == CENTS


def _migrated_file(tmp_path: Path) -> Path:
    path = tmp_path / "ready.db"
    eng = create_db_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return path


def test_readyz_answers_503_on_a_read_only_database(tmp_path: Path) -> None:
    path = _migrated_file(tmp_path)
    writable = create_db_engine(f"sqlite:///{path}")
    assert database_writable(writable) is None
    writable.dispose()
    read_only = create_db_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert "not writable" in (database_writable(read_only) or "")
    app = create_app(api_settings(database_url=f"sqlite:///{path}"), engine=read_only)
    with TestClient(app) as c:
        answer = c.get("/readyz")
    assert answer.status_code == 503
    assert any("database not writable" in r for r in answer.json()["reasons"]), answer.json()
    read_only.dispose()


def test_readyz_does_not_blame_a_writable_database(tmp_path: Path) -> None:
    path = _migrated_file(tmp_path)
    eng = create_db_engine(f"sqlite:///{path}")
    app = create_app(api_settings(database_url=f"sqlite:///{path}"), engine=eng)
    with TestClient(app) as c:
        reasons = c.get("/readyz").json()["reasons"]
    assert not any("database" in r for r in reasons), reasons
    with Session(eng) as s:  # the probe wrote nothing
        assert s.exec(select(Contract)).all() == []
    eng.dispose()
