"""The coach's privacy pages in a real browser (issue 14): a candidate's rights page, the
printable overview of everything held, and the plain-language explanation for one vacancy.
Each page is screenshot and checked with axe-core (no serious or critical violation); nothing
is erased here (the server's demo world is shared by the other browser tests)."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}


def test_a_coach_opens_the_rights_page_the_overview_and_an_explanation(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/candidates?mine=true")
    visit.click_and_load(visit.page.locator("table tbody th a").first)
    visit.click_and_load(visit.page.get_by_role("link", name="Privacy en rechten"))
    assert re.search(r"/coach/candidates/\d+/privacy$", visit.page.url)
    assert visit.page.get_by_role("heading", name="Gegevens verwijderen").is_visible()
    visit.check("coach-privacy")

    visit.click_and_load(visit.page.get_by_role("button", name="Toon de uitleg"))
    assert visit.page.get_by_role("heading", name="Wie beslist").is_visible()
    assert visit.page.get_by_role("heading", name="Wat verschil zou maken").is_visible()
    visit.check("coach-explanation")

    visit.page.go_back()
    visit.click_and_load(visit.page.get_by_role("link", name="Overzicht om te printen"))
    assert visit.page.get_by_role("heading", name="Wie uw gegevens bekeek").is_visible()
    visit.check("coach-privacy-overview")
    assert visit.foreign_requests() == []
