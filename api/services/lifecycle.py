"""Vacancy life cycle on stored data: positions taken, open or closed and why.

The rules are ``matcher.sr.lifecycle.vacancy_state``; this module feeds them what is stored:

- *hires* of a vacancy are the distinct people placed on it or whose referral to it is
  ``hired`` (a placement and its hired referral are one hire);
- a vacancy is stored ``closed`` when its last position is taken (``filled``, by
  :func:`take_position`, which every hire path calls: the contractor's confirmation, the coach's
  move to ``hired``, and the outcomes/placements imports) or when its contractor closes it
  (``withdrawn``);
- a vacancy whose contract has ended is closed *on read* (``contract_ended``) from the contract's
  end date: no background job, and an SR officer correcting the end date reopens it at once.

API reads, pages and the CLI all take a vacancy's state from here (:func:`states`,
:func:`vacancy_public`, :func:`open_clause`), so they agree. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, literal, or_, union
from sqlmodel import Session, col, select

from api.services.errors import ConflictError
from matcher.sr.lifecycle import VacancyState, vacancy_state
from models.base import utcnow
from models.contracts import Contract
from models.db import in_chunks, lock_for_update
from models.placements import Placement
from models.referrals import Referral
from models.vacancies import VacanciesPublic, Vacancy, VacancyPublic, VacancyStatus


def hired_people(session: Session, vacancy_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per vacancy: the candidates placed on it or whose referral to it is ``hired``."""
    ids = sorted(set(vacancy_ids))
    out: dict[int, set[int]] = {v: set() for v in ids}
    for chunk in in_chunks(ids):
        for vid, cid in session.exec(
            select(Placement.vacancy_id, Placement.candidate_id).where(
                col(Placement.vacancy_id).in_(chunk)
            )
        ):
            out[vid].add(cid)
        for vid, cid in session.exec(
            select(Referral.vacancy_id, Referral.candidate_id).where(
                col(Referral.vacancy_id).in_(chunk), Referral.status == "hired"
            )
        ):
            out[vid].add(cid)
    return out


def _contract_ends(session: Session, vacancies: Sequence[Vacancy]) -> dict[int, dt.date | None]:
    ids = sorted({v.contract_id for v in vacancies if v.contract_id is not None})
    out: dict[int, dt.date | None] = {}
    for chunk in in_chunks(ids):
        for cid, end in session.exec(
            select(col(Contract.id), col(Contract.end_date)).where(col(Contract.id).in_(chunk))
        ):
            if cid is not None:
                out[cid] = end
    return out


def states(
    session: Session, vacancies: Sequence[Vacancy], *, today: dt.date | None = None
) -> dict[int, VacancyState]:
    """The state of each vacancy on ``today`` (default today), in three queries for any number."""
    today = today or dt.date.today()
    hired = hired_people(session, (v.id for v in vacancies if v.id is not None))
    ends = _contract_ends(session, vacancies)
    out: dict[int, VacancyState] = {}
    for v in vacancies:
        assert v.id is not None
        out[v.id] = vacancy_state(
            positions=v.positions,
            hires=len(hired.get(v.id, ())),
            contract_end=ends.get(v.contract_id) if v.contract_id is not None else None,
            today=today,
            stored_status=str(v.status),
            stored_reason=v.closed_reason,
            stored_closed_on=v.closed_on,
        )
    return out


def state_of(session: Session, vacancy: Vacancy, *, today: dt.date | None = None) -> VacancyState:
    """The state of one vacancy on ``today``: what :func:`states` says, in one query (every
    shortlist, proposal and hire asks this first)."""
    assert vacancy.id is not None
    # the people hired (a placement and its hired referral are one hire: UNION drops doubles)
    hired = union(
        select(col(Placement.candidate_id)).where(Placement.vacancy_id == vacancy.id),
        select(col(Referral.candidate_id)).where(
            Referral.vacancy_id == vacancy.id, Referral.status == "hired"
        ),
    ).subquery()
    hires = select(func.count()).select_from(hired).scalar_subquery()
    if vacancy.contract_id is None:
        n, end = session.exec(select(hires, literal(None))).one()
    else:
        ends = select(col(Contract.end_date)).where(Contract.id == vacancy.contract_id)
        n, end = session.exec(select(hires, ends.scalar_subquery())).one()
    return vacancy_state(
        positions=vacancy.positions,
        hires=int(n),
        contract_end=end,
        today=today or dt.date.today(),
        stored_status=str(vacancy.status),
        stored_reason=vacancy.closed_reason,
        stored_closed_on=vacancy.closed_on,
    )


def _public(v: Vacancy, s: VacancyState) -> VacancyPublic:
    return VacancyPublic.model_validate(
        v,
        update={
            "status": VacancyStatus(s.status),
            "closed_reason": s.closed_reason,
            "closed_on": s.closed_on,
        },
    )


def vacancy_public(
    session: Session, vacancy: Vacancy, *, today: dt.date | None = None
) -> VacancyPublic:
    """A vacancy as API and pages show it: status and closed_reason as on ``today``."""
    return _public(vacancy, state_of(session, vacancy, today=today))


def vacancies_public(
    session: Session, rows: Sequence[Vacancy], count: int, *, today: dt.date | None = None
) -> VacanciesPublic:
    """A page of vacancies as API and pages show them (see :func:`vacancy_public`)."""
    st = states(session, rows, today=today)
    return VacanciesPublic(data=[_public(v, st[v.id or 0]) for v in rows], count=count)


def open_clause(today: dt.date | None = None) -> Any:
    """The WHERE clause of the vacancies open on ``today``: stored open, not full, and their
    contract (if any) not ended. The SQL twin of :func:`states` for list filters."""
    today = today or dt.date.today()
    ended = select(Contract.id).where(col(Contract.end_date) < today)
    placed = (
        select(func.count(func.distinct(Placement.candidate_id)))
        .where(Placement.vacancy_id == Vacancy.id)
        .scalar_subquery()
    )
    return and_(
        col(Vacancy.status) == VacancyStatus.open,
        or_(col(Vacancy.contract_id).is_(None), col(Vacancy.contract_id).not_in(ended)),
        placed < col(Vacancy.positions),
    )


def closed_clause(today: dt.date | None = None) -> Any:
    """The WHERE clause of the vacancies closed on ``today`` (the complement of open_clause)."""
    from sqlalchemy import not_

    return not_(open_clause(today))


def require_open(
    session: Session,
    vacancy: Vacancy,
    *,
    doing: str,
    today: dt.date | None = None,
) -> VacancyState:
    """The vacancy's state when it is open; ConflictError naming its status and reason when not.

    ``doing`` says what was refused ("a shortlist", "a proposal", "a hire").
    """
    s = state_of(session, vacancy, today=today)
    if not s.is_open:
        raise ConflictError(
            f"vacancy {vacancy.id} ({vacancy.ref}) is {s.describe()}: "
            f"it takes no {doing}; status={s.status}, closed_reason={s.closed_reason}"
        )
    return s


class PositionLedger:
    """Positions taken per vacancy while hires are added one by one (a hire, or the rows of an
    import file): the one rule that refuses a hire on a full or closed vacancy.

    A hire is in time when it starts on or before its contract's end date and before the
    vacancy was withdrawn; the same person hired again on the same vacancy takes no new position.
    """

    def __init__(self, session: Session, vacancies: Sequence[Vacancy]) -> None:
        self.vacancies = {v.id: v for v in vacancies if v.id is not None}
        self.hired = hired_people(session, self.vacancies)
        self.ends = _contract_ends(session, list(self.vacancies.values()))
        #: vacancies whose last position a hire of this ledger took
        self.filled: set[int] = set()

    def refusal(self, vacancy: Vacancy, candidate_id: int, on: dt.date) -> str | None:
        """Why a hire of ``candidate_id`` starting ``on`` is refused (None: it is taken)."""
        assert vacancy.id is not None
        hired = self.hired.setdefault(vacancy.id, set())
        if candidate_id in hired:
            return None
        end = self.ends.get(vacancy.contract_id) if vacancy.contract_id is not None else None
        state = vacancy_state(
            positions=vacancy.positions, hires=len(hired), contract_end=end, today=on
        )
        withdrawn = (
            vacancy.status == VacancyStatus.closed
            and vacancy.closed_reason != "filled"
            and (vacancy.closed_on is None or on >= vacancy.closed_on)
        )
        if withdrawn:
            state = vacancy_state(
                positions=vacancy.positions,
                hires=len(hired),
                contract_end=None,
                today=on,
                stored_status="closed",
                stored_reason=vacancy.closed_reason,
                stored_closed_on=vacancy.closed_on,
            )
        if not state.is_open:
            return (
                f"vacancy {vacancy.id} ({vacancy.ref}) is {state.describe()} for a hire "
                f"starting {on.isoformat()}: status={state.status}, "
                f"closed_reason={state.closed_reason}"
            )
        hired.add(candidate_id)
        if len(hired) >= vacancy.positions:
            self.filled.add(vacancy.id)
        return None


def take_position(session: Session, *, vacancy: Vacancy, candidate_id: int, on: dt.date) -> None:
    """A hire of ``candidate_id`` on ``vacancy`` starting ``on`` (see :class:`PositionLedger`):
    ConflictError naming status and reason when the vacancy is full or closed; the vacancy is
    stored ``closed`` / ``filled`` when this hire takes its last position.

    The vacancy's row is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL), so two hires
    at once on its last position queue: the second sees the first and is refused.
    """
    lock_for_update(session, vacancy)
    ledger = PositionLedger(session, [vacancy])
    why = ledger.refusal(vacancy, candidate_id, on)
    if why is not None:
        raise ConflictError(why + "; it takes no more hires")
    if vacancy.id in ledger.filled:
        mark_filled(session, vacancy, on=on)


def mark_filled(session: Session, vacancy: Vacancy, *, on: dt.date) -> None:
    """Store a vacancy as closed because its positions are taken (from ``on``)."""
    if vacancy.status == VacancyStatus.closed:
        return
    vacancy.status = VacancyStatus.closed
    vacancy.closed_reason = "filled"
    vacancy.closed_on = on
    vacancy.updated_at = utcnow()
    session.add(vacancy)


def close_filled(session: Session, vacancy_ids: Iterable[int]) -> int:
    """Store every vacancy among ``vacancy_ids`` whose hires reached its positions as filled
    (after a bulk import); returns how many were closed now."""
    ids = sorted(set(vacancy_ids))
    if not ids:
        return 0
    hired = hired_people(session, ids)
    closed = 0
    for chunk in in_chunks(ids):
        for v in session.exec(
            select(Vacancy).where(
                col(Vacancy.id).in_(chunk), col(Vacancy.status) == VacancyStatus.open
            )
        ):
            if len(hired.get(v.id or 0, ())) >= v.positions:
                last = session.exec(
                    select(func.max(Placement.start_date)).where(Placement.vacancy_id == v.id)
                ).one()
                mark_filled(session, v, on=last or dt.date.today())
                closed += 1
    return closed


def reconcile_positions(session: Session, vacancy: Vacancy) -> None:
    """After a change of ``positions``: a filled vacancy with a position free again reopens, an
    open one whose hires now reach its positions is filled."""
    hires = len(hired_people(session, [vacancy.id or 0]).get(vacancy.id or 0, ()))
    if vacancy.status == VacancyStatus.closed and vacancy.closed_reason == "filled":
        if hires < vacancy.positions:
            vacancy.status = VacancyStatus.open
            vacancy.closed_reason = None
            vacancy.closed_on = None
    elif vacancy.status == VacancyStatus.open and hires >= vacancy.positions:
        mark_filled(session, vacancy, on=dt.date.today())


def withdraw(vacancy: Vacancy, *, on: dt.date | None = None) -> None:
    """Store a vacancy as closed by its contractor (``withdrawn``) on ``on`` (default today)."""
    vacancy.status = VacancyStatus.closed
    vacancy.closed_reason = "withdrawn"
    vacancy.closed_on = on or dt.date.today()
    vacancy.updated_at = utcnow()


__all__ = [
    "close_filled",
    "closed_clause",
    "hired_people",
    "mark_filled",
    "PositionLedger",
    "open_clause",
    "reconcile_positions",
    "require_open",
    "state_of",
    "states",
    "take_position",
    "vacancy_public",
    "vacancies_public",
    "withdraw",
]
