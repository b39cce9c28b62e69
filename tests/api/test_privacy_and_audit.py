"""Acceptance 2 and 3: contractors see no identifying data before a consented introduction;
personal-data reads are audited; the audit trail cannot be changed through the API."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from matcher.taxonomy import load_taxonomy
from models.audit import AuditEvent
from models.organisations import Role
from tests.api.conftest import api_settings, auth, make_user, make_world


def _contractor_texts(client: TestClient, headers: dict[str, str], ref_id: int) -> list[str]:
    out = []
    for path in (
        "/api/v1/contractor/referrals",
        f"/api/v1/contractor/referrals/{ref_id}",
        "/api/v1/contractor/vacancies",
        "/api/v1/contractor/exports/vacancies",
    ):
        r = client.get(path, headers=headers)
        assert r.status_code == 200, (path, r.text)
        out.append(r.text)
    return out


def test_contractor_sees_no_identity_before_consented_introduction(
    client: TestClient, session: Session
) -> None:
    settings = api_settings()
    w = make_world(session)
    cand, ref = w.a.candidate, w.a.referral
    # free text a coach typed can hold anything; contractors only ever see taxonomy labels
    cand.skills = [*cand.skills, "broer van Jan Jansen"]
    session.add(cand)
    session.commit()
    values = [cand.ref, cand.postcode, w.b.candidate.ref, '"participatiewet"', "Jansen"]
    keys = ['"postcode"', '"benefit"', '"candidate_ref"', '"candidate_id"', '"ref"']
    headers = auth(w.a.contractor_user, settings)
    texts = _contractor_texts(client, headers, ref.id)  # type: ignore[arg-type]
    for text in texts:
        for secret in values:
            assert secret not in text, f"{secret!r} leaked to a contractor: {text[:300]}"
    for text in texts[:2]:  # the referral responses carry no identifying field at all
        for key in keys:
            assert key not in text, f"{key} in a contractor's referral view: {text[:300]}"
    body = client.get(f"/api/v1/contractor/referrals/{ref.id}", headers=headers).json()
    assert body["introduced"] is None
    anon = body["anonymous"]
    taxonomy = load_taxonomy()
    stated = [taxonomy.label(s["id"]) for s in cand.skills_norm if not s["implied"]]
    assert anon["counts_for_sr"] is True and anon["skills"] == stated and stated
    assert anon["dutch_level"] == "B1"
    assert anon["distance_km"] == round(anon["distance_km"])

    # a coach confirms consent when introducing: only then the reference and a contact appear
    ref.status, ref.introduced_with_consent = "introduced", True
    session.add(ref)
    session.commit()
    after = client.get(f"/api/v1/contractor/referrals/{ref.id}", headers=headers).json()
    assert after["anonymous"] is None
    assert after["introduced"]["candidate_ref"] == cand.ref
    assert after["introduced"]["contact_municipality"] == w.a.municipality.name
    assert "benefit" not in json.dumps(after) and cand.postcode not in json.dumps(after)


def test_consent_missing_on_candidate_hides_the_referral_entirely(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    cand, ref = w.a.candidate, w.a.referral
    cand.consent_share = False
    ref.introduced_with_consent = True
    session.add_all([cand, ref])
    session.commit()
    headers = auth(w.a.contractor_user, api_settings())
    r = client.get(f"/api/v1/contractor/referrals/{ref.id}", headers=headers)
    assert r.status_code == 404 and cand.ref not in r.text
    listed = client.get("/api/v1/contractor/referrals", headers=headers).json()
    assert ref.id not in [x["id"] for x in listed["data"]]


def test_reads_write_audit_events_that_sr_can_query(client: TestClient, session: Session) -> None:
    settings = api_settings()
    w = make_world(session)
    coach, cand = w.a.coach, w.a.candidate
    r = client.get(
        f"/api/v1/coach/candidates/{cand.id}",
        headers={**auth(coach, settings), "X-Request-ID": "req-audit-1"},
    )
    assert r.status_code == 200
    events = session.exec(select(AuditEvent).where(AuditEvent.request_id == "req-audit-1")).all()
    assert [(e.username, e.role, e.action, e.candidate_id) for e in events] == [
        (coach.username, "coach", "candidate.read", cand.id)
    ]
    session.commit()  # SQLite tests share one connection: end this read before the next call
    sr = auth(w.a.sr_officer, settings)
    trail = client.get(
        "/api/v1/sr-officer/audit",
        params={"candidate_id": cand.id, "action": "candidate.read"},
        headers=sr,
    )
    assert trail.status_code == 200 and trail.json()["count"] == 1
    assert trail.json()["data"][0]["request_id"] == "req-audit-1"
    # another municipality's officer does not see these events
    other = client.get(
        "/api/v1/sr-officer/audit",
        params={"candidate_id": cand.id},
        headers=auth(w.b.sr_officer, settings),
    )
    assert other.json()["count"] == 0
    # no route changes or deletes the trail
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        assert client.request(method, "/api/v1/sr-officer/audit", headers=sr).status_code == 405
    event_id = events[0].id
    for method in ("PUT", "PATCH", "DELETE"):
        r = client.request(method, f"/api/v1/sr-officer/audit/{event_id}", headers=sr)
        assert r.status_code in (404, 405)


def test_coach_edits_only_held_candidates(client: TestClient, session: Session) -> None:
    settings = api_settings()
    w = make_world(session)
    other = auth(w.a.other_coach, settings)
    path = f"/api/v1/coach/candidates/{w.a.candidate.id}"
    assert client.get(path, headers=other).status_code == 200
    assert client.patch(path, json={"hours_per_week": 20}, headers=other).status_code == 403
    holder = auth(w.a.coach, settings)
    r = client.patch(path, json={"hours_per_week": 20, "postcode": "0000AA"}, headers=holder)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "postcode"
    r = client.patch(path, json={"hours_per_week": 200}, headers=holder)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "hours_per_week"
    r = client.get("/api/v1/coach/candidates", params={"limit": 101}, headers=holder)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "limit"]


def test_referral_lifecycle_needs_reasons_and_creates_placement(
    client: TestClient, session: Session
) -> None:
    settings = api_settings()
    w = make_world(session)
    coach = auth(w.a.coach, settings)
    r = client.post(
        "/api/v1/coach/referrals",
        json={"candidate_id": w.a.candidate.id, "vacancy_id": w.a.free_vacancy.id},
        headers=coach,
    )
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    rid = r.json()["id"]
    move = f"/api/v1/coach/referrals/{rid}/transitions"
    bad = client.post(move, json={"status": "hired"}, headers=coach)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "status"
    no_reason = client.post(move, json={"status": "rejected"}, headers=coach)
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"][-1] == "reason"
    # confirming consent without a record of it is not enough
    alone = client.post(
        move, json={"status": "introduced", "consent_confirmed": True}, headers=coach
    )
    assert alone.status_code == 422, alone.text
    assert alone.json()["detail"][0]["loc"][-1] == "consent_method"
    ok = client.post(move, json={"status": "introduced", "consent_method": "signed"}, headers=coach)
    assert ok.status_code == 200 and ok.json()["introduced_with_consent"] is True
    assert ok.json()["consent"]["method"] == "signed"
    hire = client.post(
        f"/api/v1/contractor/referrals/{rid}/hire",
        json={"start_date": "2026-12-01", "hours_per_week": 30},
        headers=auth(w.a.contractor_user, settings),
    )
    assert hire.status_code == 201, hire.text
    assert hire.json()["contract_id"] == w.a.contract.id and "candidate_id" not in hire.json()
    hist = client.get(f"/api/v1/coach/referrals/{rid}", headers=coach).json()["history"]
    assert [h["status"] for h in hist if h["action"] == "status"] == [
        "proposed",
        "introduced",
        "hired",
    ]
    assert [h["action"] for h in hist].count("consent_recorded") == 1
    placements = client.get("/api/v1/sr-officer/placements", headers=auth(w.a.sr_officer, settings))
    assert placements.json()["count"] == 1 and placements.json()["data"][0]["hours_per_week"] == 30
    dup = client.post(
        "/api/v1/coach/referrals",
        json={"candidate_id": w.a.candidate.id, "vacancy_id": w.a.free_vacancy.id},
        headers=coach,
    )
    assert dup.status_code == 409


def test_uploads_are_limited_and_report_rows(client: TestClient, session: Session) -> None:
    settings = api_settings()
    sr = make_user(session, role=Role.sr_officer)
    headers = auth(sr, settings)
    big = b"contract_ref,contractor,value_eur\n" + b"x" * (60 * 1024)
    r = client.post(
        "/api/v1/sr-officer/imports/contracts", files={"file": ("c.csv", big)}, headers=headers
    )
    assert r.status_code == 413
    bad = b"contract_ref,contractor,value_eur\nC-1,Bouw BV,abc\n"
    r = client.post(
        "/api/v1/sr-officer/imports/contracts", files={"file": ("c.csv", bad)}, headers=headers
    )
    assert r.status_code == 422
    report = r.json()["detail"]
    assert report["committed"] is False and report["errors"][0]["column"] == "value_eur"
    r = client.post(
        "/api/v1/sr-officer/imports/nonsense", files={"file": ("c.csv", bad)}, headers=headers
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "kind"]
    x = client.get(
        "/api/v1/sr-officer/exports/contracts", params={"format": "xlsx"}, headers=headers
    )
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert x.headers["content-disposition"] == 'attachment; filename="contracts.xlsx"'
