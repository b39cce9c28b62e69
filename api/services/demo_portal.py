"""The demo world's contractor-portal states, made through the portal's own services.

After ``srmatch demo`` has imported the CSV files, this reports the planned SR efforts as the
contractors' users (``services.efforts.report_effort``) and decides them as the SR officers
(approved, rejected with a reason, or left pending), and runs a few anonymous searches whose
first profile a contractor asks the coach to propose (``services.portal``); the holding coach
accepts one (a normal proposal), declines one and leaves the rest pending. The plan is seeded
(``fixtures.demo.efforts``), so the same world gets the same states.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from api.config import Settings
from api.services import efforts, portal
from api.services.matching import MatchingService
from fixtures.demo.efforts import PROPOSAL_REQUESTS, plan_efforts
from models import Candidate, Contract, Role, User, Vacancy, VacancyStatus
from models.efforts import SrEffortCreate
from models.portal import CandidateSearchCreate, ProposalRequestCreate


def _report_efforts(session: Session, directory: Path) -> int:
    users = {u.username: u for u in session.exec(select(User)).all()}
    n = 0
    for p in plan_efforts(directory):
        contract = session.exec(select(Contract).where(Contract.ref == p.contract_ref)).one()
        assert contract.id is not None
        done = efforts.report_effort(
            session=session,
            actor=users[p.contractor_user],
            body=SrEffortCreate(
                contract_id=contract.id,
                kind=p.kind,
                description=p.description,
                day=p.day,
                amount_eur=p.amount_eur,
                hours=p.hours,
                pso_level=p.pso_level,
                evidence_ref=p.evidence_ref,
                evidence_name=p.evidence_name,
            ),
        )
        if p.decision != "pending":
            efforts.decide_effort(
                session=session,
                actor=users[p.sr_officer],
                effort_id=done.id,
                approve=p.decision == "approved",
                reason=p.reason,
            )
        n += 1
    return n


def _proposal_requests(session: Session, matching: MatchingService) -> int:
    today = date.today()
    contractor_users = session.exec(
        select(User).where(User.role == Role.contractor).order_by(col(User.username))
    ).all()
    made = 0
    for user in contractor_users:
        if made == len(PROPOSAL_REQUESTS):
            break
        vacancies = session.exec(
            select(Vacancy)
            .join(Contract, Vacancy.contract_id == Contract.id)  # type: ignore[arg-type]
            .where(
                Vacancy.contractor_id == user.contractor_id,
                Vacancy.status == VacancyStatus.open,
                or_(col(Contract.end_date).is_(None), col(Contract.end_date) >= today),
            )
            .order_by(col(Vacancy.ref))
        ).all()
        for vac in vacancies:
            assert vac.id is not None
            found = portal.search_candidates(
                session=session,
                actor=user,
                body=CandidateSearchCreate(vacancy_id=vac.id, top=5),
                matching=matching,
            )
            if not found.data:
                continue
            req = portal.request_proposal(
                session=session,
                actor=user,
                body=ProposalRequestCreate(
                    search_token=found.token,
                    handle=found.data[0].handle,
                    message="Graag kennismaken; past goed bij ons team.",
                ),
            )
            decision = PROPOSAL_REQUESTS[made]
            if decision != "pending":
                stored = session.get(portal.ProposalRequest, req.id)
                assert stored is not None
                cand = session.get(Candidate, stored.candidate_id)
                coach = session.get(User, cand.coach_id) if cand and cand.coach_id else None
                assert coach is not None
                if decision == "accepted":
                    portal.accept_request(
                        session=session, actor=coach, proposal_request_id=req.id, matching=None
                    )
                else:
                    portal.decline_request(
                        session=session,
                        actor=coach,
                        proposal_request_id=req.id,
                        reason="Kandidaat start binnenkort in een opleiding; later opnieuw.",
                    )
            made += 1
            break
    return made


def load_portal_demo(
    engine: Engine, *, directory: Path, settings: Settings | None = None
) -> dict[str, int]:
    """Report and decide the planned efforts, then make the proposal requests; one
    transaction each. Returns how many of each were made."""
    with Session(engine, expire_on_commit=False) as session:
        n_efforts = _report_efforts(session, directory)
        session.commit()
    matching = MatchingService(engine=engine, settings=settings or Settings()).start(
        background=False
    )
    with Session(engine, expire_on_commit=False) as session:
        n_requests = _proposal_requests(session, matching)
        session.commit()
    return {"efforts": n_efforts, "proposal_requests": n_requests}


__all__ = ["load_portal_demo"]
