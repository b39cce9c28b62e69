"""The SR officer's dashboard and the contractor's contracts: own figures only, drawn as SVG."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import make_world
from tests.api.web.conftest import log_in


def test_the_dashboard_draws_the_municipalitys_contracts_only(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.sr_officer)
    page = web.get("/sr-officer/dashboard")
    assert page.status_code == 200
    html = page.text
    chart = html[
        html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="progress"') :
    ]
    chart = chart[: chart.index("</svg>")]
    assert world.a.contract.ref in chart and world.b.contract.ref not in html
    values = [float(v) for v in re.findall(r'data-value="([0-9.e+-]+)"', chart)]
    assert len(values) == 2 and values[0] > 0  # obligation drawn; nothing realised yet
    assert 'role="img"' in chart and "<title" in chart
    assert 'id="reach-ladder_step"' in html or 'id="reach-benefit"' in html


def test_the_contractor_sees_its_own_contracts_with_status(
    web: TestClient, session: Session
) -> None:
    world = make_world(session)
    log_in(web, world.a.contractor_user)
    html = web.get("/contractor/contracts").text
    assert world.a.contract.ref in html and world.b.contract.ref not in html
    assert "<details open>" in html and "achter" in html  # the table, open, status in Dutch
