"""Per-object authorisation: which candidates, vacancies, contracts and referrals a user may
see, as WHERE clauses (``*_scope``) and as look-ups (``get_*_for``) that return the object when the
user may see it and raise ``NotFoundError`` otherwise, so a foreign object and a missing one look
the same (404) from outside.

Plain SQLModel and the service errors: services, routes (through ``api.deps``, which re-exports
these) and the command line share them, and none of them pulls in FastAPI or the matching
runtime to check who may see what.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.services.errors import NotFoundError
from models.candidates import Candidate
from models.contracts import Contract
from models.organisations import Role, User
from models.referrals import Referral
from models.vacancies import Vacancy

M = TypeVar("M")


def get_in_scope(session: Session, model: type[M], object_id: int, scope: Any, what: str) -> M:
    """The ``model`` row with this id if ``scope`` (a ``*_scope`` WHERE clause) lets the user
    see it, else NotFoundError naming ``what``: a foreign row answers like a missing one."""
    found = session.exec(
        select(model).where(model.id == object_id, scope)  # type: ignore[attr-defined]
    ).first()
    if found is None:
        raise NotFoundError(what, object_id)
    return found


def get_candidate_for(*, session: Session, user: User, candidate_id: int) -> Candidate:
    """A candidate of the user's municipality (coach or SR officer), else NotFoundError."""
    cand = session.get(Candidate, candidate_id)
    if (
        cand is None
        or user.role not in (Role.coach, Role.sr_officer)
        or cand.municipality_id != user.municipality_id
    ):
        raise NotFoundError("candidate", candidate_id)
    return cand


def held_by(user: User, candidate: Candidate) -> bool:
    """A coach edits only the candidates they hold."""
    return user.role == Role.coach and candidate.coach_id == user.id


def vacancy_scope(user: User) -> Any:
    """The WHERE clause of the vacancies ``user`` may see."""
    if user.role == Role.contractor:
        return col(Vacancy.contractor_id) == user.contractor_id
    if user.role in (Role.coach, Role.sr_officer):
        contract_ids = select(Contract.id).where(Contract.municipality_id == user.municipality_id)
        return or_(
            col(Vacancy.municipality_id) == user.municipality_id,
            col(Vacancy.contract_id).in_(contract_ids),
        )
    return col(Vacancy.id).is_(None)  # nobody else sees vacancies through these functions


def get_vacancy_for(*, session: Session, user: User, vacancy_id: int) -> Vacancy:
    """A vacancy the user may see (own contractor's, or in the user's municipality)."""
    return get_in_scope(session, Vacancy, vacancy_id, vacancy_scope(user), "vacancy")


def contract_scope(user: User) -> Any:
    """The WHERE clause of the contracts ``user`` may see."""
    if user.role == Role.contractor:
        return col(Contract.contractor_id) == user.contractor_id
    if user.role == Role.sr_officer:
        return col(Contract.municipality_id) == user.municipality_id
    return col(Contract.id).is_(None)


def get_contract_for(*, session: Session, user: User, contract_id: int) -> Contract:
    """A contract of the user's contractor or municipality, else NotFoundError."""
    return get_in_scope(session, Contract, contract_id, contract_scope(user), "contract")


def referral_scope(user: User) -> Any:
    """The WHERE clause of the referrals ``user`` may see."""
    if user.role == Role.contractor:
        return col(Referral.vacancy_id).in_(
            select(Vacancy.id).where(Vacancy.contractor_id == user.contractor_id)
        )
    if user.role in (Role.coach, Role.sr_officer):
        return col(Referral.candidate_id).in_(
            select(Candidate.id).where(Candidate.municipality_id == user.municipality_id)
        )
    return col(Referral.id).is_(None)


def get_referral_for(*, session: Session, user: User, referral_id: int) -> Referral:
    """A referral of the user's candidates (coach, SR) or to the contractor's vacancies."""
    return get_in_scope(session, Referral, referral_id, referral_scope(user), "referral")


__all__ = [
    "contract_scope",
    "get_in_scope",
    "get_candidate_for",
    "get_contract_for",
    "get_referral_for",
    "get_vacancy_for",
    "held_by",
    "referral_scope",
    "vacancy_scope",
]
