"""The SR officer's import, contracts, contract trace with downloads and audit trail pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.candidates import Candidate
from tests.api.conftest import World, make_world
from tests.api.web.conftest import csrf_from, log_in

SR_PAGES = (
    "/sr-officer/import",
    "/sr-officer/contracts",
    "/sr-officer/audit",
)


def _csv(world: World, rows: list[str]) -> bytes:
    muni = world.a.municipality.name
    head = "candidate_ref,municipality,postcode,benefit,skills,occupations,dutch_level,education\n"
    return (head + "".join(r.replace("{muni}", muni) + "\n" for r in rows)).encode()


GOOD = "IMP-1,{muni},3511 ab,participatiewet,heftruck,magazijnmedewerker,B1,mbo2"
BAD = "IMP-2,{muni},99999,geen-uitkering,schoonmaken,schoonmaker,B1,vmbo"


@pytest.mark.parametrize("path", SR_PAGES)
@pytest.mark.parametrize("who", ["coach", "contractor", "admin"])
def test_only_sr_officers_open_their_pages(
    web: TestClient, session: Session, path: str, who: str
) -> None:
    world = make_world(session)
    user = {"coach": world.a.coach, "contractor": world.a.contractor_user, "admin": world.admin}
    log_in(web, user[who])
    assert web.get(path).status_code == 403


def test_a_rejected_import_shows_its_errors_per_row_and_writes_nothing(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    form = web.get("/sr-officer/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    answer = web.post(
        "/sr-officer/import",
        data={"csrf_token": csrf_from(form.text), "kind": "candidates"},
        files={"file": ("kandidaten.csv", _csv(world, [GOOD, BAD]))},
    )
    assert answer.status_code == 422
    html = answer.text
    assert "kandidaten.csv is niet ingelezen" in html
    assert 'data-row="3"' in html and 'data-row="2"' not in html  # row 3 of the file is bad
    group = html[html.index('data-row="3"') : html.index("</tbody>")]
    assert "<td>benefit</td>" in group and "<code>geen-uitkering</code>" in group
    assert "<td>postcode</td>" in group and "<code>99999</code>" in group
    assert session.exec(select(Candidate).where(Candidate.ref == "IMP-1")).first() is None
    # the kind chosen is kept
    assert '<option value="candidates" selected>' in html


def test_a_partial_import_writes_the_good_rows_and_reports_the_rest(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    token = csrf_from(web.get("/sr-officer/import").text)
    answer = web.post(
        "/sr-officer/import",
        data={"csrf_token": token, "kind": "candidates", "partial": "true"},
        files={"file": ("kandidaten.csv", _csv(world, [GOOD, BAD]))},
    )
    assert answer.status_code == 200, answer.text
    assert "kandidaten.csv is ingelezen" in answer.text and 'data-row="3"' in answer.text
    assert session.exec(select(Candidate).where(Candidate.ref == "IMP-1")).one()


def test_an_import_without_a_file_names_the_file_field(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    token = csrf_from(web.get("/sr-officer/import").text)
    answer = web.post("/sr-officer/import", data={"csrf_token": token, "kind": "candidates"})
    assert answer.status_code == 422
    assert 'id="f-file-error"' in answer.text
    assert 'aria-describedby="f-file-hint f-file-error"' in answer.text


def test_an_import_without_csrf_is_refused_and_writes_nothing(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    answer = web.post(
        "/sr-officer/import",
        data={"kind": "candidates"},
        files={"file": ("kandidaten.csv", _csv(world, [GOOD]))},
    )
    assert answer.status_code == 403
    assert session.exec(select(Candidate).where(Candidate.ref == "IMP-1")).first() is None


def test_contracts_list_the_municipalitys_own_with_status(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    html = web.get("/sr-officer/contracts").text
    assert world.a.contract.ref in html and world.b.contract.ref not in html
    assert f'href="/sr-officer/contracts/{world.a.contract.id}"' in html
    assert world.a.contractor.name in html  # the contractor filter
    other = web.get(f"/sr-officer/contracts?contractor={world.b.contractor.id}")
    assert other.status_code == 200 and world.a.contract.ref not in other.text
    assert "Geen contracten gevonden" in other.text


def test_a_contract_page_shows_its_report_and_offers_downloads(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    page = web.get(f"/sr-officer/contracts/{world.a.contract.id}")
    assert page.status_code == 200 and world.a.contract.ref in page.text
    for fmt, media in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
        file = web.get(f"/sr-officer/contracts/{world.a.contract.id}/download?format={fmt}")
        assert file.status_code == 200 and media in file.headers["content-type"]
        assert "attachment" in file.headers["content-disposition"]
    # the page's CSV is for Dutch Excel: BOM, ';' and decimal commas; dialect=en keeps ','
    nl = web.get(f"/sr-officer/contracts/{world.a.contract.id}/download?format=csv")
    header = nl.content.decode("utf-8-sig").splitlines()[0]
    assert nl.content.startswith(b"\xef\xbb\xbf") and ";" in header and "," not in header
    en = web.get(f"/sr-officer/contracts/{world.a.contract.id}/download?format=csv&dialect=en")
    assert "," in en.text.splitlines()[0] and not en.content.startswith(b"\xef\xbb\xbf")
    assert web.get(f"/sr-officer/contracts/{world.b.contract.id}").status_code == 404
    assert (
        web.get(f"/sr-officer/contracts/{world.b.contract.id}/download?format=csv").status_code
        == 404
    )


def test_the_audit_trail_filters_by_action_and_stays_in_the_municipality(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.coach)
    web.get(f"/coach/candidates/{world.a.candidate.id}")
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/coach/candidates").text)})
    log_in(web, world.a.sr_officer)
    page = web.get("/sr-officer/audit?action=candidate.read")
    assert page.status_code == 200
    assert "candidate.read" in page.text and world.a.coach.username in page.text
    assert f"#{world.a.candidate.id}" in page.text
    empty = web.get("/sr-officer/audit?action=nothing.like.this")
    assert "Geen gebeurtenissen" in empty.text
    bad = web.get("/sr-officer/audit?since=31-12-2025")
    assert bad.status_code == 422 and 'id="f-since-error"' in bad.text
