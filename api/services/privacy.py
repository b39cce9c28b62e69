"""Privacy rights and retention: access, erasure, retention, and an explanation for the person.

- ``export_candidate``: everything held about one candidate (AVG art. 15): the profile as
  entered and as read, referrals with their history, placements, durability checks, every
  shortlist the candidate appeared in (when, which vacancy, rank, score, model) and every access
  to their data (who, role, what, when). Audited like any read.
- ``erase_candidate``: personal data removed (AVG art. 17); the row stays under a random
  pseudonym with only what SR reports need (benefit, target groups, ladder step, municipality),
  so every report total is unchanged. Free-text reasons on their referrals and coaches' notes
  on their oversight decisions are cleared; birth year and gender (kept apart for the fairness
  audit, ``models.audit_attributes``) are deleted.
- ``plan_retention`` / ``run_retention``: erase candidates inactive past the configured period,
  remove shortlist-log and audit entries past theirs (never younger than six months: the EU AI
  Act's floor for the logs of a high-risk system, enforced by the database for the audit trail).
- ``explain_for_candidate``: for one candidate and vacancy, in plain words, why they were or
  were not shortlisted and what would change it; a person, not the system, decides.

Nothing here commits: the caller (route, page, CLI command) does.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from api.audit import record
from api.config import Settings
from api.services import audit_attributes
from api.services.access import get_candidate_for, get_vacancy_for
from api.services.errors import ConflictError, NotFoundError
from api.services.matching import MatchingService
from models.audit import AuditEvent
from models.audit_attributes import AuditAttributes
from models.base import utcnow
from models.candidates import Candidate, CandidatePublic
from models.fairness import OversightDecision
from models.organisations import Role, User
from models.placements import DurabilityCheck, Placement
from models.privacy import (
    MIN_LOG_DAYS,
    AccessRecord,
    CandidateDataExport,
    CandidateExplanation,
    ChangeOption,
    ErasureResult,
    RetentionGate,
    RetentionPlan,
    ShortlistAppearance,
)
from models.referrals import Referral, ReferralEvent
from models.shortlist_log import ShortlistLog
from models.vacancies import Vacancy

#: what erasure sets each personal column of ``Candidate`` to. Every column of the table is
#: either here, in ``KEPT_FOR_SR`` or in ``RECORD_KEEPING`` (a test checks it, so a new column
#: cannot be forgotten).
ERASED_VALUES: dict[str, Any] = {
    "postcode": "",
    "pc4": "",
    "lat": 0.0,
    "lon": 0.0,
    "education": None,
    "education_level": None,
    "skills": [],
    "skills_norm": [],
    "occupations": [],
    "occupations_norm": [],
    "unknown_terms": [],
    "dutch_level": None,
    "dutch_level_ord": None,
    "driving_licences": [],
    "available_from": None,
    "unemployed_since": None,
    "consent_share": False,
    "coach_id": None,
}
#: kept, without anything that identifies the person, so SR reports keep their totals
KEPT_FOR_SR: tuple[str, ...] = (
    "municipality_id",
    "benefit",
    "target_groups",
    "ladder_step",
    "hours_per_week",
    "max_travel_km",
)
#: the row's own bookkeeping (``ref`` becomes the pseudonym)
RECORD_KEEPING: tuple[str, ...] = (
    "id",
    "ref",
    "active",
    "erased_at",
    "created_at",
    "updated_at",
    "change_seq",  # the database's change number (models.base.change_seq_field)
    "version",
)
PSEUDONYM_PREFIX = "gewist-"
#: how deep into the shortlist an explanation looks for the candidate's reasons
EXPLAIN_DEPTH = 100


# --- access ------------------------------------------------------------------------------------


def _candidate_for(session: Session, actor: User | None, candidate_id: int) -> Candidate:
    """A candidate of the actor's municipality; ``actor`` None (the command line): any."""

    if actor is None:
        cand = session.get(Candidate, candidate_id)
        if cand is None:
            raise NotFoundError("candidate", candidate_id)
        return cand
    return get_candidate_for(session=session, user=actor, candidate_id=candidate_id)


def candidate_id_for_ref(session: Session, ref: str) -> int:
    """The id of the candidate with this reference (the command line names people by ref)."""
    cid = session.exec(select(Candidate.id).where(Candidate.ref == ref)).first()
    if cid is None:
        raise NotFoundError("candidate", ref)
    return int(cid)


def _jsonable(row: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump(mode="json").items() if k not in skip}


def _appearances(session: Session, candidate_id: int) -> Iterator[ShortlistAppearance]:
    """Every logged shortlist that held the candidate (the log keeps ids, ranks and scores)."""
    titles: dict[int, str] = {}
    stmt = select(ShortlistLog).order_by(col(ShortlistLog.id)).execution_options(yield_per=2000)
    for log in session.exec(stmt):
        for entry in log.entries:
            if int(entry[0]) != candidate_id:
                continue
            if log.vacancy_id not in titles:
                vac = session.get(Vacancy, log.vacancy_id)
                titles[log.vacancy_id] = vac.title if vac is not None else ""
            yield ShortlistAppearance(
                at=log.at,
                vacancy_id=log.vacancy_id,
                vacancy_title=titles[log.vacancy_id],
                model_version=log.model_version,
                rank=int(entry[1]),
                score=float(entry[2]),
                of_eligible=log.n_eligible,
            )


def export_candidate(
    *, session: Session, actor: User | None, candidate_id: int, request_id: str | None
) -> CandidateDataExport:
    """Everything held about one candidate of the actor's municipality; audited."""
    cand = _candidate_for(session, actor, candidate_id)
    accesses = [
        AccessRecord(at=e.at, username=e.username, role=e.role, action=e.action)
        for e in session.exec(
            select(AuditEvent)
            .where(AuditEvent.candidate_id == candidate_id)
            .order_by(col(AuditEvent.id))
        )
    ]
    referrals = []
    for ref in session.exec(
        select(Referral).where(Referral.candidate_id == candidate_id).order_by(col(Referral.id))
    ):
        events = session.exec(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == ref.id)
            .order_by(col(ReferralEvent.id))
        ).all()
        referrals.append(
            {
                **_jsonable(ref),
                "history": [_jsonable(e, skip=("created_by_id",)) for e in events],
            }
        )
    placements = session.exec(
        select(Placement).where(Placement.candidate_id == candidate_id).order_by(col(Placement.id))
    ).all()
    checks = (
        session.exec(
            select(DurabilityCheck)
            .where(col(DurabilityCheck.placement_id).in_([p.id for p in placements]))
            .order_by(col(DurabilityCheck.id))
        ).all()
        if placements
        else []
    )
    profile = CandidatePublic.model_validate(cand).model_dump(mode="json")
    # the fairness-audit fields are held too (apart from the profile), so they are part of
    # what the person may see
    assert cand.id is not None
    birth_year, gender = audit_attributes.read(session, cand.id)
    profile.update(birth_year=birth_year, gender=gender)
    record(
        session,
        user=actor,
        action="candidate.export",
        candidate_id=cand.id,
        request_id=request_id,
        detail="right of access",
    )
    return CandidateDataExport(
        generated_at=utcnow(),
        candidate=profile,
        referrals=referrals,
        placements=[_jsonable(p) for p in placements],
        durability_checks=[_jsonable(c, skip=("recorded_by_id",)) for c in checks],
        shortlists=list(_appearances(session, candidate_id)),
        accesses=accesses,
        explanation=(
            "srmatch ranks candidates for Social Return vacancies to help job coaches; a coach, "
            "not the system, decides whom to propose. Scores come from skills, occupations, "
            "distance, hours, availability and language; age, gender, nationality and origin "
            "are never used."
        ),
    )


# --- erasure -----------------------------------------------------------------------------------


def _erase(session: Session, cand: Candidate, now: datetime) -> ErasureResult:
    assert cand.id is not None
    pseudonym = PSEUDONYM_PREFIX + secrets.token_hex(6)
    cand.ref = pseudonym
    for field, value in ERASED_VALUES.items():
        setattr(cand, field, list(value) if isinstance(value, list) else value)
    cand.active = False
    cand.erased_at = now
    cand.updated_at = now
    session.add(cand)
    events = session.exec(
        select(ReferralEvent)
        .join(Referral, col(Referral.id) == col(ReferralEvent.referral_id))
        .where(Referral.candidate_id == cand.id, col(ReferralEvent.reason).is_not(None))
    ).all()
    for event in events:
        event.reason = None
        session.add(event)
    # a coach's free-text note on setting the person aside or adding them may describe them
    session.execute(
        update(OversightDecision)
        .where(
            col(OversightDecision.candidate_id) == cand.id,
            col(OversightDecision.note).is_not(None),
        )
        .values(note=None)
    )
    _drop_audit_only_attributes(session, cand.id)
    return ErasureResult(
        candidate_id=cand.id,
        pseudonym=pseudonym,
        erased_at=now,
        referral_reasons_cleared=len(events),
        kept_for_sr=list(KEPT_FOR_SR),
    )


def _drop_audit_only_attributes(session: Session, candidate_id: int) -> None:
    """Attributes a municipality records for the fairness audit only go with the person."""
    session.execute(
        delete(AuditAttributes).where(col(AuditAttributes.candidate_id) == candidate_id)
    )


def erase_candidate(
    *,
    session: Session,
    actor: User | None,
    candidate_id: int,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> ErasureResult:
    """Erase one candidate's personal data (``actor`` None: the command line, any candidate).

    A coach erases a candidate they hold, an SR officer any candidate of their municipality;
    ConflictError when already erased. The audit event names the action, not the person.
    """
    from api.services.candidates import get_held_candidate, notify_changed

    if actor is None or actor.role == Role.sr_officer:
        cand = _candidate_for(session, actor, candidate_id)
    else:
        cand = get_held_candidate(session=session, user=actor, candidate_id=candidate_id)
    if cand.erased_at is not None:
        raise ConflictError(
            f"candidate {candidate_id} was already erased on {cand.erased_at:%Y-%m-%d}"
        )
    result = _erase(session, cand, utcnow())
    record(
        session,
        user=actor,
        action="candidate.erase",
        candidate_id=cand.id,
        request_id=request_id,
        detail="right to erasure",
    )
    notify_changed(session, matching, candidate_id)
    return result


# --- retention ---------------------------------------------------------------------------------


def _cutoffs(settings: Settings, now: datetime) -> tuple[datetime, datetime, datetime]:
    return (
        now - timedelta(days=settings.retention_candidate_days),
        now - timedelta(days=max(MIN_LOG_DAYS, settings.retention_shortlist_log_days)),
        now - timedelta(days=max(MIN_LOG_DAYS, settings.retention_audit_days)),
    )


def _inactive_candidates(session: Session, cutoff: datetime) -> list[int]:
    """Candidates not erased, unchanged since ``cutoff``, with no referral event, placement or
    placement end after it."""
    recent_referral = (
        select(Referral.candidate_id)
        .join(ReferralEvent, col(ReferralEvent.referral_id) == col(Referral.id))
        .where(col(ReferralEvent.created_at) >= cutoff)
    )
    recent_placement = select(Placement.candidate_id).where(
        or_(
            col(Placement.updated_at) >= cutoff,
            col(Placement.end_date).is_(None),
            col(Placement.end_date) >= cutoff.date(),
        )
    )
    stmt = (
        select(Candidate.id)
        .where(
            col(Candidate.erased_at).is_(None),
            col(Candidate.updated_at) < cutoff,
            col(Candidate.id).not_in(recent_referral),
            col(Candidate.id).not_in(recent_placement),
        )
        .order_by(col(Candidate.id))
    )
    return [int(i) for i in session.exec(stmt).all() if i is not None]


def plan_retention(
    *, session: Session, settings: Settings, now: datetime | None = None
) -> RetentionPlan:
    """What a retention run would erase and remove (nothing changes)."""
    now = now or utcnow()
    cand_cut, log_cut, audit_cut = _cutoffs(settings, now)
    ids = _inactive_candidates(session, cand_cut)
    n_logs = session.exec(
        select(func.count()).select_from(ShortlistLog).where(col(ShortlistLog.at) < log_cut)
    ).one()
    n_audit = session.exec(
        select(func.count()).select_from(AuditEvent).where(col(AuditEvent.at) < audit_cut)
    ).one()
    return RetentionPlan(
        dry_run=True,
        as_of=now,
        candidate_cutoff=cand_cut,
        shortlist_log_cutoff=log_cut,
        audit_cutoff=audit_cut,
        candidates_to_erase=len(ids),
        shortlist_logs_to_remove=int(n_logs),
        audit_events_to_remove=int(n_audit),
        candidate_ids=ids,
    )


def run_retention(
    *,
    session: Session,
    settings: Settings,
    actor: User | None,
    apply: bool = False,
    now: datetime | None = None,
    matching: MatchingService | None = None,
) -> RetentionPlan:
    """Plan, and with ``apply`` carry out, one retention run in the caller's transaction.

    Audit events are removed through the database's retention gate: a row only this
    transaction sees, and the database still refuses events younger than six months.
    """
    from api.services.candidates import notify_changed

    plan = plan_retention(session=session, settings=settings, now=now)
    if not apply:
        return plan
    stamp = now or utcnow()
    for cid in plan.candidate_ids:
        cand = session.get(Candidate, cid)
        assert cand is not None
        _erase(session, cand, stamp)
        record(
            session,
            user=actor,
            action="candidate.erase",
            candidate_id=cid,
            request_id=None,
            detail="retention: inactive past the period",
        )
        notify_changed(session, matching, cid)
    session.execute(delete(ShortlistLog).where(col(ShortlistLog.at) < plan.shortlist_log_cutoff))
    gate = RetentionGate(opened_by=actor.username if actor is not None else "retention job")
    session.add(gate)
    session.flush()
    session.execute(delete(AuditEvent).where(col(AuditEvent.at) < plan.audit_cutoff))
    session.delete(gate)
    session.flush()
    record(
        session,
        user=actor,
        action="retention.run",
        candidate_id=None,
        request_id=None,
        detail=(
            f"erased {plan.candidates_to_erase} candidates, removed "
            f"{plan.shortlist_logs_to_remove} shortlist-log and "
            f"{plan.audit_events_to_remove} audit entries"
        ),
    )
    return plan.model_copy(update={"dry_run": False})


# --- an explanation for the person -------------------------------------------------------------

_RULE_CHANGE: dict[str, dict[str, tuple[str, str] | None]] = {
    "nl": {
        "licence": ("licence", "het rijbewijs halen dat de vacature vraagt"),
        "distance": ("distance", "verder willen reizen, of werk dichter bij huis"),
        "availability": ("availability", "eerder beschikbaar zijn dan nu staat genoteerd"),
        "inactive": ("rule", "het profiel weer actief maken (met de jobcoach)"),
        "benefit": None,
        "target_group": None,
        "excluded": None,
    },
    "en": {
        "licence": ("licence", "obtain the driving licence the vacancy asks for"),
        "distance": ("distance", "be willing to travel further, or find work closer to home"),
        "availability": ("availability", "be available earlier than recorded now"),
        "inactive": ("rule", "make the profile active again (with the job coach)"),
        "benefit": None,
        "target_group": None,
        "excluded": None,
    },
}


def explain_for_candidate(
    *,
    session: Session,
    actor: User,
    candidate_id: int,
    vacancy_id: int,
    matching: MatchingService,
    top: int = 10,
    lang: str = "nl",
    request_id: str | None = None,
) -> CandidateExplanation:
    """Why this candidate was or was not on the top ``top`` of this vacancy's shortlist (among
    the candidates the coach may see), and what would change it; audited, not logged as a
    served shortlist."""

    cand = _candidate_for(session, actor, candidate_id)
    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    # the reasons of a score are relative to the other eligible candidates, so they come from
    # the shortlist the coach would see (its first EXPLAIN_DEPTH places) when the candidate is
    # on it; the pair alone gives the rules failed and the missing skills
    served = matching.shortlists(
        session, vacancies=[vac], top=max(top, EXPLAIN_DEPTH), user=actor, lang=lang, log_it=False
    )[0]
    placed = next((e for e in served.entries if e.candidate_id == candidate_id), None)
    rank = placed.rank if placed is not None and placed.rank <= top else None
    pair = matching.explain_pair(vacancy=vac, candidate=cand, lang=lang)
    changes: list[ChangeOption] = []
    rules_failed: list[str] = []
    for excluded in pair.excluded:
        for rule in excluded.rules:
            rules_failed.append(rule.text)
            change = _RULE_CHANGE[lang].get(rule.code)
            if change is not None:
                changes.append(ChangeOption(kind=change[0], text=change[1]))
    entry = pair.entries[0] if pair.entries else None
    if entry is not None:
        learn = "leren of laten zien" if lang == "nl" else "learn or show"
        changes.extend(
            ChangeOption(kind="skill", text=f"{skill}: {learn}") for skill in entry.missing_skills
        )
        if vac.hours_per_week and cand.hours_per_week < vac.hours_per_week:
            text = (
                f"meer uren per week beschikbaar zijn (nu {cand.hours_per_week:g}, "
                f"de vacature vraagt {vac.hours_per_week:g})"
                if lang == "nl"
                else f"be available more hours a week (now {cand.hours_per_week:g}, "
                f"the vacancy asks {vac.hours_per_week:g})"
            )
            changes.append(ChangeOption(kind="hours", text=text))
    record(
        session,
        user=actor,
        action="candidate.explain",
        candidate_id=cand.id,
        request_id=request_id,
        object_type="vacancy",
        object_id=vac.id,
    )
    return CandidateExplanation(
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        vacancy_title=vac.title,
        as_of=date.today(),
        shortlisted=rank is not None,
        rank=rank,
        top=top,
        eligible=entry is not None,
        reasons_for=(
            placed.reasons_for
            if placed is not None
            else list(entry.reasons_pro)
            if entry is not None
            else []
        ),
        reasons_against=(
            placed.reasons_against
            if placed is not None
            else list(entry.reasons_against)
            if entry is not None
            else []
        ),
        rules_failed=rules_failed,
        what_would_change=changes,
    )
