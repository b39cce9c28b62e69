"""What would open doors (coach) and near-miss certificates (SR officer), and vacancies in reach:
at service level and through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.config import Settings
from api.main import create_app
from api.services.matching import MatchingService, candidate_matches, vacancies_in_reach
from api.services.opportunities import doors_for_candidate, near_miss_certificates
from models.audit import AuditEvent
from tests.api.conftest import auth, make_candidate, make_vacancy, make_world

VCA = [{"id": "sk_vca_basis", "confidence": 1.0, "implied": False}]


def _world(session: Session):  # type: ignore[no-untyped-def]
    world = make_world(session)
    a, b = world.a, world.b
    lic = make_vacancy(
        session,
        contractor_id=a.contractor.id,
        contract_id=a.contract.id,
        municipality_id=a.municipality.id,
        driving_licence="C",
        ref="OPP-LIC",
    )
    vca = [
        make_vacancy(
            session,
            contractor_id=a.contractor.id,
            contract_id=a.contract.id,
            municipality_id=a.municipality.id,
            required_skills=["VCA"],
            required_norm=VCA,
            ref=f"OPP-VCA-{k}",
        )
        for k in range(2)
    ]
    foreign = make_vacancy(  # another municipality's: out of reach for A's coach
        session,
        contractor_id=b.contractor.id,
        contract_id=b.contract.id,
        municipality_id=b.municipality.id,
        driving_licence="D",
        required_skills=["VCA"],
        required_norm=VCA,
        ref="OPP-FOREIGN",
    )
    near = make_candidate(session, municipality_id=a.municipality.id, ref="OPP-NEAR")
    return world, lic, vca, foreign, near


def test_service_doors_and_near_misses_stay_in_reach(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world, lic, vca, foreign, _ = _world(session)
    a = world.a
    matching = MatchingService(engine=engine, settings=settings).start(background=False)
    reach = set(vacancies_in_reach(session, a.coach))
    assert {lic.id, vca[0].id, vca[1].id} <= reach and foreign.id not in reach
    doors = doors_for_candidate(
        session=session, actor=a.coach, candidate_id=a.candidate.id, matching=matching
    )
    by = {d.id: d for d in doors.data}
    assert by["C"].kind == "licence" and by["C"].vacancy_ids == [lic.id]
    assert by["sk_vca_basis"].kind == "certificate"
    assert set(by["sk_vca_basis"].vacancy_ids) == {vca[0].id, vca[1].id}
    assert "D" not in by  # the foreign vacancy's licence opens nothing in reach
    # few candidates compete: gaining VCA puts the candidate in the top 10 where it was already
    assert all(d.top == len(d.top_vacancy_ids) for d in doors.data)
    assert doors.vacancies_in_reach == len(reach)
    session.flush()
    assert session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "candidate.doors", AuditEvent.candidate_id == a.candidate.id
        )
    ).first()
    gaps = near_miss_certificates(session=session, actor=a.sr_officer, matching=matching)
    got = {(g.kind, g.id): g.candidates for g in gaps.data}
    # every A candidate near the vacancies lacks VCA and licence C; none of B's is counted
    n_a = len(matching.visible_candidate_ids(a.sr_officer) or [])
    assert got[("certificate", "sk_vca_basis")] == n_a and got[("licence", "C")] == n_a
    assert ("licence", "D") not in got
    matches = candidate_matches(
        session=session, actor=a.coach, candidate_id=a.candidate.id, matching=matching, top=50
    )
    assert foreign.id not in {e.vacancy_id for e in matches.entries}
    assert {vca[0].id, vca[1].id} <= {e.vacancy_id for e in matches.entries}


def test_http_doors_and_near_misses(engine: Engine, settings: Settings, session: Session) -> None:
    world, lic, vca, _, _ = _world(session)
    a, b = world.a, world.b
    with TestClient(create_app(settings, engine=engine)) as client:
        ok = client.get(
            f"/api/v1/coach/candidates/{a.candidate.id}/doors",
            params={"limit": 3, "lang": "en"},
            headers=auth(a.coach, settings),
        )
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert len(body["data"]) <= 3 and body["candidate_id"] == a.candidate.id
        labels = {d["label"] for d in body["data"]}
        assert "driving licence C" in labels
        assert (
            client.get(
                f"/api/v1/coach/candidates/{b.candidate.id}/doors",
                headers=auth(a.coach, settings),
            ).status_code
            == 404
        )
        bad = client.get(
            f"/api/v1/coach/candidates/{a.candidate.id}/doors",
            params={"limit": 0},
            headers=auth(a.coach, settings),
        )
        assert bad.status_code == 422
        gaps = client.get("/api/v1/sr-officer/near-misses", headers=auth(a.sr_officer, settings))
        assert gaps.status_code == 200, gaps.text
        kinds = {(g["kind"], g["id"]) for g in gaps.json()["data"]}
        assert ("certificate", "sk_vca_basis") in kinds and ("licence", "C") in kinds
        assert (
            client.get("/api/v1/sr-officer/near-misses", headers=auth(a.coach, settings))
        ).status_code == 403
