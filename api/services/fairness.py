"""Responsible matching: the fairness audit, the deploy gate's hold-out audit and override, and
coaches' overrides of a served shortlist (human oversight on the record).

The audit (``fairness_audit``) reads the shortlist log's group counts (stored per served
shortlist by ``api.services.matching``), the referrals made from those shortlists and the
coaches' set-aside and added candidates, and hands them to :func:`matcher.fairness.audit_table`.
SR officers see their municipality's shortlists, admins and the command line every one.
Protected attributes (birth year, gender) are read here only to be counted, never shown per
person, and never reach a model.

The deploy gate (``holdout_audit``) simulates top-10 shortlists for the hold-out vacancies with
the newly trained ranker and with the baseline; ``api.services.training`` serves a model whose
ratio falls below ``Settings.fairness_floor`` only after an admin's recorded override
(``override_fairness``), which goes into the audit trail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlmodel import Session, col, select

from api.audit import record
from api.services import audit_attributes
from api.services.access import get_candidate_for, get_vacancy_for, held_by
from api.services.audit_attributes import AuditOnly
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from matcher.fairness import (
    DEFAULT_FLOOR,
    MIN_COUNT,
    TOP_K,
    CandidateGroups,
    GroupTable,
    add_counts,
    audit_table,
    exposure_rows,
    gate,
    group_labels,
    simulate_selection,
)
from matcher.ranker import BaselineScorer
from matcher.vocab import OVERSIGHT_KINDS, OVERSIGHT_REASONS
from models import (
    Candidate,
    ModelVersion,
    OversightDecision,
    Referral,
    ReferralEvent,
    Role,
    ShortlistLog,
    User,
)
from models.audit_attributes import AuditAttributes
from models.base import utcnow
from models.fairness import (
    FairnessAuditPublic,
    FairnessRowPublic,
    FairnessVersionPublic,
    OversightCreate,
    OversightPublic,
    OversightsPublic,
)

if TYPE_CHECKING:
    from api.services.matching import MatchingService
    from matcher.profiles import CandidateProfile, VacancyProfile
    from matcher.training import TrainingResult


def audit_only_attributes(
    session: Session, candidate_ids: Iterable[int] | None
) -> dict[int, AuditOnly]:
    """Birth year and gender of these candidates (None: every candidate), read apart from the
    profile (:func:`api.services.audit_attributes.read_many`)."""
    return audit_attributes.read_many(session, candidate_ids)


def candidate_groups(c: Candidate, audit_only: AuditOnly | None = None) -> CandidateGroups:
    """What the audit groups one candidate by: profile fields plus the audit-only ones, which
    the caller reads apart (:func:`audit_only_attributes`); None: not recorded."""
    birth_year, gender = audit_only or audit_attributes.NOT_RECORDED
    return CandidateGroups(
        benefit=c.benefit,
        ladder_step=c.ladder_step,
        target_groups=tuple(c.target_groups or ()),
        unemployed_since=c.unemployed_since,
        birth_year=birth_year,
        gender=gender,
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def table_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """An audit table as JSON-safe dicts (NaN as None)."""
    return [{str(k): _clean(v) for k, v in row.items()} for row in table.to_dict("records")]


# --- the audit of what was served --------------------------------------------------------------


def _in_municipality(actor: User | None) -> Any:
    """Users whose shortlists the actor may audit (None: everyone's)."""
    if actor is None or actor.role == Role.admin:
        return None
    if actor.role == Role.sr_officer:
        return select(User.id).where(User.municipality_id == actor.municipality_id)
    raise ForbiddenError("only SR officers and admins may read the fairness audit")


def _per_candidate_rows(
    session: Session,
    items: Iterable[tuple[str, int, datetime, dict[str, int]]],
) -> list[dict[str, Any]]:
    """(model version, candidate id, when, counts) -> rows per (version, dimension, group)."""
    items = list(items)
    ids = sorted({cid for _, cid, _, _ in items})
    cands: dict[int, Candidate] = {}
    for i in range(0, len(ids), 900):
        for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids[i : i + 900]))):
            assert c.id is not None
            cands[c.id] = c
    audit_only = audit_only_attributes(session, cands)
    acc: dict[tuple[str, str, str], dict[str, int]] = {}
    for version, cid, when, counts in items:
        found = cands.get(cid)
        if found is None:
            continue
        labels = group_labels(candidate_groups(found, audit_only.get(cid)), when.date())
        for dim, groups in labels.items():
            for g in groups:
                bucket = acc.setdefault((version, dim, g), {})
                for k, n in counts.items():
                    bucket[k] = bucket.get(k, 0) + n
    return [
        {"model_version": v, "dimension": d, "group": g, **counts}
        for (v, d, g), counts in acc.items()
    ]


def fairness_audit(
    *,
    session: Session,
    actor: User | None,
    model_version: str | None = None,
    floor: float = DEFAULT_FLOOR,
    request_id: str | None = None,
) -> FairnessAuditPublic:
    """Per model version and group: top-10 reach against the eligible share, proposal and hire
    rates, coaches' overrides; ratios to the best-served group flagged below ``floor``.

    SR officers audit the shortlists served in their municipality; admins and the CLI (actor
    None) every shortlist. One audit-trail event records the read (it counts audit-only
    attributes, though never per person).
    """
    users = _in_municipality(actor)
    if model_version is not None and model_version != "baseline":
        known = session.exec(
            select(ModelVersion.id).where(ModelVersion.version == model_version)
        ).first()
        if known is None:
            raise NotFoundError("model version", model_version)
    stmt = select(ShortlistLog.model_version, ShortlistLog.group_counts)
    if users is not None:
        stmt = stmt.where(col(ShortlistLog.user_id).in_(users))
    if model_version is not None:
        stmt = stmt.where(ShortlistLog.model_version == model_version)
    per_version: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    shortlists: dict[str, int] = {}
    for version, counts in session.exec(stmt):
        if not counts:  # served before the audit counted groups
            continue
        agg = per_version.setdefault(version, {"eligible": {}, "top": {}})
        add_counts(agg["eligible"], counts.get("eligible", {}))
        add_counts(agg["top"], counts.get("top", {}))
        shortlists[version] = shortlists.get(version, 0) + 1
    # distinct people per group: the candidates in scope today (the served shortlists' exact
    # people are not kept; the pool they were drawn from is a close, documented stand-in)
    pool = GroupTable()
    pool_stmt = select(Candidate).where(Candidate.active == True)  # noqa: E712
    if users is not None:
        assert actor is not None
        pool_stmt = pool_stmt.where(Candidate.municipality_id == actor.municipality_id)
    pool_rows = list(session.exec(pool_stmt)) if per_version else []
    # the audit-only attributes of the same pool, in one query joined on the same conditions
    pool_audit_stmt = (
        select(AuditAttributes.candidate_id, AuditAttributes.birth_year, AuditAttributes.gender)
        .join(Candidate, col(Candidate.id) == col(AuditAttributes.candidate_id))
        .where(Candidate.active == True)  # noqa: E712
    )
    if users is not None:
        assert actor is not None
        pool_audit_stmt = pool_audit_stmt.where(Candidate.municipality_id == actor.municipality_id)
    pool_audit_only: dict[int, AuditOnly] = (
        {int(i): (b, g) for i, b, g in session.exec(pool_audit_stmt)} if pool_rows else {}
    )
    for c in pool_rows:
        assert c.id is not None
        pool.upsert(c.id, candidate_groups(c, pool_audit_only.get(c.id)))
    people = pool.count(pool.ids(), as_of=date.today()) if per_version else {}
    exposure = [
        r for v, c in per_version.items() for r in exposure_rows(v, {**c, "people": people})
    ]

    ref_stmt = select(Referral).where(col(Referral.model_version).is_not(None))
    if users is not None:
        assert actor is not None
        ref_stmt = ref_stmt.join(Candidate, Candidate.id == Referral.candidate_id).where(  # type: ignore[arg-type]
            Candidate.municipality_id == actor.municipality_id
        )
    if model_version is not None:
        ref_stmt = ref_stmt.where(Referral.model_version == model_version)
    refs = [r for r in session.exec(ref_stmt) if r.model_version in per_version]
    hired_ids = (
        set(
            session.exec(
                select(ReferralEvent.referral_id).where(
                    ReferralEvent.status == "hired",
                    col(ReferralEvent.referral_id).in_([r.id for r in refs]),
                )
            ).all()
        )
        if refs
        else set()
    )
    outcomes = _per_candidate_rows(
        session,
        (
            (
                str(r.model_version),
                r.candidate_id,
                r.created_at,
                {"proposed": 1, "hired": int(r.status == "hired" or r.id in hired_ids)},
            )
            for r in refs
        ),
    )
    ov_stmt = select(OversightDecision)
    if users is not None:
        ov_stmt = ov_stmt.where(col(OversightDecision.user_id).in_(users))
    if model_version is not None:
        ov_stmt = ov_stmt.where(OversightDecision.model_version == model_version)
    decisions = [d for d in session.exec(ov_stmt) if d.model_version in per_version]
    oversight = _per_candidate_rows(
        session,
        (
            (
                d.model_version,
                d.candidate_id,
                d.at,
                {"set_aside": int(d.kind == "set_aside"), "added": int(d.kind == "added")},
            )
            for d in decisions
        ),
    )
    table = audit_table(exposure, outcomes or None, oversight or None, floor=floor)
    rows = [FairnessRowPublic.model_validate(r) for r in table_rows(table)]
    versions = []
    for version in sorted(per_version):
        mine = table[table["model_version"] == version]
        verdict = gate(mine, floor=floor)
        versions.append(
            FairnessVersionPublic(
                model_version=version,
                shortlists=shortlists[version],
                min_ratio=verdict.min_ratio,
                flagged=len(verdict.below),
                set_aside=sum(
                    d.kind == "set_aside" for d in decisions if d.model_version == version
                ),
                added=sum(d.kind == "added" for d in decisions if d.model_version == version),
            )
        )
    record(
        session,
        user=actor,
        action="fairness.audit",
        candidate_id=None,
        request_id=request_id,
        object_type="model_version",
        object_id=model_version or "all",
        detail=f"{len(rows)} group rows over {sum(shortlists.values())} shortlists",
    )
    return FairnessAuditPublic(
        floor=floor,
        top_k=TOP_K,
        min_count=MIN_COUNT,
        versions=versions,
        data=rows,
        count=len(rows),
    )


# --- the deploy gate ---------------------------------------------------------------------------


def holdout_audit(
    *,
    result: TrainingResult,
    candidates: Mapping[int, CandidateProfile],
    vacancies: Mapping[int, VacancyProfile],
    groups: GroupTable,
    floor: float,
    taxonomy: Any = None,
) -> dict[str, Any]:
    """The hold-out fairness audit of a training run: simulated top-10 shortlists for every
    hold-out vacancy, by the ranker fitted on the training period and by the baseline, each with
    its audit rows and the gate's verdict (stored in the model version's ``fairness``)."""
    if result.held_out_ranker is None:
        raise ValueError("the training result has no hold-out ranker to audit")
    hold = [vacancies[v] for v in result.holdout_vacancy_ids if v in vacancies]
    # the pool the training drew from (built once), else one of ``candidates``
    pool = result.index
    cands = list(candidates.values()) if pool is None else []
    out: dict[str, Any] = {
        "floor": floor,
        "top_k": TOP_K,
        "min_count": MIN_COUNT,
        "as_of": result.cutoff.isoformat(),
        "n_vacancies": len(hold),
        "n_candidates": len(cands) if pool is None else len(pool),
    }
    for name, scorer in (("model", result.held_out_ranker), ("baseline", BaselineScorer())):
        counts = simulate_selection(
            cands,
            hold,
            scorer=scorer,
            groups=groups,
            as_of=result.cutoff,
            taxonomy=taxonomy,
            index=pool,
        )
        table = audit_table(exposure_rows(name, counts), floor=floor)
        out[name] = {"gate": gate(table, floor=floor).as_json(), "rows": table_rows(table)}
    return out


def override_fairness(
    *,
    session: Session,
    actor: User | None,
    version_id: int | None = None,
    version: str | None = None,
    reason: str,
    request_id: str | None = None,
    matching: MatchingService | None = None,
) -> ModelVersion:
    """Serve a model version the fairness gate held back, with the admin's reason on the record
    (the version row and the audit trail). ConflictError unless the version was held back by
    the gate alone (it beat the baseline)."""
    if actor is not None and actor.role != Role.admin:
        raise ForbiddenError("only an admin may override the fairness gate")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FieldError("reason", reason, "give the reason in at least 10 characters")
    stmt = select(ModelVersion)
    stmt = (
        stmt.where(ModelVersion.id == version_id)
        if version_id is not None
        else stmt.where(ModelVersion.version == version)
    )
    row = session.exec(stmt).first()
    if row is None:
        raise NotFoundError("model version", version_id if version_id is not None else version)
    if row.status != "gated":
        raise ConflictError(
            f"model version {row.version} has status {row.status!r}: only a version the "
            "fairness gate held back ('gated') can be served by an override"
        )
    row.fairness_override = reason[:1000]
    row.fairness_override_by = (actor.username if actor is not None else "cli")[:80]
    row.fairness_override_at = utcnow()
    row.accepted, row.status = True, "trained"
    session.add(row)
    record(
        session,
        user=actor,
        action="model.fairness_override",
        candidate_id=None,
        request_id=request_id,
        object_type="model_version",
        object_id=row.version,
        detail=reason,
    )
    session.flush()
    if matching is not None:
        from models.db import after_commit

        after_commit(session, matching.notify_model_changed)
    return row


# --- human oversight on the record -------------------------------------------------------------


def _check_choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise FieldError(field, value, f"is not allowed; allowed: {', '.join(allowed)}")


def record_oversight(
    *,
    session: Session,
    actor: User,
    vacancy_id: int,
    body: OversightCreate,
    request_id: str | None = None,
) -> OversightDecision:
    """A coach sets aside a candidate the served shortlist ranked, or adds one it did not show,
    with a reason; logged next to that shortlist (the coach's latest for the vacancy unless one
    is named). Only the coach's own candidates, on a vacancy the coach may see."""

    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    cand = get_candidate_for(session=session, user=actor, candidate_id=body.candidate_id)
    if not held_by(actor, cand):
        raise ForbiddenError(
            f"candidate_id {body.candidate_id}: held by another coach; only the coach who "
            "holds a candidate records an override for them"
        )
    _check_choice("kind", body.kind, OVERSIGHT_KINDS)
    _check_choice("reason", body.reason, OVERSIGHT_REASONS)
    note = (body.note or "").strip() or None
    if body.reason == "other" and not note:
        raise FieldError("note", "", "required when the reason is 'other'")
    stmt = select(ShortlistLog).where(
        ShortlistLog.vacancy_id == vac.id, ShortlistLog.user_id == actor.id
    )
    if body.shortlist_log_id is not None:
        stmt = stmt.where(ShortlistLog.id == body.shortlist_log_id)
    log = session.exec(stmt.order_by(col(ShortlistLog.id).desc())).first()
    if log is None:
        if body.shortlist_log_id is not None:
            raise FieldError(
                "shortlist_log_id",
                body.shortlist_log_id,
                "is not a shortlist served to you for this vacancy",
            )
        raise ConflictError(
            f"no shortlist was served to you for vacancy {vacancy_id}: open the shortlist first"
        )
    ranks = {int(e[0]): int(e[1]) for e in log.entries or []}
    rank = ranks.get(int(body.candidate_id))
    if body.kind == "set_aside" and rank is None:
        raise FieldError(
            "candidate_id",
            body.candidate_id,
            f"is not on the shortlist served (log {log.id}); set aside only a candidate it ranked",
        )
    if body.kind == "added" and rank is not None:
        raise FieldError(
            "candidate_id",
            body.candidate_id,
            f"is already on the shortlist served (rank {rank}); "
            "add only a candidate it did not show",
        )
    assert log.id is not None and vac.id is not None and cand.id is not None
    decision = OversightDecision(
        shortlist_log_id=log.id,
        vacancy_id=vac.id,
        candidate_id=cand.id,
        user_id=actor.id,
        model_version=log.model_version,
        kind=body.kind,
        reason=body.reason,
        note=note,
        rank=rank,
    )
    session.add(decision)
    record(
        session,
        user=actor,
        action=f"oversight.{body.kind}",
        candidate_id=cand.id,
        request_id=request_id,
        object_type="shortlist_log",
        object_id=log.id,
        detail=body.reason,
    )
    session.flush()
    return decision


def list_oversight(
    *, session: Session, actor: User, vacancy_id: int, request_id: str | None = None
) -> OversightsPublic:
    """The overrides recorded on a vacancy the actor may see (a coach: their own; an SR officer:
    those of the municipality's coaches), newest first."""

    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    stmt = select(OversightDecision).where(OversightDecision.vacancy_id == vac.id)
    if actor.role == Role.coach:
        stmt = stmt.where(OversightDecision.user_id == actor.id)
    else:
        stmt = stmt.where(
            col(OversightDecision.user_id).in_(
                select(User.id).where(User.municipality_id == actor.municipality_id)
            )
        )
    rows = list(session.exec(stmt.order_by(col(OversightDecision.id).desc())))
    for d in rows:
        record(
            session,
            user=actor,
            action="oversight.read",
            candidate_id=d.candidate_id,
            request_id=request_id,
            object_type="vacancy",
            object_id=vac.id,
        )
    return OversightsPublic(data=[OversightPublic.model_validate(d) for d in rows], count=len(rows))


def oversight_counts(session: Session, *, municipality_id: int | None) -> dict[str, dict[str, int]]:
    """Per model version: how many candidates coaches set aside and added (for the funnel)."""
    stmt = select(OversightDecision.model_version, OversightDecision.kind)
    if municipality_id is not None:
        stmt = stmt.join(Candidate, Candidate.id == OversightDecision.candidate_id).where(  # type: ignore[arg-type]
            Candidate.municipality_id == municipality_id
        )
    out: dict[str, dict[str, int]] = {}
    for version, kind in session.exec(stmt):
        bucket = out.setdefault(version, {"set_aside": 0, "added": 0})
        bucket[kind] = bucket.get(kind, 0) + 1
    return out
