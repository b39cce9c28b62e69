"""A candidates file is parsed, checked and written a slice at a time (importer._SLICE_ROWS):
small slices here, so a seven-row file crosses several, must give what one slice gives; and
the same when a second process prepares the slices (api.services.import_slices), as it does
for a large file."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from api.services import import_slices, importer
from api.services.importer import ImportReport, import_file
from matcher import interchange
from models import Candidate, Municipality

pytestmark = pytest.mark.slow

HEADER = "candidate_ref,municipality,postcode,benefit,skills,occupations,dutch_level,education\n"
ROWS = [
    "K-1,Utrecht,3511 ab,participatiewet,heftruck;orderpicken,magazijnmedewerker,B1,mbo2",
    "K-2,Utrecht,3521,ww,schoonmaken,schoonmaker,moedertaal,vmbo",
    "K-3,Utrecht,3581,participatiewet,,,A2,",
    "K-4,Utrecht,3511,ww,lassen;VCA,lasser,B2,mbo3",
    "K-5,Utrecht,3521 CD,participatiewet,kassa,,A2,",
    "K-6,Utrecht,3581,ww,koken;hygiene,kok,B1,mbo1",
    "K-7,Utrecht,3511,participatiewet,tuinieren,hovenier,,",
]
FILE = HEADER + "\n".join(ROWS) + "\n"
#: what a stored candidate is, without what the moment of writing decides (ids: PostgreSQL's
#: sequences do not roll back, so the second import's municipality has another id)
SKIP = {"id", "created_at", "updated_at", "change_seq", "municipality_id"}


@pytest.fixture(params=["one process", "two processes"], autouse=True)
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs with the slices prepared in this process, and by a second one."""
    if request.param == "two processes":  # as for a file of PARALLEL_MIN_ROWS on 2 cores
        monkeypatch.setattr(import_slices, "PARALLEL_MIN_ROWS", 0)
        monkeypatch.setattr(import_slices, "CPUS", 2)
    else:
        monkeypatch.setattr(import_slices, "PARALLEL_MIN_ROWS", 10**9)
    return str(request.param)


def _imp(session: Session, text: str, *, slice_rows: int, partial: bool = False) -> ImportReport:
    mp = pytest.MonkeyPatch()
    mp.setattr(importer, "_SLICE_ROWS", slice_rows)
    try:
        return import_file(
            session,
            kind="candidates",
            data=text.encode(),
            filename="k.csv",
            actor=None,
            partial=partial,
        )
    finally:
        mp.undo()


def _stored(session: Session) -> dict[str, dict[str, Any]]:
    names = {m.id: m.name for m in session.exec(select(Municipality))}
    return {
        c.ref: {k: v for k, v in c.model_dump().items() if k not in SKIP}
        | {"municipality": names[c.municipality_id]}
        for c in session.exec(select(Candidate))
    }


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Candidate)).one()


def _errors(report: ImportReport) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.column, e.value, e.reason) for e in report.errors]


def test_slices_store_exactly_what_one_slice_stores(session: Session) -> None:
    whole = _imp(session, FILE, slice_rows=20_000)
    assert whole.committed and whole.created == 7
    expected = _stored(session)
    session.rollback()  # the import wrote into the session's transaction only
    assert _count(session) == 0

    sliced = _imp(session, FILE, slice_rows=2)
    assert sliced.committed
    assert (sliced.rows, sliced.created, sliced.skipped) == (7, 7, 0)
    assert sliced._candidate_rows == whole._candidate_rows
    assert _stored(session) == expected

    again = _imp(session, FILE, slice_rows=3)  # existing rows are found in every slice
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_an_error_in_the_last_slice_rolls_back_the_slices_written_before(
    session: Session,
) -> None:
    bad = FILE.replace("K-7,Utrecht,3511,participatiewet", "K-7,Utrecht,3511,bijstnd")
    report = _imp(session, bad, slice_rows=2)
    assert not report.committed and report.created == 0
    assert _count(session) == 0
    [(row, column, value, reason)] = _errors(report)
    assert (row, column, value) == (8, "benefit", "bijstnd")
    assert "participatiewet" in reason

    partial = _imp(session, bad, slice_rows=2, partial=True)
    assert partial.committed and (partial.created, partial.skipped) == (6, 1)
    assert sorted(_stored(session)) == [f"K-{i}" for i in range(1, 7)]


def test_a_reference_repeated_in_a_later_slice_is_a_duplicate(session: Session) -> None:
    dup = FILE.replace("K-6,", "K-1,")
    report = _imp(session, dup, slice_rows=2)
    assert not report.committed and _count(session) == 0
    assert _errors(report) == [
        (
            7,
            "candidate_ref",
            "K-1",
            "duplicate key (candidate_ref=K-1): already on row 2",
        )
    ]


def test_errors_of_the_file_layer_and_of_the_checks_are_reported_as_from_one_slice(
    session: Session,
) -> None:
    text = (
        FILE.replace("K-2,Utrecht,3521,ww", "K-2,Utrecht,3521,wwx")  # a file-layer error
        .replace("K-5,Utrecht,", "K-5,Amsterdam,")  # fine: a new municipality
        .replace("K-6,Utrecht,3581,ww,koken;hygiene,kok,B1,mbo1", "K-6,Utrecht,3581,ww,a,b,B1,x,y")
    )
    whole = _imp(session, text, slice_rows=20_000)
    session.rollback()
    sliced = _imp(session, text, slice_rows=1)
    assert not sliced.committed and _count(session) == 0
    assert _errors(sliced) == _errors(whole)
    assert [e[0] for e in _errors(sliced)] == [3, 7]


def test_parse_slices_give_the_errors_and_records_of_parse_table() -> None:
    text = (FILE + "K-1,Utrecht,3511,ww,,,,\nK-8,Utrecht,3511,ww,,,,,extra\n").encode()
    whole = interchange.parse_table("candidates", interchange.read_table(text, "k.csv"))
    raw = interchange.read_table(text, "k.csv")
    parts = list(interchange.parse_slices("candidates", raw, size=3))
    assert len(parts) == 3 and not raw.rows  # consumed
    records = [r for p in parts for r in p.records]
    errors = sorted((e for p in parts for e in p.errors), key=lambda e: e.row)
    assert records == whole.records
    assert errors == whole.errors
    assert [e.row for e in errors] == [9, 10]


def test_candidate_slices_give_what_one_table_gives(processes: str) -> None:
    """Typed records, errors (a key repeated across slices among them) and each row's
    prepared fields or problem, whichever process prepared them."""
    text = (
        FILE.replace(
            "K-2,Utrecht,3521,ww", "K-2,Utrecht,3521,wwx"
        ).replace(  # refused by the file layer
            "K-4,Utrecht,3511,ww", "K-4,Utrecht,3510,ww"
        )  # refused when normalised
        + "K-1,Utrecht,3511,ww,,,,\nK-8,Utrecht,3511,ww,,,,,extra\n"
    ).encode()
    whole = interchange.parse_table("candidates", interchange.read_table(text, "k.csv"))
    raw = interchange.read_table(text, "k.csv")
    slices = list(import_slices.candidate_slices(raw, size=2))
    assert not raw.rows  # consumed
    records = [r for s in slices for r in s.parsed.records]
    errors = sorted((e for s in slices for e in s.parsed.errors), key=lambda e: e.row)
    assert records == whole.records
    assert errors == whole.errors
    assert [(e.row, e.column) for e in errors] == [(3, "benefit"), (9, "candidate_ref"), (10, "")]
    prepared = [p for s in slices for p in s.prepared]
    assert prepared == import_slices.prepare_candidates(whole.records)
    assert isinstance(prepared[0], dict)
    assert isinstance(prepared[2], tuple) and prepared[2][0] == "postcode"
    others = {s.pid for s in slices} - {os.getpid()}
    assert bool(others) == (processes == "two processes")


class _KillsTheWorker(str):
    """Text that, unpickled in the second process, ends that process at once."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os._exit, (1,))


def test_a_second_process_that_dies_leaves_the_work_to_this_one(processes: str) -> None:
    text = FILE.encode()
    whole = interchange.parse_table("candidates", interchange.read_table(text, "k.csv"))
    raw = interchange.read_table(text, "k.csv")
    raw.rows[4]["postcode"] = _KillsTheWorker(raw.rows[4]["postcode"])  # K-5, the third slice
    slices = list(import_slices.candidate_slices(raw, size=2))
    assert [r for s in slices for r in s.parsed.records] == whole.records
    assert [p for s in slices for p in s.prepared] == import_slices.prepare_candidates(
        whole.records
    )
    # the slices from the one the second process died on are prepared here
    died_on = next(i for i, s in enumerate(slices) if 6 in [r["_row"] for r in s.parsed.records])
    assert {s.pid for s in slices[died_on:]} == {os.getpid()}
