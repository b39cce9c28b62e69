"""The coach's privacy pages: access (JSON and printable), an explanation, erasure (issue 14)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.candidates import Candidate
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in


def test_a_coach_exports_explains_and_erases(web: TestClient, session: Session) -> None:
    w = make_world(session)
    cand, vac = w.a.candidate, w.a.free_vacancy
    vac_id = vac.id
    other_id, cand_id, cand_ref = w.b.candidate.id, cand.id, cand.ref
    log_in(web, w.a.coach)
    session.rollback()

    page = web.get(f"/coach/candidates/{cand_id}/privacy")
    assert page.status_code == 200
    assert "Privacy en rechten" in page.text and cand_ref in page.text
    assert web.get(f"/coach/candidates/{other_id}/privacy").status_code == 404

    data = web.get(f"/coach/candidates/{cand_id}/privacy/export.json")
    assert data.status_code == 200 and data.headers["cache-control"] == "no-store"
    assert "attachment" in data.headers["content-disposition"]
    assert data.json()["candidate"]["ref"] == cand_ref

    overview = web.get(f"/coach/candidates/{cand_id}/privacy/overview")
    assert overview.status_code == 200
    assert (
        "Overzicht van uw gegevens" in overview.text and "Wie uw gegevens bekeek" in overview.text
    )

    explained = web.get(f"/coach/candidates/{cand_id}/explanation", params={"vacancy_id": vac_id})
    assert explained.status_code == 200, explained.text
    assert "Wie beslist" in explained.text and "Uw jobcoach beslist" in explained.text

    token = csrf_from(page.text)
    refused = web.post(f"/coach/candidates/{cand_id}/erase", data={"confirm_ref": cand_ref})
    assert refused.status_code == 403  # no CSRF token
    wrong = web.post(
        f"/coach/candidates/{cand_id}/erase", data={"confirm_ref": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 422 and "De referentie klopt niet" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    session.expire_all()
    assert session.get(Candidate, cand_id).erased_at is None  # type: ignore[union-attr]
    session.rollback()  # the app shares this in-memory database's one connection

    done = web.post(
        f"/coach/candidates/{cand_id}/erase", data={"confirm_ref": cand_ref, "csrf_token": token}
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/coach/candidates")
    session.expire_all()
    row = session.get(Candidate, cand_id)
    assert row is not None and row.erased_at is not None and row.ref.startswith("gewist-")
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.candidate_id == cand_id)
    ).all()
    assert {"candidate.export", "candidate.explain", "candidate.erase"} <= set(actions)


def test_the_privacy_page_is_for_coaches_only(web: TestClient, session: Session) -> None:
    w = make_world(session)
    log_in(web, w.a.contractor_user)
    assert web.get(f"/coach/candidates/{w.a.candidate.id}/privacy").status_code == 403
