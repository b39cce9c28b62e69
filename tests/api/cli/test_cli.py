"""The ``srmatch`` command as a user runs it: a real process on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import build_parser

SRMATCH = [sys.executable, "-m", "api.cli"]
ROOT = Path(__file__).resolve().parents[3]


def run(args: list[str], db: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SRMATCH_DATABASE_URL": f"sqlite:///{db}",
           "SRMATCH_MODEL_DIR": str(db.parent / "models")}  # fmt: skip
    return subprocess.run(
        SRMATCH + args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,  # type: ignore[call-overload]
    )


def _all_commands() -> list[list[str]]:
    parser = build_parser()
    out: list[list[str]] = [[]]
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            out.append([name])
            for a in sub._actions:
                if a.__class__.__name__ == "_SubParsersAction":
                    out += [[name, s] for s in a.choices]
    return out


@pytest.mark.parametrize("command", _all_commands(), ids=lambda c: " ".join(c) or "srmatch")
def test_help_everywhere(command: list[str], tmp_path: Path) -> None:
    result = run([*command, "--help"], tmp_path / "x.db")
    assert result.returncode == 0, result.stderr
    assert "usage: srmatch" in result.stdout


def test_outdated_schema_names_the_fix(tmp_path: Path) -> None:
    result = run(["users", "list"], tmp_path / "empty.db")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, "errors are one line"
    assert "srmatch db upgrade" in result.stderr


def test_usage_error_is_one_line_with_exit_2(tmp_path: Path) -> None:
    result = run(["import", "spaceships", "x.csv"], tmp_path / "x.db")
    assert result.returncode == 2
    assert result.stderr.startswith("srmatch: error:") and result.stderr.count("\n") == 1


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "srmatch.db"
    result = run(["db", "upgrade", "--json"], path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["from"] is None
    return path


def test_import_bad_file_exits_nonzero_and_partial_imports_the_rest(
    db: Path, tmp_path: Path
) -> None:
    f = tmp_path / "candidates.csv"
    f.write_text(
        "candidate_ref;municipality;postcode;benefit\n"
        "K-1;Utrecht;3511;ww\nK-2;Utrecht;3511;bijstnd\nK-3;Utrecht;1234567;ww\n",
        encoding="cp1252",
    )
    result = run(["import", "candidates", str(f)], db)
    assert result.returncode == 3
    # one line per distinct problem, naming column, value and rows (issue 11)
    assert "benefit 'bijstnd' is not one of: participatiewet" in result.stderr
    assert ": row 3\n" in result.stderr
    assert "postcode '1234567' is not a Dutch postcode" in result.stderr
    assert ": row 4\n" in result.stderr
    assert "nothing was imported" in result.stderr
    result = run(["import", "candidates", str(f), "--partial", "--json"], db)
    assert result.returncode == 3  # still not a full success
    report = json.loads(result.stdout)
    assert report["committed"] and report["created"] == 1 and len(report["errors"]) == 2
    again = run(["import", "candidates", str(f), "--partial", "--json"], db)
    assert json.loads(again.stdout)["unchanged"] == 1


def test_normalize_title_json_gives_an_isco_code(tmp_path: Path) -> None:
    result = run(["normalize", "title", "Magazijnmedewerker (m/v)", "--json"], tmp_path / "x.db")
    assert result.returncode == 0, result.stderr
    [out] = json.loads(result.stdout)
    assert out["isco08"] in {"9333", "4321"}


def test_normalize_bad_postcode_exits_nonzero(tmp_path: Path) -> None:
    result = run(["normalize", "postcode", "12345", "--json"], tmp_path / "x.db")
    assert result.returncode == 3
    assert json.loads(result.stdout)[0]["ok"] is False


@pytest.mark.slow
def test_demo_train_shortlist_export_report(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["demo"], db).returncode == 0
    again = run(["demo", "--if-empty"], db)
    assert again.returncode == 0 and "nothing loaded" in again.stdout
    # the fairness gate (issue 14) holds the ranker back until an admin overrides (a floor of
    # 1.0, which only the best-served group reaches, makes that certain on any demo world); the
    # gated verdict of the service this command calls is tested in
    # tests/api/services/test_training.py, so here one run, with the admin's override
    monkeypatch.setenv("SRMATCH_FAIRNESS_FLOOR", "1.0")
    reason = "demo: fairness audit reviewed by the SR team"
    trained = run(["train", "--json", "--override-fairness", reason], db)
    assert trained.returncode == 0, trained.stderr
    t = json.loads(trained.stdout)
    assert t["status"] == "accepted", t["summary"]
    assert t["fairness_override"] == reason
    assert t["metrics"]["ndcg@10"] > t["baseline_metrics"]["ndcg@10"]

    # an open vacancy whose contract still runs (closed ones refuse shortlists: life cycle)
    every = run(["shortlist", "--all", "--json", "--top", "5"], db)
    assert every.returncode == 0, every.stderr
    vac = next(x["vacancy_ref"] for x in json.loads(every.stdout)["shortlists"] if x["entries"])
    sl = run(["shortlist", vac, "--top", "5", "--json", "--explain-excluded"], db)
    assert sl.returncode == 0, sl.stderr
    [one] = json.loads(sl.stdout)["shortlists"]
    assert one["model_version"] == t["version"]
    assert 0 < len(one["entries"]) <= 5
    for e in one["entries"]:
        assert e["candidate_ref"] and isinstance(e["score"], float) and 1 <= len(e["reasons"]) <= 5
    assert one["excluded"] and all(x["reasons"] for x in one["excluded"])

    out = tmp_path / "contracts.xlsx"
    assert run(["export", "contracts", "--out", str(out)], db).returncode == 0
    assert out.read_bytes()[:2] == b"PK"
    report = run(["report", "region", "Utrecht", "--format", "json"], db)
    assert report.returncode == 0, report.stderr
    assert {r["summary"]["status"] for r in json.loads(report.stdout)} <= {
        "met",
        "on_track",
        "behind",
        "not_met",  # an ended contract's final status
    }
    missing = run(["shortlist", "NOPE"], db)
    assert missing.returncode == 1 and "NOPE" in missing.stderr


def _long_candidates_file(path: Path, n: int = 250) -> Path:
    rows = "".join(f"P-{i:04d},Utrecht,3511,ww,heftruck,\n" for i in range(n))
    path.write_text("candidate_ref,municipality,postcode,benefit,skills,occupations\n" + rows)
    return path


def test_long_import_shows_progress_on_a_terminal_and_is_quiet_when_piped(
    db: Path, tmp_path: Path
) -> None:
    import fcntl
    import pty
    import struct
    import termios

    f = _long_candidates_file(tmp_path / "long.csv")
    piped = run(["import", "candidates", str(f)], db)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""

    f2 = tmp_path / "long2.csv"
    f2.write_text(f.read_text().replace("P-", "Q-"))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "SRMATCH_DATABASE_URL": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [*SRMATCH, "import", "candidates", str(f2)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=slave, text=True,
    )  # fmt: skip
    os.close(slave)
    out, _ = proc.communicate(timeout=120)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    terminal = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0, terminal
    assert "import candidates:" in terminal and "/250 [" in terminal
    assert "250 created" in out


def test_db_upgrade_builds_an_empty_postgres_database() -> None:
    """`srmatch db upgrade` on PostgreSQL (a private schema of the test database)."""
    import uuid

    from sqlalchemy import text

    from models.db import create_db_engine
    from tests.conftest import PG_URL, require_pg

    require_pg()
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        env = {**os.environ, "SRMATCH_DATABASE_URL": f"{PG_URL}?options=-csearch_path%3D{schema}"}
        before = subprocess.run(
            [*SRMATCH, "db", "current", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert before.returncode == 1 and json.loads(before.stdout)["current"] is None
        up = subprocess.run(
            [*SRMATCH, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert up.returncode == 0, up.stderr
        after = subprocess.run(
            [*SRMATCH, "db", "current", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert after.returncode == 0 and json.loads(after.stdout)["up_to_date"] is True
        with admin.connect() as conn:
            n = conn.execute(
                text("select count(*) from information_schema.tables where table_schema = :s"),
                {"s": schema},
            ).scalar_one()
        assert n >= 14
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_the_command_line_leaves_an_audit_trail(db: Path, tmp_path: Path) -> None:
    """Imports, exports and shortlists from the CLI are personal-data access too."""
    from sqlmodel import Session, select

    from models import AuditEvent
    from models.db import create_db_engine

    f = tmp_path / "c.csv"
    f.write_text("candidate_ref,municipality,postcode,benefit\nK-1,Utrecht,3511,ww\n")
    assert run(["import", "candidates", str(f)], db).returncode == 0
    out = tmp_path / "out.csv"
    assert run(["export", "candidates", "--out", str(out)], db).returncode == 0
    engine = create_db_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
    engine.dispose()
    assert {e.action for e in events} == {"import.candidates", "export.candidates"}
    assert all(e.role == "operator" and e.username.startswith("cli:") for e in events)
    # the file's event, and one per candidate the import wrote and the export named
    per_candidate = {(e.action, e.candidate_id) for e in events if e.candidate_id is not None}
    assert {a for a, _ in per_candidate} == {"import.candidates", "export.candidates"}
    assert len({c for _, c in per_candidate}) == 1


def test_users_create_and_list(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("contract_ref,contractor,municipality,value_eur\nC-1,Bouw BV,Utrecht,500000\n")
    assert run(["import", "contracts", str(f)], db).returncode == 0
    ok = run(
        ["users", "create", "coach1", "--role", "coach", "--municipality", "Utrecht",
         "--password", "een-lang-wachtwoord", "--json"],
        db,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["role"] == "coach"
    firm = run(
        ["users", "create", "inkoop", "--role", "contractor", "--contractor", "Bouw BV"],
        db,
        input="",
    )
    assert firm.returncode == 1 and "no password" in firm.stderr  # no terminal to prompt on
    nowhere = run(
        ["users", "create", "c2", "--role", "coach", "--municipality", "Atlantis",
         "--password", "een-lang-wachtwoord"],
        db,
    )  # fmt: skip
    assert nowhere.returncode == 1
    assert nowhere.stderr.count("\n") == 1 and "Atlantis" in nowhere.stderr
    short = run(
        ["users", "create", "c3", "--role", "coach", "--municipality", "Utrecht",
         "--password", "kort"],
        db,
    )  # fmt: skip
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    taken = run(
        ["users", "create", "coach1", "--role", "coach", "--municipality", "Utrecht",
         "--password", "een-lang-wachtwoord"],
        db,
    )  # fmt: skip
    assert taken.returncode == 1 and "taken" in taken.stderr
    users = json.loads(run(["users", "list", "--json"], db).stdout)
    assert [u["username"] for u in users] == ["coach1"]
