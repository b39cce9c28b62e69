"""Export stored data in the data-contract formats (CSV or XLSX), scoped to what the actor sees.

Exports give back the raw text as it was imported (skills as typed, postcodes as written), so
an import followed by an export is a round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.services import audit_attributes
from api.services.audit_attributes import AUDIT_ONLY_FIELDS
from matcher.vocab import SR_BENEFITS
from models import (
    Candidate,
    Contract,
    Contractor,
    Municipality,
    Placement,
    Referral,
    ReferralConsent,
    ReferralEvent,
    Role,
    User,
    Vacancy,
)

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_records(session: Session, *, kind: str, actor: User | None) -> list[dict[str, Any]]:
    """The rows of ``kind`` as data-contract records (column name -> typed value)."""
    return list(_EXPORTERS[kind](session, actor))


def omitted_columns(kind: str, actor: User | None) -> tuple[str, ...]:
    """Columns of ``kind`` that ``actor``'s export file leaves out altogether.

    Birth year and gender are kept apart from the profile for the fairness audit only
    (issue 14): no user's export carries them, not even an empty column. Only the command
    line's export (``actor`` None: the operator's full backup, an import round trip) does."""
    if kind == "candidates" and actor is not None:
        return AUDIT_ONLY_FIELDS
    return ()


def _municipality_names(session: Session) -> dict[int | None, str | None]:
    names: dict[int | None, str | None] = {None: None}
    names.update({m.id: m.name for m in session.exec(select(Municipality))})
    return names


def _scope_candidates(stmt: Any, actor: User | None) -> Any:
    if actor is None or actor.role == Role.admin:
        return stmt
    if actor.role in (Role.coach, Role.sr_officer):
        return stmt.where(Candidate.municipality_id == actor.municipality_id)
    return stmt.where(False)  # contractors never export candidate data


def _candidates(session: Session, actor: User | None) -> Iterator[dict[str, Any]]:
    munis = _municipality_names(session)
    coaches = {u.id: u.username for u in session.exec(select(User))}
    stmt = _scope_candidates(select(Candidate).order_by(Candidate.ref), actor)
    # audit-only attributes, read apart and only for the command line (see omitted_columns)
    audit_only = audit_attributes.read_many(session, None) if actor is None else {}
    for c in session.exec(stmt):
        row: dict[str, Any] = {
            "candidate_ref": c.ref,
            "postcode": c.postcode,
            "benefit": c.benefit,
            "target_groups": c.target_groups,
            "ladder_step": c.ladder_step,
            "education": c.education,
            "skills": c.skills,
            "occupations": c.occupations,
            "dutch_level": c.dutch_level,
            "driving_licences": c.driving_licences,
            "hours_per_week": c.hours_per_week,
            "max_travel_km": c.max_travel_km,
            "available_from": c.available_from,
            "unemployed_since": c.unemployed_since,
            "coach": coaches.get(c.coach_id) if c.coach_id else None,
            "consent_share": c.consent_share,
            "municipality": munis.get(c.municipality_id),
        }
        if actor is None:
            row["birth_year"], row["gender"] = audit_only.get(
                int(c.id or 0), audit_attributes.NOT_RECORDED
            )
        yield row


def _scope_by_municipality(stmt: Any, column: Any, actor: User | None) -> Any:
    if actor is None or actor.role == Role.admin:
        return stmt
    if actor.role in (Role.coach, Role.sr_officer):
        return stmt.where(column == actor.municipality_id)
    return stmt


def _contracts(session: Session, actor: User | None) -> Iterator[dict[str, Any]]:
    munis = _municipality_names(session)
    stmt = select(Contract, Contractor).join(Contractor).order_by(Contract.ref)
    stmt = _scope_by_municipality(stmt, Contract.municipality_id, actor)
    if actor is not None and actor.role == Role.contractor:
        stmt = stmt.where(Contract.contractor_id == actor.contractor_id)
    for c, contractor in session.exec(stmt):
        yield {
            "contract_ref": c.ref,
            "contractor": contractor.name,
            "municipality": munis.get(c.municipality_id),
            "title": c.title,
            "category": c.category,
            "value_eur": c.value_cents / 100,
            "sr_percentage": c.sr_percentage,
            "start_date": c.start_date,
            "end_date": c.end_date,
            "sr_table": c.sr_table,
        }


def _vacancies(session: Session, actor: User | None) -> Iterator[dict[str, Any]]:
    contracts = {c.id: c.ref for c in session.exec(select(Contract))}
    stmt = select(Vacancy, Contractor).join(Contractor).order_by(Vacancy.ref)
    stmt = _scope_by_municipality(stmt, Vacancy.municipality_id, actor)
    if actor is not None and actor.role == Role.contractor:
        stmt = stmt.where(Vacancy.contractor_id == actor.contractor_id)
    for v, contractor in session.exec(stmt):
        yield {
            "vacancy_ref": v.ref,
            "contractor": contractor.name,
            "contract_ref": contracts.get(v.contract_id) if v.contract_id else None,
            "title": v.title,
            "description": v.description,
            "required_skills": v.required_skills,
            "optional_skills": v.optional_skills,
            "education_min": v.education_min,
            "postcode": v.postcode,
            "hours_per_week": v.hours_per_week,
            "positions": v.positions,
            "start_date": v.start_date,
            "eligible_benefits": v.eligible_benefits or list(SR_BENEFITS),
            "eligible_target_groups": v.eligible_target_groups,
            "dutch_level_min": v.dutch_level_min,
            "driving_licence": v.driving_licence,
            "status": v.status,
        }


def _pair_scope(stmt: Any, actor: User | None) -> Any:
    if actor is None or actor.role == Role.admin:
        return stmt
    if actor.role in (Role.coach, Role.sr_officer):
        return stmt.where(Candidate.municipality_id == actor.municipality_id)
    return stmt.where(False)


def _outcomes(session: Session, actor: User | None) -> Iterator[dict[str, Any]]:
    v = aliased(Vacancy)
    stmt = (
        select(ReferralEvent, Candidate.ref, v.ref)
        .join(Referral, ReferralEvent.referral_id == Referral.id)  # type: ignore[arg-type]
        .join(Candidate, Referral.candidate_id == Candidate.id)  # type: ignore[arg-type]
        .join(v, col(Referral.vacancy_id) == v.id)
        .order_by(col(Candidate.ref), v.ref, col(ReferralEvent.date), col(ReferralEvent.id))
    )
    # the consent in force per referral goes on its introduced row (how the candidate consented)
    consents = dict(
        session.exec(
            select(ReferralConsent.referral_id, ReferralConsent.method).where(
                col(ReferralConsent.withdrawn_at).is_(None)
            )
        ).all()
    )
    # consent records and withdrawals are not file rows: the consent column carries them
    stmt = stmt.where(col(ReferralEvent.action).in_(("status", "introduction_requested")))
    for ev, cref, vref in session.exec(_pair_scope(stmt, actor)):
        introduced = ev.status == "introduced" and ev.action == "status"
        yield {
            "candidate_ref": cref,
            "vacancy_ref": vref,
            "status": ev.status,
            "date": ev.date,
            "reason": ev.reason,
            "action": ev.action,
            "consent": consents.get(ev.referral_id) if introduced else None,
            "reason_code": ev.reason_code,
        }


def _placements(session: Session, actor: User | None) -> Iterator[dict[str, Any]]:
    v = aliased(Vacancy)
    stmt = (
        select(Placement, Candidate.ref, v.ref)
        .join(Candidate, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
        .join(v, col(Placement.vacancy_id) == v.id)
        .order_by(col(Candidate.ref), v.ref, col(Placement.start_date))
    )
    for p, cref, vref in session.exec(_pair_scope(stmt, actor)):
        yield {
            "candidate_ref": cref,
            "vacancy_ref": vref,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "hours_per_week": p.hours_per_week,
            "kind": p.kind,
            "permanent": p.permanent,
        }


_EXPORTERS = {
    "candidates": _candidates,
    "contracts": _contracts,
    "vacancies": _vacancies,
    "outcomes": _outcomes,
    "placements": _placements,
}
