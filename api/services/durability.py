"""Durability follow-ups: the 3/6/12-month checks of a placement, as use cases.

A coach (or SR officer) reaches the placements of their municipality's candidates, a contractor
user the placements on their own contractor's vacancies; anyone else reaches none. Listing the
due checks and recording one are audited. The due lists themselves are computed by
``api.services.reports`` (the SR measurement on stored data). Nothing here commits: the caller's
unit of work does.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.audit import record, record_many
from api.services import reports
from api.services.errors import FieldError, NotFoundError
from matcher.sr import CHECK_MONTHS, add_months
from models.base import utcnow
from models.candidates import Candidate
from models.organisations import Role, User
from models.placements import (
    DurabilityCheck,
    DurabilityCheckCreate,
    Placement,
    PlacementEnd,
    PlacementEndPublic,
)
from models.sr_reports import ContractorDueChecksPublic, DueChecksPublic, DurabilityCheckPublic
from models.vacancies import Vacancy


def placement_for(
    session: Session,
    *,
    placement_id: int,
    municipality_id: int | None = None,
    contractor_id: int | None = None,
) -> Placement:
    """A placement of the municipality's candidates or on the contractor's vacancies.

    Raises NotFoundError otherwise (also when neither scope is given), so a foreign placement
    and a missing one look the same.
    """
    p = session.get(Placement, placement_id)
    if p is None:
        raise NotFoundError("placement", placement_id)
    if municipality_id is not None:
        cand = session.get(Candidate, p.candidate_id)
        if cand is not None and cand.municipality_id == municipality_id:
            return p
    if contractor_id is not None:
        vac = session.get(Vacancy, p.vacancy_id)
        if vac is not None and vac.contractor_id == contractor_id:
            return p
    raise NotFoundError("placement", placement_id)


def save_check(
    session: Session,
    *,
    placement: Placement,
    body: DurabilityCheckCreate,
    recorded_by_id: int | None,
    today: dt.date,
) -> tuple[DurabilityCheck, bool]:
    """Record (or correct) the 3/6/12-month follow-up of a placement; True when it is new.

    ``checked_on`` must fall on or after the milestone (start + ``months`` calendar months: a
    person cannot be confirmed employed after six months before six months have passed) and
    not after ``today``. One check per placement and milestone: a second record replaces the
    first (the latest word counts, as in ``matcher.sr.durability``). Flushes; the caller commits.
    """
    if body.months not in CHECK_MONTHS:
        raise FieldError(
            "months",
            body.months,
            f"allowed: {', '.join(map(str, CHECK_MONTHS))} (months after the placement's start)",
        )
    due = add_months(placement.start_date, body.months)
    if body.checked_on < due:
        raise FieldError(
            "checked_on",
            body.checked_on.isoformat(),
            f"the {body.months}-month check of placement {placement.id} falls due on "
            f"{due.isoformat()} (start {placement.start_date.isoformat()}); "
            "it cannot be recorded for an earlier day",
        )
    if body.checked_on > today:
        raise FieldError(
            "checked_on",
            body.checked_on.isoformat(),
            f"must not be after today ({today.isoformat()})",
        )
    assert placement.id is not None

    def existing() -> DurabilityCheck | None:
        return session.exec(
            select(DurabilityCheck).where(
                DurabilityCheck.placement_id == placement.id,
                DurabilityCheck.months == body.months,
            )
        ).first()

    check = existing()
    created = check is None
    if check is None:
        try:
            with session.begin_nested():
                check = DurabilityCheck(
                    placement_id=placement.id,
                    months=body.months,
                    checked_on=body.checked_on,
                    still_employed=body.still_employed,
                    off_benefit=body.off_benefit,
                    recorded_by_id=recorded_by_id,
                )
                session.add(check)
        except IntegrityError:  # recorded at the same moment by someone else: update theirs
            check = existing()
            created = False
            assert check is not None
    if not created:
        check.checked_on = body.checked_on
        check.still_employed = body.still_employed
        check.off_benefit = body.off_benefit
        check.recorded_by_id = recorded_by_id
        session.add(check)
    session.flush()
    return check, created


def get_placement_for(*, session: Session, user: User, placement_id: int) -> Placement:
    """A placement ``user`` may reach, scoped by role, else NotFoundError.

    Coaches and SR officers reach the placements of their municipality's candidates, contractor
    users those on their contractor's vacancies; a foreign placement looks like a missing one.
    """
    if user.role in (Role.coach, Role.sr_officer) and user.municipality_id is not None:
        return placement_for(
            session, placement_id=placement_id, municipality_id=user.municipality_id
        )
    if user.role == Role.contractor and user.contractor_id is not None:
        return placement_for(session, placement_id=placement_id, contractor_id=user.contractor_id)
    raise NotFoundError("placement", placement_id)


def record_check(
    *,
    session: Session,
    actor: User,
    placement_id: int,
    body: DurabilityCheckCreate,
    request_id: str | None,
    today: dt.date | None = None,
) -> tuple[DurabilityCheckPublic, bool]:
    """Record (or correct) a placement's 3/6/12-month follow-up for ``actor``, audited.

    Returns the check and True when it is new (False when it replaced the milestone's earlier
    record, which an HTTP route answers with 200 instead of 201).
    """
    placement = get_placement_for(session=session, user=actor, placement_id=placement_id)
    check, created = save_check(
        session,
        placement=placement,
        body=body,
        recorded_by_id=actor.id,
        today=today or dt.date.today(),
    )
    record(
        session,
        user=actor,
        action="placement.check",
        candidate_id=placement.candidate_id,
        request_id=request_id,
        object_type="placement",
        object_id=placement.id,
        detail=f"{body.months} months: {'recorded' if created else 'updated'}",
    )
    return DurabilityCheckPublic.model_validate(check), created


def due_checks(
    *,
    session: Session,
    actor: User,
    request_id: str | None,
    limit: int,
    offset: int,
    today: dt.date | None = None,
) -> DueChecksPublic:
    """One page of the follow-ups due for the placements of the actor's municipality (coach or
    SR officer); one audit event per candidate on the page."""
    if actor.role not in (Role.coach, Role.sr_officer) or actor.municipality_id is None:
        return DueChecksPublic(data=[], count=0)
    due = reports.due_checks_for_municipality(
        session, municipality_id=actor.municipality_id, today=today or dt.date.today()
    )
    page = due[offset : offset + limit]
    record_many(
        session,
        user=actor,
        action="placement.checks_due",
        candidate_ids=[d.candidate_id for d in page],
        request_id=request_id,
    )
    return DueChecksPublic(data=page, count=len(due))


def contractor_due_checks(
    *,
    session: Session,
    actor: User,
    request_id: str | None,
    limit: int,
    offset: int,
    today: dt.date | None = None,
) -> ContractorDueChecksPublic:
    """One page of the follow-ups due for placements on the contractor user's vacancies,
    anonymised as referrals are; audited per candidate (about people even when anonymised)."""
    if actor.role != Role.contractor or actor.contractor_id is None:
        return ContractorDueChecksPublic(data=[], count=0)
    due = reports.due_checks_for_contractor(
        session, contractor_id=actor.contractor_id, today=today or dt.date.today()
    )
    page = due[offset : offset + limit]
    pids = sorted({d.placement_id for d in page})
    if pids:
        cand_ids = session.exec(
            select(Placement.candidate_id).where(col(Placement.id).in_(pids))
        ).all()
        record_many(
            session,
            user=actor,
            action="placement.contractor_checks_due",
            candidate_ids=cand_ids,
            request_id=request_id,
        )
    return ContractorDueChecksPublic(data=page, count=len(due))


def end_placement(
    *,
    session: Session,
    actor: User,
    placement_id: int,
    body: PlacementEnd,
    request_id: str | None,
) -> PlacementEndPublic:
    """Record when a placement ended (a coach of the candidate's municipality, or the
    contractor of its vacancy), audited with before and after; null clears it (it runs on).

    Durability and the carousel count end dates (``matcher.sr.durability.durable_at``): a
    placement that ended before a milestone is not durable there. FieldError for an end before
    the start; NotFoundError for a placement out of reach.
    """
    placement = get_placement_for(session=session, user=actor, placement_id=placement_id)
    end = body.end_date
    if end is not None and end < placement.start_date:
        raise FieldError(
            "end_date",
            end.isoformat(),
            f"must not be before the placement's start date {placement.start_date.isoformat()}",
        )
    before = placement.end_date
    if before != end:
        placement.end_date = end
        placement.updated_at = utcnow()
        session.add(placement)
        session.flush()
        record(
            session,
            user=actor,
            action="placement.end",
            candidate_id=placement.candidate_id,
            request_id=request_id,
            object_type="placement",
            object_id=placement.id,
            detail=f"end_date: {before.isoformat() if before else None} -> "
            f"{end.isoformat() if end else None}",
        )
    assert placement.id is not None
    return PlacementEndPublic(
        id=placement.id,
        vacancy_id=placement.vacancy_id,
        contract_id=placement.contract_id,
        start_date=placement.start_date,
        end_date=placement.end_date,
    )
