"""The demo world's durability follow-ups, recorded through the durability service.

After ``srmatch demo`` has imported the CSV files, the checks planned by
``fixtures.demo.checks`` are recorded as the candidates' coaches would
(``services.durability.save_check``, on the world's "today"); the milestones left out stay due,
so the coach's follow-ups page and the SR officer's durability figures show real states. Closed
vacancies (filled by the imports, or closed because their contract ended) and ended contracts
(met and not met) need nothing here: they follow from the files and the dates.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.services.durability import save_check
from fixtures.demo.checks import plan_checks
from fixtures.demo.world import REFERENCE_DATE
from models import Candidate, Placement, User, Vacancy
from models.placements import DurabilityCheckCreate


def load_lifecycle_demo(engine: Engine, *, directory: Path) -> dict[str, int]:
    """Record the demo's planned durability checks; returns how many (one transaction)."""
    plans = plan_checks(directory)
    with Session(engine, expire_on_commit=False) as session:
        cands = dict(session.exec(select(Candidate.ref, Candidate.id)).all())
        vacs = dict(session.exec(select(Vacancy.ref, Vacancy.id)).all())
        users = dict(session.exec(select(User.username, User.id)).all())
        placements: dict[tuple[int | None, int | None, date], Placement] = {
            (p.candidate_id, p.vacancy_id, p.start_date): p
            for p in session.exec(select(Placement).order_by(col(Placement.id))).all()
        }
        n = 0
        for plan in plans:
            placement = placements.get(
                (cands.get(plan.candidate_ref), vacs.get(plan.vacancy_ref), plan.start_date)
            )
            if placement is None:  # a placement the files did not hold (a partial world)
                continue
            save_check(
                session,
                placement=placement,
                body=DurabilityCheckCreate(
                    months=plan.months,
                    checked_on=plan.checked_on,
                    still_employed=plan.still_employed,
                    off_benefit=plan.off_benefit,
                ),
                recorded_by_id=users.get(plan.coach) if plan.coach else None,
                today=REFERENCE_DATE,
            )
            n += 1
        session.commit()
    return {"durability_checks": n}
