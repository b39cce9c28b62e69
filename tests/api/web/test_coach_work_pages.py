"""The coach's candidate form (suggestions one click away) and the referral board."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.services.referrals import TRANSITIONS
from api.web.coach_work import BOARD
from models.candidates import Candidate
from models.referrals import Referral
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in


def _get(session: Session, model: type, key: int) -> object:
    session.expire_all()
    found = session.get(model, key)
    session.commit()  # end the read: the app's next request shares this SQLite connection
    return found


def test_other_roles_cannot_open_the_coach_work_pages(web: TestClient, session: Session) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    assert web.get("/coach/referrals").status_code == 403
    assert web.get(f"/coach/candidates/{world.a.candidate.id}/edit").status_code == 403


def test_a_coach_edits_an_own_candidate_and_not_a_foreign_one(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    own, foreign = world.a.candidate.id, world.b.candidate.id
    assert own is not None
    log_in(web, world.a.coach)
    page = web.get(f"/coach/candidates/{own}/edit")
    assert page.status_code == 200
    assert web.get(f"/coach/candidates/{foreign}/edit").status_code == 404
    token = csrf_from(page.text)
    form = {
        "csrf_token": token,
        "postcode": "3511 AB",
        "benefit": "participatiewet",
        "skills": "heftruck rijden\nkoffiezetmachine repareren xyz",
        "hours_per_week": "24",
        "max_travel_km": "15",
    }
    assert web.post(f"/coach/candidates/{foreign}/edit", data=form).status_code == 404
    without = {k: v for k, v in form.items() if k != "csrf_token"}
    assert web.post(f"/coach/candidates/{own}/edit", data=without).status_code == 403
    saved = web.post(f"/coach/candidates/{own}/edit", data=form)
    assert saved.status_code == 303, saved.text
    cand = _get(session, Candidate, own)
    assert isinstance(cand, Candidate)
    assert cand.hours_per_week == 24 and "heftruck rijden" in cand.skills
    bad = web.post(f"/coach/candidates/{own}/edit", data={**form, "hours_per_week": "veel"})
    assert bad.status_code == 422 and 'id="f-hours_per_week-error"' in bad.text
    assert 'value="veel"' in bad.text


def test_a_suggestion_replaces_the_term_in_one_click(web: TestClient, session: Session) -> None:
    world = make_world(session)
    own = world.a.candidate.id
    assert own is not None
    log_in(web, world.a.coach)
    token = csrf_from(web.get(f"/coach/candidates/{own}/edit").text)
    web.post(
        f"/coach/candidates/{own}/edit",
        data={"csrf_token": token, "skills": "heftruk rijdn"},
    )
    cand = _get(session, Candidate, own)
    assert isinstance(cand, Candidate)
    unknown = [u for u in cand.unknown_terms if u["field"] == "skills" and u["suggestions"]]
    page = web.get(f"/coach/candidates/{own}/edit").text
    if not unknown:  # the normaliser understood it after all: nothing to suggest
        assert "heftruk rijdn" not in page.split('id="unknown-title"')[1]
        return
    term, label = unknown[0]["text"], unknown[0]["suggestions"][0]["label"]
    assert f'value="{label}"' in page
    clicked = web.post(
        f"/coach/candidates/{own}/edit",
        data={
            "csrf_token": token,
            "action": "suggestion",
            "field": "skills",
            "text": term,
            "label": label,
        },
    )
    assert clicked.status_code == 303
    cand = _get(session, Candidate, own)
    assert isinstance(cand, Candidate)
    assert label in cand.skills and term not in cand.skills


def test_the_board_offers_only_the_allowed_moves(web: TestClient, session: Session) -> None:
    world = make_world(session)
    rid, status = world.a.referral.id, world.a.referral.status
    assert rid is not None
    log_in(web, world.a.coach)
    page = web.get("/coach/referrals")
    assert page.status_code == 200
    card = page.text[page.text.index(f'id="card-{rid}"') :]
    card = card[: card.index("</li>")]
    offered = {v for v in BOARD if f'name="status" value="{v}"' in card}
    assert offered == set(TRANSITIONS[status]) and offered
    token = csrf_from(page.text)
    assert (
        web.post("/coach/referrals", data={"referral_id": rid, "status": "introduced"}).status_code
        == 403
    )
    # a move the table does not allow is refused and changes nothing
    refused = web.post(
        "/coach/referrals", data={"csrf_token": token, "referral_id": rid, "status": "proposed"}
    )
    assert refused.status_code == 422 and f'id="err-{rid}"' in refused.text
    ref = _get(session, Referral, rid)
    assert isinstance(ref, Referral) and ref.status == status
    no_reason = web.post(
        "/coach/referrals", data={"csrf_token": token, "referral_id": rid, "status": "rejected"}
    )
    assert no_reason.status_code == 422
    moved = web.post(
        "/coach/referrals",
        data={"csrf_token": token, "referral_id": rid, "status": "withdrawn", "reason": "verhuisd"},
    )
    assert moved.status_code == 303
    ref = _get(session, Referral, rid)
    assert isinstance(ref, Referral) and ref.status == "withdrawn"
    # another municipality's coach does not see the card
    web.post("/logout", data={"csrf_token": token})
    assert world.b.coach.username  # load it, then end the read before the next request
    session.commit()
    log_in(web, world.b.coach)
    assert f'id="card-{rid}"' not in web.get("/coach/referrals").text
