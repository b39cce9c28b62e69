"""Fast start (issue 15): a server starts from the index snapshot of its database and reads only
the changes made since; a snapshot of another database is never used; ``srmatch index build``
writes one. The index it ends up with gives the same shortlists as one read from every row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from api.services.changes import database_position
from api.services.matching import MatchingService, build_index_snapshot
from models import Candidate, Vacancy
from models.db import create_db_engine, upgrade
from tests.api.services.test_changes import _setup

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def file_engine(tmp_path: Path) -> Engine:
    eng = create_db_engine(f"sqlite:///{tmp_path / 'srmatch.db'}")
    upgrade(eng)
    return eng


def _service(engine: Engine, index_dir: Path | str) -> MatchingService:
    settings = SimpleNamespace(index_dir=str(index_dir))
    return MatchingService(engine=engine, settings=settings).start(  # type: ignore[arg-type]
        background=False
    )


def _shortlist(
    service: MatchingService, engine: Engine
) -> list[tuple[str, float, tuple[str, ...]]]:
    with Session(engine) as session:
        vac = session.exec(select(Vacancy)).one()
        result = service.shortlist(session, vacancy=vac, top=10, coach=None)
    return [(e.candidate_ref, e.score, tuple(e.reasons)) for e in result.entries]


def test_a_restart_reads_the_snapshot_and_the_changes_since(
    file_engine: Engine, tmp_path: Path
) -> None:
    ids = _setup(file_engine)
    index_dir = tmp_path / "index"
    first = _service(file_engine, index_dir)
    assert first.started_from == "database"
    assert (index_dir / "candidates" / "meta.json").exists()
    before = _shortlist(first, file_engine)
    assert {ref for ref, _, _ in before} == {"K-1", "K-2", "K-3"}
    # changes made while no server ran: one leaves, one changes, one arrives
    with file_engine.begin() as conn:
        conn.execute(text("UPDATE candidate SET active = 0 WHERE id = :i"), {"i": ids["K-1"]})
        conn.execute(
            text("UPDATE candidate SET skills_norm = '[]' WHERE id = :i"), {"i": ids["K-2"]}
        )
    with Session(file_engine) as session:
        k3 = session.get(Candidate, ids["K-3"])
        assert k3 is not None
        k3.hours_per_week = 20
        session.add(k3)
        session.commit()
    restarted = _service(file_engine, index_dir)
    assert restarted.started_from == "snapshot"
    cold = _service(file_engine, "")  # every row read from the database
    assert cold.started_from == "database"
    after = _shortlist(restarted, file_engine)
    assert after == _shortlist(cold, file_engine)
    assert "K-1" not in {ref for ref, _, _ in after}
    assert after != before


def test_a_snapshot_of_another_database_is_not_used(file_engine: Engine, tmp_path: Path) -> None:
    _setup(file_engine)
    index_dir = tmp_path / "index"
    assert _service(file_engine, index_dir).started_from == "database"
    other = create_db_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)  # a new database: its own token
    _setup(other)
    service = _service(other, index_dir)
    assert service.started_from == "database"  # and it wrote its own snapshot
    assert _service(other, index_dir).started_from == "snapshot"
    # the first database's snapshot is gone: it reads every row again, then writes its own
    assert _service(file_engine, index_dir).started_from == "database"


def test_a_snapshot_newer_than_the_database_is_not_used(
    file_engine: Engine, tmp_path: Path
) -> None:
    """A database restored from a backup made before the snapshot: same token, lower change
    numbers. Applying the snapshot would keep rows the database no longer has."""
    _setup(file_engine)
    index_dir = tmp_path / "index"
    service = _service(file_engine, index_dir)
    meta_file = index_dir / "candidates" / "meta.json"
    meta = json.loads(meta_file.read_text())
    assert meta["meta"]["change_seq"] == service.change_position > 0
    with file_engine.begin() as conn:  # numbers as after restoring an older backup
        conn.execute(text("UPDATE candidate SET change_seq = 0"))
    assert _service(file_engine, index_dir).started_from == "database"


def test_index_build_on_the_command_line(file_engine: Engine, tmp_path: Path) -> None:
    _setup(file_engine)
    env = {
        **os.environ,
        "SRMATCH_DATABASE_URL": str(file_engine.url),
        "SRMATCH_INDEX_DIR": str(tmp_path / "index"),
    }
    cmd = [sys.executable, "-m", "api.cli", "index", "build", "--json"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["candidates"] == 4 and out["read_from"] == "database"
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(again.stdout)["read_from"] == "snapshot"
    off = subprocess.run(
        cmd, cwd=ROOT, env={**env, "SRMATCH_INDEX_DIR": ""}, capture_output=True, text=True
    )
    assert off.returncode == 1 and off.stdout == ""
    assert "SRMATCH_INDEX_DIR" in off.stderr and off.stderr.count("\n") == 1


def test_build_index_snapshot_refuses_when_snapshots_are_off(file_engine: Engine) -> None:
    from api.services.errors import FieldError

    with pytest.raises(FieldError, match="SRMATCH_INDEX_DIR"):
        build_index_snapshot(
            engine=file_engine,
            settings=SimpleNamespace(index_dir=""),  # type: ignore[arg-type]
        )


def test_a_snapshot_is_used_after_other_tables_took_change_numbers(
    engine: Engine, tmp_path: Path
) -> None:
    """On PostgreSQL vacancies and model versions take numbers from the same sequence as
    candidates: a snapshot written after such a write stands above every candidate row, and
    is still this database's latest state (a restart must not read every row again)."""
    _setup(engine)
    index_dir = tmp_path / "index"
    assert _service(engine, index_dir).started_from == "database"
    with engine.begin() as conn:  # a vacancy edit after the last candidate write
        conn.execute(text("UPDATE vacancy SET hours_per_week = hours_per_week"))
    again = _service(engine, index_dir)  # reads the change, writes no new snapshot
    assert again.started_from == "snapshot"
    # on PostgreSQL the reader's floor waits for every transaction open at its poll to end
    # (other test processes' too): poll until it stands at this database's last number, so
    # the snapshot below is positioned above what the "restore" leaves
    with Session(engine) as session:
        last = database_position(session)
    deadline = time.monotonic() + 30
    while again.change_position < last and time.monotonic() < deadline:
        time.sleep(0.05)
        again.refresh()
    assert again.change_position >= last
    again.save_snapshot()  # as the refresh thread or `srmatch index build` would
    assert _service(engine, index_dir).started_from == "snapshot"
    # a restored older backup (lower numbers) is still refused; on PostgreSQL the trigger
    # numbers the UPDATE's rows from the sequence, so the sequence is set back after it (set
    # before, the UPDATE would carry it up to the number of candidates, which may reach the
    # snapshot's position when this schema has handed out few numbers so far)
    with engine.begin() as conn:
        conn.execute(text("UPDATE candidate SET change_seq = 0"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('srmatch_change_seq', 1)"))
    assert _service(engine, index_dir).started_from == "database"


def test_a_cold_start_merges_as_it_reads(
    file_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold start of a large pool never holds every candidate's profile object at once: the
    rows go into the index's arrays every few chunks, with the same shortlists."""
    import api.services.matching as matching
    from matcher.index import CandidateIndex

    _setup(file_engine)
    reference = _shortlist(_service(file_engine, ""), file_engine)
    monkeypatch.setattr(matching, "READ_CHUNK", 1)
    monkeypatch.setattr(matching, "MERGE_EVERY_CHUNKS", 2)
    waiting: list[int] = []
    upsert = CandidateIndex.upsert

    def counting(self: CandidateIndex, profile: object) -> None:
        upsert(self, profile)  # type: ignore[arg-type]
        waiting.append(len(self._pending))

    monkeypatch.setattr(CandidateIndex, "upsert", counting)
    assert _shortlist(_service(file_engine, ""), file_engine) == reference
    assert len(waiting) == 4 and max(waiting) == 2  # 4 candidates, merged after every 2


def test_the_index_is_warmed_before_the_server_says_ready(
    file_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``start`` ranks one open vacancy per municipality and throws it away, so the index
    block's lazy work (distinct homes, the vacancy point's travel mask, the municipality's
    rows) is done before the first coach asks; nothing is logged and nothing changes what a
    shortlist says."""
    from models.shortlist_log import ShortlistLog

    _setup(file_engine)
    warmed = _service(file_engine, tmp_path / "index")
    block, _ = warmed.candidates.arrays()
    assert "_homes_" in block.__dict__ and block.__dict__["_within_"]
    with Session(file_engine) as session:
        assert session.exec(select(ShortlistLog)).all() == []  # a warm-up is not a shortlist
    assert warmed.warm() == 1  # the one open vacancy, in its municipality
    monkeypatch.setattr(MatchingService, "warm", lambda self: 0)
    cold = _service(file_engine, tmp_path / "index")
    block, _ = cold.candidates.arrays()
    assert "_homes_" not in block.__dict__
    assert _shortlist(warmed, file_engine) == _shortlist(cold, file_engine)
