"""The change feed the matching index follows (issue 15): every write is seen exactly once,
whatever made it, an idle database yields nothing, and on PostgreSQL a transaction that took
its number early but commits late is still seen."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from api.services.changes import ChangeFeed, ChangeProbe
from api.services.importer import import_file
from api.services.matching import MatchingService
from models import Candidate, ModelVersion, Municipality, Vacancy
from models.db import create_db_engine, read_only, upgrade
from tests.api.services.test_matching import SETUP


def _setup(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        for kind, data in SETUP.items():
            report = import_file(
                session, kind=kind, data=data.encode(), filename=f"{kind}.csv", actor=None
            )
            assert report.committed, report.errors
        session.commit()
        return {c.ref: int(c.id or 0) for c in session.exec(select(Candidate))}


def _poll(engine: Engine, feed: ChangeFeed) -> dict[str, list[int]]:
    with Session(engine) as session:
        return feed.poll(session)


def test_first_poll_is_everything_then_only_what_changed(engine: Engine) -> None:
    ids = _setup(engine)
    feed = ChangeFeed()
    first = _poll(engine, feed)
    assert sorted(first["candidate"]) == sorted(ids.values())
    assert len(first["vacancy"]) == 1
    assert _poll(engine, feed) == {"candidate": [], "vacancy": []}  # idle: nothing
    assert _poll(engine, feed) == {"candidate": [], "vacancy": []}
    # an ORM update, a plain SQL update and a bulk insert by the importer are all seen, once
    with Session(engine) as session:
        k1 = session.get(Candidate, ids["K-1"])
        assert k1 is not None
        k1.hours_per_week = 24
        session.add(k1)
        session.commit()
    with engine.begin() as conn:
        conn.execute(text("UPDATE candidate SET pc4 = pc4 WHERE id = :i"), {"i": ids["K-2"]})
        conn.execute(text("UPDATE candidate SET pc4 = pc4 WHERE id = :i"), {"i": ids["K-2"]})
        conn.execute(text("UPDATE vacancy SET hours_per_week = 30"))
    assert sorted(_poll(engine, feed)["candidate"]) == sorted([ids["K-1"], ids["K-2"]])
    with Session(engine) as session:
        more = SETUP["candidates"].splitlines()[0] + "\nK-9,Utrecht,3512,ww,heftruck,,1990,m\n"
        report = import_file(
            session, kind="candidates", data=more.encode(), filename="c.csv", actor=None
        )
        assert report.committed, report.errors
        session.commit()
        k9 = session.exec(select(Candidate).where(Candidate.ref == "K-9")).one()
    changed = _poll(engine, feed)
    assert changed == {"candidate": [k9.id], "vacancy": []}
    assert _poll(engine, feed) == {"candidate": [], "vacancy": []}


def test_every_write_gets_a_higher_number(engine: Engine) -> None:
    ids = _setup(engine)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT max(change_seq) FROM candidate")).scalar_one()
        assert (
            conn.execute(
                text("SELECT count(*) FROM candidate WHERE change_seq IS NULL")
            ).scalar_one()
            == 0
        )
    with engine.begin() as conn:
        conn.execute(text("UPDATE candidate SET pc4 = pc4 WHERE id = :i"), {"i": ids["K-3"]})
    with engine.connect() as conn:
        seq = conn.execute(
            text("SELECT change_seq FROM candidate WHERE id = :i"), {"i": ids["K-3"]}
        ).scalar_one()
    assert seq > before


def test_a_late_commit_of_an_early_number_is_not_missed(engine: Engine) -> None:
    """PostgreSQL runs writers side by side: T1 stamps K-1 first but commits after T2 stamped
    and committed K-2. A feed that only moved past the highest number read would skip K-1."""
    if engine.dialect.name != "postgresql":
        return  # SQLite serialises writers: numbers are committed in order by construction
    ids = _setup(engine)
    feed = ChangeFeed()
    _poll(engine, feed)
    early = engine.connect()
    t1 = early.begin()
    early.execute(text("UPDATE candidate SET pc4 = pc4 WHERE id = :i"), {"i": ids["K-1"]})
    with engine.begin() as conn:  # T2: a later number, committed first
        conn.execute(text("UPDATE candidate SET pc4 = pc4 WHERE id = :i"), {"i": ids["K-2"]})
    assert _poll(engine, feed)["candidate"] == [ids["K-2"]]
    assert _poll(engine, feed)["candidate"] == []  # K-1 not committed yet; K-2 not again
    t1.commit()
    early.close()
    assert _poll(engine, feed)["candidate"] == [ids["K-1"]]
    assert _poll(engine, feed) == {"candidate": [], "vacancy": []}


def test_the_index_follows_writes_of_another_process(engine: Engine) -> None:
    """What the refresh thread does every second: a write made elsewhere (here: plain SQL, as
    another worker or the CLI would commit it) reaches the index on the next refresh."""
    ids = _setup(engine)
    service = MatchingService(engine=engine, settings=SimpleNamespace()).start(background=False)
    assert ids["K-1"] in service.candidates.arrays()[0].ids
    with engine.begin() as conn:
        conn.execute(text("UPDATE candidate SET active = false WHERE id = :i"), {"i": ids["K-1"]})
        conn.execute(text("UPDATE vacancy SET status = 'closed'"))
    service.refresh()
    cands, alive = service.candidates.arrays()
    assert ids["K-1"] not in set(cands.ids[alive].tolist())
    assert len(service.vacancies) == 0
    with Session(engine) as session:
        assert session.exec(select(Vacancy)).one().status == "closed"


def _probe_sees_commits(engine: Engine) -> None:
    probe = ChangeProbe(read_only(engine))
    try:
        assert probe.changed()  # the first call: poll
        assert not probe.changed()  # idle: nothing to poll for
        assert not probe.changed()
        with Session(engine) as session:
            session.add(Municipality(name="Probestad"))
            session.commit()
        with engine.begin() as conn:
            conn.execute(text("UPDATE municipality SET name = name"))
        _setup(engine)  # candidates and vacancies
        assert probe.changed()
        assert not probe.changed()
        with Session(engine) as session:
            session.add(ModelVersion(version="v-probe"))
            session.commit()
        assert probe.changed()  # a new model version: poll (it may be served)
        probe.reset()
        assert probe.changed()  # after a reset, poll again
    finally:
        probe.reset()


def test_the_probe_answers_nothing_changed_only_when_nothing_did(
    engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name == "postgresql":
        _probe_sees_commits(engine)
        return
    # SQLite's data_version counts commits of other connections: a file, not the tests'
    # single in-memory connection
    file_engine = create_db_engine(f"sqlite:///{tmp_path / 'probe.db'}")
    upgrade(file_engine)
    try:
        _probe_sees_commits(file_engine)
    finally:
        file_engine.dispose()
