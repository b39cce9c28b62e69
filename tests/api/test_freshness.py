"""Several server processes share one database: a change made through one shows in the
shortlists of every other within two seconds (issue 4). Real uvicorn processes, real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from api.services.importer import import_file
from api.services.users import create_user_named
from models.db import create_db_engine, upgrade
from tests.conftest import PG_URL, require_pg, stop_server

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "freshness-test-pw"
pytestmark = pytest.mark.slow

CONTRACTS = (
    "contract_ref,contractor,municipality,value_eur,sr_table\n"
    "C-1,Magazijn BV,Utrecht,1000000,utrecht\n"
)
VACANCIES = (
    "vacancy_ref,contractor,contract_ref,title,required_skills,postcode,hours_per_week\n"
    "V-1,Magazijn BV,C-1,Magazijnmedewerker,heftruck;orderpicken,3511,32\n"
)
CANDIDATES = (
    "candidate_ref,municipality,postcode,benefit,skills,occupations\n"
    "K-1,Utrecht,3512,participatiewet,heftruck,magazijnmedewerker\n"
    "K-2,Utrecht,3521,ww,orderpicken,\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str) -> None:
    engine = create_db_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for kind, text_ in (("contracts", CONTRACTS), ("vacancies", VACANCIES)):
            report = import_file(
                session, kind=kind, data=text_.encode(), filename=f"{kind}.csv", actor=None
            )
            assert report.committed, report.errors
        create_user_named(
            session=session,
            username="coach1",
            password=PASSWORD,
            role="coach",
            municipality="Utrecht",
        )
        session.commit()
        report = import_file(
            session, kind="candidates", data=CANDIDATES.encode(), filename="c.csv", actor=None
        )
        assert report.committed, report.errors
        session.commit()  # the importer writes in the caller's transaction
    engine.dispose()


class Server:
    def __init__(self, url: str, port: int) -> None:
        env = {
            **os.environ,
            "SRMATCH_DATABASE_URL": url,
            "SRMATCH_DEMO_MODE": "true",
            "SRMATCH_INDEX_REFRESH_SECONDS": "0.5",
        }
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode() if self.proc.stderr else "")
            try:
                if httpx.get(self.base + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.base} not ready")

    def login(self) -> httpx.Client:
        token = httpx.post(
            self.base + "/api/v1/auth/token", data={"username": "coach1", "password": PASSWORD}
        ).json()["access_token"]
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {token}"})

    def stop(self) -> None:
        stop_server(self.proc)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
        return
    require_pg()
    schema = f"fresh_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _refs(client: httpx.Client, vacancy_id: int) -> set[str]:
    r = client.get(f"/api/v1/coach/vacancies/{vacancy_id}/shortlist", params={"top": 50})
    assert r.status_code == 200, r.text
    return {e["candidate_ref"] for e in r.json()["entries"]}


def _seconds_until(predicate, timeout: float = 10.0) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not visible after {timeout} s")


def test_a_change_through_one_server_shows_in_the_other_within_two_seconds(
    database_url: str,
) -> None:
    _seed(database_url)
    a, b = Server(database_url, _free_port()), Server(database_url, _free_port())
    try:
        a.wait_ready()
        b.wait_ready()
        ca, cb = a.login(), b.login()
        vacancy_id = ca.get("/api/v1/coach/vacancies").json()["data"][0]["id"]
        assert _refs(cb, vacancy_id) == {"K-1", "K-2"}

        created = ca.post(
            "/api/v1/coach/candidates",
            json={"ref": "K-NEW", "postcode": "3511 AB", "benefit": "participatiewet",
                  "skills": ["heftruck", "orderpicken"], "occupations": ["magazijnmedewerker"]},
        )  # fmt: skip
        assert created.status_code == 201, created.text
        assert "K-NEW" in _refs(ca, vacancy_id), "the writing process sees it at once"
        appeared = _seconds_until(lambda: "K-NEW" in _refs(cb, vacancy_id))
        assert appeared <= 2.0

        new_id = created.json()["id"]
        assert ca.post(f"/api/v1/coach/candidates/{new_id}/deactivate").status_code == 200
        vanished = _seconds_until(lambda: "K-NEW" not in _refs(cb, vacancy_id))
        assert vanished <= 2.0
        ca.close()
        cb.close()
    finally:
        a.stop()
        b.stop()
