"""The contractor-portal pages in a real browser on the demo world (issue 11): a contract's
progress bars and trace, the efforts form and list, the anonymous search with its results, the
requests; the SR officer's efforts to decide and the coach's requests. Each page is screenshot
and checked with axe-core."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}


def test_contractor_contract_efforts_search_and_requests(visit: Visit) -> None:
    visit.log_in(*LOGINS["contractor"])
    page = visit.page
    visit.go("/contractor/contracts")
    links = page.locator("ul.contract-links a")
    assert links.count() > 0
    visit.click_and_load(links.first)
    assert re.search(r"/contractor/contracts/\d+$", page.url)
    assert page.locator("progress#bar-realised").count() == 1
    assert page.get_by_role("heading", name="Verantwoording per regel").is_visible()
    visit.check("contractor-contract")

    visit.go("/contractor/efforts")
    assert page.get_by_label("Soort inspanning").is_visible()
    visit.check("contractor-efforts")

    visit.go("/contractor/search")
    visit.check("contractor-search-form")
    if page.get_by_label("Vacature").count():
        visit.click_and_load(page.get_by_role("button", name="Zoeken"))
        assert page.get_by_role("heading", name=re.compile(r"profielen voor")).is_visible()
        text = page.locator("main").inner_text()
        assert not re.search(r"\b[A-Z]{3}-\d{6}\b", text)  # no candidate reference anywhere
        visit.check("contractor-search-results")

    visit.go("/contractor/requests")
    visit.check("contractor-requests")
    assert not visit.foreign_requests()


def test_sr_officer_reviews_efforts(visit: Visit) -> None:
    visit.log_in(*LOGINS["sr_officer"])
    visit.click_and_load(visit.page.get_by_role("link", name="SR-inspanningen"))
    assert visit.page.url.endswith("/sr-officer/efforts")
    visit.check("sr-efforts")
    visit.go("/sr-officer/efforts?status=approved")
    visit.check("sr-efforts-approved")


def test_coach_sees_requests(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.click_and_load(visit.page.get_by_role("link", name="Verzoeken"))
    assert visit.page.url.endswith("/coach/requests")
    visit.check("coach-requests")
