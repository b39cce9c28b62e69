"""What a contractor may see of a candidate: anonymous until a consented introduction, whether
the person counts for SR by the matcher's own eligibility rules, every list and read audited."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, col, select

from api.services import disclosure
from api.services.errors import NotFoundError
from matcher.eligibility import SrPair, counts_for_sr, counts_for_sr_pairs
from matcher.vocab import BENEFITS, SR_BENEFITS
from models.audit import AuditEvent
from tests.api.conftest import make_candidate, make_referral, make_world

GROUPS: tuple[tuple[str, ...], ...] = ((), ("50plus",), ("statushouder",), ("50plus", "vso_pro"))
ELIGIBLE: tuple[tuple[str, ...], ...] = ((), ("ww",), ("participatiewet", "wajong"), ("none",))


def _as_contractors_saw_it(
    benefit: str, groups: tuple[str, ...], eligible: tuple[str, ...], targets: tuple[str, ...]
) -> bool:
    """The rule the contractor view applied before it asked the matcher (behaviour kept)."""
    if benefit not in (eligible or SR_BENEFITS):
        return False
    return bool(set(targets) & set(groups)) if targets else True


@pytest.mark.parametrize("benefit", BENEFITS)
def test_counts_for_sr_gives_the_answer_contractors_always_got(benefit: str) -> None:
    grid = list(itertools.product(GROUPS, ELIGIBLE, GROUPS))
    pairs = [SrPair(benefit, g, e, t) for g, e, t in grid]
    batch = counts_for_sr_pairs(pairs).tolist()
    for (groups, eligible, targets), together in zip(grid, batch, strict=True):
        expected = _as_contractors_saw_it(benefit, groups, eligible, targets)
        alone = counts_for_sr(
            benefit, groups, eligible_benefits=eligible, eligible_target_groups=targets
        )
        assert alone is expected and together is expected, (groups, eligible, targets)


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(col(AuditEvent.action) == action)).all())


def test_identity_only_after_a_consented_introduction_of_a_sharing_candidate(
    session: Session,
) -> None:
    w = make_world(session)
    actor = w.a.contractor_user
    shy = make_candidate(
        session, municipality_id=w.a.municipality.id, coach_id=w.a.coach.id, consent_share=False
    )
    consented = make_referral(
        session,
        candidate=w.a.candidate,
        vacancy=w.a.free_vacancy,
        status="introduced",
        introduced_with_consent=True,
    )
    refused = make_referral(
        session, candidate=shy, vacancy=w.a.free_vacancy, introduced_with_consent=True
    )
    page = disclosure.list_contractor_referrals(
        session=session, actor=actor, request_id="req-1", limit=100
    )
    by_id = {r.id: r for r in page.data}
    first, yes, no = w.a.referral.id, consented.id, refused.id
    assert first is not None and yes is not None and no is not None
    # a candidate who does not share data is not there at all, not even anonymously
    assert set(by_id) == {first, yes} and page.count == 2
    with pytest.raises(NotFoundError):
        disclosure.read_contractor_referral(
            session=session, actor=actor, referral_id=no, request_id=None
        )
    # introduced without a consent record: anonymous
    assert by_id[first].introduced is None and by_id[first].anonymous is not None
    assert by_id[first].introduced_with_consent is False
    shown = by_id[yes].introduced
    assert shown is not None and by_id[yes].anonymous is None
    assert shown.candidate_ref == w.a.candidate.ref
    assert shown.contact_municipality == w.a.municipality.name
    anon = by_id[first].anonymous
    assert anon is not None and anon.counts_for_sr is True
    assert "benefit" not in anon.model_dump() and "candidate_ref" not in anon.model_dump()
    listed = _events(session, "referral.contractor_list")
    assert {e.candidate_id for e in listed} == {w.a.candidate.id}

    read = disclosure.read_contractor_referral(
        session=session, actor=actor, referral_id=yes, request_id="req-2"
    )
    assert read == by_id[yes]
    assert [e.candidate_id for e in _events(session, "referral.contractor_read")] == [
        w.a.candidate.id
    ]


def test_no_one_else_gets_the_contractor_view(session: Session) -> None:
    w = make_world(session)
    rid = w.a.referral.id
    assert rid is not None
    with pytest.raises(NotFoundError):
        disclosure.read_contractor_referral(
            session=session, actor=w.b.contractor_user, referral_id=rid, request_id=None
        )
    for actor in (w.a.coach, w.a.sr_officer, w.admin):
        with pytest.raises(NotFoundError):
            disclosure.read_contractor_referral(
                session=session, actor=actor, referral_id=rid, request_id=None
            )
        page = disclosure.list_contractor_referrals(session=session, actor=actor, request_id=None)
        assert page.count == 0 and page.data == []
    assert _events(session, "referral.contractor_read") == []
