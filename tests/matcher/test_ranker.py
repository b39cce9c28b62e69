"""The ranker: estimator conventions, blending, training, and safe persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.estimator_checks import estimator_checks_generator

from matcher.features import COL, PAIR_COLUMNS, pair_frame
from matcher.ranker import (
    BLEND_GRID,
    PERSON_COLUMNS,
    TRUSTED_TYPES,
    BaselineScorer,
    RelevanceModel,
    SRRanker,
    UntrustedModelError,
    load_ranker,
    save_ranker,
)
from matcher.training import labelled_pairs, train_and_evaluate
from tests.matcher.conftest import AS_OF, random_world, training_world


def _checks():
    # Every scikit-learn estimator check except the array-API one, which only applies to
    # estimators declaring array-API support (it would skip, and CI allows no skips).
    for est in (
        RelevanceModel(kind="hgb", max_iter=15),
        RelevanceModel(kind="logistic"),
        RelevanceModel(kind="pairwise", random_state=0),
    ):
        for estimator, check in estimator_checks_generator(est):
            name = getattr(check, "func", check).__name__
            if name != "check_array_api_input":
                yield pytest.param(estimator, check, id=f"{est.kind}-{name}")


@pytest.mark.parametrize(("estimator", "check"), list(_checks()))
def test_relevance_model_is_an_honest_estimator(estimator, check) -> None:
    check(estimator)


def test_baseline_is_transparent_and_bounded() -> None:
    F = pair_frame(
        [(c, v, AS_OF) for c, v in zip(*random_world(1, 20, 20), strict=True)]
    ).to_numpy()
    s = BaselineScorer().score_features(F)
    assert ((s >= 0) & (s <= 1)).all()
    better = F.copy()
    better[:, COL["required_skill_share"]] = 1.0
    assert (BaselineScorer().score_features(better) >= s).all()
    with pytest.raises(ValueError, match="unknown baseline terms"):
        BaselineScorer({"age": 1.0})


def test_fit_validates_grades() -> None:
    F = np.random.default_rng(0).random((20, len(PAIR_COLUMNS)))
    with pytest.raises(ValueError, match="allowed: 0, 1, 2, 3"):
        SRRanker().fit(F, np.full(20, 5))
    with pytest.raises(ValueError, match="needs both|training needs both"):
        SRRanker().fit(F, np.zeros(20, dtype=int))
    with pytest.raises(ValueError, match="kind='forest' is not supported"):
        SRRanker(model="forest").fit(F, np.r_[np.zeros(10), np.full(10, 3)].astype(int))


def test_unfitted_ranker_refuses_to_score() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SRRanker().score_features(np.zeros((1, len(PAIR_COLUMNS))))


def test_blend_grows_with_history() -> None:
    rng = np.random.default_rng(0)
    blends = []
    for n in (40, 400, 4000):
        F = rng.random((n, len(PAIR_COLUMNS)))
        y = (F[:, COL["required_skill_share"]] > 0.5).astype(int) * 3
        blends.append(SRRanker(model="logistic", blend_prior=100).fit(F, y).blend_)
    assert blends == sorted(blends) and blends[0] < 0.25 and blends[-1] > 0.9


def test_monotone_in_required_skills(trained_ranker: SRRanker) -> None:
    F = pair_frame(
        [(c, v, AS_OF) for c, v in zip(*random_world(2, 30, 30), strict=True)]
    ).to_numpy()
    more = F.copy()
    more[:, COL["required_skill_share"]] = np.minimum(F[:, COL["required_skill_share"]] + 0.3, 1)
    assert (trained_ranker.score_features(more) >= trained_ranker.score_features(F) - 1e-12).all()


def test_train_and_evaluate_learns_a_signal() -> None:
    cands, vacs, outcomes = training_world()
    result = train_and_evaluate(cands, vacs, outcomes, seed=0)
    assert result.n_train > result.n_test > 0
    assert result.metrics["ndcg@10"] > result.baseline_metrics["ndcg@10"]
    assert result.metrics["auc"] > 0.6
    assert result.at_least_baseline
    summary = result.summary()
    assert {"model_ndcg@10", "baseline_ndcg@10", "model_recall@10", "model_auc"} <= set(summary)
    # unknown candidates are skipped and counted
    extra = [*outcomes, (99999, vacs[0].id, "proposed", AS_OF)]
    assert train_and_evaluate(cands, vacs, extra, seed=0).n_skipped == 1


def test_training_against_a_given_pool() -> None:
    """The serving index is the pool: an index of every candidate gives the same run as none;
    candidates who left the pool still teach with their recorded outcomes, and only the pool's
    candidates are drawn as unproposed rows."""
    from matcher.index import CandidateIndex

    cands, vacs, outcomes = training_world()
    everyone = train_and_evaluate(cands, vacs, outcomes, seed=0)
    same = train_and_evaluate(cands, vacs, outcomes, seed=0, index=CandidateIndex.build(cands))
    assert same.metrics == everyone.metrics and same.extra == everyone.extra
    assert everyone.index is not None and len(everyone.index) == len(cands)
    # a third of the candidates left the pool (placed, moved away): their outcomes still count
    left = {c.id for c in cands[::3]}
    pool = CandidateIndex.build([c for c in cands if c.id not in left])
    run = train_and_evaluate(cands, vacs, outcomes, seed=0, index=pool)
    assert run.n_skipped == 0 and run.n_train + run.n_test == everyone.n_train + everyone.n_test
    assert run.index is pool
    # the profiles of the candidates the outcomes name are all it needs besides the pool
    named = {o[0] for o in outcomes}
    lean = train_and_evaluate(
        [c for c in cands if c.id in named], vacs, outcomes, seed=0, index=pool
    )
    assert lean.metrics == run.metrics
    from matcher.training import labelled_pairs, sample_unproposed

    rows, F = sample_unproposed(pool, {v.id: v for v in vacs}, labelled_pairs(outcomes))
    assert len(rows) > 0 and F.shape == (len(rows), len(PAIR_COLUMNS))
    assert not set(rows["candidate_id"]) & left


def test_pairwise_model_learns_the_order_within_each_vacancy() -> None:
    """Grades depend on a column only relative to the others of the same vacancy."""
    from matcher.evaluation import grouped_metrics

    rng = np.random.default_rng(3)
    n_groups, per = 80, 8
    groups = np.repeat(np.arange(n_groups), per)
    F = rng.random((n_groups * per, len(PAIR_COLUMNS)))
    skill = F[:, COL["required_skill_share"]]
    # each vacancy's level shifts the distance column, which says nothing within a vacancy
    F[:, COL["distance_share"]] = np.repeat(rng.random(n_groups), per) + 0.05 * rng.random(len(F))
    rank_in_group = np.argsort(np.argsort(skill.reshape(n_groups, per), axis=1), axis=1).ravel()
    y = np.select([rank_in_group == per - 1, rank_in_group >= per - 3], [3, 2], 0)
    train, test = groups < 60, groups >= 60
    model = SRRanker(model="pairwise", blend_prior=0).fit(F[train], y[train], groups=groups[train])
    m = grouped_metrics(groups[test], y[test], model.score_features(F[test]))
    assert m["ndcg@10"] > 0.95 and m["auc"] > 0.95
    core = model.pipeline_[-1]
    assert core.coef_[COL["required_skill_share"]] > 0
    # the learned score orders by skill within a vacancy; calibration keeps it in 0..1
    s = core.decision_scores(model.pipeline_[0].transform(F[test]))
    assert np.corrcoef(s, skill[test])[0, 1] > 0.9
    p = model.score_features(F[test])
    assert ((p >= 0) & (p <= 1)).all()
    # no groups: all rows are one ranking, still a valid fit
    assert SRRanker(model="pairwise").fit(F, y).pipeline_[-1].coef_.shape == (len(PAIR_COLUMNS),)


def test_pairwise_model_keeps_its_monotone_directions() -> None:
    rng = np.random.default_rng(5)
    F = rng.random((400, len(PAIR_COLUMNS)))
    # a perverse history in which more required skills went with worse outcomes
    y = np.where(F[:, COL["required_skill_share"]] < 0.4, 3, 0)
    model = SRRanker(model="pairwise").fit(F, y, groups=np.arange(400) // 10)
    core = model.pipeline_[-1]
    assert core.coef_[COL["required_skill_share"]] == 0.0
    more = F.copy()
    more[:, COL["required_skill_share"]] = np.minimum(F[:, COL["required_skill_share"]] + 0.3, 1)
    assert (model.score_features(more) >= model.score_features(F) - 1e-12).all()


def _grouped_history(
    seed: int, signal: str | None, sign: int = 1, n_groups: int = 120, per: int = 8
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of ``n_groups`` vacancies; grades follow ``sign * signal`` within each vacancy
    (None: noise)."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_groups), per)
    F = rng.random((n_groups * per, len(PAIR_COLUMNS)))
    driver = sign * F[:, COL[signal]] if signal else rng.random(len(F))
    rank = np.argsort(np.argsort(driver.reshape(n_groups, per), axis=1), axis=1).ravel()
    y = np.select([rank == per - 1, rank >= per - 3], [3, 2], 0)
    return F, y, groups


def test_cross_validated_blend_follows_the_signal_in_the_outcomes() -> None:
    """With outcomes that are noise the baseline keeps the say; with a signal the baseline
    does not weigh (the skill specificity column), the model gets it."""
    F, y, groups = _grouped_history(0, None)
    noise = SRRanker(model="pairwise", blend_cv=5).fit(F, y, groups=groups)
    F, y, groups = _grouped_history(1, "specific_skill_share")
    signal = SRRanker(model="pairwise", blend_cv=5).fit(F, y, groups=groups)
    assert set(noise.blend_scores_) == {str(a) for a in BLEND_GRID}
    assert signal.blend_ >= 0.8 > 0.3 >= noise.blend_
    # the chosen blend is near the best cross-validated one; the baseline alone is well below
    best = max(signal.blend_scores_.values())
    assert signal.blend_scores_[str(signal.blend_)] > best - 0.02
    assert signal.blend_scores_["0.0"] < best - 0.05
    # no groups, or too few vacancies to leave out: the prior rule, no cross-validation
    plain = SRRanker(model="pairwise", blend_cv=5, blend_prior=100).fit(F, y)
    assert plain.blend_scores_ == {}
    assert plain.blend_ == pytest.approx(plain.n_positive_ / (plain.n_positive_ + 100))
    with pytest.raises(ValueError, match="blend_cv=1"):
        SRRanker(model="pairwise", blend_cv=1).fit(F, y, groups=groups)
    with pytest.raises(ValueError, match="recorded has 3 entries"):
        SRRanker(model="pairwise").fit(F, y, groups=groups, recorded=[True, False, True])


def test_blend_is_judged_on_recorded_outcomes_only() -> None:
    """Sampled unproposed rows train the model but do not score the blend."""
    F, y, groups = _grouped_history(2, "specific_skill_share")
    recorded = np.ones(len(y), dtype=bool)
    all_rows = SRRanker(model="pairwise", blend_cv=5).fit(F, y, groups=groups, recorded=recorded)
    # mark the top row of every vacancy as not recorded: the CV no longer sees the best pairs
    recorded[y == 3] = False
    fewer = SRRanker(model="pairwise", blend_cv=5).fit(F, y, groups=groups, recorded=recorded)
    assert fewer.blend_scores_ != all_rows.blend_scores_


def test_the_model_gives_no_weight_to_who_the_person_is() -> None:
    """Outcomes that followed months out of work (creaming) do not teach the model to."""
    F, y, groups = _grouped_history(3, "months_out_of_work")
    F[:, COL["months_out_of_work"]] *= 120
    model = SRRanker(model="pairwise", blend_prior=0).fit(F, y, groups=groups)
    core = model.pipeline_[-1]
    assert [core.coef_[COL[c]] for c in PERSON_COLUMNS] == [0.0] * len(PERSON_COLUMNS)
    other = F.copy()
    for c in PERSON_COLUMNS:
        other[:, COL[c]] = np.random.default_rng(4).permutation(other[:, COL[c]])
    assert np.array_equal(model.score_features(other), model.score_features(F))
    # switched off, the same history does teach it (the test can fail)
    learned = SRRanker(model="pairwise", neutral_person=False).fit(F, y, groups=groups)
    assert learned.pipeline_[-1].coef_[COL["months_out_of_work"]] > 0
    with pytest.raises(ValueError, match="only supported for kind='pairwise'"):
        RelevanceModel(kind="logistic", exclude=("ladder_step",)).fit(F, y > 1)


@pytest.mark.parametrize("column", ["education_gap", "dutch_gap", "profile_skill_count"])
def test_more_than_asked_never_lowers_a_score(column: str) -> None:
    """A history that went against over-qualification does not teach the model to."""
    F, y, groups = _grouped_history(6, column, sign=-1)  # the more of it, the worse the outcome
    model = SRRanker(model="pairwise", blend_prior=0).fit(F, y, groups=groups)
    assert model.pipeline_[-1].coef_[COL[column]] == 0.0
    more = F.copy()
    more[:, COL[column]] += 1.0
    assert (model.score_features(more) >= model.score_features(F) - 1e-12).all()


def test_labelled_pairs_take_the_latest_status() -> None:
    from datetime import date

    ev = [
        (1, 9, "proposed", date(2025, 1, 2)),
        (1, 9, "introduced", date(2025, 1, 2)),
        (1, 9, "interviewed", date(2025, 1, 9)),
        (2, 9, "proposed", date(2025, 1, 5)),
        (2, 9, "rejected", date(2025, 1, 6)),
    ]
    got = labelled_pairs(ev)
    assert got[["status", "grade"]].values.tolist() == [["interviewed", 2], ["rejected", 0]]
    assert got["proposed_on"].tolist() == [date(2025, 1, 2), date(2025, 1, 5)]
    with pytest.raises(ValueError, match="status 'placed' is not allowed"):
        labelled_pairs([(1, 9, "placed", date(2025, 1, 2))])


def test_skops_round_trip_gives_identical_scores(trained_ranker: SRRanker, tmp_path: Path) -> None:
    path = tmp_path / "ranker-v1.skops"
    digest = save_ranker(trained_ranker, path, version="2026-11-27T10:00-hgb")
    loaded = load_ranker(path, sha256=digest)
    assert loaded.model_version_ == "2026-11-27T10:00-hgb"
    assert loaded.feature_names_ == list(PAIR_COLUMNS)
    F = pair_frame(
        [(c, v, AS_OF) for c, v in zip(*random_world(4, 50, 50), strict=True)]
    ).to_numpy()
    np.testing.assert_array_equal(loaded.score_features(F), trained_ranker.score_features(F))
    with pytest.raises(UntrustedModelError, match="sha256"):
        load_ranker(path, sha256="0" * 64)
    # nothing but the reviewed list: every type in the file is trusted by default or listed
    assert set(sio.get_untrusted_types(file=path)) <= set(TRUSTED_TYPES)


class Smuggled(TransformerMixin, BaseEstimator):
    """A type no reviewer listed."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


def test_untrusted_type_is_refused(trained_ranker: SRRanker, tmp_path: Path) -> None:
    import copy

    bad = copy.deepcopy(trained_ranker)
    bad.pipeline_.steps.insert(1, ("smuggled", Smuggled()))
    path = tmp_path / "bad.skops"
    save_ranker(bad, path, version="evil")
    with pytest.raises(UntrustedModelError, match="untrusted types.*Smuggled"):
        load_ranker(path)


def test_feature_mismatch_is_refused(trained_ranker: SRRanker, tmp_path: Path) -> None:
    path = tmp_path / "old.skops"
    sio.dump(
        {
            "format": "srmatch-ranker/1",
            "version": "old",
            "feature_names": ["x"],
            "ranker": trained_ranker,
        },
        path,
    )
    with pytest.raises(UntrustedModelError, match="retrain"):
        load_ranker(path)


def test_the_pairwise_serving_path_folds_the_scaler_into_the_weights() -> None:
    """positive_proba (one matrix-vector product over raw columns) equals the fitted pipeline's
    probability (standardise, score, calibrate)."""
    F, y, groups = _grouped_history(7, "specific_skill_share")
    core = SRRanker(model="pairwise").fit(F, y, groups=groups).pipeline_[-1]
    fast = core.positive_proba(F)
    slow = core.predict_proba(pd.DataFrame(F, columns=list(PAIR_COLUMNS)))[:, -1]
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-12)
    assert fast.std() > 0.01
