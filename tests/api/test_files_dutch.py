"""Files the way Dutch offices use them (issue 11, "Files and Dutch office habits", acceptance
3), and imports under the API's rules with an audit trail per candidate (issue 13, findings 6,
8, 10 and 13): at service level, through the HTTP API and the pages, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.config import Settings
from api.main import create_app
from api.services import files
from api.services.import_problems import MAX_ROW_ERRORS, row_ranges
from api.services.importer import ImportReport
from api.services.user_import import UsersImportRejected, import_users
from matcher import interchange
from models.audit import AuditEvent
from models.candidates import Candidate
from models.contracts import Contract
from models.organisations import Role, User
from tests.api.conftest import auth, make_world
from tests.api.web.conftest import csrf_from, log_in

pytestmark = pytest.mark.slow


@pytest.fixture
def web(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A browser-like client for the pages (as tests/api/web/conftest.py's)."""
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def _import(
    session: Session, actor: User | None, kind: str, text: str | bytes, name: str = "f.csv"
) -> ImportReport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    report = files.import_file(session=session, actor=actor, kind=kind, data=data, filename=name)
    session.commit()
    return report


def _candidate(session: Session, ref: str) -> Candidate:
    return session.exec(select(Candidate).where(Candidate.ref == ref)).one()


# --- ';' lists and the Dutch dialect ----------------------------------------------------------


def test_quoted_semicolon_lists_split_and_round_trip_through_a_dutch_export(
    session: Session,
) -> None:
    world = make_world(session)
    coach = world.a.coach
    dutch = (
        "candidate_ref;postcode;benefit;skills;occupations;driving_licences;hours_per_week;"
        "max_travel_km;available_from;consent_share\r\n"
        'K-NL1;3511AB;ww;"VCA;heftruck";"lasser|monteur";"B;C";32,5;12,5;01-03-2027;ja\r\n'
    ).encode("cp1252")
    report = _import(session, coach, "candidates", dutch, "kandidaten.csv")
    assert report.committed and report.created == 1, report.problems
    cand = _candidate(session, "K-NL1")
    assert cand.skills == ["VCA", "heftruck"]  # not one skill "VCA;heftruck"
    assert cand.occupations == ["lasser", "monteur"]
    assert cand.driving_licences == ["B", "C"]  # a closed list: no error either
    assert (cand.hours_per_week, cand.max_travel_km) == (32.5, 12.5)
    assert cand.available_from == date(2027, 3, 1) and cand.consent_share

    export = files.export_file(
        session=session, actor=coach, kind="candidates", fmt="csv", dialect="nl"
    )
    session.commit()
    assert export.content.startswith(b"\xef\xbb\xbf")
    text = export.content.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("kandidaat_ref;postcode;uitkering;")
    mine = next(line for line in lines if line.startswith("K-NL1;"))
    assert "32,5" in mine and "01-03-2027" in mine and ";ja;" in mine

    again = _import(session, coach, "candidates", export.content, "kandidaten-export.csv")
    assert again.committed and again.created == 0 and again.updated == 0, again.problems
    after = _candidate(session, "K-NL1")
    for field in ("skills", "occupations", "driving_licences", "hours_per_week",
                  "max_travel_km", "available_from", "consent_share"):  # fmt: skip
        assert getattr(after, field) == getattr(cand, field), field


def test_a_dutch_export_opens_in_pandas_with_the_right_numbers_and_dates(
    session: Session,
) -> None:
    world = make_world(session)
    sr = world.a.sr_officer
    _import(
        session,
        sr,
        "contracts",
        "contract_ref;contractor;value_eur;sr_percentage;start_date;end_date\n"
        "C-NL1;Aannemer A;1.250.000,50;5,5;01-02-2026;31-12-2027\n"
        "C-NL2;Aannemer A;250000000;5;2026-01-01;2028-12-31\n",
    )
    export = files.export_file(session=session, actor=sr, kind="contracts", dialect="nl")
    frame = pd.read_csv(io.BytesIO(export.content), sep=";", decimal=",", encoding="utf-8-sig")
    frame = frame.set_index("contract_ref")
    assert frame.loc["C-NL1", "waarde_eur"] == pytest.approx(1250000.50)
    assert frame.loc["C-NL2", "waarde_eur"] == pytest.approx(250_000_000)
    assert frame.loc["C-NL1", "sr_percentage"] == pytest.approx(5.5)
    start = pd.to_datetime(frame["startdatum"], format="%d-%m-%Y")
    assert start.loc["C-NL1"].date() == date(2026, 2, 1)
    assert pd.to_datetime(frame.loc["C-NL1", "einddatum"], dayfirst=True).date() == date(
        2027, 12, 31
    )
    stored = session.exec(select(Contract).where(Contract.ref == "C-NL2")).one()
    assert stored.value_cents == 25_000_000_000  # EUR 250 million, stored whole


def test_xlsx_exports_hold_real_dates_and_numbers(session: Session) -> None:
    world = make_world(session)
    sr = world.a.sr_officer
    _import(
        session,
        sr,
        "contracts",
        "contract_ref,contractor,value_eur,start_date\nC-X1,Aannemer A,1250000.5,2026-02-01\n",
    )
    for dialect, date_format in (("nl", "dd-mm-yyyy"), ("en", "yyyy-mm-dd")):
        export = files.export_file(
            session=session, actor=sr, kind="contracts", fmt="xlsx", dialect=dialect
        )
        ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
        assert ws is not None
        head = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "C-X1")
        cells = dict(zip(head, row, strict=False))
        start = cells["startdatum" if dialect == "nl" else "start_date"]
        value = cells["waarde_eur" if dialect == "nl" else "value_eur"]
        assert start.is_date and start.number_format == date_format
        assert start.value.date() == date(2026, 2, 1)
        assert isinstance(value.value, float) and value.value == 1250000.5
        assert value.number_format == "#,##0.00"
        back = files.import_file(
            session=session, actor=sr, kind="contracts", data=export.content, filename="c.xlsx"
        )
        assert back.committed and back.updated == 0 and back.created == 0, back.problems


def test_csv_export_escapes_every_list_item(session: Session) -> None:
    """Finding 13: an item after ';' never starts a formula in a spreadsheet."""
    world = make_world(session)
    coach = world.a.coach
    _import(
        session,
        coach,
        "candidates",
        'candidate_ref,postcode,benefit,skills\nK-F1,3511AB,ww,"lassen;=cmd(1);+1;@x"\n',
    )
    export = files.export_file(session=session, actor=coach, kind="candidates")
    line = next(x for x in export.content.decode().splitlines() if x.startswith("K-F1"))
    assert "lassen;'=cmd(1);'+1;'@x" in line
    again = _import(session, coach, "candidates", export.content)
    assert again.committed and again.updated == 0
    assert _candidate(session, "K-F1").skills == ["lassen", "=cmd(1)", "+1", "@x"]


# --- grouped errors -----------------------------------------------------------------------------


def test_unknown_coaches_give_one_line_per_coach_with_rows_count_and_hint(
    session: Session,
) -> None:
    world = make_world(session)
    rows = ["candidate_ref,postcode,benefit,coach"]
    for i in range(3000):
        coach = "s.bakker" if i < 2900 else ("p.jansen" if i % 2 else world.a.coach.username)
        rows.append(f"K-{i:05d},3511AB,ww,{coach}")
    with pytest.raises(files.ImportRejected) as caught:
        files.import_file(
            session=session,
            actor=world.a.sr_officer,
            kind="candidates",
            data="\n".join(rows).encode(),
            filename="kandidaten.csv",
        )
    report = caught.value.report
    assert report.error_count == 2950 and len(report.errors) == MAX_ROW_ERRORS
    lines = [p.message for p in report.problems]
    assert len(lines) == 2, lines
    assert lines[0] == (
        "coach 's.bakker' is not the user name of a coach: rows 2-2901, 2900 rows; "
        "create the coaches first with `srmatch users import coaches.csv`"
    )
    assert lines[1].startswith("coach 'p.jansen' is not the user name of a coach: rows 2903, ")
    assert "50 rows" in lines[1]
    assert session.exec(select(func.count()).select_from(Candidate)).one() == 2


def test_row_ranges() -> None:
    assert row_ranges([5, 2, 3, 4, 9, 11, 12]) == "2-5, 9, 11-12"
    assert row_ranges([]) == ""


# --- imports under the API's rules, audited per candidate ---------------------------------------


def test_an_import_writes_one_audit_event_per_candidate_in_its_transaction(
    session: Session,
) -> None:
    world = make_world(session)
    coach = world.a.coach
    text = "candidate_ref,postcode,benefit\n" + "".join(f"K-A{i},3511AB,ww\n" for i in range(25))
    report = _import(session, coach, "candidates", text, "batch.csv")
    assert report.created == 25
    ids = {_candidate(session, f"K-A{i}").id for i in range(25)}
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "import.candidates")).all()
    per_candidate = [e for e in events if e.candidate_id is not None]
    assert {e.candidate_id for e in per_candidate} == ids
    assert all(e.username == coach.username and e.object_id == "batch.csv" for e in events)
    assert len([e for e in events if e.candidate_id is None]) == 1  # and the file's own event

    # a candidate's history shows the import that changed it (and only a changed row counts)
    changed = text.replace("K-A3,3511AB,ww", "K-A3,3511AB,wia")
    _import(session, coach, "candidates", changed, "batch2.csv")
    k3 = _candidate(session, "K-A3")
    history = session.exec(
        select(AuditEvent.object_id).where(AuditEvent.candidate_id == k3.id)
    ).all()
    assert "batch2.csv" in history

    # a refused file writes neither rows nor events: one transaction
    before = session.exec(select(func.count()).select_from(AuditEvent)).one()
    with pytest.raises(files.ImportRejected):
        files.import_file(
            session=session,
            actor=coach,
            kind="candidates",
            data=b"candidate_ref,postcode,benefit\nK-Z1,3511AB,ww\nK-Z2,3511AB,nope\n",
            filename="bad.csv",
        )
    session.rollback()
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == before
    assert session.exec(select(Candidate).where(Candidate.ref == "K-Z1")).first() is None


def test_partial_import_audits_only_the_rows_it_wrote(session: Session) -> None:
    world = make_world(session)
    report = files.import_file(
        session=session,
        actor=world.a.coach,
        kind="candidates",
        data=b"candidate_ref,postcode,benefit\nK-P1,3511AB,ww\nK-P2,3511AB,nope\n",
        filename="p.csv",
        partial=True,
    )
    session.commit()
    assert report.created == 1 and report.skipped == 1
    audited = session.exec(
        select(AuditEvent.candidate_id).where(
            AuditEvent.action == "import.candidates", col(AuditEvent.candidate_id).is_not(None)
        )
    ).all()
    assert audited == [_candidate(session, "K-P1").id]


@pytest.mark.parametrize(
    ("who", "kind", "text", "says"),
    [
        ("coach2", "candidates", "candidate_ref,postcode,benefit\nREF-A,3511AB,wia\n",
         "held by another coach"),
        ("coach2", "outcomes", "candidate_ref,vacancy_ref,status,date\n"
         "REF-A,{vac_a},withdrawn,2026-03-01\n", "held by another coach"),
        ("coach", "outcomes", "candidate_ref,vacancy_ref,status,date\n"
         "REF-A,{vac_b},proposed,2026-03-01\n", "vacancy of another municipality"),
        ("sr", "vacancies", "vacancy_ref,contractor,contract_ref,title,postcode,hours_per_week\n"
         "V-Z,Aannemer B,{con_b},Lasser,3511AB,32\n", "contract of another municipality"),
        ("sr", "placements", "candidate_ref,vacancy_ref,start_date,hours_per_week\n"
         "REF-A,{vac_b},2026-03-01,32\n", "vacancy of another municipality"),
    ],
)  # fmt: skip
def test_imports_follow_the_api_authorisation(
    session: Session, who: str, kind: str, text: str, says: str
) -> None:
    world = make_world(session)
    actor = {"coach": world.a.coach, "coach2": world.a.other_coach, "sr": world.a.sr_officer}
    data = text.format(
        vac_a=world.a.vacancy.ref, vac_b=world.b.vacancy.ref, con_b=world.b.contract.ref
    )
    with pytest.raises(files.ImportRejected) as caught:
        files.import_file(
            session=session, actor=actor[who], kind=kind, data=data.encode(), filename="x.csv"
        )
    assert says in caught.value.report.problems[0].message
    session.rollback()
    assert _candidate(session, "REF-A").benefit == world.a.candidate.benefit


# --- users import -------------------------------------------------------------------------------


def test_users_import_creates_everyone_through_create_user_or_nobody(session: Session) -> None:
    world = make_world(session)
    good = (
        b"gebruikersnaam;rol;gemeente;opdrachtnemer;naam;e-mail\n"
        b"s.bakker;coach;Gemeente A;;Sanne Bakker;s.bakker@a.nl\n"
        b"t.deboer;sr_officer;Gemeente A;;Tom de Boer;\n"
        b"l.visser;contractor;;Aannemer A;Lotte Visser;lotte@aannemer.nl\n"
    )
    result = import_users(session=session, data=good, filename="users.csv")
    session.commit()
    assert [u.username for u in result.created] == ["s.bakker", "t.deboer", "l.visser"]
    assert len({u.password for u in result.created}) == 3
    bakker = session.exec(select(User).where(User.username == "s.bakker")).one()
    assert bakker.role == Role.coach and bakker.municipality_id == world.a.municipality.id
    assert bakker.password_hash and result.created[0].password not in bakker.password_hash

    bad = (
        b"username,role,municipality,full_name\n"
        b"a.one,coach,Gemeente A,One\n"
        b"s.bakker,coach,Gemeente A,taken\n"
        b"b.two,coach,Atlantis,Two\n"
        b"c.three,wizard,,Three\n"
    )
    users_before = session.exec(select(func.count()).select_from(User)).one()
    with pytest.raises(UsersImportRejected) as caught:
        import_users(session=session, data=bad, filename="more.csv")
    session.rollback()
    text = " | ".join(p.message for p in caught.value.problems)
    assert "taken" in text and "Atlantis" in text and "wizard" in text
    assert session.exec(select(func.count()).select_from(User)).one() == users_before


# --- the API and the pages -------------------------------------------------------------------


def test_the_api_accepts_the_date_forms_files_accept(
    client: TestClient, session: Session, settings: Settings
) -> None:
    world = make_world(session)
    cand = world.a.candidate
    answer = client.patch(
        f"/api/v1/coach/candidates/{cand.id}",
        json={"available_from": "01-01-2027"},
        headers=auth(world.a.coach, settings),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["available_from"] == "2027-01-01"
    bad = client.patch(
        f"/api/v1/coach/candidates/{cand.id}",
        json={"available_from": "31-02-2027"},
        headers=auth(world.a.coach, settings),
    )
    assert bad.status_code == 422 and "valid date" in bad.text


def test_http_export_in_the_dutch_dialect(
    client: TestClient, session: Session, settings: Settings
) -> None:
    world = make_world(session)
    answer = client.get(
        "/api/v1/sr-officer/exports/contracts",
        params={"dialect": "nl"},
        headers=auth(world.a.sr_officer, settings),
    )
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"\xef\xbb\xbfcontract_ref;opdrachtnemer;")
    standard = client.get(
        "/api/v1/sr-officer/exports/contracts", headers=auth(world.a.sr_officer, settings)
    )
    assert standard.content.startswith(b"contract_ref,contractor,")


def test_the_import_page_lists_problems_and_offers_dutch_downloads(
    web: TestClient, session: Session, engine: Engine
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    page = web.get("/sr-officer/import")
    assert page.status_code == 200 and "/sr-officer/export/candidates?format=csv" in page.text
    data = "candidate_ref,postcode,benefit,coach\n" + "".join(
        f"K-W{i},3511AB,ww,s.bakker\n" for i in range(700)
    )
    answer = web.post(
        "/sr-officer/import",
        data={"kind": "candidates", "csrf_token": csrf_from(page.text)},
        files={"file": ("kandidaten.csv", data.encode())},
    )
    assert answer.status_code == 422
    assert "rows 2-701, 700 rows" in answer.text  # one problem line
    assert answer.text.count('class="row-group"') == MAX_ROW_ERRORS  # the row report, capped
    download = web.get("/sr-officer/export/candidates", params={"format": "csv"})
    assert download.status_code == 200
    assert download.content.startswith(b"\xef\xbb\xbfkandidaat_ref;")
    head = interchange.read_table(download.content, "k.csv")
    assert head.delimiter == ";"


def test_users_import_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``srmatch users import FILE``: one transaction, a one-time password each that logs in;
    ``--json`` for scripts; a bad file creates nobody and exits 3 with one line per problem."""
    from api.cli import main
    from api.config import get_settings
    from api.security import verify_password
    from models.db import create_db_engine, upgrade
    from models.organisations import Municipality

    db = tmp_path / "srmatch.db"
    eng = create_db_engine(f"sqlite:///{db}")
    upgrade(eng)
    with Session(eng) as s:
        s.add(Municipality(name="Utrecht"))
        s.commit()
    monkeypatch.setenv("SRMATCH_DATABASE_URL", f"sqlite:///{db}")
    get_settings.cache_clear()
    try:
        f = tmp_path / "coaches.csv"
        f.write_text(
            "username;role;municipality;full_name;email\n"
            "s.bakker;coach;Utrecht;Sanne Bakker;s.bakker@utrecht.nl\n"
            "m.smit;sr_officer;Utrecht;Mo Smit;\n",
            encoding="utf-8",
        )
        assert main(["users", "import", str(f)]) == 0
        out = capsys.readouterr().out
        assert "created 2 user(s)" in out
        passwords = {line.split()[0]: line.split()[2] for line in out.splitlines()[1:]}
        with Session(eng) as s:
            for name, password in passwords.items():
                user = s.exec(select(User).where(User.username == name)).one()
                assert verify_password(password, user.password_hash)
        f2 = tmp_path / "more.xlsx"
        f2.write_bytes(
            interchange.write_rows(
                ["username", "role", "municipality"],
                [["a.de.wit", "coach", "Utrecht"], ["b.wit", "coach", "Amersfoort"]],
                "xlsx",
            )
        )
        assert main(["users", "import", str(f2), "--json"]) == 3
        captured = capsys.readouterr()
        assert "nobody was created" in captured.err
        answer = json.loads(captured.out)
        assert answer["created"] == [] and "Amersfoort" in answer["problems"][0]["message"]
        with Session(eng) as s:
            assert s.exec(select(func.count()).select_from(User)).one() == 2
        f2.write_bytes(
            interchange.write_rows(
                ["username", "role", "municipality"], [["a.de.wit", "coach", "Utrecht"]], "xlsx"
            )
        )
        assert main(["users", "import", str(f2), "--json"]) == 0
        created = json.loads(capsys.readouterr().out)["created"]
        assert [u["username"] for u in created] == ["a.de.wit"] and created[0]["password"]
    finally:
        get_settings.cache_clear()
        eng.dispose()
