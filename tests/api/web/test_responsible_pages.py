"""Responsible-matching pages (issue 14): a coach sets aside and adds candidates from the
shortlist page, the SR officer's fairness page shows the groups with their flags and the
overrides, the model card page and its downloads, and the admin's override form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.config import Settings
from api.main import create_app
from models import AuditEvent, ModelVersion, OversightDecision
from models.organisations import Role, User
from tests.api.conftest import make_candidate, make_user, make_world
from tests.api.web.conftest import csrf_from, log_in


def _who(user: User) -> Any:
    """What log_in needs of a user, read now (the session's objects expire on rollback)."""
    return SimpleNamespace(username=user.username)


@contextmanager
def started(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def test_a_coach_overrules_the_shortlist_and_the_officer_sees_it_in_the_audit(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a = world.a
    mine = make_candidate(
        session,
        municipality_id=a.municipality.id,
        coach_id=a.coach.id,
        ref="OV-MINE",
        skills=["koken"],
        occupations=["kok"],
        max_travel_km=1.0,
    )
    with started(engine, settings) as web:
        log_in(web, a.coach)
        page = web.get(f"/coach/vacancies/{a.free_vacancy.id}/shortlist")
        assert page.status_code == 200, page.text
        assert f'action="/coach/vacancies/{a.free_vacancy.id}/oversight"' in page.text
        assert 'name="kind" value="set_aside"' in page.text and "Terzijde leggen" in page.text
        token = csrf_from(page.text)
        aside = web.post(
            f"/coach/vacancies/{a.free_vacancy.id}/oversight",
            data={
                "csrf_token": token,
                "kind": "set_aside",
                "candidate_id": a.candidate.id,
                "reason": "not_available",
                "note": "op vakantie",
            },
        )
        assert aside.status_code == 303, aside.text
        # a candidate the shortlist did not show (out of travel range), added by reference
        refused = web.post(
            f"/coach/vacancies/{a.free_vacancy.id}/oversight",
            data={"csrf_token": token, "kind": "added", "candidate_ref": "NOPE", "reason": "other"},
        )
        assert refused.status_code == 422 and "NOPE" in refused.text
        added = web.post(
            f"/coach/vacancies/{a.free_vacancy.id}/oversight",
            data={
                "csrf_token": token,
                "kind": "added",
                "candidate_ref": mine.ref,
                "reason": "skill_not_in_profile",
            },
        )
        assert added.status_code == 303, added.text
        listed = web.get(added.headers["location"])
        assert listed.status_code == 200
        assert "OV-MINE" in listed.text and "toegevoegd" in listed.text
        assert "op vakantie" in listed.text and "terzijde gelegd" in listed.text
        without_csrf = web.post(
            f"/coach/vacancies/{a.free_vacancy.id}/oversight",
            data={"kind": "added", "candidate_ref": mine.ref, "reason": "other"},
        )
        assert without_csrf.status_code == 403
    officer, coach = _who(a.sr_officer), _who(a.coach)
    kinds = sorted(d.kind for d in session.exec(select(OversightDecision)))
    assert kinds == ["added", "set_aside"]
    session.rollback()  # end the read: the app's requests share this SQLite connection

    with started(engine, settings) as web:
        log_in(web, officer)
        page = web.get("/sr-officer/fairness")
        assert page.status_code == 200, page.text
        assert "Fairness van de rangschikking" in page.text
        assert "Uitkering" in page.text and "participatiewet" in page.text
        assert "1 terzijde gelegd, 1 toegevoegd" in page.text
        # and in the matching funnel of the SR dashboard
        dashboard = web.get("/sr-officer/dashboard")
        assert dashboard.status_code == 200, dashboard.text
        assert "terzijde gelegd door coach" in dashboard.text
        assert '<td class="num">1</td><td class="num">1</td></tr>' in dashboard.text
        web.cookies.set("srmatch_lang", "en")
        english = web.get("/sr-officer/fairness")
        assert "Fairness of the ranking" in english.text and "1 set aside, 1 added" in english.text
        assert web.get("/sr-officer/fairness?model=v-none").status_code == 404
    with started(engine, settings) as web:
        log_in(web, coach)
        assert web.get("/sr-officer/fairness").status_code in (403, 404)


def test_the_model_card_page_downloads_and_the_admin_override(
    engine: Engine, settings: Settings, session: Session
) -> None:
    make_world(session)
    admin = make_user(session, role=Role.admin, username="card-admin")
    officer = make_user(session, role=Role.sr_officer, username="card-officer")
    mv = ModelVersion(
        version="v-gated",
        status="gated",
        metrics={"ndcg@10": 0.81, "recall@10": 1.0, "auc": 0.66},
        baseline_metrics={"ndcg@10": 0.79, "recall@10": 1.0, "auc": 0.6},
    )
    session.add(mv)
    session.commit()
    with started(engine, settings) as web:
        log_in(web, officer)
        page = web.get("/sr-officer/model-cards/v-gated")
        assert page.status_code == 200, page.text
        assert "Modelkaart v-gated" in page.text and "0,810" in page.text
        assert "publication_category" in page.text and "hoog-risico AI-systeem" in page.text
        md = web.get("/sr-officer/model-cards/v-gated?format=md")
        assert md.status_code == 200 and md.text.startswith("# Modelkaart v-gated")
        data = json.loads(web.get("/sr-officer/model-cards/v-gated?format=json").text)
        assert data["register"]["name"].endswith("(v-gated)")
        assert web.get("/sr-officer/model-cards/v-none").status_code == 404
        assert web.get("/admin/model-cards/v-gated/override").status_code in (403, 404)
    with started(engine, settings) as web:
        log_in(web, admin)
        training = web.get("/admin/training")
        assert "/admin/model-cards/v-gated/override" in training.text
        form = web.get("/admin/model-cards/v-gated/override")
        token = csrf_from(form.text)
        short = web.post(
            "/admin/model-cards/v-gated/override", data={"csrf_token": token, "reason": "ok"}
        )
        assert short.status_code == 422 and "10" in short.text
        reason = "SR team accepts the ladder-step gap for one quarter"
        done = web.post(
            "/admin/model-cards/v-gated/override", data={"csrf_token": token, "reason": reason}
        )
        assert done.status_code == 303
        again = web.post(
            "/admin/model-cards/v-gated/override", data={"csrf_token": token, "reason": reason}
        )
        assert again.status_code == 409
    session.expire_all()
    row = session.exec(select(ModelVersion).where(ModelVersion.version == "v-gated")).one()
    assert row.accepted and row.fairness_override == reason
    trail = session.exec(
        select(AuditEvent).where(AuditEvent.action == "model.fairness_override")
    ).all()
    assert [(e.user_id, e.detail) for e in trail] == [(admin.id, reason)]
