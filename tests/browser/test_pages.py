"""Each role logs in and works through its pages in a real browser (issue 10, acceptance 1-2)."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}
START = {
    "coach": "/coach/candidates",
    "sr_officer": "/sr-officer/dashboard",
    "contractor": "/contractor/contracts",
    "admin": "/admin/users",
}


def test_login_page_is_accessible_and_needs_nothing_from_outside(visit: Visit) -> None:
    visit.go("/")
    assert visit.page.url == visit.base + "/login"
    visit.check("login")
    assert visit.foreign_requests() == []


def test_the_skip_link_is_the_first_tab_stop(visit: Visit) -> None:
    visit.go("/login")
    visit.page.keyboard.press("Tab")
    focused = visit.page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("document.activeElement.id") == "main"


def test_a_wrong_password_shows_the_message_and_keeps_the_name(visit: Visit) -> None:
    user, _ = LOGINS["coach"]
    visit.log_in(user, "not-the-password")
    assert visit.page.get_by_role("alert").inner_text().find("klopt niet") >= 0
    assert visit.page.get_by_label("Gebruikersnaam").input_value() == user
    visit.check("login-failed")


@pytest.mark.parametrize("role", sorted(START))
def test_each_role_logs_in_and_reaches_its_start_page(visit: Visit, role: str) -> None:
    visit.log_in(*LOGINS[role])
    assert visit.page.url == visit.base + START[role]
    assert visit.page.locator("main h1").count() == 1
    visit.check(f"start-{role}")
    assert visit.foreign_requests() == []
    visit.click_and_load(visit.page.get_by_role("button", name="Uitloggen"))
    assert visit.page.url.startswith(visit.base + "/login")


def test_a_contractor_cannot_open_a_coach_page(visit: Visit) -> None:
    visit.log_in(*LOGINS["contractor"])
    answer = visit.go("/coach/candidates")
    assert answer.status == 403
    visit.check("forbidden")


def test_coach_filters_the_caseload_and_opens_a_candidate(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    rows = visit.page.locator("#results tbody tr")
    assert rows.count() > 0
    first_ref = rows.first.locator("th").inner_text().strip()
    visit.page.get_by_label("Referentie begint met").fill(first_ref)
    # htmx swaps the results in and pushes the filters into the URL
    visit.page.get_by_label("Toestemming om gegevens te delen").select_option("yes")
    visit.page.wait_for_url(re.compile(r"consent=yes"))
    visit.page.get_by_role("button", name="Filteren").click()
    visit.page.wait_for_url(re.compile("ref=" + re.escape(first_ref)))
    visit.page.wait_for_load_state("networkidle")
    visit.check("coach-caseload-filtered")
    visit.page.reload()  # the filters live in the URL
    assert visit.page.get_by_label("Referentie begint met").input_value() == first_ref
    refs = [t.strip() for t in visit.page.locator("#results tbody th").all_inner_texts()]
    assert refs and all(r.startswith(first_ref) for r in refs)
    visit.click_and_load(visit.page.locator("#results tbody th a").first)
    assert re.search(r"/coach/candidates/\d+$", visit.page.url)
    visit.check("coach-candidate")


def test_coach_vacancies_at_tablet_width(tablet: Visit) -> None:
    tablet.log_in(*LOGINS["coach"])
    tablet.go("/coach/vacancies")
    assert tablet.page.locator("tbody tr").count() > 0
    overflow = tablet.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than a tablet"
    tablet.check("coach-vacancies-tablet")


def test_sr_dashboard_charts_have_data_points(visit: Visit) -> None:
    visit.log_in(*LOGINS["sr_officer"])
    chart = visit.page.locator("svg#progress")
    assert chart.is_visible()
    values = [
        float(v)
        for v in chart.locator("rect.bar").evaluate_all("bars => bars.map(b => b.dataset.value)")
    ]
    assert len(values) >= 2 and any(v > 0 for v in values)
    widths = chart.locator("rect.bar").evaluate_all(
        "bars => bars.map(b => b.getBoundingClientRect().width)"
    )
    assert max(widths) > 10  # drawn, not just present
    for dimension in ("ladder_step", "benefit", "target_groups"):
        assert visit.page.locator(f"svg#reach-{dimension} rect.bar").count() > 0
    visit.check("sr-dashboard")


def test_english_pages(visit: Visit) -> None:
    visit.go("/login")
    visit.click_and_load(visit.page.get_by_role("link", name="English"))
    assert visit.page.locator("html").get_attribute("lang") == "en"
    user, password = LOGINS["sr_officer"]
    visit.page.get_by_label("User name").fill(user)
    visit.page.get_by_label("Password").fill(password)
    visit.click_and_load(visit.page.get_by_role("button", name="Log in"))
    assert visit.page.get_by_role("heading", level=1).inner_text() == "Social Return dashboard"
    visit.check("sr-dashboard-en")


def test_api_docs_load_without_a_cdn(visit: Visit) -> None:
    visit.go("/docs")
    visit.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert visit.foreign_requests() == []
    visit.shoot("docs", full_page=False)


def test_coach_opens_a_shortlist_with_scores_and_reasons(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/vacancies")
    visit.click_and_load(visit.page.locator("tbody a", has_text="Shortlist").first)
    assert re.search(r"/coach/vacancies/\d+/shortlist$", visit.page.url)
    entries = visit.page.locator("ol.shortlist > li")
    assert entries.count() > 0
    scores = [
        float(v)
        for v in entries.locator("rect.bar").evaluate_all("bars => bars.map(b => b.dataset.value)")
    ]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert entries.first.locator("ul.reasons li").count() > 0
    assert entries.first.get_by_text("Toestemming").count() == 1
    visit.check("coach-shortlist")
    visit.page.get_by_label("Toon wie is afgevallen en waarom").check()
    visit.click_and_load(visit.page.get_by_role("button", name="Filteren"))
    assert "excluded=true" in visit.page.url
    assert visit.page.get_by_role("heading", name="Afgevallen kandidaten").is_visible()
    visit.check("coach-shortlist-excluded")


def test_coach_proposes_an_own_candidate_from_a_shortlist(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/vacancies")
    link = visit.page.locator("tbody a", has_text="Shortlist").nth(1)
    visit.go(str(link.get_attribute("href")) + "?top=100")
    own = visit.page.locator("form.propose button:not([disabled])")
    assert own.count() > 0, "the demo coach holds nobody on this shortlist"
    label = own.first.inner_text()
    ref = label.removesuffix(" voorstellen")
    visit.click_and_load(own.first)
    assert (
        visit.page.get_by_role("status").inner_text() == f"{ref} is voorgesteld voor deze vacature."
    )
    assert visit.page.get_by_role("button", name=label).count() == 0
    visit.check("coach-shortlist-proposed")
