"""``srmatch train`` and the admin training run: learn from outcomes, evaluate, version, serve.

A run reads every vacancy and outcome and the profiles of the candidates the outcomes name,
trains on outcomes before a cutoff date and compares the ranker with the transparent baseline on
the later ones (NDCG@10, recall@10, AUC). The pool it learns against (skill specificity, eligible
candidates nobody proposed, the fairness gate's simulated shortlists) is the serving index: the
server's own, or for ``srmatch train`` one loaded from the index snapshot as ``srmatch serve``
starts (read from the database when there is none), so memory stays that of one server
process instead of every candidate row at once.
The ranker file (skops) is written under ``SRMATCH_MODEL_DIR`` and a ``ModelVersion`` row
records its checksum and metrics. Only a run that is at least as good as the baseline is
``accepted`` and served; a failed or worse run leaves the serving model untouched.

The fairness gate (issue 14): top-10 shortlists are simulated for the hold-out vacancies with the
new ranker and with the baseline (``api.services.fairness.holdout_audit``); a ranker that beats
the baseline but leaves a group's ratio to the best-served group below
``Settings.fairness_floor`` is ``gated``: not served unless an admin overrides with a reason
(``override_fairness`` here, or later ``api.services.fairness.override_fairness``), which the
audit trail records. The model card's metadata (data period, counts, features) is stored too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.audit import record as audit_record
from api.services.errors import NotFoundError
from api.services.fairness import holdout_audit
from api.services.matching import MatchingService
from api.services.profiles import candidate_profile, vacancy_profile
from matcher.fairness import DEFAULT_FLOOR
from matcher.features import PAIR_COLUMNS
from matcher.profiles import CandidateProfile
from matcher.ranker import save_ranker
from matcher.training import train_and_evaluate
from models import Candidate, ModelVersion, Referral, ReferralEvent, User, Vacancy
from models.db import after_commit, session_scope
from models.model_versions import ModelVersionPublic, ModelVersionsPublic

METRICS = ("ndcg@10", "recall@10", "auc")


def _fmt(metrics: dict[str, Any]) -> str:
    return "  ".join(
        f"{k} {metrics[k]:.3f}" if isinstance(metrics.get(k), float) else f"{k} -" for k in METRICS
    )


#: the referral events the ranker learns from (see ``outcome_events``)
OUTCOME_ACTIONS: tuple[str, ...] = ("status", "introduction_requested")


def outcome_events(session: Session) -> list[tuple[int, int, str, Any]]:
    """The outcomes the ranker learns from: ``(candidate_id, vacancy_id, status, date)``.

    Status changes are outcomes as they are: a contractor's interview invitation is
    ``interviewed`` (a positive), its rejection ``rejected`` (a negative); a contractor's
    request for an introduction is interest, graded as ``introduced``; consent records and
    withdrawals are not outcomes."""
    return [
        (cid, vid, "introduced" if ev.action == "introduction_requested" else ev.status, ev.date)
        for ev, cid, vid in session.exec(
            select(ReferralEvent, col(Referral.candidate_id), col(Referral.vacancy_id))
            .join(Referral, ReferralEvent.referral_id == Referral.id)  # type: ignore[arg-type]
            .where(col(ReferralEvent.action).in_(OUTCOME_ACTIONS))
        )
    ]


def _ratio(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float | int) else "-"


def _newest_outcome(session: Session) -> datetime | None:
    return session.exec(select(func.max(ReferralEvent.created_at))).one()


def list_model_versions(
    *, session: Session, limit: int, offset: int, accepted: bool | None = None
) -> ModelVersionsPublic:
    """Training runs, newest first, with their metrics next to the baseline's."""
    where: list[Any] = []
    if accepted is not None:
        where.append(ModelVersion.accepted == accepted)
    count = session.exec(select(func.count()).select_from(ModelVersion).where(*where)).one()
    rows = session.exec(
        select(ModelVersion)
        .where(*where)
        .order_by(col(ModelVersion.created_at).desc(), col(ModelVersion.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return ModelVersionsPublic(
        data=[ModelVersionPublic.model_validate(m) for m in rows], count=int(count)
    )


def get_model_version(*, session: Session, version_id: int) -> ModelVersion:
    """One training run and its results, else NotFoundError."""
    row = session.get(ModelVersion, version_id)
    if row is None:
        raise NotFoundError("model version", version_id)
    return row


def train_model(
    engine: Engine,
    *,
    settings: Any,
    if_stale: bool = False,
    cutoff: date | None = None,
    seed: int = 7,
    override_fairness: str | None = None,
) -> dict[str, Any]:
    """``train`` in a unit of work of its own (``srmatch train``, scripts): committed on return."""
    with session_scope(engine) as session:
        return train(
            session=session,
            settings=settings,
            if_stale=if_stale,
            cutoff=cutoff,
            seed=seed,
            override_fairness=override_fairness,
        )


def train(
    *,
    session: Session,
    settings: Any,
    if_stale: bool = False,
    cutoff: date | None = None,
    seed: int = 7,
    matching: MatchingService | None = None,
    override_fairness: str | None = None,
    actor: User | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Train, evaluate and record one model version (flushed; the caller commits).

    See the module docstring. A failed run is recorded too and returned, not raised. With
    ``matching``, an accepted model is loaded into that runtime once the caller has committed
    (other processes pick it up on their next refresh). ``override_fairness`` is an admin's
    reason to serve the model even if the fairness gate holds it back (recorded, audited).
    """
    if override_fairness is not None and len(override_fairness.strip()) < 10:
        from api.services.errors import FieldError

        raise FieldError(
            "override_fairness", override_fairness, "give the reason in at least 10 characters"
        )
    newest = session.exec(
        select(ModelVersion)
        .where(ModelVersion.status != "failed")
        .order_by(col(ModelVersion.created_at).desc())
    ).first()
    last_outcome = _newest_outcome(session)
    if (
        if_stale
        and newest is not None
        and (last_outcome is None or last_outcome <= newest.created_at)
    ):
        return {
            "status": "up_to_date",
            "version": newest.version,
            "summary": f"ranker {newest.version} is up to date: no outcome recorded since",
        }
    if last_outcome is None:
        return {
            "status": "no_history",
            "version": None,
            "summary": "no outcomes recorded yet: the baseline score serves until there are",
        }
    vacancies = {p.id: p for p in map(vacancy_profile, session.exec(select(Vacancy)))}
    outcomes = outcome_events(session)
    # the pool: this server's index, or one loaded from the snapshot (else read from the
    # database) as `srmatch serve` would; never every candidate row at once
    pool = matching if matching is not None and matching.ready else None
    if pool is None:
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        pool = MatchingService(engine=engine, settings=settings)
        pool.start(background=False)
    index, groups = pool.candidates, pool.groups
    # profiles only of the candidates the outcomes name (some may have left the pool since)
    candidates: dict[int, CandidateProfile] = {}
    named = sorted({int(o[0]) for o in outcomes})
    for at in range(0, len(named), 900):
        chunk = named[at : at + 900]
        for row in session.exec(select(Candidate).where(col(Candidate.id).in_(chunk))):
            candidates[int(row.id or 0)] = candidate_profile(row)
    version = "v" + datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:-3]
    record = ModelVersion(version=version)
    try:
        result = train_and_evaluate(
            candidates,
            vacancies,
            outcomes,
            cutoff=cutoff,
            seed=seed,
            taxonomy=pool.taxonomy,
            index=index,
        )
    except ValueError as exc:
        record.status, record.notes = "failed", str(exc)[:2000]
        session.add(record)
        session.flush()
        return {
            "status": "failed",
            "version": version,
            "summary": f"training failed, serving model unchanged: {exc}",
        }
    model_dir = Path(settings.model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    path = (model_dir / f"ranker-{version}.skops").resolve()  # valid from any working dir
    record.sha256 = save_ranker(result.ranker, path, version=version)
    record.path = str(path)
    record.n_train_pairs, record.n_test_pairs = result.n_train, result.n_test
    record.cutoff_date = result.cutoff.isoformat()
    record.metrics = {k: result.metrics.get(k) for k in METRICS}
    record.baseline_metrics = {k: result.baseline_metrics.get(k) for k in METRICS}
    floor = float(getattr(settings, "fairness_floor", DEFAULT_FLOOR))
    record.fairness = holdout_audit(
        result=result,
        candidates=candidates,
        vacancies=vacancies,
        groups=groups,
        floor=floor,
        taxonomy=pool.taxonomy,
    )
    record.fairness_passed = bool(record.fairness["model"]["gate"]["passed"])
    record.training_meta = {
        "model": result.model,
        "seed": seed,
        "blend": result.extra.get("blend"),
        "first_proposal": result.extra.get("first_proposal"),
        "last_proposal": result.extra.get("last_proposal"),
        "cutoff": result.cutoff.isoformat(),
        "n_candidates": len(index),
        "n_vacancies": len(vacancies),
        "n_outcome_events": len(outcomes),
        "n_pairs": result.extra.get("n_pairs"),
        "n_pair_candidates": result.extra.get("n_candidates"),
        "n_pair_vacancies": result.extra.get("n_vacancies"),
        "n_train": result.n_train,
        "n_test": result.n_test,
        "n_unproposed": result.extra.get("n_unproposed"),
        "n_skipped": result.n_skipped,
        "pair_columns": list(PAIR_COLUMNS),
        "features": list(getattr(result.ranker, "feature_names_", [])),
        "neutral_columns": list(getattr(result.ranker, "neutral_columns_", [])),
        "model_only_metrics": {
            k: result.extra.get("model_only_metrics", {}).get(k) for k in METRICS
        },
    }
    overridden = False
    if not result.at_least_baseline:
        record.accepted, record.status = False, "rejected"
    elif record.fairness_passed:
        record.accepted, record.status = True, "trained"
    elif override_fairness is not None:
        record.accepted, record.status, overridden = True, "trained", True
        record.fairness_override = override_fairness.strip()[:1000]
        record.fairness_override_by = (actor.username if actor is not None else "cli")[:80]
        record.fairness_override_at = datetime.now(UTC)
    else:
        record.accepted, record.status = False, "gated"
    session.add(record)
    if overridden:
        audit_record(
            session,
            user=actor,
            action="model.fairness_override",
            candidate_id=None,
            request_id=request_id,
            object_type="model_version",
            object_id=version,
            detail=record.fairness_override,
        )
    session.flush()
    if matching is not None and record.accepted:
        after_commit(session, matching.notify_model_changed)
    gate = record.fairness["model"]["gate"]
    base_gate = record.fairness["baseline"]["gate"]
    verdict = {
        "trained": "accepted: it will be served"
        + (" (fairness gate overridden by an admin)" if overridden else ""),
        "rejected": "rejected: worse than the baseline, the serving model is unchanged",
        "gated": "held back by the fairness gate: not served unless an admin overrides "
        "(srmatch train --override-fairness REASON, or the admin's training page)",
    }[record.status]
    summary = (
        f"ranker {version} trained on {result.n_train} pairs, evaluated on {result.n_test} "
        f"held-out pairs (from {result.cutoff.isoformat()})\n"
        f"  model    {_fmt(record.metrics)}\n"
        f"  baseline {_fmt(record.baseline_metrics)}\n"
        f"  fairness (hold-out top {record.fairness['top_k']}, floor {floor:.2f}): "
        f"model min ratio {_ratio(gate['min_ratio'])}, "
        f"baseline min ratio {_ratio(base_gate['min_ratio'])}"
        + ("" if base_gate["passed"] else " (the baseline is below the floor too)")
        + "".join(
            f"\n    below the floor: {b['dimension']} {b['group']} {b['ratio']:.3f}"
            for b in gate["below"]
        )
        + f"\n  {verdict}"
    )
    return {
        "status": "accepted" if record.accepted else record.status,
        "version": version,
        "path": str(path),
        "sha256": record.sha256,
        "cutoff": record.cutoff_date,
        "n_train": result.n_train,
        "n_test": result.n_test,
        "metrics": record.metrics,
        "baseline_metrics": record.baseline_metrics,
        "fairness": {"model": gate, "baseline": base_gate},
        "fairness_override": record.fairness_override,
        "summary": summary,
    }
