"""``srmatch audit fairness``, ``srmatch model card`` and ``srmatch model override-fairness`` as
an operator runs them: a real process on a real database file (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from models import AuditEvent, ModelVersion
from models.db import create_db_engine
from tests.api.cli.test_cli import run


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "fair.db"
    assert run(["db", "upgrade"], db).returncode == 0
    engine = create_db_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        s.add(
            ModelVersion(
                version="v-held",
                status="gated",
                n_train_pairs=120,
                n_test_pairs=40,
                cutoff_date="2026-03-01",
                metrics={"ndcg@10": 0.812, "recall@10": 1.0, "auc": 0.7},
                baseline_metrics={"ndcg@10": 0.8, "recall@10": 1.0, "auc": 0.65},
                training_meta={"model": "pairwise", "n_candidates": 300, "features": ["a", "b"]},
            )
        )
        s.commit()
    engine.dispose()
    return db


def test_model_card_an_override_on_the_record_and_the_audit(tmp_path: Path) -> None:
    db = _db(tmp_path)
    card = run(["model", "card", "v-held"], db)
    assert card.returncode == 0, card.stderr
    assert (
        card.stdout.startswith("# Modelkaart v-held")
        and "| ndcg@10 | 0.812 | 0.800 |" in card.stdout
    )
    as_json = run(["model", "card", "v-held", "--json"], db)
    data = json.loads(as_json.stdout)
    assert data["card"]["metrics"]["ndcg@10"] == {"model": 0.812, "baseline": 0.8}
    assert data["register"]["publication_category"] == "hoog-risico AI-systeem"
    assert data["register"]["source_data"].count("300") == 1

    short = run(["model", "override-fairness", "v-held", "ok"], db)
    assert short.returncode == 1 and short.stderr.count("\n") == 1 and "reason" in short.stderr
    reason = "SR team accepts the gap for one quarter, reviewed 2026-12-01"
    done = run(["model", "override-fairness", "v-held", reason, "--json"], db)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["accepted"] is True
    again = run(["model", "override-fairness", "v-held", reason], db)
    assert again.returncode == 1 and "'trained'" in again.stderr

    engine = create_db_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        event = s.exec(
            select(AuditEvent).where(AuditEvent.action == "model.fairness_override")
        ).one()
        assert (event.object_id, event.detail, event.role) == ("v-held", reason, "operator")
    engine.dispose()

    # the audit answers before any shortlist was served, and names an unknown version
    empty = run(["audit", "fairness", "--json"], db)
    assert empty.returncode == 0, empty.stderr
    out = json.loads(empty.stdout)
    assert (out["count"], out["floor"], out["top_k"]) == (0, 0.8, 10)
    unknown = run(["audit", "fairness", "--model", "v-none"], db)
    assert unknown.returncode == 1 and "v-none" in unknown.stderr
