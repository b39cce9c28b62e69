"""Contractor-portal pages (SQLite and PostgreSQL): a contract's bar and anonymised trace, an
effort reported on a form and decided by the SR officer on theirs, the anonymous search with
"ask the coach", and the coach's requests list where the coach decides."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.organisations import Role
from tests.api.conftest import (
    make_candidate,
    make_contract,
    make_contractor,
    make_municipality,
    make_user,
    make_vacancy,
    make_world,
)
from tests.api.web.conftest import csrf_from, log_in

TODAY = dt.date.today()


def _world(session: Session):  # type: ignore[no-untyped-def]
    muni = make_municipality(session)
    firm = make_contractor(session)
    contract = make_contract(
        session,
        ref="CT-PAGES",
        contractor_id=firm.id,
        municipality_id=muni.id,
        sr_table="utrecht",
        value_cents=100_000_000,
        start_date=TODAY - dt.timedelta(days=100),
        end_date=TODAY + dt.timedelta(days=300),
    )
    coach = make_user(session, role=Role.coach, municipality=muni)
    cu = make_user(session, role=Role.contractor, contractor=firm)
    officer = make_user(session, role=Role.sr_officer, municipality=muni)
    vac = make_vacancy(
        session, contractor_id=firm.id, contract_id=contract.id, municipality_id=muni.id
    )
    cand = make_candidate(session, municipality_id=muni.id, coach_id=coach.id, ref="PAGE-YES")
    return contract, coach, cu, officer, vac, cand


def test_effort_form_decision_and_the_contract_page(web: TestClient, session: Session) -> None:
    contract, _coach, cu, officer, _vac, _cand = _world(session)
    log_in(web, cu)
    page = web.get("/contractor/efforts")
    assert page.status_code == 200 and "CT-PAGES" in page.text
    form = {
        "csrf_token": csrf_from(page.text),
        "contract_id": str(contract.id),
        "kind": "social_purchasing",
        "description": "Koffie van Brandpunt (sociale onderneming)",
        "day": TODAY.isoformat(),
        "amount_eur": "1.234,50",
        "evidence_ref": "INV-77",
    }
    refused = web.post("/contractor/efforts", data=form | {"amount_eur": "veel"})
    assert refused.status_code == 422
    assert "Vul een getal in" in refused.text and "Brandpunt" in refused.text  # input kept
    wrong_file = web.post(
        "/contractor/efforts",
        data=form,
        files={"evidence": ("factuur.pdf", b"not a pdf", "application/pdf")},
    )
    assert wrong_file.status_code == 422 and "not a PDF" in wrong_file.text
    saved = web.post(
        "/contractor/efforts",
        data=form,
        files={"evidence": ("factuur.pdf", b"%PDF-1.4 factuur", "application/pdf")},
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/contractor/efforts?saved=1"
    assert "te beoordelen" in web.get("/contractor/efforts").text

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/contractor/efforts").text)})
    log_in(web, officer)
    pending = web.get("/sr-officer/efforts")
    assert pending.status_code == 200 and "INV-77" in pending.text
    [href] = re.findall(r'href="(/sr-officer/efforts/\d+/evidence)"', pending.text)
    download = web.get(href)
    assert download.status_code == 200 and download.content == b"%PDF-1.4 factuur"
    effort_id = re.search(r"/sr-officer/efforts/(\d+)/decide", pending.text).group(1)  # type: ignore[union-attr]
    token = csrf_from(pending.text)
    no_reason = web.post(
        f"/sr-officer/efforts/{effort_id}/decide",
        data={"csrf_token": token, "decision": "reject", "reason": ""},
    )
    assert no_reason.status_code == 422 and "afkeuren vraagt een reden" in no_reason.text
    ok = web.post(
        f"/sr-officer/efforts/{effort_id}/decide",
        data={"csrf_token": token, "decision": "approve", "reason": ""},
    )
    assert ok.status_code == 303
    assert "goedgekeurd" in web.get("/sr-officer/efforts?status=approved").text

    web.post("/logout", data={"csrf_token": token})
    log_in(web, cu)
    detail = web.get(f"/contractor/contracts/{contract.id}")
    assert detail.status_code == 200
    assert '<progress id="bar-realised"' in detail.text
    assert "1234.5" in detail.text.replace(",", "")  # the effort's line
    assert "Social inkoop #" in detail.text
    assert f"/contractor/contracts/{contract.id}" in web.get("/contractor/contracts").text


def test_a_contractor_cannot_open_another_firms_contract_page(
    web: TestClient, session: Session
) -> None:
    w = make_world(session)
    log_in(web, w.a.contractor_user)
    assert web.get(f"/contractor/contracts/{w.a.contract.id}").status_code == 200
    assert web.get(f"/contractor/contracts/{w.b.contract.id}").status_code == 404
    assert web.get("/coach/requests").status_code == 403
    assert web.get("/sr-officer/efforts").status_code == 403


def test_search_ask_and_the_coach_decides(web: TestClient, session: Session) -> None:
    _contract, coach, cu, _officer, vac, _cand = _world(session)
    web.app.state.matching.refresh()  # type: ignore[attr-defined]
    log_in(web, cu)
    form_page = web.get("/contractor/search")
    assert form_page.status_code == 200 and vac.ref in form_page.text
    token = csrf_from(form_page.text)
    bad = web.post(
        "/contractor/search",
        data={"csrf_token": token, "vacancy_id": str(vac.id), "skills": "qwxzqwxz"},
    )
    assert bad.status_code == 422 and "qwxzqwxz" in bad.text
    found = web.post(
        "/contractor/search",
        data={"csrf_token": token, "vacancy_id": str(vac.id), "skills": "heftruck"},
    )
    assert found.status_code == 200 and "Profiel " in found.text
    assert "PAGE-YES" not in found.text
    search_token = re.search(r'name="search_token" value="([^"]+)"', found.text).group(1)  # type: ignore[union-attr]
    handle = re.search(r'name="handle" value="([^"]+)"', found.text).group(1)  # type: ignore[union-attr]
    asked = web.post(
        "/contractor/search/request",
        data={"csrf_token": token, "search_token": search_token, "handle": handle},
    )
    assert asked.status_code == 303
    assert handle in web.get("/contractor/requests?sent=1").text

    web.post("/logout", data={"csrf_token": token})
    log_in(web, coach)
    listed = web.get("/coach/requests")
    assert listed.status_code == 200 and "PAGE-YES" in listed.text
    request_id = re.search(r"/coach/requests/(\d+)/decide", listed.text).group(1)  # type: ignore[union-attr]
    done = web.post(
        f"/coach/requests/{request_id}/decide",
        data={"csrf_token": csrf_from(listed.text), "decision": "accept"},
    )
    assert done.status_code == 303
    assert "voorgedragen" in web.get("/coach/requests?status=accepted").text
