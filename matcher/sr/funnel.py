"""Matching success: how far shortlisted pairs got, per model version.

Matching success (:func:`matching_funnel`)
    Per model version, of the shortlisted (vacancy, candidate) pairs: how many reached proposed,
    introduced, interviewed and hired (a later stage implies the earlier ones; ``rejected`` and
    ``withdrawn`` imply proposed), and how many hires were ranked in the top 10; beside them how
    often coaches overruled the shortlist (set aside a ranked candidate, added one not shown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from matcher.vocab import OUTCOME_STATUSES

FUNNEL_STAGES: tuple[str, ...] = ("proposed", "introduced", "interviewed", "hired")
_STAGE_OF: dict[str, int] = {
    "proposed": 1,
    "introduced": 2,
    "interviewed": 3,
    "hired": 4,
    "rejected": 1,
    "withdrawn": 1,
}


def matching_funnel(
    rows: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    top_k: int = 10,
    oversight: Mapping[str, Mapping[str, int]] | None = None,
) -> pd.DataFrame:
    """Per model version: shortlisted pairs, how far they got, and hires from the top ``top_k``.

    Parameters
    ----------
    rows
        Columns ``model_version``, ``vacancy_ref``, ``candidate_ref``, ``rank`` (1 = top of the
        shortlist) and ``status`` (an outcome status or missing when nothing happened). Either
        one row per pair with its latest status, or the event log (several rows per pair): a
        pair counts at the furthest stage it reached and with its best rank.
    top_k
        The top of the shortlist whose hires are counted apart.
    oversight
        Per model version, ``{"set_aside": n, "added": n}``: coaches' overrides of the served
        shortlists (human oversight), reported as columns ``set_aside`` and ``added``.

    Returns
    -------
    pandas.DataFrame
        One row per model version: ``shortlisted``, ``proposed``, ``introduced``,
        ``interviewed``, ``hired``, ``hired_top{top_k}``, ``proposed_rate`` (proposed /
        shortlisted), ``hire_rate`` (hired / proposed) and ``top{top_k}_share_of_hires``.

    Examples
    --------
    >>> rows = [
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "a", "rank": 1,
    ...      "status": "hired"},
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "b", "rank": 12,
    ...      "status": "rejected"},
    ...     {"model_version": "v1", "vacancy_ref": "V", "candidate_ref": "c", "rank": 3,
    ...      "status": None}]
    >>> cols = ["shortlisted", "proposed", "hired", "hired_top10"]
    >>> matching_funnel(rows)[cols].to_dict("records")
    [{'shortlisted': 3, 'proposed': 2, 'hired': 1, 'hired_top10': 1}]
    """
    df = pd.DataFrame(list(rows)) if not isinstance(rows, pd.DataFrame) else rows.copy()
    cols = ["model_version", "vacancy_ref", "candidate_ref", "rank", "status"]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"matching rows: missing column(s) {', '.join(missing)}")
    if top_k < 1:
        raise ValueError(f"field 'top_k' has value {top_k!r}; expected an integer >= 1")
    status = df["status"].astype(object).where(df["status"].notna(), None)
    bad = [s for s in status.tolist() if s is not None and s not in OUTCOME_STATUSES]
    if bad:
        raise ValueError(
            f"matching rows: field 'status' has value {bad[0]!r}; "
            f"allowed: {', '.join(OUTCOME_STATUSES)} or empty"
        )
    rank = pd.to_numeric(df["rank"], errors="coerce")
    if rank.isna().any() or (rank < 1).any() or (rank % 1 != 0).any():
        first = df["rank"][rank.isna() | (rank < 1) | (rank % 1 != 0)].tolist()[0]
        raise ValueError(
            f"matching rows: field 'rank' has value {first!r}; expected an integer >= 1"
        )
    df = df.assign(
        _stage=[0 if s is None else _STAGE_OF[s] for s in status.tolist()],
        _rank=rank.astype(int),
        model_version=df["model_version"].astype(str),
    )
    pairs = df.groupby(["model_version", "vacancy_ref", "candidate_ref"], sort=True).agg(
        stage=("_stage", "max"), rank=("_rank", "min")
    )
    hired_col = f"hired_top{top_k}"
    out = pairs.groupby("model_version").agg(shortlisted=("stage", "size"))
    for i, name in enumerate(FUNNEL_STAGES, start=1):
        out[name] = (pairs["stage"] >= i).groupby("model_version").sum().astype(int)
    out[hired_col] = (
        ((pairs["stage"] >= 4) & (pairs["rank"] <= top_k))
        .groupby("model_version")
        .sum()
        .astype(int)
    )
    out["proposed_rate"] = out["proposed"] / out["shortlisted"]
    out["hire_rate"] = out["hired"] / out["proposed"].where(out["proposed"] > 0)
    out[f"top{top_k}_share_of_hires"] = out[hired_col] / out["hired"].where(out["hired"] > 0)
    for kind in ("set_aside", "added"):
        out[kind] = [int((oversight or {}).get(str(v), {}).get(kind, 0)) for v in out.index]
    return out.reset_index()


__all__ = ["FUNNEL_STAGES", "matching_funnel"]
