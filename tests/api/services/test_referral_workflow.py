"""Issue 11, consent and the referral workflow between coach and contractor, at service level:
consent that means what it says (no proposal of a non-sharing candidate, an introduction only
with a consent record, a hire only after a consented introduction, withdrawal hides at once and
is audited), the contractor's actions on a proposal as referral events the coach sees and the
ranker learns from, ``counts_for_sr`` fixed at proposal (issue 13, finding 2), and the coach's
shortlist telling who holds each candidate and whether they can be proposed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from api.services import disclosure, referrals, vacancies
from api.services.candidates import update_candidate
from api.services.errors import ConflictError, FieldError, NotFoundError
from api.services.training import outcome_events
from models.audit import AuditEvent
from models.candidates import CandidateUpdate
from models.matching import ShortlistEntryPublic, ShortlistPublic
from models.placements import HireCreate, Placement
from models.referrals import (
    ConsentCreate,
    ConsentWithdrawal,
    ContractorRejection,
    InterviewInvitation,
    IntroductionRequest,
    Referral,
    ReferralConsent,
    ReferralCreate,
    ReferralTransition,
)
from models.vacancies import VacancyUpdate
from tests.api.conftest import World, make_candidate, make_world


def _audit(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(col(AuditEvent.action) == action)))


def _propose(session: Session, w: World, candidate_id: int | None = None) -> int:
    out = referrals.propose_referral(
        session=session,
        actor=w.a.coach,
        body=ReferralCreate(
            candidate_id=candidate_id or w.a.candidate.id or 0,
            vacancy_id=w.a.free_vacancy.id or 0,
        ),
        request_id=None,
    )
    session.commit()
    return out.id


def _move(session: Session, w: World, rid: int, **body: object) -> None:
    referrals.move_referral(
        session=session,
        actor=w.a.coach,
        referral_id=rid,
        body=ReferralTransition.model_validate(body),
        request_id=None,
    )
    session.commit()


def _seen(session: Session, w: World, rid: int) -> object:
    return disclosure.read_contractor_referral(
        session=session, actor=w.a.contractor_user, referral_id=rid, request_id=None
    )


def test_a_candidate_who_does_not_share_cannot_be_proposed(session: Session) -> None:
    w = make_world(session)
    shy = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, consent_share=False
    )
    with pytest.raises(FieldError) as err:
        _propose(session, w, shy.id)
    assert (err.value.field, err.value.value) == ("candidate_id", shy.id)
    assert "consent_share" in err.value.message and "not even anonymously" in err.value.message
    session.rollback()
    assert session.exec(select(Referral).where(Referral.candidate_id == shy.id)).all() == []


def test_an_introduction_needs_a_consent_record_who_when_how(session: Session) -> None:
    w = make_world(session)
    rid = _propose(session, w)
    # the old flag alone is no record: refused, nothing changes
    with pytest.raises(FieldError) as err:
        _move(session, w, rid, status="introduced", consent_confirmed=True)
    assert err.value.field == "consent_method" and "consent_confirmed" in err.value.message
    session.rollback()
    with pytest.raises(FieldError) as bad:
        _move(session, w, rid, status="introduced", consent_method="by_pigeon")
    assert bad.value.field == "consent_method" and "in_person" in bad.value.message
    session.rollback()
    assert session.get(Referral, rid).status == "proposed"  # type: ignore[union-attr]
    assert _seen(session, w, rid).introduced is None  # type: ignore[attr-defined]

    _move(session, w, rid, status="introduced", consent_method="phone")
    consent = session.exec(select(ReferralConsent).where(ReferralConsent.referral_id == rid)).one()
    assert (consent.method, consent.recorded_by_id, consent.given_on) == (
        "phone",
        w.a.coach.id,
        dt.date.today(),
    )
    seen = _seen(session, w, rid)
    assert seen.introduced_with_consent is True  # type: ignore[attr-defined]
    assert seen.introduced.candidate_ref == w.a.candidate.ref  # type: ignore[attr-defined]
    coach_view = referrals.read_referral(
        session=session, actor=w.a.coach, referral_id=rid, request_id=None
    )
    assert coach_view.consent is not None and coach_view.consent.method == "phone"
    assert [h.action for h in coach_view.history] == ["status", "consent_recorded", "status"]


def test_no_hire_without_a_consented_introduction(session: Session) -> None:
    w = make_world(session)
    hire = HireCreate(start_date=dt.date.today())
    # from proposed: never
    rid = _propose(session, w)
    with pytest.raises(FieldError):
        referrals.confirm_hire(
            session=session, actor=w.a.contractor_user, referral_id=rid, hire=hire, request_id=None
        )
    session.rollback()
    # introduced before the rule, without a consent record (make_world's referral): refused
    old = w.a.referral.id or 0
    with pytest.raises(FieldError) as err:
        referrals.confirm_hire(
            session=session, actor=w.a.contractor_user, referral_id=old, hire=hire, request_id=None
        )
    assert "consented introduction" in err.value.message
    session.rollback()
    assert session.exec(select(Placement)).all() == []
    # recording the consent now makes it a consented introduction: the hire goes through
    referrals.record_consent(
        session=session,
        actor=w.a.coach,
        referral_id=old,
        body=ConsentCreate(method="signed"),
        request_id=None,
    )
    session.commit()
    assert _seen(session, w, old).introduced is not None  # type: ignore[attr-defined]
    placement = referrals.confirm_hire(
        session=session, actor=w.a.contractor_user, referral_id=old, hire=hire, request_id=None
    )
    session.commit()
    assert placement.referral_id == old


def test_withdrawn_consent_for_a_referral_hides_the_person_again_and_is_audited(
    session: Session,
) -> None:
    w = make_world(session)
    rid = _propose(session, w)
    _move(session, w, rid, status="introduced", consent_method="in_person")
    with pytest.raises(ConflictError):  # one consent in force at a time
        referrals.record_consent(
            session=session,
            actor=w.a.coach,
            referral_id=rid,
            body=ConsentCreate(method="phone"),
            request_id=None,
        )
    session.rollback()
    with pytest.raises(NotFoundError):  # a colleague's or a foreign coach's: out of reach
        referrals.withdraw_consent(
            session=session,
            actor=w.b.coach,
            referral_id=rid,
            body=ConsentWithdrawal(),
            request_id=None,
        )
    out = referrals.withdraw_consent(
        session=session,
        actor=w.a.coach,
        referral_id=rid,
        body=ConsentWithdrawal(reason="wil eerst zelf bellen"),
        request_id="r-1",
    )
    session.commit()
    assert out.consent is None and out.introduced_with_consent is False
    seen = _seen(session, w, rid)
    assert seen.introduced is None and seen.introduced_with_consent is False  # type: ignore[attr-defined]
    [event] = _audit(session, "referral.consent_withdrawn")
    assert (event.candidate_id, event.object_id, event.request_id) == (
        w.a.candidate.id,
        str(rid),
        "r-1",
    )
    with pytest.raises(FieldError):  # an interview needs the consent in force
        referrals.invite_to_interview(
            session=session,
            actor=w.a.contractor_user,
            referral_id=rid,
            body=InterviewInvitation(),
            request_id=None,
        )
    session.rollback()
    with pytest.raises(NotFoundError):
        referrals.withdraw_consent(
            session=session,
            actor=w.a.coach,
            referral_id=rid,
            body=ConsentWithdrawal(),
            request_id=None,
        )


def test_a_candidate_who_stops_sharing_disappears_for_contractors_at_once(
    session: Session,
) -> None:
    w = make_world(session)
    rid = _propose(session, w)
    _move(session, w, rid, status="introduced", consent_method="signed")
    assert _seen(session, w, rid).introduced is not None  # type: ignore[attr-defined]
    update_candidate(
        session=session,
        actor=w.a.coach,
        candidate_id=w.a.candidate.id or 0,
        changes=CandidateUpdate(consent_share=False),
        request_id="r-2",
    )
    session.commit()
    with pytest.raises(NotFoundError):
        _seen(session, w, rid)
    page = disclosure.list_contractor_referrals(
        session=session, actor=w.a.contractor_user, request_id=None, limit=100
    )
    assert rid not in [r.id for r in page.data] and w.a.referral.id not in [r.id for r in page.data]
    assert [e.candidate_id for e in _audit(session, "candidate.consent_withdrawn")] == [
        w.a.candidate.id
    ]
    assert _audit(session, "referral.consent_withdrawn")
    consent = session.exec(select(ReferralConsent).where(ReferralConsent.referral_id == rid)).one()
    assert consent.withdrawn_at is not None and consent.withdrawn_by_id == w.a.coach.id
    # sharing again does not bring the old consent back: the coach records a new one
    update_candidate(
        session=session,
        actor=w.a.coach,
        candidate_id=w.a.candidate.id or 0,
        changes=CandidateUpdate(consent_share=True),
        request_id=None,
    )
    session.commit()
    seen = _seen(session, w, rid)
    assert seen.introduced is None and seen.anonymous is not None  # type: ignore[attr-defined]


def test_contractor_actions_are_events_the_coach_sees_and_the_ranker_learns_from(
    session: Session,
) -> None:
    w = make_world(session)
    cu = w.a.contractor_user
    rid = _propose(session, w)
    with pytest.raises(FieldError) as err:  # an anonymous proposal: ask for an introduction
        referrals.invite_to_interview(
            session=session, actor=cu, referral_id=rid, body=InterviewInvitation(), request_id=None
        )
    assert "introduction" in err.value.message
    session.rollback()
    asked = referrals.request_introduction(
        session=session,
        actor=cu,
        referral_id=rid,
        body=IntroductionRequest(note="lijkt ons een goede kandidaat"),
        request_id=None,
    )
    session.commit()
    assert asked.introduction_requested is True and asked.status == "proposed"
    with pytest.raises(ConflictError):
        referrals.request_introduction(
            session=session, actor=cu, referral_id=rid, body=IntroductionRequest(), request_id=None
        )
    session.rollback()
    with pytest.raises(NotFoundError):  # another contractor
        referrals.request_introduction(
            session=session,
            actor=w.b.contractor_user,
            referral_id=rid,
            body=IntroductionRequest(),
            request_id=None,
        )
    session.rollback()
    coach_view = referrals.read_referral(
        session=session, actor=w.a.coach, referral_id=rid, request_id=None
    )
    assert coach_view.introduction_requested is True
    request = coach_view.history[-1]
    assert (request.action, request.by_role, request.reason) == (
        "introduction_requested",
        "contractor",
        "lijkt ons een goede kandidaat",
    )
    _move(session, w, rid, status="introduced", consent_method="in_person")
    invited = referrals.invite_to_interview(
        session=session, actor=cu, referral_id=rid, body=InterviewInvitation(), request_id=None
    )
    session.commit()
    assert invited.status == "interviewed"

    # a second proposal, turned down with a reason from the list
    other = make_candidate(session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id)
    rid2 = _propose(session, w, other.id)
    with pytest.raises(FieldError) as err:
        referrals.reject_proposal(
            session=session,
            actor=cu,
            referral_id=rid2,
            body=ContractorRejection(reason_code="too_tall"),
            request_id=None,
        )
    assert err.value.field == "reason_code" and "skills_mismatch" in err.value.message
    session.rollback()
    rejected = referrals.reject_proposal(
        session=session,
        actor=cu,
        referral_id=rid2,
        body=ContractorRejection(reason_code="language", reason="Nederlands onvoldoende"),
        request_id=None,
    )
    session.commit()
    assert rejected.status == "rejected"
    coach_view = referrals.read_referral(
        session=session, actor=w.a.coach, referral_id=rid2, request_id=None
    )
    last = coach_view.history[-1]
    assert (last.status, last.reason_code, last.reason, last.by_role) == (
        "rejected",
        "language",
        "Nederlands onvoldoende",
        "contractor",
    )
    assert [e.detail for e in _audit(session, "referral.rejected")] == ["language"]

    # what the ranker reads: the invitation a positive, the rejection a negative, the request
    # for an introduction interest; consent records are no outcomes
    learnt = {(c, v, s) for c, v, s, _ in outcome_events(session)}
    vid = w.a.free_vacancy.id
    assert (w.a.candidate.id, vid, "interviewed") in learnt
    assert (other.id, vid, "rejected") in learnt
    assert (w.a.candidate.id, vid, "introduced") in learnt  # the request (and the introduction)
    statuses = [s for c, v, s, _ in outcome_events(session) if (c, v) == (w.a.candidate.id, vid)]
    # proposed, the request (as introduced), introduced, interviewed: not the consent record
    assert statuses.count("introduced") == 2 and len(statuses) == 4


def test_counts_for_sr_is_fixed_at_proposal_whatever_the_contractor_edits(
    session: Session,
) -> None:
    w = make_world(session)
    rid = _propose(session, w)
    assert session.get(Referral, rid).counts_for_sr is True  # type: ignore[union-attr]
    before = _seen(session, w, rid).anonymous.counts_for_sr  # type: ignore[attr-defined]
    assert before is True
    # every narrowing a contractor could try: benefit lists with and without the candidate's,
    # target groups the candidate is in and not in
    tries = [
        VacancyUpdate(eligible_benefits=["ww"]),
        VacancyUpdate(eligible_benefits=["participatiewet"]),
        VacancyUpdate(eligible_benefits=[], eligible_target_groups=["statushouder"]),
        VacancyUpdate(eligible_target_groups=["50plus"]),
    ]
    for change in tries:
        vacancies.update_vacancy(
            session=session, actor=w.a.contractor_user, vacancy_id=w.a.free_vacancy.id or 0,
            changes=change,
        )  # fmt: skip
        session.commit()
        assert _seen(session, w, rid).anonymous.counts_for_sr is before  # type: ignore[attr-defined]
    page = disclosure.list_contractor_referrals(
        session=session, actor=w.a.contractor_user, request_id=None, limit=100
    )
    assert {r.anonymous.counts_for_sr for r in page.data if r.id == rid} == {before}  # type: ignore[union-attr]


def test_a_candidate_without_an_sr_benefit_counts_for_no_contract(session: Session) -> None:
    w = make_world(session)
    none = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, benefit="none"
    )
    rid = _propose(session, w, none.id)
    assert _seen(session, w, rid).anonymous.counts_for_sr is False  # type: ignore[attr-defined]


def test_the_shortlist_says_who_holds_each_candidate_and_whether_to_propose(
    session: Session,
) -> None:
    w = make_world(session)
    muni = w.a.municipality.id
    colleague = make_candidate(session, municipality_id=muni, coach_id=w.a.other_coach.id)
    shy = make_candidate(session, municipality_id=muni, coach_id=w.a.coach.id, consent_share=False)
    entries = [
        ShortlistEntryPublic(
            candidate_id=c.id or 0,
            candidate_ref=c.ref,
            rank=i,
            score=1.0 / i,
            reasons=[],
            missing_skills=[],
        )
        for i, c in enumerate((w.a.candidate, colleague, shy), start=1)
    ]
    shortlist = ShortlistPublic(
        vacancy_id=w.a.free_vacancy.id or 0,
        vacancy_ref=w.a.free_vacancy.ref,
        model_version=None,
        entries=entries,
    )
    out = referrals.with_proposal_state(session=session, actor=w.a.coach, shortlist=shortlist)
    own, theirs, not_sharing = out.entries
    assert (own.held_by_me, own.consent_share, own.can_propose) == (True, True, True)
    assert own.coach_name == (w.a.coach.full_name or w.a.coach.username)
    assert (theirs.held_by_me, theirs.can_propose, theirs.coach_id) == (
        False,
        False,
        w.a.other_coach.id,
    )
    assert (w.a.other_coach.full_name or w.a.other_coach.username) in (
        theirs.cannot_propose_reason or ""
    )
    assert (not_sharing.consent_share, not_sharing.can_propose) == (False, False)
    assert "consented" in (not_sharing.cannot_propose_reason or "")
    # and the answers agree with what proposing says
    for entry in out.entries:
        try:
            _propose(session, w, entry.candidate_id)
            proposed = True
        except Exception:  # noqa: BLE001 - Forbidden or FieldError, both "cannot"
            session.rollback()
            proposed = False
        assert proposed is entry.can_propose, entry
