"""SR measurement over HTTP: reports (JSON, CSV, XLSX), matching success, durability follow-ups.

Runs through the ``client`` fixture, which also checks at teardown that every response naming a
candidate left an audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from api.config import Settings
from matcher.sr import add_months
from models.audit import AuditEvent
from models.placements import DurabilityCheck, Placement
from models.referrals import Referral
from tests.api.conftest import Side, World, auth, make_candidate, make_world

TODAY = dt.date.today()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _place(session: Session, s: Side, *, start: dt.date, end: dt.date | None = None) -> Placement:
    p = Placement(
        candidate_id=s.candidate.id,  # type: ignore[arg-type]
        vacancy_id=s.vacancy.id,  # type: ignore[arg-type]
        contract_id=s.contract.id,
        start_date=start,
        end_date=end,
        hours_per_week=36,
    )
    session.add(p)
    session.commit()
    return p


def _actions(session: Session, candidate_id: int | None) -> set[str]:
    found = set(
        session.exec(select(AuditEvent.action).where(AuditEvent.candidate_id == candidate_id))
    )
    session.commit()  # end the read: the app shares this test's one SQLite connection
    return found


def test_reports_json_and_downloads_within_the_municipality(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    a, b = w.a, w.b
    _place(session, a, start=dt.date(2025, 1, 1))
    as_of = "2025-06-30"
    sr = auth(a.sr_officer, settings)

    r = client.get(
        "/api/v1/sr-officer/reports",
        params={"scope": "contract", "name": a.contract.ref, "as_of": as_of},
        headers=sr,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 1
    [rep] = body["data"]
    assert rep["contract_id"] == a.contract.id and rep["as_of"] == as_of
    assert rep["obligation_eur"] == 50_000.0  # 5% of 1,000,000.00 (nationaal)
    assert rep["status"] in {"on_track", "behind"} and rep["realised_eur"] > 0
    assert {t["candidate_ref"] for t in rep["trace"]} == {a.candidate.ref}
    realised = sum(Decimal(str(t["amount_eur"])) for t in rep["trace"] if t["realised"])
    assert realised == Decimal(str(rep["realised_eur"]))
    assert "report.read" in _actions(session, a.candidate.id)

    one = client.get(
        f"/api/v1/sr-officer/contracts/{a.contract.id}/report", params={"as_of": as_of}, headers=sr
    )
    assert one.status_code == 200
    assert one.json() == rep

    by_contractor = client.get(
        "/api/v1/sr-officer/reports",
        params={"scope": "contractor", "name": a.contractor.name},
        headers=sr,
    )
    assert by_contractor.status_code == 200 and by_contractor.json()["count"] == 1
    whole = client.get(
        "/api/v1/sr-officer/reports", headers=sr
    )  # default: the officer's municipality
    assert [d["contract_ref"] for d in whole.json()["data"]] == [a.contract.ref]

    xlsx = client.get(
        "/api/v1/sr-officer/reports/download",
        params={"scope": "contract", "name": a.contract.ref, "as_of": as_of, "format": "xlsx"},
        headers=sr,
    )
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == XLSX
    disposition = xlsx.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith('.xlsx"')
    assert as_of in disposition
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["contracts", a.contract.ref]
    trace = list(wb[a.contract.ref].iter_rows(values_only=True))
    header = trace[0]
    assert trace[1][header.index("candidate_key")] == a.candidate.ref
    assert "report.download" in _actions(session, a.candidate.id)

    text = client.get(
        "/api/v1/sr-officer/reports/download",
        params={"scope": "contract", "name": a.contract.ref, "as_of": as_of, "format": "csv"},
        headers=sr,
    )
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert rows and {row["contract_contract_ref"] for row in rows} == {a.contract.ref}

    # another municipality's contract, contractor or region does not exist for this officer
    for params in (
        {"scope": "contract", "name": b.contract.ref},
        {"scope": "contractor", "name": b.contractor.name},
        {"scope": "region", "name": b.municipality.name},
        {"scope": "contract", "name": "NO-SUCH"},
    ):
        for path in ("/api/v1/sr-officer/reports", "/api/v1/sr-officer/reports/download"):
            assert client.get(path, params=params, headers=sr).status_code == 404, (path, params)
    assert (
        client.get(f"/api/v1/sr-officer/contracts/{b.contract.id}/report", headers=sr).status_code
        == 404
    )

    bad = client.get("/api/v1/sr-officer/reports", params={"scope": "contract"}, headers=sr)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "name"]
    for params in ({"scope": "city"}, {"format": "pdf"}, {"as_of": "31-13-2026"}):
        got = client.get("/api/v1/sr-officer/reports/download", params=params, headers=sr)
        assert got.status_code == 422, params
        assert got.json()["detail"][0]["loc"][-1] == next(iter(params))


def test_matching_success_after_a_shortlist_and_a_referral(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    a = w.a
    sr, coach = auth(a.sr_officer, settings), auth(a.coach, settings)
    empty = client.get("/api/v1/sr-officer/matching-success", headers=sr)
    assert empty.status_code == 200 and empty.json() == {"data": [], "count": 0}

    matching = client.app.state.matching  # type: ignore[attr-defined]
    matching.refresh(full=True)  # the world was made after start-up: index it now
    shortlist = client.get(f"/api/v1/coach/vacancies/{a.free_vacancy.id}/shortlist", headers=coach)
    assert shortlist.status_code == 200, shortlist.text
    entries = shortlist.json()["entries"]
    mine = next(e for e in entries if e["candidate_id"] == a.candidate.id)
    proposed = client.post(
        "/api/v1/coach/referrals",
        json={
            "candidate_id": a.candidate.id,
            "vacancy_id": a.free_vacancy.id,
            "shortlist_rank": mine["rank"],
        },
        headers=coach,
    )
    assert proposed.status_code == 201, proposed.text
    referral_id = proposed.json()["id"]
    for move in (
        {"status": "introduced", "consent_method": "in_person"},
        {"status": "interviewed"},
    ):
        moved = client.post(
            f"/api/v1/coach/referrals/{referral_id}/transitions", json=move, headers=coach
        )
        assert moved.status_code == 200, moved.text
    hired = client.post(
        f"/api/v1/contractor/referrals/{referral_id}/hire",
        json={"start_date": TODAY.isoformat()},
        headers=auth(a.contractor_user, settings),
    )
    assert hired.status_code == 201, hired.text

    got = client.get("/api/v1/sr-officer/matching-success", headers=sr)
    assert got.status_code == 200
    [row] = got.json()["data"]
    assert row["model_version"] == shortlist.json()["model_version"]
    assert row["shortlisted"] == len(entries)
    # the world's other referral (to another vacancy, never shortlisted) does not count
    assert (row["proposed"], row["introduced"], row["interviewed"], row["hired"]) == (1, 1, 1, 1)
    assert row["hired_top10"] == (1 if mine["rank"] <= 10 else 0)
    assert row["hire_rate"] == 1.0
    # side B's officer sees nothing of side A's shortlists
    other = client.get(
        "/api/v1/sr-officer/matching-success", headers=auth(w.b.sr_officer, settings)
    )
    assert other.json()["count"] == 0


def _check(months: int, on: dt.date, employed: bool = True) -> dict[str, object]:
    return {
        "months": months,
        "checked_on": on.isoformat(),
        "still_employed": employed,
        "off_benefit": employed,
    }


def test_durability_record_list_upsert_and_refusals(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w: World = make_world(session)
    a, b = w.a, w.b
    start = TODAY - dt.timedelta(days=400)
    p = _place(session, a, start=start)
    foreign = _place(session, b, start=start)
    coach, contractor = auth(a.coach, settings), auth(a.contractor_user, settings)
    base = f"/api/v1/coach/placements/{p.id}/checks"

    due = client.get("/api/v1/coach/placements/checks-due", headers=coach)
    assert due.status_code == 200
    assert [(d["placement_id"], d["months"]) for d in due.json()["data"]] == [
        (p.id, 3),
        (p.id, 6),
        (p.id, 12),
    ]
    assert due.json()["data"][0]["candidate_ref"] == a.candidate.ref
    assert due.json()["data"][0]["due_on"] == add_months(start, 3).isoformat()
    paged = client.get("/api/v1/coach/placements/checks-due?limit=1&offset=1", headers=coach)
    assert paged.json()["count"] == 3 and [d["months"] for d in paged.json()["data"]] == [6]

    three = add_months(start, 3)
    first = client.post(base, json=_check(3, three), headers=coach)
    assert first.status_code == 201, first.text
    assert first.json()["months"] == 3 and first.json()["still_employed"] is True
    again = client.post(base, json=_check(3, three + dt.timedelta(days=2), False), headers=coach)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    rows = session.exec(select(DurabilityCheck).where(DurabilityCheck.placement_id == p.id)).all()
    session.commit()
    assert [(c.months, c.still_employed, c.recorded_by_id) for c in rows] == [
        (3, False, a.coach.id)
    ]
    assert "placement.check" in _actions(session, a.candidate.id)

    for body, field in (
        (_check(4, three), "months"),
        (_check(13, three), "months"),
        (_check(6, add_months(start, 6) - dt.timedelta(days=1)), "checked_on"),
        (_check(12, TODAY + dt.timedelta(days=1)), "checked_on"),
    ):
        bad = client.post(base, json=body, headers=coach)
        assert bad.status_code == 422, body
        assert bad.json()["detail"][0]["loc"] == ["body", field], bad.json()
    assert (
        client.post(
            f"/api/v1/coach/placements/{foreign.id}/checks", json=_check(3, three), headers=coach
        ).status_code
        == 404
    )

    left = client.get("/api/v1/coach/placements/checks-due", headers=coach).json()
    assert [d["months"] for d in left["data"]] == [6, 12]

    # the contractor sees the same follow-ups without the person until a consented introduction
    seen = client.get("/api/v1/contractor/placements/checks-due", headers=contractor).json()
    assert [(d["placement_id"], d["months"]) for d in seen["data"]] == [(p.id, 6), (p.id, 12)]
    assert all(d["candidate_ref"] is None and "candidate_id" not in d for d in seen["data"])
    referral = session.get(Referral, a.referral.id)
    assert referral is not None
    referral.introduced_with_consent = True
    session.add(referral)
    session.commit()
    seen = client.get("/api/v1/contractor/placements/checks-due", headers=contractor).json()
    assert {d["candidate_ref"] for d in seen["data"]} == {a.candidate.ref}
    twelve = client.post(
        f"/api/v1/contractor/placements/{p.id}/checks",
        json=_check(12, add_months(start, 12)),
        headers=contractor,
    )
    assert twelve.status_code == 201, twelve.text
    assert (
        client.post(
            f"/api/v1/contractor/placements/{foreign.id}/checks",
            json=_check(12, add_months(start, 12)),
            headers=contractor,
        ).status_code
        == 404
    )

    # the SR overview: one milestone left, the shares of what was recorded
    sr = auth(a.sr_officer, settings)
    overview = client.get(
        "/api/v1/sr-officer/durability", params={"today": TODAY.isoformat()}, headers=sr
    )
    assert overview.status_code == 200
    data = overview.json()
    assert [(d["placement_id"], d["months"]) for d in data["due"]] == [(p.id, 6)]
    shares = {s["months"]: s for s in data["shares"]}
    assert (shares[3]["checked"], shares[3]["share_still_employed"]) == (1, 0.0)
    assert (shares[12]["checked"], shares[12]["share_off_benefit"]) == (1, 1.0)
    assert shares[6]["share_still_employed"] is None
    # on the day before the 12-month check was recorded, it was still due
    before = client.get(
        "/api/v1/sr-officer/durability",
        params={"today": (add_months(start, 12) - dt.timedelta(days=1)).isoformat()},
        headers=sr,
    ).json()
    assert [d["months"] for d in before["due"]] == [6]


def test_the_carousel_and_reach_for_the_sr_team(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    a = w.a
    for i in range(3):  # three two-month placements within a year: the carousel
        start = dt.date(2025, 1 + 3 * i, 1)
        _place(session, a, start=start, end=start + dt.timedelta(days=60))
    make_candidate(session, municipality_id=a.municipality.id, benefit="ww", ladder_step=2)
    sr = auth(a.sr_officer, settings)
    data = client.get(
        "/api/v1/sr-officer/durability", params={"today": "2026-01-31"}, headers=sr
    ).json()
    [flag] = data["carousel"]
    assert flag["candidate_ref"] == a.candidate.ref and len(flag["placement_ids"]) == 3
    assert "placement.durability" in _actions(session, a.candidate.id)

    reach = client.get("/api/v1/sr-officer/reach", params={"as_of": "2026-01-31"}, headers=sr)
    assert reach.status_code == 200
    body = reach.json()
    assert body["as_of"] == "2026-01-31" and body["count"] == len(body["data"])
    benefit = {r["value"]: r for r in body["data"] if r["dimension"] == "benefit"}
    assert (
        benefit["participatiewet"]["placed"] == 1 and benefit["participatiewet"]["placements"] == 3
    )
    assert benefit["ww"]["placed"] == 0 and benefit["ww"]["representation"] == 0.0
    assert {r["dimension"] for r in body["data"]} == {"ladder_step", "benefit", "target_groups"}
    # before the first placement started, nobody was placed yet
    early = client.get(
        "/api/v1/sr-officer/reach", params={"as_of": "2024-12-31"}, headers=sr
    ).json()
    assert all(r["placed"] == 0 and r["placed_share"] is None for r in early["data"])
