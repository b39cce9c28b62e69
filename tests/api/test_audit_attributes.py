"""Birth year and gender kept apart from the profile (issue 14, "fairness audit").

Where a municipality records them for the fairness audit only, they live in their own table
(``models.audit_attributes``), never in the candidate row: a coach may record them on create or
edit and a candidates file may carry them, but no coach route, page or export file gives them
back; the fairness audit still counts age bands and genders; the person's right-of-access export
shows them; erasure deletes them. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.config import Settings
from api.services import audit_attributes, fairness, files
from api.services.errors import NotFoundError
from matcher import interchange
from models.audit_attributes import AuditAttributes
from models.candidates import Candidate, CandidatePublic
from models.organisations import Role
from tests.api.conftest import PASSWORD, auth, make_candidate, make_user, make_world
from tests.api.web.conftest import log_in

BIRTH_YEAR = 1937  # a year no other value of the test world holds
HEADER = "candidate_ref,postcode,benefit,skills,occupations,coach,birth_year,gender\n"


def _held(session: Session, candidate_id: int) -> tuple[int | None, str | None] | None:
    row = session.exec(
        select(AuditAttributes).where(AuditAttributes.candidate_id == candidate_id)
    ).first()
    return None if row is None else (row.birth_year, row.gender)


def _cid(session: Session, ref: str) -> int:
    cid = session.exec(select(Candidate.id).where(Candidate.ref == ref)).one()
    assert cid is not None
    return int(cid)


# --- the model: no candidate column, no public field ---------------------------------------


def test_the_profile_has_no_protected_attribute() -> None:
    columns = {c.name for c in Candidate.__table__.columns}  # type: ignore[attr-defined]
    assert columns.isdisjoint({"birth_year", "gender"})
    assert set(CandidatePublic.model_fields).isdisjoint({"birth_year", "gender"})


# --- writing: a coach's create and edit, a candidates file ---------------------------------


def test_a_coach_records_them_apart_and_never_reads_them_back(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        w = make_world(session)
        coach = w.a.coach
    h = auth(coach, settings)
    body = {
        "ref": "AA-NEW-1",
        "postcode": "3511AB",
        "benefit": "participatiewet",
        "skills": ["heftruck"],
        "birth_year": BIRTH_YEAR,
        "gender": "v",
    }
    created = client.post("/api/v1/coach/candidates", json=body, headers=h)
    assert created.status_code == 201, created.text
    assert "birth_year" not in created.json() and "gender" not in created.json()
    cid = created.json()["id"]
    with Session(engine) as session:
        assert _held(session, cid) == (BIRTH_YEAR, "v")

    # an edit that leaves them out keeps them; one that names one changes only that one
    r = client.patch(f"/api/v1/coach/candidates/{cid}", json={"hours_per_week": 20}, headers=h)
    assert r.status_code == 200, r.text
    assert "birth_year" not in r.json() and "gender" not in r.json()
    r = client.patch(f"/api/v1/coach/candidates/{cid}", json={"gender": "x"}, headers=h)
    assert r.status_code == 200, r.text
    with Session(engine) as session:
        assert _held(session, cid) == (BIRTH_YEAR, "x")
    # null clears; both cleared removes the row
    r = client.patch(
        f"/api/v1/coach/candidates/{cid}", json={"gender": None, "birth_year": None}, headers=h
    )
    assert r.status_code == 200, r.text
    with Session(engine) as session:
        assert _held(session, cid) is None
    # the API's bounds still hold for them
    bad = client.patch(f"/api/v1/coach/candidates/{cid}", json={"gender": "q"}, headers=h)
    assert bad.status_code == 422 and "gender" in bad.text


def test_a_candidates_file_stores_them_apart_in_the_same_transaction(session: Session) -> None:
    w = make_world(session)
    coach = w.a.coach
    data = (
        HEADER
        + f"F-1,3511AB,participatiewet,heftruck,magazijnmedewerker,{coach.username},1970,m\n"
        + f"F-2,3511AB,participatiewet,heftruck,magazijnmedewerker,{coach.username},,v\n"
        + f"F-3,3511AB,participatiewet,heftruck,magazijnmedewerker,{coach.username},,\n"
    )
    report = files.import_file(
        session=session, actor=coach, kind="candidates", data=data.encode(), filename="c.csv"
    )
    session.commit()
    assert report.committed and report.created == 3, report.errors
    ids = {ref: _cid(session, ref) for ref in ("F-1", "F-2", "F-3")}
    assert _held(session, ids["F-1"]) == (1970, "m")
    assert _held(session, ids["F-2"]) == (None, "v")
    assert _held(session, ids["F-3"]) is None  # nothing recorded, no row

    # the same file again changes nothing
    again = files.import_file(
        session=session, actor=coach, kind="candidates", data=data.encode(), filename="c.csv"
    )
    session.commit()
    assert again.unchanged == 3 and again.updated == 0

    # a change of birth year alone is an update of that candidate
    changed = data.replace(",1970,m", ",1971,m")
    report = files.import_file(
        session=session, actor=coach, kind="candidates", data=changed.encode(), filename="c.csv"
    )
    session.commit()
    assert report.updated == 1 and report.unchanged == 2
    assert _held(session, ids["F-1"]) == (1971, "m")

    # a file without the columns (e.g. a coach's own export, edited) leaves them as held
    no_columns = "candidate_ref,postcode,benefit,skills,occupations,coach\n" + (
        f"F-1,3511AB,participatiewet,heftruck;lassen,magazijnmedewerker,{coach.username}\n"
    )
    report = files.import_file(
        session=session, actor=coach, kind="candidates", data=no_columns.encode(), filename="c.csv"
    )
    session.commit()
    assert report.updated == 1
    assert _held(session, ids["F-1"]) == (1971, "m")

    # a refused file (one bad row) writes neither the candidates nor their attributes
    bad = (
        HEADER
        + f"F-4,3511AB,participatiewet,heftruck,magazijnmedewerker,{coach.username},1980,v\n"
        + f"F-1,3511AB,participatiewet,heftruck,magazijnmedewerker,{coach.username},1990,q\n"
    )
    with pytest.raises(files.ImportRejected) as refused:
        files.import_file(
            session=session, actor=coach, kind="candidates", data=bad.encode(), filename="c.csv"
        )
    session.rollback()
    assert any(e.column == "gender" for e in refused.value.report.errors)
    assert session.exec(select(Candidate.id).where(Candidate.ref == "F-4")).first() is None
    assert _held(session, ids["F-1"]) == (1971, "m")


def test_many_rows_are_written_in_batches(session: Session) -> None:
    w = make_world(session)
    rows = "".join(
        f"B-{i},3511AB,participatiewet,heftruck,magazijnmedewerker,{w.a.coach.username},"
        f"{1950 + i % 50},{'mvx'[i % 3]}\n"
        for i in range(1200)
    )
    report = files.import_file(
        session=session,
        actor=None,
        kind="candidates",
        data=(HEADER + rows).encode(),
        filename="c.csv",
    )
    session.commit()
    assert report.created == 1200, report.errors[:3]
    held = audit_attributes.read_many(session, None)
    ids = {_cid(session, f"B-{i}"): i for i in (0, 1, 599, 1199)}
    for cid, i in ids.items():
        assert held[cid] == (1950 + i % 50, "mvx"[i % 3])
    assert sum(1 for cid in held if cid in ids) == 4


# --- reading: no coach route, page or export file; the person's own export does -------------


def _fill(path: str, values: dict[str, Any]) -> str | None:
    names = re.findall(r"{(\w+)(?::\w+)?}", path)
    if any(n not in values for n in names):
        return None
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), path)


LEAKS = ("birth_year", "geboortejaar", "geslacht", str(BIRTH_YEAR))


def _leaks(text: str) -> list[str]:
    # the year as a number of its own: inside a longer run of digits (a timestamp such as
    # 20261206091937, a version, a count) it is not the birth year
    found = [
        word
        for word in LEAKS
        if (re.search(rf"(?<!\d){word}(?!\d)", text) if word.isdigit() else word in text.lower())
    ]
    if re.search(r'"gender"\s*:', text):
        found.append('"gender":')
    return found


@pytest.mark.parametrize("role", [Role.coach, Role.sr_officer])
def test_no_coach_or_sr_route_page_or_export_returns_them(
    client: TestClient, engine: Engine, settings: Settings, role: Role
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        w = make_world(session)
        cand = make_candidate(
            session,
            municipality_id=w.a.municipality.id,
            coach_id=w.a.coach.id,
            birth_year=BIRTH_YEAR,
            gender="v",
        )
        # the world's own candidate gets them too, so the referral and vacancy routes hold one
        assert w.a.candidate.id is not None
        audit_attributes.store(session, w.a.candidate.id, BIRTH_YEAR, "v")
        session.commit()
        user = w.a.coach if role == Role.coach else w.a.sr_officer
        values = {
            "candidate_id": cand.id,
            "vacancy_id": w.a.vacancy.id,
            "referral_id": w.a.referral.id,
            "contract_id": w.a.contract.id,
        }
    h = auth(user, settings)
    prefix = "/api/v1/coach" if role == Role.coach else "/api/v1/sr-officer"
    walked: list[str] = []
    app: Any = client.app
    for route, methods in app.openapi()["paths"].items():
        if "get" not in methods or not route.startswith(prefix):
            continue
        # only a candidates file could carry the columns (an empty file of another kind is
        # not a read of anyone's data)
        kinds = ["candidates"] if "{kind}" in route else [None]
        for kind in kinds:
            path = _fill(route, {**values, "kind": kind})
            if path is None:
                continue
            for fmt in ("csv", "xlsx") if kind else (None,):
                url = path + (f"?format={fmt}" if fmt else "")
                r = client.get(url, headers=h)
                walked.append(url)
                assert r.status_code < 500, (url, r.text[:200])
                text = _xlsx_text(r.content) if fmt == "xlsx" and r.status_code == 200 else r.text
                assert _leaks(text) == [], (url, _leaks(text))
    if role == Role.coach:
        assert f"{prefix}/candidates/{values['candidate_id']}" in walked
        assert any("shortlist" in u for u in walked)
    assert any("/exports/candidates" in u for u in walked)

    # the pages of the same user
    web = TestClient(app, base_url="https://testserver", follow_redirects=False)
    log_in(web, user, PASSWORD)
    pages = 0
    walk = COACH_PAGES if role == Role.coach else SR_PAGES
    for page in walk:
        path = _fill(page, values)
        assert path is not None
        r = web.get(path)
        assert r.status_code == 200, (path, r.status_code)
        pages += 1
        text = _xlsx_text(r.content) if "xlsx" in path else r.text
        assert _leaks(text) == [], (path, _leaks(text))
    assert pages == len(walk)


COACH_PAGES = (
    "/coach/candidates",
    "/coach/candidates/{candidate_id}",
    "/coach/candidates/{candidate_id}/edit",
    "/coach/candidates/{candidate_id}/vacancies",
    "/coach/vacancies/{vacancy_id}/shortlist",
)
# (the fairness page shows age bands and genders, in aggregate only: not walked here)
SR_PAGES = ("/sr-officer/dashboard", "/sr-officer/export/candidates")


def _xlsx_text(content: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    return json.dumps([list(row) for row in sheet.iter_rows(values_only=True)], default=str)


def test_the_persons_right_of_access_export_shows_them(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        w = make_world(session)
        cand = make_candidate(
            session,
            municipality_id=w.a.municipality.id,
            coach_id=w.a.coach.id,
            birth_year=BIRTH_YEAR,
            gender="v",
        )
        coach = w.a.coach
    r = client.get(f"/api/v1/privacy/candidates/{cand.id}/export", headers=auth(coach, settings))
    assert r.status_code == 200, r.text
    assert r.json()["candidate"]["birth_year"] == BIRTH_YEAR
    assert r.json()["candidate"]["gender"] == "v"


def test_only_the_command_line_export_carries_the_columns(session: Session) -> None:
    w = make_world(session)
    cand = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, gender="x"
    )
    audit_attributes.store(session, int(cand.id or 0), BIRTH_YEAR, "x")
    session.commit()
    for actor in (w.a.coach, w.a.sr_officer, w.admin):
        out = files.export_file(
            session=session, actor=actor, kind="candidates", fmt="csv", request_id=None
        )
        header = out.content.decode().splitlines()[0].split(",")
        assert "birth_year" not in header and "gender" not in header, actor.role
        assert str(BIRTH_YEAR) not in out.content.decode()
    full = files.export_file(
        session=session, actor=None, kind="candidates", fmt="csv", request_id=None
    )
    parsed = interchange.parse_table(
        "candidates", interchange.read_table(full.content, "candidates.csv")
    )
    mine = next(r for r in parsed.records if r["candidate_ref"] == cand.ref)
    assert (mine["birth_year"], mine["gender"]) == (BIRTH_YEAR, "x")


# --- the fairness audit still counts them; erasure removes them ----------------------------


def test_the_audit_groups_come_from_the_table_apart(session: Session) -> None:
    w = make_world(session)
    young = make_candidate(session, municipality_id=w.a.municipality.id, birth_year=2004)
    old = make_candidate(session, municipality_id=w.a.municipality.id, gender="v")
    plain = make_candidate(session, municipality_id=w.a.municipality.id)
    held = fairness.audit_only_attributes(session, [young.id or 0, old.id or 0, plain.id or 0])
    assert held == {young.id: (2004, None), old.id: (None, "v")}
    groups = fairness.candidate_groups(young, held.get(young.id or 0))
    assert (groups.birth_year, groups.gender) == (2004, None)
    assert fairness.candidate_groups(plain, held.get(plain.id or 0)).birth_year is None


def test_erasure_removes_the_row(session: Session) -> None:
    from api.services import privacy

    w = make_world(session)
    cand = make_candidate(
        session,
        municipality_id=w.a.municipality.id,
        coach_id=w.a.coach.id,
        birth_year=BIRTH_YEAR,
        gender="m",
    )
    assert cand.id is not None and _held(session, cand.id) == (BIRTH_YEAR, "m")
    privacy.erase_candidate(session=session, actor=w.a.coach, candidate_id=cand.id, request_id=None)
    session.commit()
    assert _held(session, cand.id) is None
    with pytest.raises(NotFoundError):  # another municipality cannot reach the person at all
        privacy.export_candidate(
            session=session, actor=w.b.sr_officer, candidate_id=cand.id, request_id=None
        )


def test_a_coach_of_another_municipality_cannot_write_them(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        w = make_world(session)
        cid = w.a.candidate.id
        other = make_user(
            session, role=Role.coach, municipality=w.b.municipality, username="coach_b3"
        )
    r = client.patch(
        f"/api/v1/coach/candidates/{cid}", json={"birth_year": 1990}, headers=auth(other, settings)
    )
    assert r.status_code == 404
    with Session(engine) as session:
        assert _held(session, int(cid or 0)) is None
