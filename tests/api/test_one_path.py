"""One path per use case (issue 9, acceptance 2): the HTTP route and the CLI command of an
import, an export and a report call the same service function (``files.import_file``,
``files.export_file``, ``reports.report_file``) and give the same result.

The service function is wrapped by a recorder that delegates to the real one, so the real work
happens on the real database; the recorder only notes that (and by whom) it was called. The
CLI runs in-process (``api.cli.main``) against the test's database: its engine factory is
pointed at that database, everything after that is the command as a user runs it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api import cli
from api.main import create_app
from api.services import files, reports
from models.audit import AuditEvent
from models.candidates import Candidate
from models.organisations import Role, User
from models.placements import Placement
from tests.api.conftest import (
    api_settings,
    auth,
    make_candidate,
    make_municipality,
    make_user,
    make_world,
)
from tests.conftest import sqlite_memory_copy

#: columns that differ between two databases holding the same data (keys and clocks)
VOLATILE = {"id", "municipality_id", "coach_id", "created_at", "updated_at"}

CANDIDATES = (
    "candidate_ref,municipality,postcode,benefit,skills,occupations,dutch_level,education\n"
    "K-1,Utrecht,3511 ab,participatiewet,heftruck;orderpicken,magazijnmedewerker,B1,mbo2\n"
    "K-2,Utrecht,3521,ww,schoonmaken,schoonmaker,moedertaal,vmbo\n"
    "K-3,Utrecht,3581,ww,,,A2,\n"
)


def recorder(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[dict[str, Any]]:
    """Wrap ``module.name`` so each call's keyword arguments are kept; it still does the work."""
    real: Callable[..., Any] = getattr(module, name)
    calls: list[dict[str, Any]] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return calls


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], engine: Engine, *argv: str
) -> tuple[int, str]:
    """``srmatch ARGV`` on ``engine``'s database: (exit code, stdout)."""
    monkeypatch.setattr(cli, "_engine", lambda: engine)
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr()
    assert code == 0, out.err
    return code, out.out


@pytest.fixture
def sqlite_pair(sqlite_template: Path) -> Iterator[tuple[Engine, Engine]]:
    """Two private databases migrated alike: one for the HTTP route, one for the CLI."""
    first, second = sqlite_memory_copy(sqlite_template), sqlite_memory_copy(sqlite_template)
    yield first, second
    first.dispose()
    second.dispose()


def _seed_officer(engine: Engine) -> str:
    with Session(engine) as s:
        muni = make_municipality(s, name="Utrecht")
        return make_user(s, role=Role.sr_officer, municipality=muni, username="sr_one").username


def _headers(engine: Engine, username: str) -> dict[str, str]:
    with Session(engine) as s:
        return auth(s.exec(select(User).where(User.username == username)).one(), api_settings())


def _candidate_rows(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as s:
        rows = s.exec(select(Candidate).order_by(col(Candidate.ref))).all()
        return [{k: v for k, v in c.model_dump().items() if k not in VOLATILE} for c in rows]


def _audit(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        return list(s.exec(stmt.order_by(col(AuditEvent.id))).all())


def test_import_route_and_cli_share_files_import_file(
    sqlite_pair: tuple[Engine, Engine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    http_db, cli_db = sqlite_pair
    username = _seed_officer(http_db)
    assert _seed_officer(cli_db) == username
    calls = recorder(monkeypatch, files, "import_file")
    settings = api_settings()

    headers = _headers(http_db, username)
    with TestClient(create_app(settings, engine=http_db)) as client:
        r = client.post(
            "/api/v1/sr-officer/imports/candidates",
            files={"file": ("candidates.csv", CANDIDATES.encode())},
            headers=headers,
        )
    assert r.status_code == 200, r.text
    http_report = r.json()
    assert len(calls) == 1 and calls[0]["actor"].username == username
    assert calls[0]["request_id"] == r.headers["x-request-id"]

    path = tmp_path / "candidates.csv"
    path.write_text(CANDIDATES)
    _, out = run_cli(
        monkeypatch, capsys, cli_db, "import", "candidates", str(path), "--as", username, "--json"
    )
    cli_report = json.loads(out)
    assert len(calls) == 2, "the CLI went around files.import_file"
    assert calls[1]["actor"].username == username and calls[1]["request_id"] is None

    # the same report, the same rows, and the import audited in the same transaction on both
    assert http_report["created"] == 3 and http_report["committed"]
    assert cli_report == http_report
    assert _candidate_rows(cli_db) == _candidate_rows(http_db)
    assert len(_candidate_rows(http_db)) == 3
    shapes = []
    for db in (http_db, cli_db):
        events = _audit(db, "import.candidates")
        # the file's event and one per candidate written, all from the one import
        assert len(events) == 1 + 3
        assert {(e.username, e.detail) for e in events} == {
            (username, http_report_counts(http_report))
        }
        shapes.append(sorted((e.candidate_id is None, e.object_type or "") for e in events))
    assert shapes[0] == shapes[1]


def http_report_counts(report: dict[str, Any]) -> str:
    """The counts line an import's audit event carries."""
    return (
        f"{report['created']} created, {report['updated']} updated, "
        f"{report['unchanged']} unchanged, {report['skipped']} skipped"
    )


def test_export_route_and_cli_share_files_export_file(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    with Session(engine) as s:
        muni = make_municipality(s, name="Utrecht")
        username = make_user(s, role=Role.sr_officer, municipality=muni).username
        for _ in range(3):
            make_candidate(s, municipality_id=muni.id)
        make_candidate(s)  # another municipality's: in neither file
    headers = _headers(engine, username)
    calls = recorder(monkeypatch, files, "export_file")

    with TestClient(create_app(api_settings(), engine=engine)) as client:
        r = client.get(
            "/api/v1/sr-officer/exports/candidates", params={"format": "csv"}, headers=headers
        )
    assert r.status_code == 200, r.text
    assert len(calls) == 1 and calls[0]["actor"].username == username

    out = tmp_path / "candidates.csv"
    run_cli(
        monkeypatch, capsys, engine, "export", "candidates", "--out", str(out), "--as", username
    )
    assert len(calls) == 2, "the CLI went around files.export_file"
    assert calls[1]["actor"].username == username and calls[1]["kind"] == "candidates"

    # byte for byte the same file: a header and the officer's three candidates
    assert out.read_bytes() == r.content
    assert r.content.count(b"\n") == 4
    # and each path audited every exported candidate
    events = _audit(engine, "export.candidates")
    by_http = {e.candidate_id for e in events if e.request_id == r.headers["x-request-id"]}
    by_cli = {e.candidate_id for e in events if e.request_id is None}
    assert len(by_http) == 3 and by_cli == by_http


def test_report_route_and_cli_share_reports_report_file(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    with Session(engine) as s:
        a = make_world(s).a
        s.add(
            Placement(
                candidate_id=a.candidate.id,  # type: ignore[arg-type]
                vacancy_id=a.vacancy.id,  # type: ignore[arg-type]
                contract_id=a.contract.id,
                start_date=dt.date(2025, 1, 1),
                hours_per_week=36,
            )
        )
        s.commit()
        ref, username = a.contract.ref, a.sr_officer.username
        candidate_ref, candidate_id = a.candidate.ref, a.candidate.id
    headers = _headers(engine, username)
    calls = recorder(monkeypatch, reports, "report_file")
    as_of = "2025-06-30"

    with TestClient(create_app(api_settings(), engine=engine)) as client:
        r = client.get(
            "/api/v1/sr-officer/reports/download",
            params={"scope": "contract", "name": ref, "as_of": as_of, "format": "csv"},
            headers=headers,
        )
    assert r.status_code == 200, r.text
    assert len(calls) == 1 and calls[0]["actor"].username == username

    out = tmp_path / "report.csv"
    argv = ["report", "contract", ref, "--format", "csv", "--as-of", as_of, "--out", str(out)]
    run_cli(monkeypatch, capsys, engine, *argv)
    assert len(calls) == 2, "the CLI went around reports.report_file"
    assert calls[1]["actor"] is None and calls[1]["scope"] == "contract"

    # the same numbers: the same file, every credited euro traced to the placed candidate
    assert out.read_bytes() == r.content
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {row["contract_contract_ref"] for row in rows} == {ref}
    assert {row["candidate_key"] for row in rows} == {candidate_ref}
    # both downloads audited the candidate the trace names
    by_http = [e for e in _audit(engine, "report.download") if e.request_id]
    by_cli = [e for e in _audit(engine, "report.download") if e.request_id is None]
    assert [e.candidate_id for e in by_http] == [e.candidate_id for e in by_cli] == [candidate_id]
