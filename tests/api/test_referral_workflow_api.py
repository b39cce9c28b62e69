"""Issue 11's consent workflow through the HTTP API, on SQLite and PostgreSQL: the coach
records consent (who, when, how) and introduces, the contractor asks for an introduction,
invites and rejects with a reason, a hire needs the consented introduction, withdrawal hides at
once; ``counts_for_sr`` does not move when the contractor edits the vacancy (issue 13,
finding 2); shortlist entries say who holds each candidate and whether it can be proposed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.vacancies import Vacancy
from tests.api.conftest import api_settings, auth, make_candidate, make_world

TODAY = dt.date.today().isoformat()


def _post(client: TestClient, path: str, headers: dict[str, str], body: Any = None) -> Any:
    return client.post(path, json=body or {}, headers=headers)


def test_the_workflow_through_the_api(client: TestClient, session: Session) -> None:
    settings = api_settings()
    w = make_world(session)
    shy = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, consent_share=False
    )
    coach, contractor = auth(w.a.coach, settings), auth(w.a.contractor_user, settings)
    refused = _post(
        client,
        "/api/v1/coach/referrals",
        coach,
        {"candidate_id": shy.id, "vacancy_id": w.a.free_vacancy.id},
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][-1] == "candidate_id"
    assert "consent_share" in refused.json()["detail"][0]["msg"]

    made = _post(
        client,
        "/api/v1/coach/referrals",
        coach,
        {"candidate_id": w.a.candidate.id, "vacancy_id": w.a.free_vacancy.id},
    )
    assert made.status_code == 201 and made.json()["counts_for_sr"] is True
    rid = made.json()["id"]
    ref = f"/api/v1/contractor/referrals/{rid}"

    # the contractor: no hire and no interview from a proposal; asks for an introduction
    assert _post(client, f"{ref}/hire", contractor, {"start_date": TODAY}).status_code == 422
    assert _post(client, f"{ref}/interview", contractor).status_code == 422
    asked = _post(client, f"{ref}/request-introduction", contractor, {"note": "graag"})
    assert asked.status_code == 200 and asked.json()["introduction_requested"] is True
    assert _post(client, f"{ref}/request-introduction", contractor).status_code == 409
    assert asked.json()["introduced"] is None and asked.json()["anonymous"] is not None

    # the coach sees it, records consent (how) and introduces
    seen = client.get(f"/api/v1/coach/referrals/{rid}", headers=coach).json()
    assert seen["introduction_requested"] is True
    assert seen["history"][-1]["action"] == "introduction_requested"
    assert seen["history"][-1]["by_role"] == "contractor"
    bad = _post(client, f"/api/v1/coach/referrals/{rid}/consent", coach, {"method": "email"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "consent_method"
    consent = _post(client, f"/api/v1/coach/referrals/{rid}/consent", coach, {"method": "phone"})
    assert consent.status_code == 201, consent.text
    assert consent.json()["consent"]["method"] == "phone"
    assert consent.json()["consent"]["recorded_by"]
    again = _post(client, f"/api/v1/coach/referrals/{rid}/consent", coach, {"method": "signed"})
    assert again.status_code == 409
    moved = _post(
        client, f"/api/v1/coach/referrals/{rid}/transitions", coach, {"status": "introduced"}
    )
    assert moved.status_code == 200 and moved.json()["introduced_with_consent"] is True
    view = client.get(ref, headers=contractor).json()
    assert view["introduced"]["candidate_ref"] == w.a.candidate.ref

    # interview, then the candidate withdraws consent: hidden again at once, no hire
    invited = _post(client, f"{ref}/interview", contractor)
    assert invited.status_code == 200 and invited.json()["status"] == "interviewed"
    gone = _post(
        client, f"/api/v1/coach/referrals/{rid}/consent/withdraw", coach, {"reason": "belde af"}
    )
    assert gone.status_code == 200 and gone.json()["consent"] is None
    view = client.get(ref, headers=contractor)
    assert view.json()["introduced"] is None and w.a.candidate.ref not in view.text
    hire = _post(client, f"{ref}/hire", contractor, {"start_date": TODAY})
    assert hire.status_code == 422 and "consented introduction" in hire.text
    assert (
        _post(client, f"/api/v1/coach/referrals/{rid}/consent/withdraw", coach).status_code == 404
    )
    # consent recorded again: the hire goes through
    _post(client, f"/api/v1/coach/referrals/{rid}/consent", coach, {"method": "in_person"})
    hire = _post(client, f"{ref}/hire", contractor, {"start_date": TODAY})
    assert hire.status_code == 201, hire.text

    # a second proposal, rejected by the contractor with a reason from the list
    other = make_candidate(session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id)
    rid2 = _post(
        client,
        "/api/v1/coach/referrals",
        coach,
        {"candidate_id": other.id, "vacancy_id": w.a.vacancy.id},
    ).json()["id"]
    wrong = _post(
        client, f"/api/v1/contractor/referrals/{rid2}/reject", contractor, {"reason_code": "?"}
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"][-1] == "reason_code"
    no = _post(
        client,
        f"/api/v1/contractor/referrals/{rid2}/reject",
        contractor,
        {"reason_code": "hours", "reason": "zoekt 20 uur"},
    )
    assert no.status_code == 200 and no.json()["status"] == "rejected"
    last = client.get(f"/api/v1/coach/referrals/{rid2}", headers=coach).json()["history"][-1]
    assert (last["status"], last["reason_code"], last["reason"]) == (
        "rejected",
        "hours",
        "zoekt 20 uur",
    )


def test_counts_for_sr_does_not_move_when_the_contractor_edits_the_vacancy(
    client: TestClient, session: Session
) -> None:
    """Issue 13, finding 2: 80-96 edits per vacancy recovered benefit and target groups."""
    settings = api_settings()
    w = make_world(session)
    coach, contractor = auth(w.a.coach, settings), auth(w.a.contractor_user, settings)
    answers: dict[str, bool] = {}
    for name, benefit, groups in (("ww", "ww", ["50plus"]), ("none", "none", [])):
        cand = make_candidate(
            session,
            municipality_id=w.a.municipality.id,
            coach_id=w.a.coach.id,
            benefit=benefit,
            target_groups=groups,
        )
        made = _post(
            client,
            "/api/v1/coach/referrals",
            coach,
            {"candidate_id": cand.id, "vacancy_id": w.a.free_vacancy.id},
        )
        assert made.status_code == 201, made.text
        answers[str(made.json()["id"])] = name == "ww"
    vac = f"/api/v1/contractor/vacancies/{w.a.free_vacancy.id}"
    edits: list[dict[str, Any]] = [
        {"eligible_benefits": [b]} for b in ("ww", "participatiewet", "wia", "none")
    ] + [
        {"eligible_benefits": [], "eligible_target_groups": [g]}
        for g in ("50plus", "statushouder", "banenafspraak")
    ]
    for edit in [{}, *edits]:
        if edit:
            assert client.patch(vac, json=edit, headers=contractor).status_code == 200
        for rid, expected in answers.items():
            got = client.get(f"/api/v1/contractor/referrals/{rid}", headers=contractor).json()
            assert got["anonymous"]["counts_for_sr"] is expected, (edit, rid)
        listed = client.get(
            "/api/v1/contractor/referrals", headers=contractor, params={"limit": 100}
        ).json()["data"]
        assert {
            str(r["id"]): r["anonymous"]["counts_for_sr"] for r in listed if str(r["id"]) in answers
        } == answers


def test_the_distance_shown_does_not_move_with_the_vacancy(
    client: TestClient, session: Session
) -> None:
    """Moving the workplace (the postcode) must not let a contractor triangulate where the
    candidate lives: the distance is the one fixed when the proposal was made."""
    settings = api_settings()
    w = make_world(session)
    coach, contractor = auth(w.a.coach, settings), auth(w.a.contractor_user, settings)
    rid = _post(
        client,
        "/api/v1/coach/referrals",
        coach,
        {"candidate_id": w.a.candidate.id, "vacancy_id": w.a.free_vacancy.id},
    ).json()["id"]
    path = f"/api/v1/contractor/referrals/{rid}"
    before = client.get(path, headers=contractor).json()["anonymous"]["distance_km"]
    vac = f"/api/v1/contractor/vacancies/{w.a.free_vacancy.id}"
    places = set()
    for postcode in ("3011AB", "2311AA", "8011AA"):
        moved = client.patch(vac, json={"postcode": postcode}, headers=contractor)
        assert moved.status_code == 200, moved.text
        places.add(session.exec(select(Vacancy.lat).where(Vacancy.id == w.a.free_vacancy.id)).one())
        session.commit()  # end the read
        assert client.get(path, headers=contractor).json()["anonymous"]["distance_km"] == before
    assert len(places) == 3  # the workplace did move


def test_shortlist_entries_say_who_holds_the_candidate_and_whether_to_propose(
    client: TestClient, session: Session
) -> None:
    settings = api_settings()
    w = make_world(session)
    muni = w.a.municipality.id
    colleague = make_candidate(session, municipality_id=muni, coach_id=w.a.other_coach.id)
    shy = make_candidate(session, municipality_id=muni, coach_id=w.a.coach.id, consent_share=False)
    client.app.state.matching.refresh(full=True)  # type: ignore[attr-defined]
    got = client.get(
        f"/api/v1/coach/vacancies/{w.a.free_vacancy.id}/shortlist",
        headers=auth(w.a.coach, settings),
    )
    assert got.status_code == 200, got.text
    by_id = {e["candidate_id"]: e for e in got.json()["entries"]}
    assert {w.a.candidate.id, colleague.id, shy.id} <= set(by_id)
    mine = by_id[w.a.candidate.id]
    assert (mine["held_by_me"], mine["consent_share"], mine["can_propose"]) == (True, True, True)
    theirs = by_id[colleague.id]
    assert theirs["held_by_me"] is False and theirs["can_propose"] is False
    assert theirs["coach_name"] and theirs["coach_name"] in theirs["cannot_propose_reason"]
    assert by_id[shy.id]["consent_share"] is False and by_id[shy.id]["can_propose"] is False


def test_vacancies_for_a_candidate_say_whether_the_coach_can_propose_them(
    client: TestClient, session: Session
) -> None:
    settings = api_settings()
    w = make_world(session)
    shy = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, consent_share=False
    )
    client.app.state.matching.refresh(full=True)  # type: ignore[attr-defined]
    coach, colleague = auth(w.a.coach, settings), auth(w.a.other_coach, settings)
    own = client.get(f"/api/v1/coach/candidates/{w.a.candidate.id}/vacancies", headers=coach)
    assert own.status_code == 200, own.text
    assert (own.json()["can_propose"], own.json()["held_by_me"]) == (True, True)
    # every vacancy suggested is one the coach may open (no other municipality's)
    suggested = {e["vacancy_id"] for e in own.json()["entries"]}
    assert w.a.free_vacancy.id in suggested
    assert not suggested & {w.b.vacancy.id, w.b.free_vacancy.id}
    for entry in own.json()["entries"]:
        opened = client.get(f"/api/v1/coach/vacancies/{entry['vacancy_id']}", headers=coach)
        assert opened.status_code == 200, entry
    theirs = client.get(
        f"/api/v1/coach/candidates/{w.a.candidate.id}/vacancies", headers=colleague
    ).json()
    assert theirs["can_propose"] is False and theirs["held_by_me"] is False
    not_sharing = client.get(f"/api/v1/coach/candidates/{shy.id}/vacancies", headers=coach).json()
    assert not_sharing["can_propose"] is False and not_sharing["consent_share"] is False
    assert "consented" in not_sharing["cannot_propose_reason"]
