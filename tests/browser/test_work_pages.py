"""The work pages in a real browser: an SR officer's failed import shows its row errors, an
admin creates a user who can then log in, a contractor posts a vacancy (issue 10, acceptance 1);
each page is screenshot and checked with axe-core."""

from __future__ import annotations

import re

import pytest

from api.services.demo import demo_logins
from tests.browser.conftest import Visit

pytestmark = pytest.mark.browser

LOGINS = {role: (user, password) for role, user, password in demo_logins()}

BAD_CANDIDATES = (
    b"candidate_ref,municipality,postcode,benefit,skills,occupations,dutch_level,education\n"
    b"WEB-OK,,3511 AB,participatiewet,heftruck,magazijnmedewerker,B1,mbo2\n"
    b"WEB-BAD,,99999,geen-uitkering,schoonmaken,schoonmaker,B1,vmbo\n"
)


def test_a_failed_import_shows_its_row_errors(visit: Visit) -> None:
    visit.log_in(*LOGINS["sr_officer"])
    visit.click_and_load(visit.page.get_by_role("link", name="Importeren"))
    visit.check("sr-import")
    page = visit.page
    page.get_by_label("Soort gegevens").select_option("candidates")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(
        files=[{"name": "kandidaten.csv", "mimeType": "text/csv", "buffer": BAD_CANDIDATES}]
    )
    visit.click_and_load(page.get_by_role("button", name="Importeren"))
    assert "niet ingelezen" in page.get_by_role("alert").first.inner_text()
    group = page.locator('tbody.row-group[data-row="3"]')
    assert group.count() == 1
    cells = group.inner_text()
    assert "geen-uitkering" in cells and "99999" in cells
    visit.check("sr-import-errors")


def test_sr_officer_contracts_contract_trace_and_audit(visit: Visit) -> None:
    visit.log_in(*LOGINS["sr_officer"])
    visit.go("/sr-officer/contracts")
    visit.check("sr-contracts")
    visit.click_and_load(visit.page.locator("table tbody th a").first)
    assert re.search(r"/sr-officer/contracts/\d+$", visit.page.url)
    assert visit.page.get_by_role("link", name="Download CSV").is_visible()
    visit.check("sr-contract")
    visit.go("/sr-officer/audit")
    rows = visit.page.locator("table tbody tr").count()
    assert rows > 0 or visit.page.locator(".empty").count() == 1
    visit.check("sr-audit")


def test_an_admin_creates_a_user_who_can_then_log_in(visit: Visit) -> None:
    visit.log_in(*LOGINS["admin"])
    page = visit.page
    visit.click_and_load(page.get_by_role("link", name="Nieuwe gebruiker"))
    visit.check("admin-user-new")
    page.get_by_label("Gebruikersnaam").fill("browser_sr")
    page.get_by_label("Naam", exact=True).fill("Browser Adviseur")
    page.get_by_label("Rol").select_option("sr_officer")
    page.get_by_label("Gemeente").select_option(index=1)
    visit.click_and_load(page.get_by_role("button", name="Gebruiker aanmaken"))
    password = page.locator("#one-time-password").inner_text().strip()
    assert len(password) >= 10
    visit.check("admin-user-created")
    for path, name in (
        ("/admin/api-keys", "admin-api-keys"),
        ("/admin/training", "admin-training"),
    ):
        visit.go(path)
        visit.check(name)
    visit.click_and_load(page.get_by_role("button", name="Uitloggen"))
    visit.log_in("browser_sr", password)
    assert page.url == visit.base + "/sr-officer/dashboard"


def test_a_contractor_posts_a_vacancy(visit: Visit) -> None:
    visit.log_in(*LOGINS["contractor"])
    page = visit.page
    visit.click_and_load(page.get_by_role("link", name="Vacatures"))
    visit.check("contractor-vacancies")
    visit.click_and_load(page.get_by_role("link", name="Nieuwe vacature"))
    page.get_by_label("Kenmerk").fill("WEB-VAC-1")
    page.get_by_label("Functietitel").fill("Magazijnmedewerker")
    page.get_by_label("Postcode werkplek").fill("3511 AB")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Vereiste vaardigheden").fill("heftruck rijden\norderpicken\nrijbewijs B")
    # the preview re-renders as the contractor types
    page.locator('[data-preview="occupation"]').wait_for()
    assert page.locator('[data-preview="required"] li').count() >= 1
    visit.check("contractor-vacancy-new")
    visit.click_and_load(page.get_by_role("button", name="Vacature plaatsen"))
    assert re.search(r"/contractor/vacancies/\d+\?saved=1$", page.url)
    assert "opgeslagen" in page.get_by_role("status").first.inner_text()
    visit.go("/contractor/proposals")
    visit.check("contractor-proposals")


def test_coach_board_and_candidate_form(visit: Visit) -> None:
    visit.log_in(*LOGINS["coach"])
    page = visit.page
    visit.click_and_load(page.get_by_role("link", name="Voorstellen"))
    assert page.locator(".board section").count() == 6 or page.locator(".empty").count() == 1
    visit.check("coach-referrals")
    visit.go("/coach/candidates?mine=true")
    visit.click_and_load(page.locator("table tbody th a").first)
    visit.click_and_load(page.get_by_role("link", name="Wijzigen"))
    assert page.get_by_label("Uren per week").input_value()
    visit.check("coach-candidate-edit")
