"""Privacy rights and retention (issue 14): access, erasure, retention, an explanation.

Acceptance 2: after erasure no table holds the candidate's personal data (every column of every
table is scanned for the reference, the postcode and the birth year) and every SR report total
is unchanged. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, select

from api.audit import record
from api.services import privacy, reports
from api.services.errors import ConflictError, ForbiddenError, NotFoundError
from api.services.matching import MatchingService
from api.services.profiles import concept_dicts
from matcher.normalize import get_normalizer
from matcher.vocab import OVERSIGHT_REASONS
from models.audit import AuditEvent
from models.audit_attributes import AuditAttributes
from models.base import utcnow
from models.candidates import Candidate
from models.fairness import OversightDecision
from models.placements import Placement
from models.referrals import ReferralEvent
from models.shortlist_log import ShortlistLog
from tests.api.conftest import (
    api_settings,
    make_candidate,
    make_referral,
    make_vacancy,
    make_world,
)

REF = "ZQ-PRIV-7731"
POSTCODE = "9711 LM"
BIRTH_YEAR = 1937


def _person(session: Session, w: Any) -> Candidate:
    """A candidate of side A with a placement on A's contract, a rejected referral whose
    reason names them, an audit trail and a shortlist-log entry."""
    cand = make_candidate(
        session,
        ref=REF,
        postcode=POSTCODE,
        pc4="9711",
        lat=53.2194,
        lon=6.5665,
        birth_year=BIRTH_YEAR,
        gender="v",
        municipality_id=w.a.municipality.id,
        coach_id=w.a.coach.id,
        skills=["heftruck", "ZQ vrije tekst"],
    )
    assert cand.id is not None
    session.add(
        Placement(
            candidate_id=cand.id,
            vacancy_id=w.a.vacancy.id,
            contract_id=w.a.contract.id,
            start_date=dt.date.today() - dt.timedelta(days=200),
            hours_per_week=24,
        )
    )
    other = make_vacancy(
        session,
        contractor_id=w.a.contractor.id,
        contract_id=w.a.contract.id,
        municipality_id=w.a.municipality.id,
    )
    ref = make_referral(session, candidate=cand, vacancy=other, status="rejected")
    event = session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == ref.id)).one()
    event.reason = f"{REF} woont in {POSTCODE} en is van {BIRTH_YEAR}"
    session.add(event)
    session.add(
        ShortlistLog(
            vacancy_id=other.id,  # type: ignore[arg-type]
            model_version="baseline",
            entries=[[cand.id, 2, 0.71]],
            n_eligible=5,
            n_considered=9,
        )
    )
    session.flush()
    log_id = session.exec(select(ShortlistLog.id).where(ShortlistLog.vacancy_id == other.id)).one()
    session.add(  # a coach's free-text note on setting the person aside may describe them
        OversightDecision(
            shortlist_log_id=log_id,
            vacancy_id=other.id,  # type: ignore[arg-type]
            candidate_id=cand.id,
            user_id=w.a.coach.id,
            model_version="baseline",
            kind="set_aside",
            reason=OVERSIGHT_REASONS[0],
            note=f"{REF} kan pas na de verhuizing naar {POSTCODE}",
            rank=2,
        )
    )
    record(session, user=w.a.coach, action="candidate.read", candidate_id=cand.id, request_id=None)
    session.commit()
    return cand


def _report_totals(session: Session, officer: Any) -> list[dict[str, Any]]:
    page = reports.list_reports(session=session, actor=officer, scope="region")
    out = []
    for r in page.data:
        d = r.model_dump(mode="json")
        d["trace"] = [
            {k: v for k, v in line.items() if k != "candidate_ref"} for line in d.get("trace", [])
        ]
        out.append(d)
    return out


def _all_values(engine: Engine) -> list[tuple[str, str, Any]]:
    """Every value of every column of every table: (table, column, value)."""
    out: list[tuple[str, str, Any]] = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            names = [c.name for c in table.columns]
            for row in conn.execute(table.select()):
                out.extend((table.name, n, v) for n, v in zip(names, row, strict=True))
    return out


def test_erasure_leaves_no_personal_data_and_every_sr_total(engine: Engine) -> None:
    with Session(engine) as session:
        w = make_world(session)
        cand = _person(session, w)
        cid, coach_name = cand.id, w.a.coach.username
        assert cid is not None
        before = _report_totals(session, w.a.sr_officer)
        assert any(line["source"] == "placement" for r in before for line in r["trace"])
        result = privacy.erase_candidate(
            session=session, actor=w.a.coach, candidate_id=cid, request_id="req-erase"
        )
        session.commit()
        assert result.pseudonym.startswith("gewist-")
        assert result.referral_reasons_cleared == 1
        after = _report_totals(session, w.a.sr_officer)
        assert after == before

    needles = (REF, POSTCODE, POSTCODE.replace(" ", ""), "ZQ vrije tekst")
    hits = []
    for table, column, value in _all_values(engine):
        if value is None:
            continue
        blob = json.dumps(value, default=str) if not isinstance(value, str) else value
        if any(n in blob for n in needles):
            hits.append((table, column, blob[:80]))
        if column == "birth_year" and value == BIRTH_YEAR:
            hits.append((table, column, value))
        if isinstance(value, str) and str(BIRTH_YEAR) in value:
            hits.append((table, column, value[:80]))
    assert hits == [], f"personal data left after erasure: {hits}"

    with Session(engine) as session:
        row = session.get(Candidate, cid)
        assert row is not None and row.erased_at is not None and not row.active
        assert row.coach_id is None and row.skills == []
        # birth year and gender, kept apart for the fairness audit, went with the person
        held = session.exec(select(AuditAttributes).where(AuditAttributes.candidate_id == cid))
        assert held.all() == []
        notes = session.exec(
            select(OversightDecision.note).where(OversightDecision.candidate_id == cid)
        ).all()
        assert notes == [None]  # the decision stays (fairness audit), its free text does not
        # the erasure itself is on the record, naming the action, not the person
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.candidate_id == cid, AuditEvent.action == "candidate.erase"
            )
        ).all()
        assert len(events) == 1 and events[0].username == coach_name


def test_every_candidate_column_is_classified_for_erasure() -> None:
    columns = {c.name for c in Candidate.__table__.columns}  # type: ignore[attr-defined]
    classified = set(privacy.ERASED_VALUES) | set(privacy.KEPT_FOR_SR) | set(privacy.RECORD_KEEPING)
    assert columns - classified == set(), "new candidate columns: say what erasure does"
    assert set(privacy.ERASED_VALUES).isdisjoint(privacy.KEPT_FOR_SR)


def test_erasure_rights_and_twice(session: Session) -> None:
    w = make_world(session)
    cand = w.a.candidate
    assert cand.id is not None
    with pytest.raises(ForbiddenError):  # a colleague who does not hold the candidate
        privacy.erase_candidate(
            session=session, actor=w.a.other_coach, candidate_id=cand.id, request_id=None
        )
    with pytest.raises(NotFoundError):  # another municipality's SR officer
        privacy.erase_candidate(
            session=session, actor=w.b.sr_officer, candidate_id=cand.id, request_id=None
        )
    privacy.erase_candidate(
        session=session, actor=w.a.sr_officer, candidate_id=cand.id, request_id=None
    )
    session.commit()
    with pytest.raises(ConflictError, match="already erased"):
        privacy.erase_candidate(session=session, actor=None, candidate_id=cand.id, request_id=None)


def test_export_holds_everything_and_is_audited(session: Session) -> None:
    w = make_world(session)
    cand = _person(session, w)
    assert cand.id is not None
    data = privacy.export_candidate(
        session=session, actor=w.a.sr_officer, candidate_id=cand.id, request_id="r1"
    )
    session.commit()
    assert data.candidate["ref"] == REF and data.candidate["birth_year"] == BIRTH_YEAR
    assert [r["status"] for r in data.referrals] == ["rejected"]
    assert data.referrals[0]["history"][0]["reason"].startswith(REF)
    assert len(data.placements) == 1
    [shown] = data.shortlists
    assert (shown.rank, shown.score, shown.of_eligible) == (2, 0.71, 5)
    assert any(a.username == w.a.coach.username for a in data.accesses)
    audit = session.exec(
        select(AuditEvent).where(
            AuditEvent.candidate_id == cand.id, AuditEvent.action == "candidate.export"
        )
    ).all()
    assert len(audit) == 1 and audit[0].request_id == "r1"
    with pytest.raises(NotFoundError):
        privacy.export_candidate(
            session=session, actor=w.b.coach, candidate_id=cand.id, request_id=None
        )


def _backdate(session: Session, cand: Candidate, days: int) -> None:
    cand.updated_at = utcnow() - dt.timedelta(days=days)
    session.add(cand)


def _old_audit(session: Session, days: int) -> int:
    e = AuditEvent(
        at=utcnow() - dt.timedelta(days=days), username="x", role="coach", action="candidate.read"
    )
    session.add(e)
    session.flush()
    assert e.id is not None
    return e.id


def test_retention_dry_run_then_apply(session: Session) -> None:
    w = make_world(session)
    muni = w.a.municipality.id
    stale = make_candidate(session, municipality_id=muni, coach_id=w.a.coach.id)
    fresh = make_candidate(session, municipality_id=muni, coach_id=w.a.coach.id)
    working = make_candidate(session, municipality_id=muni, coach_id=w.a.coach.id)
    for c in (stale, working):
        _backdate(session, c, 800)
    session.add(  # an ongoing placement keeps a candidate, however old the profile
        Placement(
            candidate_id=working.id,  # type: ignore[arg-type]
            vacancy_id=w.a.vacancy.id,  # type: ignore[arg-type]
            contract_id=w.a.contract.id,
            start_date=dt.date.today() - dt.timedelta(days=900),
            hours_per_week=20,
        )
    )
    old_log = ShortlistLog(
        at=utcnow() - dt.timedelta(days=400), vacancy_id=w.a.vacancy.id, model_version="b"
    )
    new_log = ShortlistLog(
        at=utcnow() - dt.timedelta(days=30), vacancy_id=w.a.vacancy.id, model_version="b"
    )
    session.add_all([old_log, new_log])
    old_event = _old_audit(session, 800)
    young_event = _old_audit(session, 100)
    session.commit()
    settings = api_settings()
    # make_world's own candidates are fresh; only ``stale`` is past the period
    plan = privacy.run_retention(session=session, settings=settings, actor=None)
    assert plan.dry_run and plan.candidate_ids == [stale.id]
    assert (plan.shortlist_logs_to_remove, plan.audit_events_to_remove) == (1, 1)
    session.commit()
    assert session.get(AuditEvent, old_event) is not None  # a dry run changes nothing

    done = privacy.run_retention(session=session, settings=settings, actor=w.admin, apply=True)
    session.commit()
    assert not done.dry_run
    session.expire_all()
    assert session.get(Candidate, stale.id).erased_at is not None  # type: ignore[union-attr]
    assert session.get(Candidate, fresh.id).erased_at is None  # type: ignore[union-attr]
    assert session.get(Candidate, working.id).erased_at is None  # type: ignore[union-attr]
    assert session.get(ShortlistLog, old_log.id) is None
    assert session.get(ShortlistLog, new_log.id) is not None
    assert session.get(AuditEvent, old_event) is None
    assert session.get(AuditEvent, young_event) is not None
    runs = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.run")).all()
    assert len(runs) == 1 and runs[0].username == "admin"


def test_the_database_refuses_audit_deletes_outside_retention(engine: Engine) -> None:
    """Without the gate nothing goes; with it, never an event younger than six months."""
    with Session(engine) as session:
        old = _old_audit(session, 800)
        young = _old_audit(session, 100)
        session.commit()
    for event_id, gate in ((old, False), (young, True)):
        with Session(engine) as session:
            if gate:
                session.execute(text("INSERT INTO retentiongate (opened_by) VALUES ('test')"))
            with pytest.raises((IntegrityError, DBAPIError)):
                session.execute(text("DELETE FROM auditevent WHERE id = :i"), {"i": event_id})
                session.flush()
            session.rollback()
    with Session(engine) as session:
        assert session.get(AuditEvent, old) is not None
        assert session.get(AuditEvent, young) is not None
        with pytest.raises((IntegrityError, DBAPIError)):
            session.execute(text("UPDATE auditevent SET username = 'y' WHERE id = :i"), {"i": old})


def test_retention_periods_cannot_go_below_the_ai_act_floor() -> None:
    with pytest.raises(ValueError, match="183"):
        api_settings(retention_audit_days=30)
    with pytest.raises(ValueError, match="183"):
        api_settings(retention_shortlist_log_days=90)


def test_explanation_names_the_failed_rule_and_what_would_change(engine: Engine) -> None:
    with Session(engine) as session:
        w = make_world(session)
        muni, coach = w.a.municipality.id, w.a.coach.id
        near = make_candidate(
            session,
            municipality_id=muni,
            coach_id=coach,
            skills=["schoonmaken"],
            occupations=[],
            hours_per_week=20,
        )
        far = make_candidate(
            session,
            municipality_id=muni,
            coach_id=coach,
            postcode="9711AB",
            pc4="9711",
            lat=53.2194,
            lon=6.5665,
            max_travel_km=10,
        )
        heftruck = get_normalizer().profile(["heftruck"], []).skills
        vac = make_vacancy(
            session,
            contractor_id=w.a.contractor.id,
            contract_id=w.a.contract.id,
            municipality_id=muni,
            required_norm=concept_dicts(heftruck),
        )
        vac_id = vac.id
        near_id, far_id = near.id, far.id
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)
    with Session(engine) as session:
        coach_user = session.get(type(w.a.coach), coach)
        assert coach_user is not None and vac_id is not None
        e_far = privacy.explain_for_candidate(
            session=session,
            actor=coach_user,
            candidate_id=far_id,  # type: ignore[arg-type]
            vacancy_id=vac_id,
            matching=service,
        )
        e_near = privacy.explain_for_candidate(
            session=session,
            actor=coach_user,
            candidate_id=near_id,  # type: ignore[arg-type]
            vacancy_id=vac_id,
            matching=service,
            lang="en",
        )
        n_logs = session.exec(select(ShortlistLog)).all()
    assert not e_far.eligible and not e_far.shortlisted
    assert any("reisafstand" in r for r in e_far.rules_failed)
    assert [o.kind for o in e_far.what_would_change] == ["distance"]
    assert e_near.eligible and e_near.shortlisted and e_near.rank is not None
    # the reasons are the shortlist's own (relative to the other eligible candidates)
    assert e_near.reasons_for or e_near.reasons_against
    kinds = {o.kind for o in e_near.what_would_change}
    assert {"skill", "hours"} <= kinds, e_near.what_would_change  # lacks heftruck; 20 < 36 h
    assert n_logs == []  # an explanation is not a served shortlist


def test_erased_candidates_leave_the_index(engine: Engine) -> None:
    with Session(engine) as session:
        w = make_world(session)
        coach_id, vac_id = w.a.coach.id, w.a.free_vacancy.id
        cand_id = w.a.candidate.id
    service = MatchingService(engine=engine, settings=SimpleNamespace()).start(background=False)
    with Session(engine) as session:
        coach = session.get(type(w.a.coach), coach_id)
        vac = session.get(type(w.a.free_vacancy), vac_id)
        assert coach is not None and vac is not None and cand_id is not None
        ids = [
            e.candidate_id
            for e in service.shortlist(session, vacancy=vac, top=10, coach=coach).entries
        ]
        assert cand_id in ids
        privacy.erase_candidate(
            session=session, actor=coach, candidate_id=cand_id, request_id=None, matching=service
        )
        session.commit()
        ids = [
            e.candidate_id
            for e in service.shortlist(session, vacancy=vac, top=10, coach=coach).entries
        ]
        assert cand_id not in ids
