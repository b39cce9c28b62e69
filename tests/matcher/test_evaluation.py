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
