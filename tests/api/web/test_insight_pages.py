"""The coach's candidate insight pages (what would open doors, vacancies in reach) and the SR
dashboard's charts over time: placements per month, durability, the funnel, near misses."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.config import Settings
from api.main import create_app
from api.services.dashboard import month_labels
from models.placements import DurabilityCheck, Placement
from models.shortlist_log import ShortlistLog
from tests.api.conftest import make_candidate, make_referral, make_vacancy, make_world
from tests.api.web.conftest import log_in

VCA = [{"id": "sk_vca_basis", "confidence": 1.0, "implied": False}]


def _chart(html: str, chart_id: str) -> str:
    start = html.index(f'class="chart" id="{chart_id}"')
    return html[start : html.index("</svg>", start)]


def _values(chart: str) -> list[float]:
    return [float(v) for v in re.findall(r'data-value="([0-9.e+-]+)"', chart)]


def test_the_dashboard_draws_placements_durability_funnel_and_near_misses(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a = world.a
    today = dt.date.today()
    start = today - dt.timedelta(days=400)
    placed = Placement(
        candidate_id=a.candidate.id,
        vacancy_id=a.vacancy.id,
        contract_id=a.contract.id,
        start_date=start,
        hours_per_week=32,
    )
    recent = Placement(
        candidate_id=a.candidate.id,
        vacancy_id=a.free_vacancy.id,
        contract_id=a.contract.id,
        start_date=today,
        hours_per_week=20,
    )
    session.add_all([placed, recent])
    session.commit()
    session.add_all(
        [
            DurabilityCheck(
                placement_id=placed.id,
                months=m,
                checked_on=start + dt.timedelta(days=31 * m),
                still_employed=m < 12,
                off_benefit=m == 3,
            )
            for m in (3, 6, 12)
        ]
    )
    session.add(
        ShortlistLog(
            vacancy_id=a.vacancy.id,
            model_version="test-1",
            entries=[[a.candidate.id, 1, 0.9]],
            n_eligible=1,
            n_considered=1,
        )
    )
    make_vacancy(  # licence C: every candidate near it is a near miss
        session,
        contractor_id=a.contractor.id,
        contract_id=a.contract.id,
        municipality_id=a.municipality.id,
        driving_licence="C",
    )
    session.commit()
    with TestClient(
        create_app(settings, engine=engine), base_url="https://testserver", follow_redirects=False
    ) as web:
        log_in(web, a.sr_officer)
        html = web.get("/sr-officer/dashboard").text
        per_month = _chart(html, "placements")
        values = _values(per_month)
        labels = re.findall(r'data-label="([0-9-]+)"', per_month)
        assert labels == month_labels(today, 24) and sum(values) == 2
        assert values[-1] == 1 and values[labels.index(f"{start:%Y-%m}")] == 1
        assert 'role="img"' in per_month
        durability = _values(_chart(html, "durability"))
        # per milestone: still employed, off benefits, and lasted (a running placement: as
        # its check says)
        assert durability == [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
        assert "plaatsing duurde tot dan (einddatum en controles)" in html
        funnel = _chart(html, "funnel")
        assert "test-1" in funnel and _values(funnel)[:2] == [1.0, 1.0]  # shortlisted, proposed
        assert "rijbewijs C" in html.split('id="gaps-title"')[1]
        web.cookies.clear()
        log_in(web, world.b.sr_officer)
        other = web.get("/sr-officer/dashboard").text
        assert 'id="placements"' not in other and "Nog geen plaatsingen" in other


def test_candidate_page_shows_what_would_open_doors_and_vacancies_in_reach(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a, b = world.a, world.b
    for k in range(2):
        make_vacancy(
            session,
            contractor_id=a.contractor.id,
            contract_id=a.contract.id,
            municipality_id=a.municipality.id,
            required_skills=["VCA"],
            required_norm=VCA,
            title=f"Bouwplaats {k}",
        )
    foreign = make_vacancy(
        session,
        contractor_id=b.contractor.id,
        contract_id=b.contract.id,
        municipality_id=b.municipality.id,
        title="Elders",
    )
    make_referral(
        session,
        candidate=make_candidate(session, municipality_id=a.municipality.id),
        vacancy=foreign,
        status="proposed",
    )
    with TestClient(
        create_app(settings, engine=engine), base_url="https://testserver", follow_redirects=False
    ) as web:
        log_in(web, a.coach)
        page = web.get(f"/coach/candidates/{a.candidate.id}")
        assert page.status_code == 200
        doors = page.text.split('id="doors-title"')[1]
        assert "VCA Basis" in doors and 'data-kind="certificate" data-vacancies="2"' in doors
        reach = web.get(f"/coach/candidates/{a.candidate.id}/vacancies")
        assert reach.status_code == 200
        assert "Bouwplaats 0" in reach.text and "Elders" not in reach.text
        assert 'class="bar" data-value=' in reach.text
        assert web.get(f"/coach/candidates/{b.candidate.id}/vacancies").status_code == 404
        web.cookies.set("srmatch_lang", "en")
        english = web.get(f"/coach/candidates/{a.candidate.id}")
        assert "What would open doors" in english.text
