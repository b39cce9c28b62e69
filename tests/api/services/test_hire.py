"""A contractor confirms a hire: the referral becomes hired, the SR placement is created on the
contractor's terms, and the act is audited; only the contractor of the vacancy may do it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from api.services import referrals
from api.services.errors import FieldError, NotFoundError
from models.audit import AuditEvent
from models.placements import HireCreate, Placement
from tests.api.conftest import consent_introduce, make_referral, make_world


def test_the_contractor_confirms_a_hire_and_the_placement_counts_for_its_contract(
    session: Session,
) -> None:
    w = make_world(session)
    rid = w.a.referral.id
    assert rid is not None
    consent_introduce(session, w.a.referral)
    start = dt.date.today()
    hire = HireCreate(start_date=start, hours_per_week=24, kind="leerwerkplek", permanent=False)
    for outsider in (w.b.contractor_user, w.a.coach, w.a.sr_officer):
        with pytest.raises(NotFoundError):
            referrals.confirm_hire(
                session=session, actor=outsider, referral_id=rid, hire=hire, request_id=None
            )
    placement = referrals.confirm_hire(
        session=session, actor=w.a.contractor_user, referral_id=rid, hire=hire, request_id="r-9"
    )
    session.commit()
    assert (placement.contract_id, placement.vacancy_id) == (w.a.contract.id, w.a.vacancy.id)
    assert (placement.start_date, placement.hours_per_week, placement.kind) == (
        start,
        24,
        "leerwerkplek",
    )
    assert w.a.referral.status == "hired"
    audit = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "referral.hired")).one()
    assert (audit.candidate_id, audit.object_id, audit.request_id) == (
        w.a.candidate.id,
        str(placement.id),
        "r-9",
    )


def test_a_hire_the_referral_cannot_take_changes_nothing(session: Session) -> None:
    w = make_world(session)
    proposed = make_referral(session, candidate=w.a.candidate, vacancy=w.a.free_vacancy)
    assert proposed.id is not None
    with pytest.raises(FieldError) as err:
        referrals.confirm_hire(
            session=session,
            actor=w.a.contractor_user,
            referral_id=proposed.id,
            hire=HireCreate(start_date=dt.date.today()),
            request_id=None,
        )
    session.rollback()
    assert (err.value.field, err.value.value) == ("status", "hired")
    assert session.exec(select(Placement)).all() == []
