"""The demo world's contractor-portal states: efforts approved, rejected and pending, and
proposal requests accepted, declined and pending, made through the portal's services and the
same on every load (seeded)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlmodel import Session, select

from api.services import reports
from api.services.demo import DEMO_DIR, load_demo
from fixtures.demo.efforts import PROPOSAL_REQUESTS, plan_efforts
from models import Contract, Referral
from models.db import create_db_engine, upgrade
from models.efforts import SrEffort
from models.portal import ProposalRequest


def test_the_plan_is_seeded() -> None:
    first, again = plan_efforts(DEMO_DIR), plan_efforts(DEMO_DIR)
    assert first == again
    assert {p.decision for p in first} == {"approved", "rejected", "pending"}
    assert all(p.reason for p in first if p.decision == "rejected")


def test_the_demo_holds_every_state(tmp_path: Path) -> None:
    # the portal's step needs the organisations, contracts, candidates and vacancies; the event
    # log is another workflow's (and its own tests load it), so it is left out here
    world = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, world)
    for name in ("outcomes.csv", "placements.csv"):
        header = (DEMO_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        (world / name).write_text(header + "\n", encoding="utf-8")
    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(engine)
    result = load_demo(engine, directory=world)
    assert result["counts"]["efforts"] == len(plan_efforts(world)) == 10
    assert result["counts"]["proposal_requests"] == len(PROPOSAL_REQUESTS)
    with Session(engine) as session:
        stored = session.exec(select(SrEffort).order_by(SrEffort.id)).all()  # type: ignore[arg-type]
        plan = plan_efforts(world)
        assert [(e.kind, e.status) for e in stored] == [(p.kind, p.decision) for p in plan]
        for e in stored:
            contract = session.get(Contract, e.contract_id)
            assert contract is not None
            report = reports.build_contract_report(session, contract=contract)
            lines = [ln for ln in report.lines if ln.effort_id == e.id]
            assert bool(lines) == (e.status == "approved"), (e.kind, e.status)
            if e.amount_cents and lines:
                assert lines[0].amount_eur * 100 == e.amount_cents  # factor 1.0 in the tables
        requests = session.exec(select(ProposalRequest).order_by(ProposalRequest.id)).all()  # type: ignore[arg-type]
        assert [r.status for r in requests] == list(PROPOSAL_REQUESTS)
        accepted = session.get(Referral, requests[0].referral_id)
        assert accepted is not None and accepted.status == "proposed"
        assert requests[1].decline_reason
