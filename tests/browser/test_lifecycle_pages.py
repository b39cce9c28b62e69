"""The life-cycle pages in a real browser on the demo world: the coach's follow-ups (Nazorg)
with what to record, and the SR officer's contract page with its form and an ended contract's
final status; each page is screenshot and checked with axe-core."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}


def test_the_coach_opens_the_follow_ups_from_the_menu(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    page = visit.page
    visit.click_and_load(page.get_by_role("link", name="Nazorg"))
    assert page.url.endswith("/coach/checks")
    rows = page.locator("table tbody tr")
    assert rows.count() > 0 or page.locator(".empty").count() == 1
    if rows.count():
        first = rows.first.inner_text()
        assert re.search(r"\d+ mnd", first) and re.search(r"\d{2}-\d{2}-\d{4}", first)
        assert page.get_by_role("button", name="Registreren").first.is_visible()
    visit.check("coach-checks")


def test_the_sr_officer_sees_the_contract_form_and_a_final_status(visit: Visit) -> None:
    visit.log_in(*LOGINS["sr_officer"])
    page = visit.page
    visit.go("/sr-officer/contracts?limit=100")
    statuses = page.locator("table tbody td").all_inner_texts()
    assert any(s in ("gehaald", "niet gehaald", "op koers", "achter") for s in statuses)
    visit.click_and_load(page.locator("table tbody th a").first)
    assert page.get_by_role("heading", name="Contract wijzigen").is_visible()
    assert page.get_by_label("Opdrachtwaarde excl. btw (euro)").input_value()
    assert page.get_by_label("Bouwblokkentabel").input_value()
    visit.check("sr-contract-form")
