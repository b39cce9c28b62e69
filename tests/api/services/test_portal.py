"""The contractor portal at service level (SQLite and PostgreSQL): the contractor's report is
the SR officer's computation without anyone's data; the anonymous search finds consenting
candidates only, by the shortlist's rules, with handles that do not track people across
searches; a proposal request is decided by the candidate's coach through the normal proposal."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.services import portal, reports
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.matching import MatchingService
from models.audit import AuditEvent
from models.organisations import Role
from models.placements import Placement
from models.portal import CandidateSearchCreate, ProposalRequestCreate
from models.referrals import Referral
from tests.api.conftest import (
    make_candidate,
    make_contract,
    make_contractor,
    make_municipality,
    make_user,
    make_vacancy,
)

TODAY = dt.date.today()


def _world(session: Session, tag: str = "A") -> SimpleNamespace:
    muni = make_municipality(session)
    firm = make_contractor(session)
    contract = make_contract(
        session,
        contractor_id=firm.id,
        municipality_id=muni.id,
        sr_table="utrecht",
        value_cents=100_000_000,
        start_date=TODAY - dt.timedelta(days=300),
        end_date=TODAY + dt.timedelta(days=300),
    )
    coach = make_user(session, role=Role.coach, municipality=muni)
    cu = make_user(session, role=Role.contractor, contractor=firm)
    officer = make_user(session, role=Role.sr_officer, municipality=muni)
    vac = make_vacancy(
        session,
        contractor_id=firm.id,
        contract_id=contract.id,
        municipality_id=muni.id,
        required_skills=["heftruck"],
        postcode="3511AB",
        pc4="3511",
        lat=52.0907,
        lon=5.1214,
    )
    base: dict[str, Any] = {"municipality_id": muni.id, "coach_id": coach.id}
    yes = make_candidate(session, ref=f"REF-YES-{tag}", **base)
    no = make_candidate(session, ref=f"REF-NO-{tag}", consent_share=False, **base)
    coachless = make_candidate(session, ref=f"REF-NOCOACH-{tag}", municipality_id=muni.id)
    elsewhere = make_candidate(session, ref=f"REF-ELSE-{tag}", coach_id=None)
    weak = make_candidate(
        session,
        ref=f"REF-WEAK-{tag}",
        skills=["schoonmaak"],
        occupations=[],
        hours_per_week=16,
        **base,
    )
    return SimpleNamespace(
        muni=muni,
        firm=firm,
        contract=contract,
        coach=coach,
        cu=cu,
        officer=officer,
        vac=vac,
        yes=yes,
        no=no,
        coachless=coachless,
        elsewhere=elsewhere,
        weak=weak,
    )


def _matching(engine: Engine) -> MatchingService:
    return MatchingService(engine=engine, settings=SimpleNamespace()).start(background=False)


def test_contractor_report_is_the_officers_report_without_people(session: Session) -> None:
    w = _world(session)
    session.add(
        Placement(
            candidate_id=w.yes.id,
            vacancy_id=w.vac.id,
            contract_id=w.contract.id,
            start_date=TODAY - dt.timedelta(days=100),
            hours_per_week=24,
            permanent=True,  # a bonus line too: merged into one line for the contractor
        )
    )
    nobody = make_candidate(
        session, municipality_id=w.muni.id, coach_id=w.coach.id, ref="REF-NONE", benefit="none"
    )
    session.add(
        Placement(
            candidate_id=nobody.id,
            vacancy_id=w.vac.id,
            contract_id=w.contract.id,
            start_date=TODAY - dt.timedelta(days=50),
            hours_per_week=20,
        )
    )
    session.commit()
    officer = reports.read_contract_report(
        session=session, actor=w.officer, contract_id=w.contract.id, as_of=TODAY
    )
    mine = portal.read_contractor_report(
        session=session, actor=w.cu, contract_id=w.contract.id, as_of=TODAY
    )
    for f in ("obligation_eur", "realised_eur", "forecast_eur", "status", "shortfall_eur"):
        assert getattr(mine, f) == getattr(officer, f), f
    assert {t.bonus for t in officer.trace} == {None, "vast_contract"}
    [skipped] = [t for t in officer.trace if t.explanation.startswith("not credited")]
    assert "benefit 'none'" in skipped.explanation  # the officer sees why
    placement_lines = [t for t in mine.trace if t.source == "placement" and t.amount_eur > 0]
    # block + bonus of each period are one line; the amounts still add up to the same total
    assert len(placement_lines) == (len(officer.trace) - 1) // 2
    [neutral] = [t for t in mine.trace if "not credited" in t.explanation]
    assert neutral.amount_eur == 0 and "benefit" not in neutral.explanation
    assert round(sum(t.amount_eur for t in mine.trace if t.realised), 2) == mine.realised_eur
    text = json.dumps(mine.model_dump(mode="json"))
    for leak in ("REF-", "participatiewet", "vast_contract", "candidate", "40,000", "benefit"):
        assert leak not in text, leak
    # a foreign contract, and a non-contractor, get nothing
    other = _world(session, "B")
    with pytest.raises(NotFoundError):
        portal.read_contractor_report(session=session, actor=other.cu, contract_id=w.contract.id)
    with pytest.raises(ForbiddenError):
        portal.list_contractor_reports(session=session, actor=w.officer)
    assert [
        r.contract_id for r in portal.list_contractor_reports(session=session, actor=w.cu).data
    ] == [w.contract.id]


def test_search_finds_consenting_candidates_in_reach_only(engine: Engine, session: Session) -> None:
    w = _world(session)
    matching = _matching(engine)
    body = CandidateSearchCreate(vacancy_id=w.vac.id)
    found = portal.search_candidates(
        session=session, actor=w.cu, body=body, matching=matching, request_id="rq-s"
    )
    session.commit()
    # REF-NO has not consented, REF-NOCOACH has nobody to ask, REF-ELSE lives in another
    # municipality; REF-WEAK consents and lacks the required skill: eligible, ranked lower
    search = session.exec(
        select(portal.CandidateSearch).where(portal.CandidateSearch.token == found.token)
    ).one()
    assert sorted(search.handles.values()) == sorted([w.yes.id, w.weak.id])
    assert (found.considered, found.eligible, found.count) == (2, 2, 2)
    text = json.dumps(found.model_dump(mode="json"))
    for leak in ("REF-", "3511AB", "participatiewet", '"candidate_id"', str(w.muni.name)):
        assert leak not in text, leak
    top = found.data[0]
    assert search.handles[top.handle] == w.yes.id and top.rank == 1 and top.reasons
    assert top.distance_km == 0 and top.hours_per_week == 32
    # every profile shown is audited for its candidate
    audited = session.exec(
        select(AuditEvent.candidate_id).where(AuditEvent.action == "candidate.explore")
    ).all()
    assert sorted(audited) == sorted(search.handles.values())
    # a second search gives other handles: nothing tracks a person across searches
    again = portal.search_candidates(session=session, actor=w.cu, body=body, matching=matching)
    assert not {p.handle for p in again.data} & {p.handle for p in found.data}
    assert again.token != found.token


def test_search_filters_and_their_errors(engine: Engine, session: Session) -> None:
    w = _world(session)
    matching = _matching(engine)

    def handles(**kw: Any) -> set[int]:
        res = portal.search_candidates(
            session=session,
            actor=w.cu,
            body=CandidateSearchCreate(vacancy_id=w.vac.id, **kw),
            matching=matching,
        )
        s = session.exec(
            select(portal.CandidateSearch).where(portal.CandidateSearch.token == res.token)
        ).one()
        return set(s.handles.values())

    assert handles(hours_min=30) == {w.yes.id}
    assert handles(skills=["heftruck"]) == {w.yes.id}
    assert handles(skills=["schoonmaak"]) == {w.weak.id}
    assert handles(education_min="hbo") == set()
    assert handles(driving_licences=["B"]) == set()
    assert handles(max_km=1) >= {w.yes.id}
    with pytest.raises(FieldError) as err:
        handles(skills=["qwxzqwxz onbekend"])
    assert err.value.field == "skills"
    with pytest.raises(FieldError) as err:
        handles(education_min="phd")
    assert err.value.field == "education_min" and "mbo2" in str(err.value)
    with pytest.raises(FieldError) as err:
        handles(driving_licences=["Z"])
    assert err.value.field == "driving_licences[0]"
    other = _world(session, "B")
    with pytest.raises(NotFoundError):
        portal.search_candidates(
            session=session,
            actor=other.cu,
            body=CandidateSearchCreate(vacancy_id=w.vac.id),
            matching=matching,
        )


def test_request_is_decided_by_the_candidates_coach(engine: Engine, session: Session) -> None:
    w = _world(session)
    matching = _matching(engine)
    found = portal.search_candidates(
        session=session,
        actor=w.cu,
        body=CandidateSearchCreate(vacancy_id=w.vac.id, skills=["heftruck"]),
        matching=matching,
    )
    [profile] = found.data
    with pytest.raises(NotFoundError):
        portal.request_proposal(
            session=session,
            actor=w.cu,
            body=ProposalRequestCreate(search_token=found.token, handle="not-a-handle"),
        )
    other = _world(session, "B")
    with pytest.raises(NotFoundError):  # another contractor cannot use this search
        portal.request_proposal(
            session=session,
            actor=other.cu,
            body=ProposalRequestCreate(search_token=found.token, handle=profile.handle),
        )
    req = portal.request_proposal(
        session=session,
        actor=w.cu,
        body=ProposalRequestCreate(
            search_token=found.token, handle=profile.handle, message="Graag voor de dagdienst"
        ),
    )
    assert req.status == "pending" and req.handle == profile.handle
    with pytest.raises(ConflictError):
        portal.request_proposal(
            session=session,
            actor=w.cu,
            body=ProposalRequestCreate(search_token=found.token, handle=profile.handle),
        )
    session.commit()
    # the holding coach sees it (with the candidate), another coach does not
    seen = portal.list_coach_requests(session=session, actor=w.coach, status="pending")
    assert [(r.id, r.candidate_ref) for r in seen.data] == [(req.id, "REF-YES-A")]
    assert portal.list_coach_requests(session=session, actor=other.coach).count == 0
    with pytest.raises(NotFoundError):
        portal.accept_request(session=session, actor=other.coach, proposal_request_id=req.id)
    accepted = portal.accept_request(
        session=session, actor=w.coach, proposal_request_id=req.id, matching=matching
    )
    session.commit()
    referral = session.get(Referral, accepted.referral_id)
    assert referral is not None and referral.status == "proposed"
    assert (referral.candidate_id, referral.vacancy_id) == (w.yes.id, w.vac.id)
    assert referral.proposed_by_id == w.coach.id
    with pytest.raises(ConflictError):
        portal.decline_request(
            session=session, actor=w.coach, proposal_request_id=req.id, reason="x"
        )
    mine = portal.list_contractor_requests(session=session, actor=w.cu)
    assert [(r.status, r.referral_id) for r in mine.data] == [("accepted", referral.id)]
    # proposed once for this vacancy: no longer a profile to ask about for it
    after = portal.search_candidates(
        session=session,
        actor=w.cu,
        body=CandidateSearchCreate(vacancy_id=w.vac.id, skills=["heftruck"]),
        matching=matching,
    )
    assert after.count == 0


def test_declined_requests_and_withdrawn_consent(engine: Engine, session: Session) -> None:
    w = _world(session)
    matching = _matching(engine)
    found = portal.search_candidates(
        session=session,
        actor=w.cu,
        body=CandidateSearchCreate(vacancy_id=w.vac.id, skills=["heftruck"]),
        matching=matching,
    )
    [profile] = found.data
    req = portal.request_proposal(
        session=session,
        actor=w.cu,
        body=ProposalRequestCreate(search_token=found.token, handle=profile.handle),
    )
    with pytest.raises(FieldError):
        portal.decline_request(
            session=session, actor=w.coach, proposal_request_id=req.id, reason="  "
        )
    out = portal.decline_request(
        session=session, actor=w.coach, proposal_request_id=req.id, reason="werkt al elders"
    )
    assert out.status == "declined" and out.decline_reason == "werkt al elders"
    listed = portal.list_contractor_requests(session=session, actor=w.cu)
    assert listed.data[0].status == "declined"
    assert "werkt al elders" not in json.dumps(listed.model_dump(mode="json"))
    # consent withdrawn after the search: the handle no longer leads anywhere
    w.yes.consent_share = False
    session.add(w.yes)
    session.commit()
    with pytest.raises(FieldError) as err:
        portal.request_proposal(
            session=session,
            actor=w.cu,
            body=ProposalRequestCreate(search_token=found.token, handle=profile.handle),
        )
    assert "no longer available" in str(err.value)
