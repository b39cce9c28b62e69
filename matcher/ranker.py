"""Scoring candidate-vacancy pairs: a transparent baseline and a trainable ranker.

Both scorers share one protocol, used by :mod:`matcher.shortlist`:
``score_features(F) -> ndarray`` maps raw pair columns (``matcher.features.PAIR_COLUMNS``, one
row per pair) to scores in 0..1, higher is better.

``BaselineScorer``
    A weighted sum of bounded terms with published weights (``BASELINE_WEIGHTS``): required
    skills 0.35, occupation 0.20, optional skills 0.10, travel 0.10, hours 0.10, education 0.075,
    Dutch 0.075. Needs no history. The participatieladder and months out of work are
    deliberately neutral in the baseline: a tool that prefers those closest to work feeds
    "creaming".
``RelevanceModel``
    The numeric core: a classifier on the raw pair matrix. ``kind="hgb"`` is a
    HistGradientBoostingClassifier monotone in the skill, occupation, hours and travel columns
    (more required skills can never lower a score); ``kind="logistic"`` is a standardised
    logistic regression; ``kind="pairwise"`` learns to rank: a linear scorer fitted as a logistic
    regression on differences of standardised pairs of the same vacancy (``groups``) with
    different grades (RankSVM-style, with a logistic loss), then calibrated to probabilities by a
    one-feature logistic regression on its score. Honest scikit-learn estimator (checked with
    ``parametrize_with_checks``).
``SRRanker``
    ``Pipeline([("pairs", PairFeaturizer()), ("model", RelevanceModel())])`` trained on graded
    outcomes (hired 3, interviewed 2, introduced 1, rest 0; positive = grade >=
    ``positive_grade``), blended with the baseline: ``score = blend_ * p_model + (1 - blend_) *
    baseline`` where ``blend_ = n_positive / (n_positive + blend_prior)`` is learned in ``fit``, so
    with little history the baseline dominates (or, with ``blend_cv``, chosen by cross-validation
    over vacancies). The pairwise model gives ``PERSON_COLUMNS`` (participatieladder, months out
    of work) no weight, as the baseline does. The served ranker is the pairwise ranking model
    (``model="pairwise"``, :data:`matcher.training.DEFAULT_MODEL`: it beats the baseline on the
    demo hold-out and on evaluation worlds it was not tuned on, see ``make eval``); the
    estimator's own parameter default ``model="logistic"`` is the cheap linear model for small
    fits.
``save_ranker(ranker, path, *, version) -> sha256`` / ``load_ranker(path) -> SRRanker``
    skops.io files, loaded only with the reviewed ``TRUSTED_TYPES``; the version string and the
    feature names are stored with the model and checked on load.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import ThreadpoolController

from matcher.evaluation import ndcg_at_k
from matcher.features import COL, PAIR_COLUMNS, PairFeaturizer

#: Weights of the transparent baseline terms (they sum to 1).
BASELINE_WEIGHTS: dict[str, float] = {
    "required_skills": 0.35,
    "occupation": 0.20,
    "optional_skills": 0.10,
    "travel": 0.10,
    "hours": 0.10,
    "education": 0.075,
    "dutch": 0.075,
}

#: Monotone direction of the model in a column (+1 never lowers the score when it grows).
MONOTONE: dict[str, int] = {
    "required_skill_share": 1,
    "required_skills_missing": -1,
    "optional_skill_share": 1,
    "occupation_match": 1,
    "distance_share": -1,
    "hours_fit": 1,
    "specific_skill_share": 1,
    "specific_optional_share": 1,
    "isco_unit_match": 1,
    "isco_minor_match": 1,
    # more than asked is never worse: no learned "over-qualified" penalty (education, Dutch),
    # and listing more skills never lowers a score
    "education_gap": 1,
    "dutch_gap": 1,
    "profile_skill_count": 1,
}

#: Columns about the person rather than the fit of person and job: the learned pairwise model
#: gives them no weight (``SRRanker(neutral_person=True)``). Outcomes follow the coaches' past
#: choices; a model that learned "recently out of work, higher on the ladder" from them would
#: push down the people social return is for ("creaming"), and these are the fairness audit's
#: own dimensions. The baseline leaves them neutral for the same reason.
PERSON_COLUMNS: tuple[str, ...] = (
    "ladder_step",
    "ladder_unknown",
    "months_out_of_work",
    "months_out_of_work_unknown",
)

#: Model weights ``blend_`` tried by ``SRRanker(blend_cv=k)``.
BLEND_GRID: tuple[float, ...] = tuple(i / 10 for i in range(11))

#: Outcome status to graded relevance.
GRADES: dict[str, int] = {
    "hired": 3,
    "interviewed": 2,
    "introduced": 1,
    "proposed": 0,
    "rejected": 0,
    "withdrawn": 0,
}

FILE_FORMAT = "srmatch-ranker/1"

_CONTROLLER: ThreadpoolController | None = None


def _thread_limit(n: int | None) -> Any:
    """Limit OpenMP/BLAS threads; the library scan is done once (it costs ~10 ms)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=n)


#: Types a ranker file may contain beyond skops' defaults (builtins, numpy, and scikit-learn's own
#: estimators, which skops already trusts). Reviewed: our own four classes, and the tree
#: predictor a fitted HistGradientBoostingClassifier holds. Anything else refuses to load.
TRUSTED_TYPES: tuple[str, ...] = (
    "matcher.features.PairFeaturizer",
    "matcher.ranker.BaselineScorer",
    "matcher.ranker.RelevanceModel",
    "matcher.ranker.SRRanker",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
)


class BaselineScorer:
    """Transparent score in 0..1 from raw pair columns; works with no history at all.

    Parameters
    ----------
    weights : mapping, optional
        Term weights (default ``BASELINE_WEIGHTS``); they are normalised to sum to 1.

    Examples
    --------
    >>> F = np.zeros((1, len(PAIR_COLUMNS)))
    >>> F[0, COL["required_skill_share"]] = 1.0; F[0, COL["hours_fit"]] = 1.0
    >>> round(float(BaselineScorer().score_features(F)[0]), 3)
    0.7
    """

    def __init__(self, weights: Mapping[str, float] | None = None) -> None:
        self.weights = dict(weights or BASELINE_WEIGHTS)
        unknown = set(self.weights) - set(BASELINE_WEIGHTS)
        if unknown:
            raise ValueError(
                f"unknown baseline terms {sorted(unknown)}; allowed: {list(BASELINE_WEIGHTS)}"
            )

    def terms(self, F: np.ndarray) -> np.ndarray:
        """Each baseline term in 0..1, shape (n, len(BASELINE_WEIGHTS))."""
        F = np.asarray(F, dtype=np.float64)

        def level(gap: np.ndarray, unknown: np.ndarray) -> np.ndarray:
            # meets the minimum: 1; each level short costs half; unknown: 0.5
            return np.where(unknown > 0, 0.5, np.clip(1.0 + 0.5 * np.minimum(gap, 0.0), 0.0, 1.0))

        cols = {
            "required_skills": F[:, COL["required_skill_share"]],
            "occupation": F[:, COL["occupation_match"]],
            "optional_skills": F[:, COL["optional_skill_share"]],
            "travel": np.clip(1.0 - F[:, COL["distance_share"]], 0.0, 1.0),
            "hours": F[:, COL["hours_fit"]],
            "education": level(F[:, COL["education_gap"]], F[:, COL["education_unknown"]]),
            "dutch": level(F[:, COL["dutch_gap"]], F[:, COL["dutch_unknown"]]),
        }
        return np.column_stack([cols[k] for k in BASELINE_WEIGHTS])

    def score_features(self, F: np.ndarray) -> np.ndarray:
        """Baseline score per row of raw pair columns."""
        w = np.array([self.weights.get(k, 0.0) for k in BASELINE_WEIGHTS])
        total = w.sum()
        return np.asarray(self.terms(F) @ (w / (total if total > 0 else 1.0)))

    def score_pairs(self, X: Any) -> np.ndarray:
        """Baseline score for profile pairs or a frame of pair columns."""
        return self.score_features(PairFeaturizer().transform(X).to_numpy())


class RelevanceModel(ClassifierMixin, BaseEstimator):
    """Classifier on the numeric pair matrix: gradient boosting or logistic regression.

    Parameters
    ----------
    kind : {"hgb", "logistic", "pairwise"}
        Model family.
    learning_rate, max_iter, max_leaf_nodes, l2_regularization : gradient boosting settings.
    C : float
        Inverse regularisation strength of the logistic and pairwise models.
    max_pairs : int
        At most this many ranking pairs (a seeded sample beyond it) for ``kind="pairwise"``.
    exclude : tuple of str
        Columns (by name) the pairwise model gives no weight at all (``kind="pairwise"`` only).
    monotone : bool
        Constrain the boosting model to ``MONOTONE`` in the columns present by name; for the
        pairwise model, a column whose weight comes out against its ``MONOTONE`` direction is
        left out (weight 0) and the rest refitted, so more required skills never lower a score.
    n_threads : int or None
        OpenMP/BLAS threads while fitting and predicting (None: the library default). One
        thread is the default: on a shared 2-core host, two spinning OpenMP threads made a
        500-row fit take 20 s instead of 0.3 s, and shortlists are small batches anyway.
    random_state : int or None

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [0.8], [1.0]]); y = np.array([0, 0, 1, 1])
    >>> RelevanceModel(kind="logistic").fit(X, y).predict(np.array([[0.9]])).tolist()
    [1]
    >>> m = RelevanceModel(kind="pairwise").fit(X, y, groups=np.array([1, 1, 1, 1]))
    >>> m.predict(np.array([[0.1], [0.9]])).tolist()
    [0, 1]
    """

    def __init__(
        self,
        kind: str = "hgb",
        *,
        learning_rate: float = 0.1,
        max_iter: int = 100,
        max_leaf_nodes: int = 15,
        l2_regularization: float = 1.0,
        C: float = 1.0,
        max_pairs: int = 200_000,
        exclude: tuple[str, ...] = (),
        monotone: bool = True,
        n_threads: int | None = 1,
        random_state: int | None = None,
    ) -> None:
        self.kind = kind
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.C = C
        self.max_pairs = max_pairs
        self.exclude = exclude
        self.monotone = monotone
        self.n_threads = n_threads
        self.random_state = random_state

    def fit(
        self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None, grades: Any = None
    ) -> RelevanceModel:
        """Fit on a numeric matrix (feature names, when given, enable monotone constraints).

        ``groups`` (e.g. the vacancy of each row) and ``grades`` (finer relevance than the
        classes, e.g. hired 3 > interviewed 2) only matter for ``kind="pairwise"``: ranking
        pairs are formed within a group (all rows are one group when None), ordered by grade
        (by class when None).
        """
        if self.kind not in ("hgb", "logistic", "pairwise"):
            raise ValueError(
                f"kind={self.kind!r} is not supported; allowed: 'hgb', 'logistic', 'pairwise'"
            )
        if self.exclude and self.kind != "pairwise":
            raise ValueError(f"exclude={self.exclude!r} is only supported for kind='pairwise'")
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if self.kind == "pairwise":
            return self._fit_pairwise(X, y, sample_weight, groups, grades)
        estimator: Any
        if self.kind == "hgb":
            names = list(getattr(self, "feature_names_in_", []))
            cst = [MONOTONE.get(str(n), 0) for n in names] if (self.monotone and names) else None
            estimator = HistGradientBoostingClassifier(
                learning_rate=self.learning_rate,
                max_iter=self.max_iter,
                max_leaf_nodes=self.max_leaf_nodes,
                l2_regularization=self.l2_regularization,
                monotonic_cst=cst if len(self.classes_) == 2 else None,
                early_stopping=False,
                random_state=self.random_state,
            )
        else:
            estimator = Pipeline(
                [
                    ("scale", StandardScaler()),
                    ("logit", LogisticRegression(C=self.C, max_iter=1000)),
                ]
            )
        with _thread_limit(self.n_threads):
            self.estimator_ = clone(estimator).fit(X, y, **_weights(estimator, sample_weight))
        last = self.estimator_[-1] if isinstance(self.estimator_, Pipeline) else self.estimator_
        self.n_iter_ = int(np.max(last.n_iter_))
        return self

    def _fit_pairwise(
        self, X: np.ndarray, y: np.ndarray, sample_weight: Any, groups: Any, grades: Any
    ) -> RelevanceModel:
        n = X.shape[0]
        w = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        g = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups)
        rank = np.searchsorted(self.classes_, y) if grades is None else np.asarray(grades)
        if len(g) != n or len(rank) != n or len(w) != n:
            raise ValueError(f"groups, grades and sample_weight need {n} entries, one per row")
        if len(np.unique(y[w > 0])) < 2:
            raise ValueError(
                "kind='pairwise' needs rows of at least 2 classes with positive weight; the "
                "data contains only one class"
            )
        self.scaler_ = StandardScaler().fit(X, sample_weight=w)
        Z = self.scaler_.transform(X)
        better, worse = _ranking_pairs(g, rank)
        rng = np.random.default_rng(self.random_state)
        weighted = (w[better] > 0) & (w[worse] > 0)
        better, worse = better[weighted], worse[weighted]
        if len(better) > self.max_pairs:
            keep = np.sort(rng.choice(len(better), self.max_pairs, replace=False))
            better, worse = better[keep], worse[keep]
        names = [str(n) for n in getattr(self, "feature_names_in_", [])]
        free = np.array([n not in self.exclude for n in names], dtype=bool)
        if len(free) != X.shape[1]:  # no names (a plain array): nothing to leave out
            free = np.ones(X.shape[1], dtype=bool)
        if len(better) == 0 or not free.any():  # nothing to order or to order by: no preference
            self.coef_ = np.zeros(X.shape[1])
            self.n_iter_ = 0
        else:
            D = Z[better] - Z[worse]
            pw = np.r_[w[better] * w[worse], w[better] * w[worse]]
            target = np.r_[np.ones(len(D)), np.zeros(len(D))]
            sign = np.array([MONOTONE.get(n, 0) for n in names] if self.monotone else [])
            self.coef_ = np.zeros(X.shape[1])
            for _ in range(X.shape[1]):  # drop columns whose weight has the wrong sign, refit
                ranker = LogisticRegression(C=self.C, fit_intercept=False, max_iter=1000)
                with _thread_limit(self.n_threads):
                    ranker.fit(np.vstack([D[:, free], -D[:, free]]), target, pw)
                self.coef_[:] = 0.0
                self.coef_[free] = ranker.coef_.ravel()
                wrong = (sign * self.coef_ < 0) if len(sign) else np.zeros(len(free), bool)
                if not wrong.any():
                    break
                free &= ~wrong
            self.n_iter_ = int(np.max(ranker.n_iter_))
        score = (Z @ self.coef_)[:, None]
        self.calibrator_ = LogisticRegression(C=100.0, max_iter=1000).fit(score, y, w)
        self.estimator_ = None
        return self

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        # a ranker: one linear score orders the classes, so it cannot separate arbitrary
        # (non-ordinal) multi-class data; scikit-learn's training-accuracy check does not apply
        tags.classifier_tags.poor_score = self.kind == "pairwise"
        return tags

    def decision_scores(self, X: Any) -> np.ndarray:
        """The learned ranking score of ``kind="pairwise"`` (higher ranks first)."""
        check_is_fitted(self)
        if self.kind != "pairwise":
            raise ValueError("decision_scores is only defined for kind='pairwise'")
        X = validate_data(self, X, reset=False)
        return np.asarray(self.scaler_.transform(X) @ self.coef_)

    def _proba(self, X: np.ndarray) -> np.ndarray:
        if self.kind == "pairwise":
            score = (self.scaler_.transform(X) @ self.coef_)[:, None]
            return np.asarray(self.calibrator_.predict_proba(score))
        return np.asarray(self.estimator_.predict_proba(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        with _thread_limit(self.n_threads):
            return self._proba(X)

    def positive_proba(self, F: np.ndarray) -> np.ndarray:
        """Probability of the last class for a numeric matrix in training column order.

        The serving fast path: no DataFrame and no per-call validation beyond the width (the
        column names were checked when the model was loaded).
        """
        check_is_fitted(self)
        F = np.asarray(F, dtype=np.float64)
        if F.ndim != 2 or F.shape[1] != self.n_features_in_:
            raise ValueError(f"X has shape {F.shape}; expected (n, {self.n_features_in_})")
        if self.kind == "pairwise" and len(self.calibrator_.classes_) == 2:
            # the scaler folded into the weights: one matrix-vector product over the raw
            # columns instead of a standardised copy of them (the same score, to rounding)
            w = self.coef_ / self.scaler_.scale_
            score = F @ w - float(self.scaler_.mean_ @ w)
            cal = self.calibrator_
            return np.asarray(expit(float(cal.coef_[0, 0]) * score + float(cal.intercept_[0])))
        with _thread_limit(self.n_threads):
            return self._proba(F)[:, -1]

    def predict(self, X: Any) -> np.ndarray:
        """Most likely class."""
        proba = self.predict_proba(X)
        return np.asarray(self.classes_[np.argmax(proba, axis=1)])


def _ranking_pairs(groups: np.ndarray, grades: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (better, worse) of every pair in one group with a higher grade first."""
    order = np.lexsort((grades, groups))
    g, r = groups[order], grades[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    better: list[np.ndarray] = []
    worse: list[np.ndarray] = []
    for a, b in zip(starts, ends, strict=True):  # one iteration per group (vacancy)
        idx = order[a:b]
        gi = r[a:b]
        hi, lo = np.nonzero(gi[:, None] > gi[None, :])
        better.append(idx[hi])
        worse.append(idx[lo])
    if not better:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(better).astype(np.int64), np.concatenate(worse).astype(np.int64)


def _weights(estimator: Any, sample_weight: Any) -> dict[str, Any]:
    if sample_weight is None:
        return {}
    if isinstance(estimator, Pipeline):
        return {"scale__sample_weight": sample_weight, "logit__sample_weight": sample_weight}
    return {"sample_weight": sample_weight}


class SRRanker(BaseEstimator):
    """Trainable ranker for candidate-vacancy pairs, blended with the baseline.

    Parameters
    ----------
    model : {"hgb", "logistic", "pairwise"}
        Family of the ``RelevanceModel`` step; training serves ``"pairwise"``
        (:data:`matcher.training.DEFAULT_MODEL`).
    blend_prior : float
        Without ``blend_cv`` (or too few vacancies for it): positive outcomes at which model and
        baseline weigh equally; ``blend_`` = n_positive / (n_positive + blend_prior).
    blend_cv : int
        Choose ``blend_`` from ``BLEND_GRID`` by ``blend_cv``-fold cross-validation over the
        vacancies (``groups``): NDCG@10 of the blended score on the left-out vacancies' recorded
        pairs, the smallest model weight within one standard error of the best. Only the
        training data is used, so a hold-out stays honest; with little or no signal in the
        outcomes this keeps the baseline (0).
        0 or no ``groups``: the ``blend_prior`` rule.
    neutral_person : bool
        The pairwise model gives ``PERSON_COLUMNS`` no weight.
    positive_grade : int
        Lowest grade counted as a positive outcome (2: interviewed or hired).
    grade_weighting : bool
        Weigh each pair by 1 + its grade, so hires count more than interviews.
    isco_of : mapping, optional
        Occupation id to ISCO-08 code, for profile-pair input.
    random_state : int or None

    Attributes
    ----------
    pipeline_ : Pipeline
        ``PairFeaturizer`` then ``RelevanceModel``.
    blend_ : float
        Weight of the model's probability in the score.
    blend_scores_ : dict
        Cross-validated NDCG@10 per tried blend (``str(blend)`` -> mean; empty without CV).
    feature_names_ : list of str
        The pipeline's feature names (``PAIR_COLUMNS``).
    neutral_columns_ : list of str
        The columns the model gave no weight (``PERSON_COLUMNS`` with ``neutral_person``).
    n_pairs_, n_positive_ : int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> F = rng.random((200, len(PAIR_COLUMNS)))
    >>> y = (F[:, COL["required_skill_share"]] > 0.5).astype(int) * 2
    >>> r = SRRanker(model="logistic", blend_prior=10).fit(F, y)
    >>> bool(r.score_pairs(F[:5]).min() >= 0), 0 < r.blend_ < 1
    (True, True)
    """

    def __init__(
        self,
        model: str = "logistic",
        *,
        blend_prior: float = 100.0,
        blend_cv: int = 0,
        neutral_person: bool = True,
        positive_grade: int = 2,
        grade_weighting: bool = False,
        isco_of: Mapping[str, str] | None = None,
        random_state: int | None = None,
    ) -> None:
        self.model = model
        self.blend_prior = blend_prior
        self.blend_cv = blend_cv
        self.neutral_person = neutral_person
        self.positive_grade = positive_grade
        self.grade_weighting = grade_weighting
        self.isco_of = isco_of
        self.random_state = random_state

    def fit(self, X: Any, y: Any, groups: Any = None, recorded: Any = None) -> SRRanker:
        """Learn from pairs ``X`` with graded relevance ``y`` (0..3).

        ``groups`` (the vacancy of each pair) lets ``model="pairwise"`` learn from the order of
        candidates put forward for the same vacancy, and ``blend_cv`` leave vacancies out; other
        models ignore it. ``recorded`` (bool per pair, default all) marks the pairs that are
        recorded outcomes rather than sampled unproposed candidates: the blend is chosen by how
        the left-out recorded pairs are ordered, as the hold-out judges it.
        """
        y = np.asarray(y)
        if y.ndim != 1 or not np.issubdtype(y.dtype, np.number):
            raise ValueError(f"y must be a 1-D array of grades 0..3, got shape {y.shape}")
        bad = sorted(set(np.unique(y).tolist()) - {0, 1, 2, 3})
        if bad:
            raise ValueError(f"y holds grades {bad}; allowed: 0, 1, 2, 3 (see GRADES)")
        if self.blend_prior < 0:
            raise ValueError(f"blend_prior={self.blend_prior} must be >= 0")
        yb = (y >= self.positive_grade).astype(np.int64)
        if yb.min() == yb.max():
            raise ValueError(
                f"all {len(y)} pairs are {'positive' if yb[0] else 'negative'} at "
                f"positive_grade={self.positive_grade}; training needs both"
            )
        if self.blend_cv < 0 or self.blend_cv == 1:
            raise ValueError(f"blend_cv={self.blend_cv} must be 0 (off) or at least 2 folds")
        exclude = PERSON_COLUMNS if (self.neutral_person and self.model == "pairwise") else ()
        pipeline = Pipeline(
            [
                ("pairs", PairFeaturizer(isco_of=self.isco_of)),
                (
                    "model",
                    RelevanceModel(
                        kind=self.model, exclude=exclude, random_state=self.random_state
                    ),
                ),
            ]
        )
        g = None if groups is None else np.asarray(groups)
        frame = pipeline[0].fit_transform(X)
        self.baseline_ = BaselineScorer()
        rec = np.ones(len(y), dtype=bool) if recorded is None else np.asarray(recorded, bool)
        if len(rec) != len(y):
            raise ValueError(f"recorded has {len(rec)} entries; expected {len(y)}, one per pair")
        self.blend_scores_, chosen = self._cross_validate_blend(pipeline, frame, y, yb, g, rec)
        self.pipeline_ = pipeline.fit(frame, yb, **self._fit_params(y, g))
        self.n_pairs_ = int(len(y))
        self.n_positive_ = int(yb.sum())
        if chosen is not None:
            self.blend_ = chosen
        else:
            self.blend_ = float(self.n_positive_ / (self.n_positive_ + self.blend_prior))
        self.feature_names_ = [str(n) for n in self.pipeline_[:-1].get_feature_names_out()]
        self.neutral_columns_ = list(exclude)
        return self

    def _fit_params(self, y: np.ndarray, groups: np.ndarray | None) -> dict[str, Any]:
        params: dict[str, Any] = {"model__sample_weight": 1.0 + y} if self.grade_weighting else {}
        if self.model == "pairwise":
            params["model__grades"] = y
            if groups is not None:
                params["model__groups"] = groups
        return params

    def _cross_validate_blend(
        self,
        pipeline: Pipeline,
        frame: pd.DataFrame,
        y: np.ndarray,
        yb: np.ndarray,
        groups: np.ndarray | None,
        recorded: np.ndarray,
    ) -> tuple[dict[str, float], float | None]:
        """Mean NDCG@10 on left-out vacancies per blend of ``BLEND_GRID``, and the blend chosen.

        The choice follows the one-standard-error rule towards the baseline: the smallest model
        weight whose per-vacancy NDCG@10 is, on average, within one standard error of the best
        blend's. Outcomes that are mostly noise thus keep the baseline (0) instead of whichever
        blend the noise favoured. ``({}, None)`` when there is too little history to choose by.
        """
        if self.blend_cv < 2 or groups is None or len(np.unique(groups)) < 2 * self.blend_cv:
            return {}, None
        base = self.baseline_.score_features(frame.to_numpy())
        per_vacancy: list[np.ndarray] = []  # (len(BLEND_GRID),) NDCG@10 per left-out vacancy
        for fit_rows, val_rows in GroupKFold(n_splits=self.blend_cv).split(frame, yb, groups):
            if yb[fit_rows].min() == yb[fit_rows].max():
                return {}, None  # a fold without both classes: too little history to choose by
            part = clone(pipeline).fit(
                frame.iloc[fit_rows],
                yb[fit_rows],
                **self._fit_params(y[fit_rows], groups[fit_rows]),
            )
            val_rows = val_rows[recorded[val_rows]]
            p = part[-1].positive_proba(frame.iloc[val_rows].to_numpy())
            gv = groups[val_rows]
            for q in np.unique(gv):  # one iteration per left-out vacancy
                at = gv == q
                if y[val_rows][at].max() <= 0:
                    continue  # nothing relevant to order
                per_vacancy.append(
                    np.array(
                        [
                            ndcg_at_k(y[val_rows][at], a * p[at] + (1 - a) * base[val_rows][at])
                            for a in BLEND_GRID
                        ]
                    )
                )
        if len(per_vacancy) < 2:
            return {}, None
        table = np.vstack(per_vacancy)  # (vacancies, blends)
        means = table.mean(axis=0)
        best = int(np.argmax(means))
        gap = table[:, best][:, None] - table  # how much worse than the best, per vacancy
        se = gap.std(axis=0, ddof=1) / np.sqrt(len(table))
        chosen = next(i for i in range(len(BLEND_GRID)) if gap[:, i].mean() <= se[i])
        scores = {str(a): round(float(m), 6) for a, m in zip(BLEND_GRID, means, strict=True)}
        return scores, float(BLEND_GRID[chosen])

    def score_features(self, F: np.ndarray) -> np.ndarray:
        """Blended score in 0..1 for raw pair columns (the shortlist's fast path)."""
        check_is_fitted(self)
        F = np.asarray(F, dtype=np.float64)
        if F.shape[0] == 0:
            return np.zeros(0)
        if F.ndim != 2 or F.shape[1] != len(PAIR_COLUMNS):
            raise ValueError(f"F has shape {F.shape}; expected (n, {len(PAIR_COLUMNS)})")
        p = self.pipeline_[-1].positive_proba(F)
        return np.asarray(self.blend_ * p + (1.0 - self.blend_) * self.baseline_.score_features(F))

    def score_pairs(self, X: Any) -> np.ndarray:
        """Blended score for profile pairs or a frame / array of pair columns."""
        check_is_fitted(self)
        return self.score_features(self.pipeline_[0].transform(X).to_numpy())

    def predict_proba(self, X: Any) -> np.ndarray:
        """Columns: not relevant, relevant (the blended score)."""
        s = self.score_pairs(X)
        return np.column_stack([1.0 - s, s])

    def predict(self, X: Any) -> np.ndarray:
        """1 where the blended score is at least 0.5."""
        return (self.score_pairs(X) >= 0.5).astype(np.int64)


def _skops() -> Any:
    """skops.io, imported when a model is written or read: its import takes about a second,
    which every server worker and command that touches no model file would otherwise pay."""
    import skops.io as sio

    return sio


class UntrustedModelError(ValueError):
    """A model file holds types outside ``TRUSTED_TYPES`` or does not match this code."""


def save_ranker(ranker: SRRanker, path: str | os.PathLike[str], *, version: str) -> str:
    """Write a fitted ranker with skops; return the file's sha256.

    The file is written next to ``path`` and renamed into place, so a reader never sees half a
    model.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> F = np.random.default_rng(0).random((60, len(PAIR_COLUMNS)))
    >>> r = SRRanker(model="logistic").fit(F, (F[:, 0] > .5) * 3)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ranker.skops"
    >>> len(save_ranker(r, p, version="v1"))
    64
    """
    check_is_fitted(ranker)
    path = Path(path)
    payload = {
        "format": FILE_FORMAT,
        "version": str(version),
        "feature_names": list(ranker.feature_names_),
        "ranker": ranker,
    }
    tmp = path.with_name(path.name + ".tmp")
    _skops().dump(payload, tmp)
    os.replace(tmp, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_ranker(path: str | os.PathLike[str], *, sha256: str | None = None) -> SRRanker:
    """Load a ranker written by ``save_ranker``, trusting only ``TRUSTED_TYPES``.

    Raises ``UntrustedModelError`` when the file holds any other type, its feature names differ
    from ``PAIR_COLUMNS``, or its hash differs from ``sha256``. The stored version is set as
    ``model_version_``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> F = np.random.default_rng(0).random((60, len(PAIR_COLUMNS)))
    >>> r = SRRanker(model="logistic").fit(F, (F[:, 0] > .5) * 3)
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ranker.skops"
    >>> _ = save_ranker(r, p, version="v1")
    >>> load_ranker(p).model_version_
    'v1'
    """
    path = Path(path)
    data = path.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise UntrustedModelError(f"model file {path} does not match sha256 {sha256}")
    sio = _skops()
    untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED_TYPES]
    if untrusted:
        raise UntrustedModelError(
            f"model file {path} holds untrusted types {untrusted}; allowed: {list(TRUSTED_TYPES)}"
        )
    payload = sio.loads(data, trusted=list(TRUSTED_TYPES))
    if not isinstance(payload, dict) or payload.get("format") != FILE_FORMAT:
        raise UntrustedModelError(f"model file {path} is not a {FILE_FORMAT} file")
    ranker = payload["ranker"]
    if not isinstance(ranker, SRRanker):
        raise UntrustedModelError(f"model file {path} holds {type(ranker).__name__}, not SRRanker")
    if list(payload["feature_names"]) != list(PAIR_COLUMNS):
        raise UntrustedModelError(
            f"model file {path} was trained on features {payload['feature_names']}; "
            f"this code computes {list(PAIR_COLUMNS)}: retrain"
        )
    ranker.model_version_ = str(payload["version"])
    return ranker
