"""The contractor portal through HTTP (SQLite and PostgreSQL): efforts reported, decided and
counted in the contract report; an anonymous search, a request and the coach's decision."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.config import Settings
from models.organisations import Role
from models.portal import AnonymousProfilePublic
from tests.api.conftest import (
    auth,
    make_candidate,
    make_contract,
    make_contractor,
    make_municipality,
    make_user,
    make_vacancy,
)

TODAY = dt.date.today()


def _world(session: Session):  # type: ignore[no-untyped-def]
    muni = make_municipality(session)
    firm = make_contractor(session)
    contract = make_contract(
        session,
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
    yes = make_candidate(session, municipality_id=muni.id, coach_id=coach.id, ref="HTTP-YES")
    no = make_candidate(
        session, municipality_id=muni.id, coach_id=coach.id, ref="HTTP-NO", consent_share=False
    )
    return contract, coach, cu, officer, vac, yes, no


def test_effort_reported_approved_and_counted(
    client: TestClient, session: Session, settings: Settings
) -> None:
    contract, _coach, cu, officer, *_ = _world(session)
    as_contractor, as_officer = auth(cu, settings), auth(officer, settings)
    url = f"/api/v1/contractor/contracts/{contract.id}/report"
    before = client.get(url, headers=as_contractor).json()
    assert before["realised_eur"] == 0 and before["status"] == "behind"

    body = {
        "contract_id": contract.id,
        "kind": "social_purchasing",
        "description": "Groenonderhoud door sociale onderneming Groen Werkt",
        "day": TODAY.isoformat(),
        "amount_eur": 4321.09,
        "evidence_ref": "F-2026-311",
    }
    r = client.post("/api/v1/contractor/efforts", json=body, headers=as_contractor)
    assert r.status_code == 201, r.text
    good = r.json()
    bad = client.post(
        "/api/v1/contractor/efforts", json=body | {"amount_eur": 50_000}, headers=as_contractor
    ).json()
    refused = client.post(
        "/api/v1/contractor/efforts", json=body | {"kind": "donation"}, headers=as_contractor
    )
    assert refused.status_code == 422 and "kind" in refused.text and "pso" in refused.text

    pending = client.get("/api/v1/sr-officer/efforts?status=pending", headers=as_officer).json()
    assert {e["id"] for e in pending["data"]} == {good["id"], bad["id"]}
    r = client.post(f"/api/v1/sr-officer/efforts/{good['id']}/approve", headers=as_officer)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = client.post(
        f"/api/v1/sr-officer/efforts/{bad['id']}/reject", json={"reason": ""}, headers=as_officer
    )
    assert r.status_code == 422  # a rejection needs a reason
    r = client.post(
        f"/api/v1/sr-officer/efforts/{bad['id']}/reject",
        json={"reason": "factuur van een gewone leverancier"},
        headers=as_officer,
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    again = client.post(f"/api/v1/sr-officer/efforts/{bad['id']}/approve", headers=as_officer)
    assert again.status_code == 409

    after = client.get(url, headers=as_contractor).json()
    [line] = [t for t in after["trace"] if t["effort_id"] is not None]
    assert line["effort_id"] == good["id"] and line["amount_eur"] == 4321.09
    assert round(after["realised_eur"] - before["realised_eur"], 2) == line["amount_eur"]
    officer_report = client.get(
        f"/api/v1/sr-officer/contracts/{contract.id}/report", headers=as_officer
    ).json()
    assert officer_report["realised_eur"] == after["realised_eur"]
    # evidence: uploaded by the contractor (pending only), downloaded by the officer
    up = client.post(
        f"/api/v1/contractor/efforts/{good['id']}/evidence",
        files={"file": ("factuur.pdf", b"%PDF-1.4 factuur", "application/pdf")},
        headers=as_contractor,
    )
    assert up.status_code == 409  # already approved: the evidence is fixed
    pending = client.post(
        "/api/v1/contractor/efforts", json=body | {"amount_eur": 10.0}, headers=as_contractor
    ).json()
    wrong = client.post(
        f"/api/v1/contractor/efforts/{pending['id']}/evidence",
        files={"file": ("factuur.pdf", b"<html>", "application/pdf")},
        headers=as_contractor,
    )
    assert wrong.status_code == 422 and "not a PDF" in wrong.text
    up = client.post(
        f"/api/v1/contractor/efforts/{pending['id']}/evidence",
        files={"file": ("factuur.pdf", b"%PDF-1.4 factuur", "application/pdf")},
        headers=as_contractor,
    )
    assert up.status_code == 200 and up.json()["evidence_file"]["size"] == 16
    got = client.get(f"/api/v1/sr-officer/efforts/{pending['id']}/evidence", headers=as_officer)
    assert got.status_code == 200 and got.content == b"%PDF-1.4 factuur"
    assert got.headers["content-type"] == "application/pdf"
    assert 'filename="factuur.pdf"' in got.headers["content-disposition"]
    none = client.get(f"/api/v1/sr-officer/efforts/{good['id']}/evidence", headers=as_officer)
    assert none.status_code == 404
    client.post(
        f"/api/v1/sr-officer/efforts/{pending['id']}/reject",
        json={"reason": "test"},
        headers=as_officer,
    )

    mine = client.get("/api/v1/contractor/efforts", headers=as_contractor).json()
    credited = {e["id"]: (e["status"], e["credited_eur"]) for e in mine["data"]}
    assert credited == {
        good["id"]: ("approved", 4321.09),
        bad["id"]: ("rejected", 0.0),
        pending["id"]: ("rejected", 0.0),
    }


def test_search_request_and_the_coachs_decision(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _contract, coach, cu, _officer, vac, yes, no = _world(session)
    client.app.state.matching.refresh()  # type: ignore[attr-defined]
    as_contractor, as_coach = auth(cu, settings), auth(coach, settings)
    r = client.post(
        "/api/v1/contractor/candidate-searches",
        json={"vacancy_id": vac.id, "skills": ["heftruck"]},
        headers=as_contractor,
    )
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["count"] == 1  # the non-consenting candidate is not even counted
    text = r.text
    for leak in (
        "HTTP-YES",
        "HTTP-NO",
        "3511AB",
        "participatiewet",
        "candidate_id",
        "candidate_ref",
    ):
        assert leak not in text, leak
    assert set(found["data"][0]) == set(AnonymousProfilePublic.model_fields)
    handle = found["data"][0]["handle"]
    bad = client.post(
        "/api/v1/contractor/candidate-searches",
        json={"vacancy_id": vac.id, "education_min": "phd"},
        headers=as_contractor,
    )
    assert bad.status_code == 422 and "education_min" in bad.text

    r = client.post(
        "/api/v1/contractor/proposal-requests",
        json={"search_token": found["token"], "handle": handle, "message": "Graag!"},
        headers=as_contractor,
    )
    assert r.status_code == 201, r.text
    req = r.json()
    listed = client.get("/api/v1/coach/proposal-requests", headers=as_coach).json()
    assert [(x["id"], x["candidate_ref"], x["status"]) for x in listed["data"]] == [
        (req["id"], "HTTP-YES", "pending")
    ]
    r = client.post(f"/api/v1/coach/proposal-requests/{req['id']}/accept", headers=as_coach)
    assert r.status_code == 200, r.text
    referral_id = r.json()["referral_id"]
    assert referral_id is not None
    referral = client.get(f"/api/v1/coach/referrals/{referral_id}", headers=as_coach).json()
    assert referral["status"] == "proposed" and referral["candidate_id"] == yes.id
    mine = client.get("/api/v1/contractor/proposal-requests", headers=as_contractor).json()
    assert [(x["status"], x["referral_id"]) for x in mine["data"]] == [("accepted", referral_id)]
    assert no.id is not None
