"""Ranking metrics, computed per vacancy and averaged over vacancies.

A shortlist is judged against what happened to the candidates who were actually put forward for
a vacancy (its labelled pairs): each vacancy is one ranking "query". Metrics per query:

``ndcg_at_k``
    Normalised discounted cumulative gain of the top k by score, with graded relevance
    (hired 3, interviewed 2, introduced 1, otherwise 0) and gain ``2**rel - 1``. Queries with no
    relevant pair are skipped (their ideal DCG is 0).
``recall_at_k``
    Share of the query's relevant pairs (grade >= ``positive_grade``) that are in the top k.
    Queries without a relevant pair are skipped.
``auc``
    Probability that a relevant pair outscores an irrelevant one of the same vacancy (ties count
    half). Queries without both kinds are skipped.

``grouped_metrics(groups, grades, scores, *, k=10, positive_grade=2)`` returns the means, and
how many queries each one averaged over. Ties in scores are broken by input order, identically
for every scorer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import rankdata


def _order(scores: np.ndarray) -> np.ndarray:
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def ndcg_at_k(grades: Any, scores: Any, k: int = 10) -> float:
    """NDCG@k of one query; ``nan`` when no grade is positive.

    Examples
    --------
    >>> ndcg_at_k([3, 0, 0], [0.9, 0.5, 0.1])
    1.0
    >>> round(ndcg_at_k([0, 3], [0.9, 0.1]), 3)
    0.631
    """
    g = np.asarray(grades, dtype=np.float64)
    gains = 2.0**g - 1.0
    disc = 1.0 / np.log2(np.arange(2, min(k, len(g)) + 2))
    ideal = float(np.sort(gains)[::-1][:k] @ disc)
    if ideal == 0:
        return float("nan")
    return float(gains[_order(scores)][:k] @ disc) / ideal


def recall_at_k(relevant: Any, scores: Any, k: int = 10) -> float:
    """Share of relevant items in the top k; ``nan`` when none is relevant.

    Examples
    --------
    >>> recall_at_k([True, False, True], [0.9, 0.8, 0.1], k=2)
    0.5
    """
    r = np.asarray(relevant, dtype=bool)
    if not r.any():
        return float("nan")
    return float(r[_order(scores)][:k].sum() / r.sum())


def auc(relevant: Any, scores: Any) -> float:
    """ROC AUC of one query; ``nan`` unless both classes occur.

    Examples
    --------
    >>> auc([True, False, False], [0.9, 0.9, 0.1])
    0.75
    """
    r = np.asarray(relevant, dtype=bool)
    n_pos, n_neg = int(r.sum()), int((~r).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=np.float64))
    return float((ranks[r].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def grouped_metrics(
    groups: Any, grades: Any, scores: Any, *, k: int = 10, positive_grade: int = 2
) -> dict[str, float]:
    """Mean NDCG@k, recall@k and AUC over queries (e.g. vacancies).

    Returns keys ``ndcg@{k}``, ``recall@{k}``, ``auc`` and the number of queries behind each
    (``n_ndcg``, ``n_recall``, ``n_auc``) plus ``n_pairs``.

    Examples
    --------
    >>> m = grouped_metrics([1, 1, 2, 2], [3, 0, 0, 2], [0.9, 0.1, 0.8, 0.2])
    >>> m["ndcg@10"] < 1.0, m["auc"]
    (True, 0.5)
    """
    g = np.asarray(groups)
    y = np.asarray(grades, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    if not (len(g) == len(y) == len(s)):
        raise ValueError(f"groups, grades, scores differ in length: {len(g)}, {len(y)}, {len(s)}")
    order = np.argsort(g, kind="stable")
    g, y, s = g[order], y[order], s[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(g)]
    nd, rc, au = [], [], []
    for a, b in zip(starts, ends, strict=True):  # one iteration per query
        yy, ss = y[a:b], s[a:b]
        rel = yy >= positive_grade
        nd.append(ndcg_at_k(yy, ss, k))
        rc.append(recall_at_k(rel, ss, k))
        au.append(auc(rel, ss))

    def mean(xs: list[float]) -> tuple[float, int]:
        arr = np.array(xs, dtype=np.float64)
        ok = ~np.isnan(arr)
        return (float(arr[ok].mean()) if ok.any() else float("nan")), int(ok.sum())

    (m_nd, n_nd), (m_rc, n_rc), (m_au, n_au) = mean(nd), mean(rc), mean(au)
    return {
        f"ndcg@{k}": m_nd,
        f"recall@{k}": m_rc,
        "auc": m_au,
        "n_ndcg": n_nd,
        "n_recall": n_rc,
        "n_auc": n_au,
        "n_pairs": int(len(y)),
    }
