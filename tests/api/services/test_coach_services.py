"""The coach's use cases as services: candidates, referrals, shortlists and durability checks
check, write and audit, but never commit; the matching index hears of a change only after the
caller's commit, and a refused change leaves nothing behind once the caller rolls back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from api.services import candidates, durability, referrals
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.matching import MatchingService, shortlist_for
from models.audit import AuditEvent
from models.candidates import CandidateCreate, CandidateUpdate
from models.placements import DurabilityCheckCreate, Placement
from models.referrals import ConsentCreate, Referral, ReferralCreate, ReferralTransition
from models.shortlist_log import ShortlistLog
from tests.api.conftest import api_settings, make_world


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _new(ref: str, **overrides: object) -> CandidateCreate:
    values: dict[str, object] = {
        "ref": ref,
        "postcode": "3511 AB",
        "benefit": "participatiewet",
        "skills": ["heftruck", "orderpicken"],
        "occupations": ["magazijnmedewerker"],
        **overrides,
    }
    return CandidateCreate.model_validate(values)


def test_only_the_holding_coach_changes_a_candidate(session: Session) -> None:
    w = make_world(session)
    cid = w.a.candidate.id
    assert cid is not None
    change = CandidateUpdate(hours_per_week=24)
    with pytest.raises(ForbiddenError, match="only the coach who holds"):
        candidates.update_candidate(
            session=session,
            actor=w.a.other_coach,
            candidate_id=cid,
            changes=change,
            request_id=None,
        )
    with pytest.raises(NotFoundError):  # another municipality's coach cannot tell it exists
        candidates.deactivate_candidate(
            session=session, actor=w.b.coach, candidate_id=cid, request_id=None
        )
    for coach_id, message in ((w.b.coach.id, "active coach"), (None, "needs a coach")):
        with pytest.raises(FieldError, match=message) as err:
            candidates.update_candidate(
                session=session,
                actor=w.a.coach,
                candidate_id=cid,
                changes=CandidateUpdate.model_validate({"coach_id": coach_id}),
                request_id=None,
            )
        assert err.value.field == "coach_id"
    session.rollback()
    moved = candidates.update_candidate(
        session=session,
        actor=w.a.coach,
        candidate_id=cid,
        changes=CandidateUpdate(postcode="3542 AA", coach_id=w.a.other_coach.id),
        request_id="r-1",
    )
    assert (moved.pc4, moved.coach_id) == ("3542", w.a.other_coach.id)
    [event] = _events(session, "candidate.update")
    assert event.candidate_id == cid and event.detail == "fields: coach_id, postcode"


def test_create_checks_the_reference_and_the_coach(session: Session) -> None:
    w = make_world(session)
    with pytest.raises(ConflictError, match="REF-A"):
        candidates.create_candidate(
            session=session, actor=w.a.coach, body=_new("REF-A"), request_id=None
        )
    with pytest.raises(FieldError) as err:
        candidates.create_candidate(
            session=session,
            actor=w.a.coach,
            body=_new("K-9", coach_id=w.b.coach.id),
            request_id=None,
        )
    assert (err.value.field, err.value.value) == ("coach_id", w.b.coach.id)
    cand = candidates.create_candidate(
        session=session, actor=w.a.coach, body=_new("K-10"), request_id=None
    )
    assert cand.coach_id == w.a.coach.id and cand.municipality_id == w.a.municipality.id
    assert cand.pc4 == "3511" and cand.skills_norm


def test_lists_and_reads_stay_in_the_municipality_and_are_audited(session: Session) -> None:
    w = make_world(session)
    page = candidates.list_candidates(session=session, actor=w.a.coach, request_id="r-2")
    assert [c.id for c in page.data] == [w.a.candidate.id] and page.count == 1
    assert [e.candidate_id for e in _events(session, "candidate.list")] == [w.a.candidate.id]
    mine = candidates.list_candidates(
        session=session, actor=w.a.other_coach, request_id=None, mine=True
    )
    assert mine.count == 0
    assert w.b.candidate.id is not None
    with pytest.raises(NotFoundError):
        candidates.read_candidate(
            session=session, actor=w.a.coach, candidate_id=w.b.candidate.id, request_id=None
        )
    refs = referrals.list_referrals(session=session, actor=w.a.sr_officer, request_id=None)
    assert [r.id for r in refs.data] == [w.a.referral.id] and refs.data[0].history
    assert w.b.referral.id is not None
    with pytest.raises(NotFoundError):  # the full view is for coaches and SR officers only
        referrals.read_referral(
            session=session, actor=w.a.contractor_user, referral_id=w.a.referral.id or 0,
            request_id=None,
        )  # fmt: skip
    with pytest.raises(NotFoundError):
        referrals.read_referral(
            session=session, actor=w.a.coach, referral_id=w.b.referral.id, request_id=None
        )


def test_the_index_hears_of_a_candidate_after_the_commit_and_never_after_a_rollback(
    engine: Engine, session: Session
) -> None:
    w = make_world(session)
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)

    def indexed() -> set[int]:
        return set(service.visible_candidate_ids(w.a.coach) or [])

    later = candidates.create_candidate(
        session=session, actor=w.a.coach, body=_new("K-LATER"), request_id=None, matching=service
    )
    session.rollback()
    assert later.id not in indexed()
    now = candidates.create_candidate(
        session=session, actor=w.a.coach, body=_new("K-NOW"), request_id=None, matching=service
    )
    assert now.id is not None and now.id not in indexed()  # the index reads committed data
    session.commit()
    assert now.id in indexed()
    candidates.deactivate_candidate(
        session=session, actor=w.a.coach, candidate_id=now.id, request_id=None, matching=service
    )
    session.commit()
    assert now.id not in indexed()


def test_propose_and_move_a_referral(engine: Engine, session: Session) -> None:
    w = make_world(session)
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)
    assert w.a.candidate.id is not None and w.a.free_vacancy.id is not None
    body = ReferralCreate(
        candidate_id=w.a.candidate.id, vacancy_id=w.a.free_vacancy.id, shortlist_rank=2
    )
    with pytest.raises(ForbiddenError):
        referrals.propose_referral(
            session=session, actor=w.a.other_coach, body=body, request_id=None
        )
    with pytest.raises(NotFoundError):  # another municipality's vacancy
        referrals.propose_referral(
            session=session,
            actor=w.a.coach,
            body=body.model_copy(update={"vacancy_id": w.b.free_vacancy.id}),
            request_id=None,
        )
    out = referrals.propose_referral(
        session=session, actor=w.a.coach, body=body, request_id=None, matching=service
    )
    assert out.status == "proposed" and out.model_version == service.model_version
    assert [h.status for h in out.history] == ["proposed"]
    session.commit()
    with pytest.raises(ConflictError):
        referrals.propose_referral(session=session, actor=w.a.coach, body=body, request_id=None)

    ref_id = w.a.referral.id
    assert ref_id is not None
    with pytest.raises(FieldError) as err:  # introduced -> proposed is not in the table
        referrals.move_referral(
            session=session,
            actor=w.a.coach,
            referral_id=ref_id,
            body=ReferralTransition(status="proposed"),
            request_id=None,
        )
    assert err.value.field == "status"
    session.rollback()
    with pytest.raises(FieldError) as err:  # introduced without a consent record: no hire
        referrals.move_referral(
            session=session,
            actor=w.a.coach,
            referral_id=ref_id,
            body=ReferralTransition(status="hired"),
            request_id=None,
        )
    assert "consented introduction" in err.value.message
    session.rollback()
    referrals.record_consent(
        session=session,
        actor=w.a.coach,
        referral_id=ref_id,
        body=ConsentCreate(method="phone"),
        request_id=None,
    )
    hired = referrals.move_referral(
        session=session,
        actor=w.a.coach,
        referral_id=ref_id,
        body=ReferralTransition(status="hired"),
        request_id=None,
    )
    session.commit()
    assert hired.status == "hired" and session.get(Referral, ref_id) is not None
    assert session.exec(select(Placement).where(Placement.referral_id == ref_id)).one()


def test_a_shortlist_writes_its_log_and_audit_in_the_callers_unit_of_work(
    engine: Engine, session: Session
) -> None:
    w = make_world(session)
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)
    vid = w.a.free_vacancy.id
    assert vid is not None

    def logged() -> int:
        return int(session.exec(select(func.count()).select_from(ShortlistLog)).one())

    def shown() -> None:
        shortlist_for(session=session, actor=w.a.coach, vacancy_id=vid, matching=service, top=10)

    shown()
    session.rollback()
    assert logged() == 0  # the service did not commit
    shown()
    session.commit()
    assert logged() == 1
    audited = session.exec(
        select(AuditEvent.candidate_id).where(
            AuditEvent.action == "candidate.shortlist", col(AuditEvent.object_id) == str(vid)
        )
    ).all()
    assert w.a.candidate.id in audited
    with pytest.raises(NotFoundError):
        shortlist_for(
            session=session, actor=w.a.coach, vacancy_id=w.b.free_vacancy.id or 0,
            matching=service, top=10,
        )  # fmt: skip


def test_a_check_is_recorded_once_per_milestone_within_the_actors_scope(session: Session) -> None:
    w = make_world(session)
    start = dt.date.today() - dt.timedelta(days=200)
    placement = Placement(
        candidate_id=w.a.candidate.id or 0,
        vacancy_id=w.a.vacancy.id or 0,
        contract_id=w.a.contract.id,
        start_date=start,
        hours_per_week=32,
        kind="arbeidsovereenkomst",
    )
    session.add(placement)
    session.commit()
    assert placement.id is not None
    body = DurabilityCheckCreate(
        months=3, checked_on=dt.date.today(), still_employed=True, off_benefit=False
    )
    for outsider in (w.b.coach, w.b.contractor_user, w.admin):
        with pytest.raises(NotFoundError):
            durability.record_check(
                session=session, actor=outsider, placement_id=placement.id, body=body,
                request_id=None,
            )  # fmt: skip
    first, created = durability.record_check(
        session=session, actor=w.a.coach, placement_id=placement.id, body=body, request_id=None
    )
    again, created_again = durability.record_check(
        session=session,
        actor=w.a.contractor_user,
        placement_id=placement.id,
        body=body.model_copy(update={"still_employed": False}),
        request_id=None,
    )
    assert created and not created_again and again.id == first.id and not again.still_employed
    assert len(_events(session, "placement.check")) == 2
