"""Issue 11 on the pages: the contractor's proposals page acts on a proposal (ask for an
introduction, invite to an interview, reject with a reason from the list), each with CSRF; the
coach's referral board shows those actions and records how the candidate consented when
introducing (no introduction without it), in Dutch and in English."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.referrals import Referral, ReferralConsent
from tests.api.conftest import make_candidate, make_referral, make_world
from tests.api.web.conftest import csrf_from, log_in


def test_contractor_and_coach_work_a_proposal_through_the_pages(
    web: TestClient, session: Session
) -> None:
    w = make_world(session)
    ref = make_referral(session, candidate=w.a.candidate, vacancy=w.a.free_vacancy)
    other = make_candidate(session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id)
    second = make_referral(session, candidate=other, vacancy=w.a.free_vacancy)

    # the contractor asks for an introduction; without the CSRF token nothing happens
    log_in(web, w.a.contractor_user)
    page = web.get("/contractor/proposals")
    assert page.status_code == 200 and "Vraag om introductie" in page.text
    token = csrf_from(page.text)
    assert (
        web.post(
            f"/contractor/proposals/{ref.id}", data={"action": "request_introduction"}
        ).status_code
        == 403
    )
    asked = web.post(
        f"/contractor/proposals/{ref.id}",
        data={"action": "request_introduction", "csrf_token": token},
    )
    assert asked.status_code == 303, asked.text
    page = web.get(asked.headers["location"])
    assert "Uw reactie is vastgelegd" in page.text and "Introductie gevraagd" in page.text
    # inviting an anonymous proposal is refused on the row, with the reason
    refused = web.post(
        f"/contractor/proposals/{second.id}", data={"action": "invite", "csrf_token": token}
    )
    assert refused.status_code == 422 and "introduction" in refused.text
    rejected = web.post(
        f"/contractor/proposals/{second.id}",
        data={
            "action": "reject",
            "reason_code": "language",
            "reason": "Nederlands nog te zwak",
            "csrf_token": token,
        },
    )
    assert rejected.status_code == 303, rejected.text

    # the coach sees both on the board, and introduces only with a consent method
    web.cookies.clear()
    log_in(web, w.a.coach)
    board = web.get("/coach/referrals")
    assert "De opdrachtnemer vraagt om een introductie." in board.text
    assert "wijst af: taalniveau – Nederlands nog te zwak" in board.text
    token = csrf_from(board.text)
    bare = web.post(
        "/coach/referrals",
        data={"referral_id": ref.id, "status": "introduced", "csrf_token": token},
    )
    assert bare.status_code == 422 and "consent" in bare.text
    moved = web.post(
        "/coach/referrals",
        data={
            "referral_id": ref.id,
            "status": "introduced",
            "consent_method": "signed",
            "csrf_token": token,
        },
    )
    assert moved.status_code == 303, moved.text
    board = web.get("/coach/referrals")
    assert "Toestemming: ondertekend" in board.text
    consent = session.exec(
        select(ReferralConsent).where(ReferralConsent.referral_id == ref.id)
    ).one()
    assert (consent.method, consent.recorded_by_id) == ("signed", w.a.coach.id)
    session.commit()  # end the read: the pages share this in-memory database

    # the contractor now sees who it is and invites; the coach can withdraw the consent
    web.cookies.clear()
    log_in(web, w.a.contractor_user)
    page = web.get("/contractor/proposals")
    assert w.a.candidate.ref in page.text and "Uitnodigen voor gesprek" in page.text
    invited = web.post(
        f"/contractor/proposals/{ref.id}",
        data={"action": "invite", "csrf_token": csrf_from(page.text)},
    )
    assert invited.status_code == 303
    status = session.exec(select(Referral.status).where(Referral.id == ref.id)).one()
    assert status == "interviewed"
    session.commit()

    web.cookies.clear()
    log_in(web, w.a.coach)
    web.cookies.set("srmatch_lang", "en")
    board = web.get("/coach/referrals")
    assert "Consent: signed" in board.text and "invites to an interview" in board.text
    gone = web.post(
        "/coach/referrals/consent",
        data={"referral_id": ref.id, "action": "withdraw", "csrf_token": csrf_from(board.text)},
    )
    assert gone.status_code == 303, gone.text
    web.cookies.clear()
    log_in(web, w.a.contractor_user)
    assert w.a.candidate.ref not in web.get("/contractor/proposals").text
