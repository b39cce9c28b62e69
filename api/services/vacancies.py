"""Vacancies: contractors post, edit and close their SR vacancies; every role lists and reads
the vacancies it may see (``api.services.access.vacancy_scope``).

Writes normalise through ``api.services.profiles.apply_vacancy_input`` and re-index the vacancy
in the matching runtime once the caller's unit of work has committed. Callers commit.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.services import lifecycle
from api.services.access import get_contract_for, get_vacancy_for, vacancy_scope
from api.services.errors import (
    ConflictError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    check_version,
)
from api.services.matching import MatchingService
from api.services.paging import paged
from api.services.profiles import apply_vacancy_input
from models.base import utcnow
from models.db import after_commit, lock_for_update
from models.organisations import Role, User
from models.vacancies import (
    VacanciesPublic,
    Vacancy,
    VacancyCreate,
    VacancyPublic,
    VacancyStatus,
    VacancyUpdate,
)

#: fields a change may leave out but never empty
REQUIRED_ON_UPDATE: tuple[str, ...] = ("title", "postcode", "hours_per_week", "positions")


def list_vacancies(
    *,
    session: Session,
    actor: User,
    status: VacancyStatus | None = None,
    contract_id: int | None = None,
    contractor_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> VacanciesPublic:
    """One page of the vacancies ``actor`` may see (oldest first), optionally filtered."""
    where: list[Any] = [vacancy_scope(actor)]
    if status is not None:  # as on read: a vacancy whose contract ended is closed
        where.append(
            lifecycle.open_clause() if status == VacancyStatus.open else lifecycle.closed_clause()
        )
    if contract_id is not None:
        where.append(col(Vacancy.contract_id) == contract_id)
    if contractor_id is not None:
        where.append(col(Vacancy.contractor_id) == contractor_id)
    rows, count = paged(session, Vacancy, where, limit=limit, offset=offset)
    return lifecycle.vacancies_public(session, rows, int(count))


def read_vacancy(*, session: Session, actor: User, vacancy_id: int) -> Vacancy:
    """One vacancy ``actor`` may see, else NotFoundError."""
    return get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)


def read_vacancy_public(*, session: Session, actor: User, vacancy_id: int) -> VacancyPublic:
    """One vacancy ``actor`` may see with its state as on today (open, or closed and why)."""
    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    return lifecycle.vacancy_public(session, vac)


def create_vacancy(
    *,
    session: Session,
    actor: User,
    body: VacancyCreate,
    matching: MatchingService | None = None,
) -> Vacancy:
    """Post a vacancy for the actor's contractor, optionally against one of its contracts."""
    contractor_id = _own_contractor(actor)
    if session.exec(select(Vacancy.id).where(Vacancy.ref == body.ref)).first() is not None:
        raise ConflictError(f"vacancy_ref {body.ref!r} already exists")
    municipality_id = None
    if body.contract_id is not None:
        try:
            contract = get_contract_for(session=session, user=actor, contract_id=body.contract_id)
        except NotFoundError as exc:
            raise FieldError("contract_id", body.contract_id, "not one of your contracts") from exc
        municipality_id = contract.municipality_id
    fields: dict[str, Any] = {
        **body.model_dump(),
        "contractor_id": contractor_id,
        "municipality_id": municipality_id,
        "pc4": "",
        "lat": 0.0,
        "lon": 0.0,
    }
    vac = Vacancy(**fields)
    apply_vacancy_input(vac, body.model_dump(exclude={"contract_id"}))
    session.add(vac)
    session.flush()
    _reindex(session, vac, matching)
    return vac


def update_vacancy(
    *,
    session: Session,
    actor: User,
    vacancy_id: int,
    changes: VacancyUpdate,
    matching: MatchingService | None = None,
    expected_version: int | None = None,
) -> Vacancy:
    """Change one of the actor's contractor's vacancies; normalised fields are recomputed from
    the locked, re-read row. ``expected_version`` (If-Match, a form's version) refuses the
    change with StaleVersionError unless the vacancy is still at it; without it the last
    writer wins."""
    vac = _own_vacancy(session, actor, vacancy_id)
    lock_for_update(session, vac)
    check_version("vacancy", vac, expected_version)
    data = changes.model_dump(exclude_unset=True)
    for required in REQUIRED_ON_UPDATE:
        if required in data and data[required] is None:
            raise FieldError(required, None, "may not be empty")
    with session.no_autoflush:  # one UPDATE (one version step) for the edit itself
        apply_vacancy_input(vac, data)
        vac.updated_at = utcnow()
    if "positions" in data:  # more positions reopen a filled vacancy, fewer may fill it
        lifecycle.reconcile_positions(session, vac)
    session.add(vac)
    session.flush()
    _reindex(session, vac, matching)
    return vac


def close_vacancy(
    *,
    session: Session,
    actor: User,
    vacancy_id: int,
    matching: MatchingService | None = None,
) -> Vacancy:
    """Close one of the actor's contractor's vacancies (no new proposals): ``withdrawn``."""
    vac = _own_vacancy(session, actor, vacancy_id)
    lifecycle.withdraw(vac)
    session.add(vac)
    session.flush()
    _reindex(session, vac, matching)
    return vac


def _own_contractor(actor: User) -> int:
    """The contractor the actor posts for; only contractor users post vacancies."""
    if actor.role != Role.contractor or actor.contractor_id is None:
        raise ForbiddenError(f"role {actor.role} may not post or change vacancies")
    return actor.contractor_id


def _own_vacancy(session: Session, actor: User, vacancy_id: int) -> Vacancy:
    """A vacancy of the actor's contractor: 404 if it cannot see it, 403 if it only sees it."""
    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    if vac.contractor_id != _own_contractor(actor):
        raise ForbiddenError(f"vacancy {vacancy_id} belongs to another contractor")
    return vac


def _reindex(session: Session, vacancy: Vacancy, matching: MatchingService | None) -> None:
    """Re-index the vacancy in this process's matching runtime after the commit."""
    vacancy_id = vacancy.id
    if matching is None or vacancy_id is None:
        return
    runtime = matching  # bound for the hook, which runs after this function has returned
    after_commit(session, lambda: runtime.notify_vacancy_changed(vacancy_id))
