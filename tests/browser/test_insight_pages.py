"""The coach's and SR officer's insight in a real browser (issue 10, issue 11): a coach moves a
referral on the board; the shortlist shows the SR value a hire would credit and the reasons for
and against; the candidate page says what would open doors and links to the vacancies in reach;
the dashboard draws placements per month, durability and the funnel, and lists near misses.
Every page is screenshot and checked with axe-core (no serious or critical violation)."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}


def _values(visit: Visit, selector: str) -> list[float]:
    found = visit.page.locator(selector).evaluate_all("els => els.map(e => e.dataset.value)")
    return [float(v) for v in found if v not in (None, "")]


WITHDRAW = 'li.card:has(form input[name="status"][value="withdrawn"])'


def test_coach_moves_a_referral_on_the_board(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    page = visit.page
    visit.go("/coach/referrals")
    if page.locator(WITHDRAW).count() == 0:  # nothing of theirs in progress: propose one first
        _serve_and_propose(visit)
        visit.log_in(*LOGINS["coach"])
        visit.go("/coach/referrals")
    card = page.locator(WITHDRAW).first
    move = card.locator('form:has(input[name="status"][value="withdrawn"])')
    card_id = str(card.get_attribute("id"))
    before = int(re.sub(r"\D", "", page.locator("#col-withdrawn span").inner_text()))
    move.locator('input[name="reason"]').fill("kandidaat verhuisd")
    visit.click_and_load(move.locator("button"))
    assert page.get_by_role("status").count() == 1
    after = int(re.sub(r"\D", "", page.locator("#col-withdrawn span").inner_text()))
    assert after == before + 1
    withdrawn = page.locator(f'section[data-status="withdrawn"] #{card_id}')
    assert withdrawn.count() == 1 or after > 25  # on the column's first page unless it is long
    visit.check("coach-board-moved")


def test_shortlist_shows_sr_value_and_reasons_for_and_against(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/vacancies")
    link = visit.page.locator("tbody a", has_text="Shortlist").first
    visit.go(str(link.get_attribute("href")) + "?top=50")
    entries = visit.page.locator("ol.shortlist > li")
    assert entries.count() > 0
    assert entries.first.get_by_role("heading", name="Wat ervoor pleit").is_visible()
    assert entries.first.get_by_role("heading", name="Wat ertegen pleit").is_visible()
    assert visit.page.locator("ul.reasons.pro li").count() > 0
    assert visit.page.locator("ul.reasons.con li, ul.reasons.against li").count() > 0
    values = _values(visit, "dd.sr-value")
    assert values and max(values) > 0, "no SR value on the shortlist"
    assert "per jaar" in visit.page.locator("dd.sr-value").first.inner_text()
    visit.check("coach-shortlist-sr")
    # the README's picture: the top of the page at laptop height
    visit.page.evaluate("window.scrollTo(0, 0)")
    visit.shoot("readme-shortlist", full_page=False)


def test_candidate_page_doors_and_vacancies_in_reach(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/candidates?mine=true")
    visit.click_and_load(visit.page.locator("table tbody th a").first)
    assert visit.page.get_by_role("heading", name="Wat zou deuren openen").is_visible()
    visit.check("coach-candidate-doors")
    visit.click_and_load(visit.page.get_by_role("link", name="Vacatures binnen bereik"))
    assert re.search(r"/coach/candidates/\d+/vacancies$", visit.page.url)
    assert visit.page.locator("ol.reach > li").count() > 0 or visit.page.locator(".empty").count()
    visit.check("coach-vacancies-in-reach")


def _serve_and_propose(visit: Visit) -> None:
    """As the demo coach (the SR officer's municipality), open a shortlist and propose someone
    from it: the funnel counts only shortlisted pairs, and a new referral refreshes the
    dashboard's cached figures, whatever ran before in this server."""
    visit.page.context.clear_cookies()  # whoever was logged in: log in afresh as the coach
    visit.log_in(*LOGINS["coach"])
    visit.go("/coach/vacancies")
    link = visit.page.locator("tbody a", has_text="Shortlist").first
    visit.go(str(link.get_attribute("href")) + "?top=100")
    own = visit.page.locator("form.propose button:not([disabled])")
    assert own.count() > 0, "the demo coach holds nobody on this shortlist"
    visit.click_and_load(own.first)
    visit.page.context.clear_cookies()


def test_dashboard_draws_placements_durability_funnel_and_near_misses(visit: Visit) -> None:
    _serve_and_propose(visit)
    visit.log_in(*LOGINS["sr_officer"])
    for chart in ("placements", "durability", "funnel"):
        svg = visit.page.locator(f"svg#{chart}")
        assert svg.is_visible(), chart
        values = _values(visit, f"svg#{chart} rect.bar")
        assert values and any(v > 0 for v in values), chart
    assert visit.page.locator("table.gaps tbody tr").count() > 0
    visit.check("sr-dashboard-more")
