"""Issue 13, acceptance 2: a corpus of bad files (``tests/data/bad_files``), each imported
through the service, the HTTP API and the command line. Every file gets a clear error naming
what is wrong (or is imported within the bounds the API promises); none gives a 500 or a
traceback; a refused file leaves the database exactly as it was (every table, every row).

Service and HTTP run on SQLite and PostgreSQL (the ``engine`` fixture); the command line runs
as a user would, on a SQLite database file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from api.config import Settings
from api.services import files
from api.services.errors import FieldError, ForbiddenError
from models.candidates import Candidate, CandidatePublic
from models.contracts import Contract, ContractPublic
from models.db import create_db_engine, upgrade
from models.organisations import User
from models.vacancies import Vacancy, VacancyPublic
from tests.api.conftest import World, api_settings, auth, make_world

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "bad_files"
CASES: list[dict[str, Any]] = json.loads((DATA / "cases.json").read_text())
ROOT = Path(__file__).resolve().parents[2]
#: an error answer is a short report, never megabytes (finding 8: 166 MB from 113 KiB)
MAX_ANSWER = 200_000
PREFIX = {"coach": "/api/v1/coach", "sr_officer": "/api/v1/sr-officer",
          "contractor": "/api/v1/contractor"}  # fmt: skip


def test_the_corpus_is_big_and_covers_every_finding() -> None:
    assert len(CASES) >= 40
    notes = " ".join(c["note"] for c in CASES).lower()
    for finding in ("full-width", "formula", "utf-16", "billion laughs", "31 february",
                    "do not exist", "another coach", "another municipality", "beyond",
                    "twice", "5,000 digits", "3,000-character"):  # fmt: skip
        assert finding in notes, finding
    for c in CASES:
        assert (DATA / c["file"]).is_file(), c["file"]


@pytest.fixture
def settings() -> Settings:
    return api_settings(max_upload_mb=2)


def _user(world: World, who: str) -> User | None:
    return {
        "coach_A": world.a.coach,
        "coach2_A": world.a.other_coach,
        "sr_A": world.a.sr_officer,
        "contr_A": world.a.contractor_user,
        "operator": None,
    }[who]


def _data(case: dict[str, Any], world: World) -> bytes:
    data = (DATA / case["file"]).read_bytes()
    if case["file"].endswith(".csv") and b"{" in data:
        refs = {
            "contract_A": world.a.contract.ref,
            "contract_B": world.b.contract.ref,
            "vacancy_A": world.a.vacancy.ref,
            "vacancy_B": world.b.vacancy.ref,
        }
        text = data.decode("utf-8")
        for key, ref in refs.items():
            text = text.replace("{" + key + "}", ref)
        data = text.encode("utf-8")
    return data


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def _readable(session: Session) -> None:
    """Nothing stored that the API's response models cannot read back (finding 4)."""
    for c in session.exec(select(Candidate)).scalars():
        CandidatePublic.model_validate(c)
    for v in session.exec(select(Vacancy)).scalars():
        VacancyPublic.model_validate(v)
    for k in session.exec(select(Contract)).scalars():
        ContractPublic.model_validate(k)


def _ids(case: dict[str, Any]) -> str:
    return str(case["file"])


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_service(engine: Engine, session: Session, case: dict[str, Any]) -> None:
    world = make_world(session)
    before = snapshot(engine)
    try:
        report = files.import_file(
            session=session,
            actor=_user(world, case["as"]),
            kind=case["kind"],
            data=_data(case, world),
            filename=case["file"],
        )
        session.commit()
        outcome, text = "imported", report.counts
    except files.ImportRejected as exc:
        session.rollback()
        outcome = "refused"
        text = str(exc) + " | " + " | ".join(p.message for p in exc.report.problems)
        assert exc.report.problems, "a refused file names its problems"
        assert len(exc.report.model_dump_json()) < MAX_ANSWER
        assert all(len(e.value) <= 80 for e in exc.report.errors), "values echoed short"
    except (FieldError, ForbiddenError) as exc:
        session.rollback()
        outcome, text = "refused", str(exc)
    assert outcome == case["expect"], f"{case['note']}: {text}"
    if outcome == "refused":
        assert case["says"].lower() in text.lower(), text
        assert len(text) < 20_000
        assert snapshot(engine) == before, "a refused file changed the database"
    else:
        _readable(session)


@pytest.mark.parametrize("case", [c for c in CASES if c["as"] != "operator"], ids=_ids)
def test_http(
    engine: Engine,
    session: Session,
    client: TestClient,
    settings: Settings,
    case: dict[str, Any],
) -> None:
    world = make_world(session)
    user = _user(world, case["as"])
    assert user is not None
    before = snapshot(engine)
    answer = client.post(
        f"{PREFIX[str(user.role)]}/imports/{case['kind']}",
        files={"file": (case["file"], _data(case, world))},
        headers=auth(user, settings),
    )
    assert answer.status_code < 500, answer.text[:500]
    assert len(answer.content) < MAX_ANSWER
    assert "Traceback" not in answer.text
    if case["expect"] == "imported":
        assert answer.status_code == 200, answer.text[:500]
        with Session(engine) as s:
            _readable(s)
        return
    assert answer.status_code in (403, 413, 422), answer.text[:500]
    body = answer.json()
    assert "detail" in body
    if case["file"] != "kind_not_allowed.csv":  # the route's own kinds refuse it as a 422
        assert case["says"].lower() in answer.text.lower(), answer.text[:500]
    assert snapshot(engine) == before, "a refused file changed the database"


# --- the command line, on a database file ---------------------------------------------------


@pytest.fixture(scope="module")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A migrated SQLite file holding the two-sided world, copied for each case."""
    path = tmp_path_factory.mktemp("cli") / "world.db"
    eng = create_db_engine(f"sqlite:///{path}")
    upgrade(eng)
    with Session(eng) as s:
        world = make_world(s)
        refs = {
            "contract_A": world.a.contract.ref,
            "contract_B": world.b.contract.ref,
            "vacancy_A": world.a.vacancy.ref,
            "vacancy_B": world.b.vacancy.ref,
            "coach_A": world.a.coach.username,
            "coach2_A": world.a.other_coach.username,
            "sr_A": world.a.sr_officer.username,
            "contr_A": world.a.contractor_user.username,
        }
    eng.dispose()
    return path, refs


#: the cases also run as a separate process, exactly as a user types them (slower: one
#: interpreter each); all cases run in-process through ``api.cli.main`` below
PROCESS_CASES = {
    "billion_laughs.xlsx",
    "huge_numbers.xlsx",
    "infinite_number.xlsx",
    "zip_bomb.xlsx",
    "unknown_coaches.csv",
    "takeover_candidate.csv",
    "huge_int.csv",
    "bsn_fullwidth.csv",
    "quoted_semicolon_lists.csv",
}


def _cli_file(case: dict[str, Any], refs: dict[str, str], tmp_path: Path) -> Path:
    data = (DATA / case["file"]).read_bytes()
    if case["file"].endswith(".csv") and b"{" in data:
        text = data.decode("utf-8")
        for key in ("contract_A", "contract_B", "vacancy_A", "vacancy_B"):
            text = text.replace("{" + key + "}", refs[key])
        data = text.encode("utf-8")
    f = tmp_path / case["file"]
    f.write_bytes(data)
    return f


def _cli_args(case: dict[str, Any], refs: dict[str, str], f: Path) -> list[str]:
    args = ["import", case["kind"], str(f)]
    if case["as"] != "operator":
        args += ["--as", refs[case["as"]]]
    return args


def _check_cli(case: dict[str, Any], code: int, out: str, err: str, changed: bool) -> None:
    both = out + err
    assert "Traceback" not in both, both[-3000:]
    assert len(both) < MAX_ANSWER
    if case["expect"] == "imported":
        assert code == 0, both[-2000:]
        return
    assert code in (1, 3), both[-2000:]
    assert case["says"].lower() in both.lower(), both[-2000:]
    assert err.count("\n") <= 60, "one line per problem, not one per row"
    assert not changed, "a refused file changed the database"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_cli(
    cli_template: tuple[Path, dict[str, str]],
    tmp_path: Path,
    case: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from api.cli import main
    from api.config import get_settings

    template, refs = cli_template
    db = tmp_path / "srmatch.db"
    shutil.copy(template, db)
    f = _cli_file(case, refs, tmp_path)
    eng = create_db_engine(f"sqlite:///{db}")
    before = snapshot(eng)
    monkeypatch.setenv("SRMATCH_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SRMATCH_MODEL_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    try:
        code = main(_cli_args(case, refs, f))  # an exception here would be a traceback
    finally:
        get_settings.cache_clear()
    captured = capsys.readouterr()
    _check_cli(case, code, captured.out, captured.err, snapshot(eng) != before)
    eng.dispose()


@pytest.mark.parametrize("case", [c for c in CASES if c["file"] in PROCESS_CASES], ids=_ids)
def test_cli_process(
    cli_template: tuple[Path, dict[str, str]], tmp_path: Path, case: dict[str, Any]
) -> None:
    template, refs = cli_template
    db = tmp_path / "srmatch.db"
    shutil.copy(template, db)
    f = _cli_file(case, refs, tmp_path)
    eng = create_db_engine(f"sqlite:///{db}")
    before = snapshot(eng)
    env = {**os.environ, "SRMATCH_DATABASE_URL": f"sqlite:///{db}",
           "SRMATCH_MODEL_DIR": str(tmp_path / "models")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *_cli_args(case, refs, f)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    _check_cli(case, result.returncode, result.stdout, result.stderr, snapshot(eng) != before)
    eng.dispose()
