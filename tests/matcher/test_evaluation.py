"""Ranking metrics agree with scikit-learn's definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import ndcg_score, roc_auc_score

from matcher.evaluation import auc, grouped_metrics, ndcg_at_k, recall_at_k


@pytest.mark.parametrize("seed", range(5))
def test_ndcg_and_auc_match_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    grades = rng.integers(0, 4, 25)
    scores = rng.random(25)  # no ties, so tie handling cannot differ
    gains = 2.0**grades - 1
    assert ndcg_at_k(grades, scores, 10) == pytest.approx(ndcg_score([gains], [scores], k=10))
    rel = grades >= 2
    assert auc(rel, scores) == pytest.approx(roc_auc_score(rel, scores))


def test_recall_and_undefined_queries() -> None:
    assert recall_at_k([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.1], k=2) == 0.5
    assert math.isnan(ndcg_at_k([0, 0], [0.3, 0.2]))
    assert math.isnan(recall_at_k([0, 0], [0.3, 0.2]))
    assert math.isnan(auc([1, 1], [0.3, 0.2]))


def test_grouped_metrics_average_over_queries() -> None:
    groups = [1, 1, 1, 2, 2, 2, 3]
    grades = [3, 0, 0, 0, 2, 0, 0]
    scores = [0.9, 0.1, 0.2, 0.9, 0.1, 0.2, 0.5]
    m = grouped_metrics(groups, grades, scores, k=2)
    assert m["n_ndcg"] == 2 and m["n_auc"] == 2 and m["n_pairs"] == 7
    assert m["auc"] == pytest.approx((1.0 + 0.0) / 2)
    assert m["recall@2"] == pytest.approx((1.0 + 0.0) / 2)
    with pytest.raises(ValueError, match="differ in length"):
        grouped_metrics([1], [1, 2], [0.1])


def test_evaluation_world_is_seeded_and_its_truth_respects_hard_rules() -> None:
    """``make eval``'s world: same seed, same world; no fit beyond the travel limit."""
    from bench.evalworld.generate import generate

    a = generate(5, n_candidates=150, n_past=20, n_future=6)
    b = generate(5, n_candidates=150, n_past=20, n_future=6)
    assert [c.row for c in a.candidates] == [c.row for c in b.candidates]
    assert [v.row for v in a.vacancies] == [v.row for v in b.vacancies]
    assert a.outcomes == b.outcomes and np.array_equal(a.fit, b.fit)
    limits = np.array([c.max_travel_km for c in a.candidates])[:, None]
    assert not (a.eligible & (a.distance > limits)).any()
    assert (a.fit[~a.eligible] == 0).all() and (a.fit <= 1).all()
    assert len(a.future()) == 6 and a.outcomes
    assert {o["vacancy_ref"] for o in a.outcomes} <= {v.ref for v in a.vacancies if not v.future}
    # the engine sees only text: no hidden id reaches the files
    written = " ".join(" ".join(c.row.values()) for c in a.candidates)
    assert "greenworker" not in written and "forkliftdriver" not in written


def test_evaluation_world_does_not_read_the_project_taxonomy() -> None:
    import ast
    from pathlib import Path

    import bench.evalworld.generate as gen

    tree = ast.parse(Path(gen.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else str(node.module)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in imported if m.startswith(("matcher", "fixtures", "api"))}
    # the only project file it reads is the PC4 table (real postcodes)
    assert gen.PC4_TABLE.parts[-2:] == ("geo", "pc4.csv")
    assert gen.WORDS.parent == Path(gen.__file__).parent
