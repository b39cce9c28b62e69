"""Issue 11, life cycle: positions are enforced and vacancies close themselves, an ended
contract's status is final, SR officers edit contracts (audited) and a re-imported contracts file
updates them, durability counts placement end dates. Service level and HTTP, SQLite and
PostgreSQL (the ``session`` / ``client`` fixtures)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.config import Settings
from api.services import contracts, durability, importer, lifecycle, referrals, reports
from api.services.errors import ConflictError, FieldError
from matcher.sr import add_months
from models.audit import AuditEvent
from models.contracts import ContractUpdate
from models.placements import DurabilityCheckCreate, HireCreate, Placement
from models.referrals import Referral
from models.vacancies import Vacancy, VacancyStatus
from tests.api import conftest as factories
from tests.api.conftest import World, auth, make_candidate, make_referral, make_world

TODAY = dt.date.today()


def _introduce(session: Session, referral: Referral) -> None:
    """A consented introduction, as the workflow requires before a hire."""
    helper = getattr(factories, "consent_introduce", None)
    if helper is not None:
        helper(session, referral)
    else:  # before consent records existed, the flag was the whole introduction
        referral.introduced_with_consent = True
        session.add(referral)
        session.commit()


def _second_referral(session: Session, w: World) -> Referral:
    """Another candidate of side A, introduced with consent to side A's (one-position) vacancy."""
    other = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, consent_share=True
    )
    ref = make_referral(session, candidate=other, vacancy=w.a.vacancy, status="introduced")
    _introduce(session, ref)
    return ref


def _audit(session: Session, action: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(col(AuditEvent.action) == action).order_by(col(AuditEvent.id))
        ).all()
    )


# --- positions and closing ---


def test_a_one_position_vacancy_refuses_the_second_hire_and_closes(session: Session) -> None:
    w = make_world(session)
    assert w.a.vacancy.positions == 1
    _introduce(session, w.a.referral)
    second = _second_referral(session, w)
    hire = HireCreate(start_date=TODAY)
    referrals.confirm_hire(
        session=session,
        actor=w.a.contractor_user,
        referral_id=w.a.referral.id or 0,
        hire=hire,
        request_id=None,
    )
    session.commit()
    vac = session.get(Vacancy, w.a.vacancy.id)
    assert vac is not None
    assert (vac.status, vac.closed_reason, vac.closed_on) == (VacancyStatus.closed, "filled", TODAY)
    with pytest.raises(ConflictError) as err:
        referrals.confirm_hire(
            session=session,
            actor=w.a.contractor_user,
            referral_id=second.id or 0,
            hire=hire,
            request_id=None,
        )
    assert "closed (filled: 1 of 1 positions taken)" in str(err.value)
    assert "closed_reason=filled" in str(err.value)
    session.rollback()
    placed = session.exec(select(Placement).where(Placement.vacancy_id == w.a.vacancy.id)).all()
    assert len(placed) == 1
    assert session.get(Referral, second.id).status == "introduced"  # type: ignore[union-attr]
    # a proposal for the filled vacancy is refused with the same reason
    third = make_candidate(session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id)
    with pytest.raises(ConflictError, match="filled"):
        referrals.propose(session=session, candidate=third, vacancy=vac, actor=w.a.coach)


def test_more_positions_reopen_a_filled_vacancy(session: Session) -> None:
    w = make_world(session)
    _introduce(session, w.a.referral)
    referrals.confirm_hire(
        session=session,
        actor=w.a.contractor_user,
        referral_id=w.a.referral.id or 0,
        hire=HireCreate(start_date=TODAY),
        request_id=None,
    )
    session.commit()
    from api.services import vacancies
    from models.vacancies import VacancyUpdate

    vac = vacancies.update_vacancy(
        session=session,
        actor=w.a.contractor_user,
        vacancy_id=w.a.vacancy.id or 0,
        changes=VacancyUpdate(positions=2),
    )
    assert (vac.status, vac.closed_reason) == (VacancyStatus.open, None)
    assert lifecycle.state_of(session, vac).positions_left == 1


def test_a_vacancy_closes_the_day_after_its_contract_ends_and_reopens_when_it_is_extended(
    session: Session,
) -> None:
    w = make_world(session)
    contract = w.a.contract
    contract.start_date, contract.end_date = TODAY - dt.timedelta(days=400), TODAY
    session.add(contract)
    session.commit()
    assert lifecycle.state_of(session, w.a.vacancy).is_open  # the end date itself still runs
    tomorrow = TODAY + dt.timedelta(days=1)
    ended = lifecycle.state_of(session, w.a.vacancy, today=tomorrow)
    assert (ended.status, ended.closed_reason, ended.closed_on) == (
        "closed",
        "contract_ended",
        tomorrow,
    )
    contracts.update_contract(
        session=session,
        actor=w.a.sr_officer,
        contract_id=contract.id or 0,
        changes=ContractUpdate(end_date=TODAY - dt.timedelta(days=1)),
    )
    session.commit()
    state = lifecycle.state_of(session, w.a.vacancy)
    assert (state.status, state.closed_reason) == ("closed", "contract_ended")
    with pytest.raises(ConflictError, match="contract_ended"):
        lifecycle.require_open(session, w.a.vacancy, doing="shortlists")
    contracts.update_contract(
        session=session,
        actor=w.a.sr_officer,
        contract_id=contract.id or 0,
        changes=ContractUpdate(end_date=TODAY + dt.timedelta(days=365)),
    )
    assert lifecycle.state_of(session, w.a.vacancy).is_open


def test_a_placements_file_may_not_hire_beyond_the_positions(session: Session) -> None:
    w = make_world(session)
    one = make_candidate(session, municipality_id=w.a.municipality.id)
    two = make_candidate(session, municipality_id=w.a.municipality.id)
    start = (TODAY - dt.timedelta(days=30)).isoformat()
    data = (
        "candidate_ref,vacancy_ref,start_date,hours_per_week\n"
        f"{one.ref},{w.a.vacancy.ref},{start},32\n"
        f"{two.ref},{w.a.vacancy.ref},{start},32\n"
    ).encode()
    report = importer.import_file(
        session, kind="placements", data=data, filename="p.csv", actor=None
    )
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(3, "vacancy_ref")]
    assert "closed (filled: 1 of 1 positions taken)" in report.errors[0].reason
    # the valid row alone goes in (partial) and fills the vacancy
    report = importer.import_file(
        session, kind="placements", data=data, filename="p.csv", actor=None, partial=True
    )
    session.commit()
    assert (report.committed, report.created, report.skipped) == (True, 1, 1)
    vac = session.get(Vacancy, w.a.vacancy.id)
    assert vac is not None and (vac.status, vac.closed_reason) == (VacancyStatus.closed, "filled")


# --- contract status after the end date ---


def _ended_contract(session: Session, w: World, *, placed_days: int) -> None:
    """Side A's contract ran the last year and ended yesterday (obligation 5% of 500,000 =
    25,000 under the national table); one Participatiewet person (30,000 a year full time)
    worked ``placed_days`` days."""
    c = w.a.contract
    c.value_cents = 50_000_000
    c.start_date = TODAY - dt.timedelta(days=366)
    c.end_date = TODAY - dt.timedelta(days=1)
    session.add(c)
    if placed_days:
        start = c.start_date
        session.add(
            Placement(
                candidate_id=w.a.candidate.id or 0,
                vacancy_id=w.a.vacancy.id or 0,
                contract_id=c.id,
                start_date=start,
                end_date=start + dt.timedelta(days=placed_days - 1),
                hours_per_week=36,
            )
        )
    session.commit()


def test_an_ended_contract_reports_not_met_with_its_shortfall(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    _ended_contract(session, w, placed_days=0)
    rep = reports.read_contract_report(
        session=session, actor=w.a.sr_officer, contract_id=w.a.contract.id or 0
    )
    session.commit()
    assert (rep.status, rep.status_final) == ("not_met", True)
    assert rep.realised_eur == 0 and rep.shortfall_eur == rep.obligation_eur == 25_000
    r = client.get(
        f"/api/v1/sr-officer/contracts/{w.a.contract.id}/report",
        headers=auth(w.a.sr_officer, settings),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["status_final"], body["shortfall_eur"]) == (
        "not_met",
        True,
        body["obligation_eur"],
    )
    # on its last day the same contract was still running: behind, not final
    running = reports.read_contract_report(
        session=session,
        actor=w.a.sr_officer,
        contract_id=w.a.contract.id or 0,
        as_of=TODAY - dt.timedelta(days=1),
    )
    assert (running.status, running.status_final) == ("behind", False)


def test_an_ended_contract_that_realised_its_obligation_is_met(session: Session) -> None:
    w = make_world(session)
    _ended_contract(session, w, placed_days=366)
    rep = reports.read_contract_report(
        session=session, actor=w.a.sr_officer, contract_id=w.a.contract.id or 0
    )
    assert rep.status_final and rep.realised_eur >= rep.obligation_eur
    assert (rep.status, rep.shortfall_eur) == ("met", 0)


# --- SR officers edit contracts; a re-imported file updates them ---


def test_a_contract_patch_is_validated_and_audited_with_before_and_after(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    cid = w.a.contract.id
    headers = auth(w.a.sr_officer, settings)
    url = f"/api/v1/sr-officer/contracts/{cid}"
    foreign = f"/api/v1/sr-officer/contracts/{w.b.contract.id}"
    r = client.patch(
        url,
        json={
            "value_cents": 250_000_000,
            "sr_percentage": 4.5,
            "start_date": "01-01-2026",
            "end_date": "2027-12-31",
            "sr_table": "utrecht",
            "social_purchasing_cents": 1_500_000,
            "pso_trede": "trede_1",
        },
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["value_cents"], body["sr_table"], body["pso_trede"]) == (
        250_000_000,
        "utrecht",
        "trede_1",
    )
    assert (body["start_date"], body["social_purchasing_cents"]) == ("2026-01-01", 1_500_000)
    events = _audit(session, "contract.update")
    assert len(events) == 1 and events[0].object_id == str(cid)
    detail = json.loads(events[0].detail or "{}")
    assert detail["before"]["value_cents"] == 100_000_000
    assert detail["after"]["value_cents"] == 250_000_000
    assert detail["after"]["end_date"] == "2027-12-31" and detail["source"] == "api"
    session.rollback()  # end this read before the app writes (SQLite: one writer)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"end_date": "2025-12-31"}, "end_date"),  # before the start 2026-01-01
        ({"sr_table": "atlantis"}, "sr_table"),
        ({"pso_trede": "trede_9"}, "pso_trede"),
        ({"value_cents": 0}, "value_cents"),
    ]
    for change, field in bad:
        r = client.patch(url, json=change, headers=headers)
        assert r.status_code == 422, (change, r.text)
        assert field in r.text
    assert (
        "must not be before the start date 2026-01-01"
        in client.patch(url, json={"end_date": "2025-12-31"}, headers=headers).text
    )
    # a foreign contract looks missing; nothing about it changed
    r = client.patch(foreign, json={"sr_percentage": 9}, headers=headers)
    assert r.status_code == 404
    session.expire_all()
    assert len(_audit(session, "contract.update")) == 1


def test_the_same_contract_change_through_the_service_needs_an_sr_officer(session: Session) -> None:
    w = make_world(session)
    w.a.contract.start_date = dt.date(2026, 1, 1)
    session.add(w.a.contract)
    session.commit()
    with pytest.raises(FieldError, match="must not be before the start date 2026-01-01"):
        contracts.update_contract(
            session=session,
            actor=w.a.sr_officer,
            contract_id=w.a.contract.id or 0,
            changes=ContractUpdate(end_date=dt.date(2025, 12, 31)),
        )
    # the file path checks the same merged state (a table a model validator cannot see)
    with pytest.raises(FieldError, match="unknown SR table"):
        contracts.apply_contract_update(
            session=session,
            actor=None,
            contract=w.a.contract,
            changes={"sr_table": "atlantis"},
            request_id=None,
        )
    session.rollback()
    from api.services.errors import ForbiddenError

    with pytest.raises(ForbiddenError):
        contracts.update_contract(
            session=session,
            actor=w.a.contractor_user,
            contract_id=w.a.contract.id or 0,
            changes=ContractUpdate(sr_percentage=1),
        )


def test_re_importing_a_contracts_file_updates_by_reference_audited(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    c = w.a.contract
    headers = auth(w.a.sr_officer, settings)
    header = "contract_ref,contractor,value_eur,sr_percentage,start_date,end_date,sr_table\n"
    row = f"{c.ref},{w.a.contractor.name},1250000,6,01-01-2026,31-12-2027,utrecht\n"
    r = client.post(
        "/api/v1/sr-officer/imports/contracts",
        files={"file": ("contracts.csv", (header + row).encode(), "text/csv")},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"]) == (0, 1)
    session.expire_all()
    stored = session.get(type(c), c.id)
    assert stored is not None
    assert (stored.value_cents, stored.sr_percentage, stored.sr_table) == (
        125_000_000,
        6.0,
        "utrecht",
    )
    assert stored.end_date == dt.date(2027, 12, 31)
    events = _audit(session, "contract.update")
    assert len(events) == 1
    detail = json.loads(events[0].detail or "{}")
    assert detail["source"] == "file contracts.csv"
    assert detail["after"]["value_cents"] == 125_000_000
    session.rollback()  # end this read before the app writes (SQLite: one writer)
    # the same file again changes nothing and writes no audit event
    r = client.post(
        "/api/v1/sr-officer/imports/contracts",
        files={"file": ("contracts.csv", (header + row).encode(), "text/csv")},
        headers=headers,
    )
    assert (r.json()["updated"], r.json()["unchanged"]) == (0, 1)
    session.expire_all()
    assert len(_audit(session, "contract.update")) == 1


# --- durability counts placement end dates ---


def test_a_placement_ended_at_month_4_is_not_durable_at_6_months(session: Session) -> None:
    w = make_world(session)
    start = add_months(TODAY, -13)
    placement = Placement(
        candidate_id=w.a.candidate.id or 0,
        vacancy_id=w.a.vacancy.id or 0,
        contract_id=w.a.contract.id,
        start_date=start,
        end_date=add_months(start, 4) - dt.timedelta(days=10),  # ended in month 4
        hours_per_week=32,
    )
    session.add(placement)
    session.commit()
    # a coach even recorded "still employed" at 6 months: the placement itself did not last
    durability.record_check(
        session=session,
        actor=w.a.coach,
        placement_id=placement.id or 0,
        body=DurabilityCheckCreate(
            months=6, checked_on=add_months(start, 6), still_employed=True, off_benefit=False
        ),
        request_id=None,
    )
    session.commit()
    overview = reports.read_durability_overview(session=session, actor=w.a.sr_officer)
    by_months = {s.months: s for s in overview.shares}
    assert (by_months[3].durable, by_months[3].not_durable) == (1, 0)
    assert (by_months[6].durable, by_months[6].not_durable, by_months[6].ended_before) == (0, 1, 1)
    assert by_months[6].still_employed == 1  # what the check says about the person
    assert by_months[6].share_durable == 0.0
    # the due list tells the coach what to record: which candidate, placement, milestone, when
    due = durability.due_checks(
        session=session, actor=w.a.coach, request_id=None, limit=20, offset=0
    )
    rows = {(d.placement_id, d.months): d for d in due.data}
    assert set(rows) == {(placement.id, 3), (placement.id, 12)}
    twelve = rows[(placement.id, 12)]
    assert (twelve.candidate_id, twelve.candidate_ref) == (w.a.candidate.id, w.a.candidate.ref)
    assert (twelve.vacancy_ref, twelve.due_on) == (w.a.vacancy.ref, add_months(start, 12))
    assert twelve.placement_end == placement.end_date and twelve.ended_before_milestone
    assert not rows[(placement.id, 3)].ended_before_milestone


def test_the_due_checks_route_names_the_placement_and_milestone(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    start = add_months(TODAY, -7)
    session.add(
        Placement(
            candidate_id=w.a.candidate.id or 0,
            vacancy_id=w.a.vacancy.id or 0,
            contract_id=w.a.contract.id,
            start_date=start,
            hours_per_week=32,
        )
    )
    session.commit()
    r = client.get("/api/v1/coach/placements/checks-due", headers=auth(w.a.coach, settings))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [(d["months"], d["due_on"]) for d in data] == [
        (3, add_months(start, 3).isoformat()),
        (6, add_months(start, 6).isoformat()),
    ]
    assert {d["vacancy_title"] for d in data} == {w.a.vacancy.title}
    assert all(d["placement_start"] == start.isoformat() for d in data)
    assert not any(d["ended_before_milestone"] for d in data)


# --- HTTP: the shortlist of a closed vacancy ---


def test_the_shortlist_of_a_filled_vacancy_is_refused_with_the_reason(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    _introduce(session, w.a.referral)
    r = client.post(
        f"/api/v1/contractor/referrals/{w.a.referral.id}/hire",
        json={"start_date": TODAY.isoformat()},
        headers=auth(w.a.contractor_user, settings),
    )
    assert r.status_code in (200, 201), r.text
    r = client.get(
        f"/api/v1/coach/vacancies/{w.a.vacancy.id}/shortlist", headers=auth(w.a.coach, settings)
    )
    assert r.status_code == 409, r.text
    assert "filled" in r.text and "closed" in r.text
    second = _second_referral(session, w)
    r = client.post(
        f"/api/v1/contractor/referrals/{second.id}/hire",
        json={"start_date": TODAY.isoformat()},
        headers=auth(w.a.contractor_user, settings),
    )
    assert r.status_code == 409, r.text
    assert "1 of 1 positions taken" in r.text
    r = client.get(f"/api/v1/coach/vacancies/{w.a.vacancy.id}", headers=auth(w.a.coach, settings))
    assert (r.json()["status"], r.json()["closed_reason"]) == ("closed", "filled")
    # closed vacancies drop out of the open list
    r = client.get(
        "/api/v1/coach/vacancies", params={"status": "open"}, headers=auth(w.a.coach, settings)
    )
    assert w.a.vacancy.id not in {v["id"] for v in r.json()["data"]}
    assert w.a.free_vacancy.id in {v["id"] for v in r.json()["data"]}


def test_the_cli_refuses_the_shortlist_of_a_closed_vacancy(
    session: Session, engine: Any, settings: Settings
) -> None:
    from api.services.matching import cli_shortlist

    w = make_world(session)
    lifecycle.withdraw(w.a.vacancy)
    session.add(w.a.vacancy)
    session.commit()
    with pytest.raises(ConflictError, match="closed_reason=withdrawn"):
        cli_shortlist(
            session=session,
            engine=engine,
            settings=settings,
            vacancy_ref=w.a.vacancy.ref,
            all_open=False,
            top=5,
            explain_excluded=False,
            lang="nl",
        )
    session.rollback()
    everything = cli_shortlist(
        session=session,
        engine=engine,
        settings=settings,
        vacancy_ref=None,
        all_open=True,
        top=5,
        explain_excluded=False,
        lang="nl",
    )
    refs = {sl["vacancy_ref"] for sl in everything["shortlists"]}  # type: ignore[attr-defined]
    assert w.a.free_vacancy.ref in refs and w.a.vacancy.ref not in refs


def test_a_vacancy_whose_contract_ended_drops_out_of_vacancies_for_a_candidate(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    # a fresh candidate with no referral anywhere, who fits both of side A's vacancies
    cand = make_candidate(session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id)
    headers = auth(w.a.coach, settings)
    url = f"/api/v1/coach/candidates/{cand.id}/vacancies"
    ids = {w.a.vacancy.id, w.a.free_vacancy.id}
    session.rollback()  # end this read before the app reads and writes (SQLite: one writer)
    client.app.state.matching.refresh(full=True)  # type: ignore[attr-defined]
    before = client.get(url, headers=headers)
    assert before.status_code == 200, before.text
    assert ids <= {e["vacancy_id"] for e in before.json()["entries"]}
    contract = w.a.contract
    contract.end_date = TODAY - dt.timedelta(days=1)  # both vacancies serve this contract
    session.add(contract)
    session.commit()
    after = client.get(url, headers=headers)
    assert after.status_code == 200, after.text
    assert not ids & {e["vacancy_id"] for e in after.json()["entries"]}


@pytest.mark.postgres
def test_two_hires_at_once_on_the_last_position_queue_and_the_second_is_refused(
    pg_schema_engine: Any,
) -> None:
    """Two contractor users confirm hires on a one-position vacancy at the same moment: the
    second waits for the first (the vacancy row is locked) and is refused naming the reason,
    instead of both counting or one failing on a stale row."""
    import threading
    import time

    from tests.conftest import _truncate_all

    engine = pg_schema_engine
    try:
        with Session(engine, expire_on_commit=False) as setup:
            w = make_world(setup)
            _introduce(setup, w.a.referral)
            second = _second_referral(setup, w)
            first_id, second_id = w.a.referral.id or 0, second.id or 0
            user_id, vacancy_id = w.a.contractor_user.id, w.a.vacancy.id
        placed = threading.Event()
        outcome: dict[str, object] = {}

        def hire(referral_id: int, *, hold: bool) -> None:
            with Session(engine, expire_on_commit=False) as s:
                actor = s.get(type(w.a.contractor_user), user_id)
                try:
                    referrals.confirm_hire(
                        session=s,
                        actor=actor,  # type: ignore[arg-type]
                        referral_id=referral_id,
                        hire=HireCreate(start_date=TODAY),
                        request_id=None,
                    )
                    if hold:  # keep the lock a moment while the other hire arrives
                        placed.set()
                        time.sleep(1.0)
                    s.commit()
                    outcome[str(referral_id)] = "hired"
                except Exception as exc:  # the outcome is what this test checks
                    s.rollback()
                    outcome[str(referral_id)] = exc
                finally:
                    placed.set()

        a = threading.Thread(target=hire, args=(first_id,), kwargs={"hold": True})
        a.start()
        placed.wait(30)
        started = time.monotonic()
        hire(second_id, hold=False)
        waited = time.monotonic() - started
        a.join(30)
        assert outcome[str(first_id)] == "hired"
        refused = outcome[str(second_id)]
        assert isinstance(refused, ConflictError), refused
        assert "closed (filled: 1 of 1 positions taken)" in str(refused)
        assert waited > 0.5  # it queued behind the first hire's lock
        with Session(engine) as check:
            n = check.exec(select(Placement).where(Placement.vacancy_id == vacancy_id)).all()
            assert len(n) == 1
    finally:
        _truncate_all(engine)


def test_recording_a_placements_end_makes_it_not_durable_at_the_next_milestone(
    session: Session, client: TestClient, settings: Settings
) -> None:
    w = make_world(session)
    start = add_months(TODAY, -8)
    placement = Placement(
        candidate_id=w.a.candidate.id or 0,
        vacancy_id=w.a.vacancy.id or 0,
        contract_id=w.a.contract.id,
        start_date=start,
        hours_per_week=32,
    )
    session.add(placement)
    session.commit()
    pid, cid = placement.id, w.a.candidate.id
    contractor, coach, officer = (
        auth(w.a.contractor_user, settings),
        auth(w.a.coach, settings),
        w.a.sr_officer,
    )
    ended = add_months(start, 4)
    # the employer records the end; the answer names no candidate
    r = client.patch(
        f"/api/v1/contractor/placements/{pid}",
        json={"end_date": ended.strftime("%d-%m-%Y")},
        headers=contractor,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "id": pid,
        "vacancy_id": w.a.vacancy.id,
        "contract_id": w.a.contract.id,
        "start_date": start.isoformat(),
        "end_date": ended.isoformat(),
    }
    bad = client.patch(
        f"/api/v1/coach/placements/{pid}",
        json={"end_date": (start - dt.timedelta(days=1)).isoformat()},
        headers=coach,
    )
    assert bad.status_code == 422 and "start date" in bad.text
    foreign = client.patch(
        f"/api/v1/contractor/placements/{pid}",
        json={"end_date": None},
        headers=auth(w.b.contractor_user, settings),
    )
    assert foreign.status_code == 404
    events = _audit(session, "placement.end")
    assert [(e.candidate_id, e.object_id) for e in events] == [(cid, str(pid))]
    assert events[0].detail == f"end_date: None -> {ended.isoformat()}"
    session.expire_all()  # the app wrote the end date on its own connection
    overview = reports.read_durability_overview(session=session, actor=officer)
    six = next(s for s in overview.shares if s.months == 6)
    three = next(s for s in overview.shares if s.months == 3)
    assert (three.durable, six.not_durable, six.ended_before) == (1, 1, 1)


def test_state_of_counts_a_person_placed_and_hired_once_as_states_does(session: Session) -> None:
    w = make_world(session)
    vac = w.a.vacancy
    vac.positions = 3
    session.add(vac)
    session.commit()
    # one person with both a placement and a hired referral, another with a hired referral only
    first, second = w.a.referral, _second_referral(session, w)
    for ref in (first, second):
        ref.status = "hired"
        session.add(ref)
    session.add(
        Placement(
            candidate_id=first.candidate_id,
            vacancy_id=vac.id,
            contract_id=vac.contract_id,
            start_date=TODAY,
            hours_per_week=32,
        )
    )
    session.commit()
    one = lifecycle.state_of(session, vac)
    assert one == lifecycle.states(session, [vac])[vac.id or 0]
    assert (one.is_open, one.positions_left) == (True, 1)
