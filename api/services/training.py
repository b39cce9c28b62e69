"""``srmatch train`` and the admin training run: learn from outcomes, evaluate, version, serve.

A run reads every candidate, vacancy and outcome, trains on outcomes before a cutoff date and
compares the ranker with the transparent baseline on the later ones (NDCG@10, recall@10, AUC).
The ranker file (skops) is written under ``SRMATCH_MODEL_DIR`` and a ``ModelVersion`` row
records its checksum and metrics. Only a run that is at least as good as the baseline is
``accepted`` and served; a failed or worse run leaves the serving model untouched.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.services.errors import NotFoundError
from api.services.matching import MatchingService
from api.services.profiles import candidate_profile, vacancy_profile
from matcher.ranker import save_ranker
from matcher.taxonomy import load_taxonomy
from matcher.training import train_and_evaluate
from models import Candidate, ModelVersion, Referral, ReferralEvent, Vacancy
from models.db import after_commit, session_scope
from models.model_versions import ModelVersionPublic, ModelVersionsPublic

METRICS = ("ndcg@10", "recall@10", "auc")


def _fmt(metrics: dict[str, Any]) -> str:
    return "  ".join(
        f"{k} {metrics[k]:.3f}" if isinstance(metrics.get(k), float) else f"{k} -" for k in METRICS
    )


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
) -> dict[str, Any]:
    """``train`` in a unit of work of its own (``srmatch train``, scripts): committed on return."""
    with session_scope(engine) as session:
        return train(
            session=session, settings=settings, if_stale=if_stale, cutoff=cutoff, seed=seed
        )


def train(
    *,
    session: Session,
    settings: Any,
    if_stale: bool = False,
    cutoff: date | None = None,
    seed: int = 7,
    matching: MatchingService | None = None,
) -> dict[str, Any]:
    """Train, evaluate and record one model version (flushed; the caller commits).

    See the module docstring. A failed run is recorded too and returned, not raised. With
    ``matching``, an accepted model is loaded into that runtime once the caller has committed
    (other processes pick it up on their next refresh).
    """
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
    candidates = {p.id: p for p in map(candidate_profile, session.exec(select(Candidate)))}
    vacancies = {p.id: p for p in map(vacancy_profile, session.exec(select(Vacancy)))}
    outcomes = [
        (cid, vid, status, day)
        for cid, vid, status, day in session.exec(
            select(
                col(Referral.candidate_id),
                col(Referral.vacancy_id),
                col(ReferralEvent.status),
                col(ReferralEvent.date),
            ).join(Referral, ReferralEvent.referral_id == Referral.id)  # type: ignore[arg-type]
        )
    ]
    version = "v" + datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:-3]
    record = ModelVersion(version=version)
    try:
        result = train_and_evaluate(
            candidates,
            vacancies,
            outcomes,
            cutoff=cutoff,
            seed=seed,
            taxonomy=load_taxonomy(),
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
    record.accepted = result.at_least_baseline
    record.status = "trained" if record.accepted else "rejected"
    session.add(record)
    session.flush()
    if matching is not None and record.accepted:
        after_commit(session, matching.notify_model_changed)
    verdict = (
        "accepted: it will be served"
        if record.accepted
        else "rejected: worse than the baseline, the serving model is unchanged"
    )
    summary = (
        f"ranker {version} trained on {result.n_train} pairs, evaluated on {result.n_test} "
        f"held-out pairs (from {result.cutoff.isoformat()})\n"
        f"  model    {_fmt(record.metrics)}\n"
        f"  baseline {_fmt(record.baseline_metrics)}\n"
        f"  {verdict}"
    )
    return {
        "status": "accepted" if record.accepted else "rejected",
        "version": version,
        "path": str(path),
        "sha256": record.sha256,
        "cutoff": record.cutoff_date,
        "n_train": result.n_train,
        "n_test": result.n_test,
        "metrics": record.metrics,
        "baseline_metrics": record.baseline_metrics,
        "summary": summary,
    }
