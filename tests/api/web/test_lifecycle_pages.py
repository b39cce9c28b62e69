"""Issue 11 life cycle on the pages: the SR officer's contract form (saved through the API's use
case, audited, a refused change re-rendered), the final status of an ended contract, closed
vacancies with their reason, and the coach's follow-ups page (what to record, recording one)."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from matcher.sr import add_months
from models.audit import AuditEvent
from models.contracts import Contract
from models.placements import DurabilityCheck, Placement
from models.vacancies import Vacancy, VacancyStatus
from tests.api.conftest import make_world
from tests.api.web.conftest import csrf_from, log_in

TODAY = dt.date.today()


def _form(page: str) -> dict[str, str]:
    return {"csrf_token": csrf_from(page)}


def test_the_sr_officer_changes_a_contract_on_its_page_audited(
    web: TestClient, session: Session
) -> None:
    w = make_world(session)
    cid, foreign_id = w.a.contract.id, w.b.contract.id
    log_in(web, w.a.sr_officer)
    page = web.get(f"/sr-officer/contracts/{cid}")
    assert page.status_code == 200
    assert f'action="/sr-officer/contracts/{cid}"' in page.text
    assert 'value="1000000,00"' in page.text  # 100,000,000 cents as typed in Dutch
    values = {
        "value_eur": "1.250.000,00",
        "sr_percentage": "4,5",
        "start_date": "01-01-2026",
        "end_date": "31-12-2027",
        "sr_table": "utrecht",
        "category": "werken",
        "social_purchasing_eur": "12.500",
        "pso_trede": "basis",
    }
    answer = web.post(f"/sr-officer/contracts/{cid}", data=_form(page.text) | values)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/sr-officer/contracts/{cid}?saved=1"
    session.expire_all()
    stored = session.get(Contract, cid)
    assert stored is not None
    assert (stored.value_cents, stored.sr_percentage, stored.sr_table, stored.pso_trede) == (
        125_000_000,
        4.5,
        "utrecht",
        "basis",
    )
    assert (stored.end_date, stored.social_purchasing_cents) == (dt.date(2027, 12, 31), 1_250_000)
    events = session.exec(
        select(AuditEvent).where(col(AuditEvent.action) == "contract.update")
    ).all()
    assert len(events) == 1 and json.loads(events[0].detail or "{}")["source"] == "page"
    session.rollback()  # end this read before the app writes (SQLite: one writer)
    saved = web.get(answer.headers["location"])
    assert "De wijzigingen zijn opgeslagen." in saved.text
    # an end before the start is refused next to its field, the input kept, nothing stored
    refused = web.post(
        f"/sr-officer/contracts/{cid}",
        data=_form(saved.text) | values | {"end_date": "31-12-2025"},
    )
    assert refused.status_code == 422, refused.text
    summary = refused.text[refused.text.find("error-summary") :][:400]
    assert 'href="#f-end_date"' in summary and "2026-01-01" in summary  # the start it precedes
    assert 'value="31-12-2025"' in refused.text and 'aria-invalid="true"' in refused.text
    session.expire_all()
    assert session.get(Contract, cid).end_date == dt.date(2027, 12, 31)  # type: ignore[union-attr]
    session.rollback()
    bad_amount = web.post(
        f"/sr-officer/contracts/{cid}",
        data=_form(saved.text) | values | {"value_eur": "veel"},
    )
    assert bad_amount.status_code == 422 and "is not an amount in euros" in bad_amount.text
    # another municipality's contract has no page and no form
    assert web.get(f"/sr-officer/contracts/{foreign_id}").status_code == 404
    foreign = web.post(f"/sr-officer/contracts/{foreign_id}", data=_form(saved.text) | values)
    assert foreign.status_code == 404


def test_an_ended_contract_shows_its_final_status(web: TestClient, session: Session) -> None:
    w = make_world(session)
    w.a.contract.start_date = TODAY - dt.timedelta(days=400)
    w.a.contract.end_date = TODAY - dt.timedelta(days=30)
    session.add(w.a.contract)
    session.commit()
    log_in(web, w.a.sr_officer)
    page = web.get(f"/sr-officer/contracts/{w.a.contract.id}")
    assert "niet gehaald" in page.text and "definitief: het contract is afgelopen" in page.text


def test_the_contractor_sees_why_a_vacancy_is_closed(web: TestClient, session: Session) -> None:
    w = make_world(session)
    vac = session.get(Vacancy, w.a.vacancy.id)
    assert vac is not None
    vac.status, vac.closed_reason, vac.closed_on = VacancyStatus.closed, "filled", TODAY
    session.add(vac)
    session.commit()
    log_in(web, w.a.contractor_user)
    page = web.get("/contractor/vacancies")
    assert page.status_code == 200
    assert "(vervuld)" in page.text


def test_the_coach_sees_what_to_record_and_records_a_follow_up(
    web: TestClient, session: Session
) -> None:
    w = make_world(session)
    contractor_user = w.a.contractor_user
    session.expunge(contractor_user)  # logs in at the end without reading the database
    start = add_months(TODAY, -7)
    ended = Placement(
        candidate_id=w.a.candidate.id or 0,
        vacancy_id=w.a.vacancy.id or 0,
        contract_id=w.a.contract.id,
        start_date=start,
        end_date=add_months(start, 4),
        hours_per_week=32,
    )
    session.add(ended)
    session.commit()
    pid = ended.id
    log_in(web, w.a.coach)
    page = web.get("/coach/checks")
    assert page.status_code == 200
    assert w.a.candidate.ref in page.text and w.a.vacancy.title in page.text
    assert "Geëindigd vóór 6 maanden: niet duurzaam" in page.text
    assert 'href="/coach/checks"' in page.text  # in the coach's menu
    assert f'action="/coach/checks/{pid}"' in page.text
    answer = web.post(
        f"/coach/checks/{pid}",
        data=_form(page.text)
        | {
            "months": "3",
            "checked_on": add_months(start, 3).isoformat(),
            "still_employed": "yes",
            "off_benefit": "no",
        },
    )
    assert answer.status_code == 303, answer.text
    check = session.exec(select(DurabilityCheck).where(DurabilityCheck.placement_id == pid)).one()
    assert (check.months, check.still_employed, check.off_benefit) == (3, True, False)
    session.rollback()  # end this read before the app writes (SQLite: one writer)
    after = web.get(answer.headers["location"])
    assert "De controle is geregistreerd." in after.text
    assert f'id="check-{pid}-3"' not in after.text and f'id="check-{pid}-6"' in after.text
    # a check before its milestone is refused next to its row
    early = web.post(
        f"/coach/checks/{pid}",
        data=_form(after.text)
        | {
            "months": "6",
            "checked_on": add_months(start, 5).isoformat(),
            "still_employed": "no",
            "off_benefit": "no",
        },
    )
    assert early.status_code == 422 and "falls due on" in early.text
    # the follow-ups are the coach's: a contractor has no such page
    web.cookies.clear()
    log_in(web, contractor_user)
    assert web.get("/coach/checks").status_code == 403


def test_the_coach_records_that_a_placement_ended(web: TestClient, session: Session) -> None:
    w = make_world(session)
    start = add_months(TODAY, -7)
    running = Placement(
        candidate_id=w.a.candidate.id or 0,
        vacancy_id=w.a.vacancy.id or 0,
        contract_id=w.a.contract.id,
        start_date=start,
        hours_per_week=32,
    )
    session.add(running)
    session.commit()
    pid = running.id
    log_in(web, w.a.coach)
    page = web.get("/coach/checks")
    assert f'action="/coach/placements/{pid}/end"' in page.text
    assert "Geëindigd vóór" not in page.text
    too_early = web.post(
        f"/coach/placements/{pid}/end",
        data=_form(page.text) | {"end_date": (start - dt.timedelta(days=1)).isoformat()},
    )
    assert too_early.status_code == 422 and "start date" in too_early.text
    ended = add_months(start, 5)
    answer = web.post(
        f"/coach/placements/{pid}/end", data=_form(page.text) | {"end_date": ended.isoformat()}
    )
    assert answer.status_code == 303, answer.text
    after = web.get(answer.headers["location"])
    assert "Het einde van de plaatsing is vastgelegd." in after.text
    assert "Geëindigd vóór 6 maanden: niet duurzaam" in after.text
    assert f'action="/coach/placements/{pid}/end"' not in after.text
    session.expire_all()
    assert session.get(Placement, pid).end_date == ended  # type: ignore[union-attr]
