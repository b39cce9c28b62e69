"""Reach: who the placements reach, against the pool, per ladder step, benefit and target group.

Reach (:func:`reach`)
    Per participatieladder step, benefit and target group: the pool, the people placed and their
    shares, and ``representation = placed share / pool share``. Values below 1 for the steps and
    groups furthest from work show creaming.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from matcher.vocab import BENEFITS, PARTICIPATIELADDER, TARGET_GROUPS

REACH_COLUMNS: tuple[str, ...] = (
    "dimension",
    "value",
    "pool",
    "pool_share",
    "placed",
    "placed_share",
    "placements",
    "placement_rate",
    "representation",
)


def _groups(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split(r"[;|]", value) if v.strip())
    return tuple(value)


def reach(
    pool: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    dimensions: Sequence[str] = ("ladder_step", "benefit", "target_groups"),
) -> pd.DataFrame:
    """Who is reached: placements per ladder step, benefit and target group against the pool.

    Parameters
    ----------
    pool
        One row per candidate in the pool (placed or not): ``candidate_key``, ``ladder_step``
        (1-6 or missing), ``benefit``, ``target_groups`` (list/tuple, or a string separated by
        ``;`` or ``|``).
    placements
        One row per placement: ``candidate_key`` (must be in the pool).
    dimensions
        Which of ``ladder_step``, ``benefit``, ``target_groups`` to report.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REACH_COLUMNS`: ``pool`` and ``placed`` count people, ``placements``
        counts placements, shares are over all people in the pool / all people placed,
        ``placement_rate = placed / pool``, ``representation = placed_share / pool_share``
        (below 1: under-reached). A person in two target groups counts in both (those shares do
        not add up to 1); missing values show as ``onbekend`` (ladder) or ``geen`` (no group).

    Examples
    --------
    >>> pool = pd.DataFrame({"candidate_key": ["a", "b", "c", "d"],
    ...                      "ladder_step": [2, 2, 5, 5], "benefit": ["participatiewet"] * 4,
    ...                      "target_groups": [[], [], [], []]})
    >>> out = reach(pool, pd.DataFrame({"candidate_key": ["c", "d"]}), dimensions=["ladder_step"])
    >>> out[["value", "pool", "placed", "representation"]].to_dict("records")
    [{'value': '2', 'pool': 2, 'placed': 0, 'representation': 0.0}, \
{'value': '5', 'pool': 2, 'placed': 2, 'representation': 2.0}]
    """
    allowed = ("ladder_step", "benefit", "target_groups")
    for d in dimensions:
        if d not in allowed:
            raise ValueError(f"field 'dimensions' has value {d!r}; allowed: {', '.join(allowed)}")
    need = {"candidate_key", *dimensions}
    missing = need - set(pool.columns)
    if missing:
        raise ValueError(f"pool: missing column(s) {', '.join(sorted(missing))}")
    if "candidate_key" not in placements.columns:
        raise ValueError("placements: missing column candidate_key")
    keys = pool["candidate_key"].astype(str)
    if keys.duplicated().any():
        raise ValueError(
            f"pool: field 'candidate_key' has duplicate value {keys[keys.duplicated()].iloc[0]!r}"
        )
    placed_keys = placements["candidate_key"].astype(str)
    unknown = sorted(set(placed_keys) - set(keys))
    if unknown:
        raise ValueError(
            f"placements: field 'candidate_key' has value {unknown[0]!r} not in the pool "
            f"({len(unknown)} unknown)"
        )
    counts = placed_keys.value_counts()
    n_placements = keys.map(counts).fillna(0).astype(int).to_numpy()
    n_pool = len(keys)
    n_placed = int((n_placements > 0).sum())

    frames = []
    for d in dimensions:
        if d == "ladder_step":
            vals = [
                "onbekend" if v is None or pd.isna(v) else str(int(v)) for v in pool[d].tolist()
            ]
            for v in vals:
                if v != "onbekend" and int(v) not in PARTICIPATIELADDER:
                    raise ValueError(
                        f"pool: field 'ladder_step' has value {v!r}; allowed: 1-6 or empty"
                    )
            order = [str(k) for k in PARTICIPATIELADDER] + ["onbekend"]
            long = pd.DataFrame({"value": vals, "n": n_placements})
        elif d == "benefit":
            vals = [str(v) for v in pool[d].tolist()]
            for v in vals:
                if v not in BENEFITS:
                    raise ValueError(
                        f"pool: field 'benefit' has value {v!r}; allowed: {', '.join(BENEFITS)}"
                    )
            order = list(BENEFITS)
            long = pd.DataFrame({"value": vals, "n": n_placements})
        else:
            rows_v, rows_n = [], []
            for gs, n in zip(pool[d].tolist(), n_placements, strict=True):
                groups = _groups(gs) or ("geen",)
                for g in groups:
                    if g != "geen" and g not in TARGET_GROUPS:
                        raise ValueError(
                            f"pool: field 'target_groups' has value {g!r}; "
                            f"allowed: {', '.join(TARGET_GROUPS)}"
                        )
                    rows_v.append(g)
                    rows_n.append(n)
            order = [*TARGET_GROUPS, "geen"]
            long = pd.DataFrame({"value": rows_v, "n": rows_n})
        grp = long.groupby("value", sort=False)["n"]
        agg = pd.DataFrame(
            {
                "pool": grp.size(),
                "placed": grp.apply(lambda s: int((s > 0).sum())),
                "placements": grp.sum(),
            }
        )
        agg = agg.reindex([v for v in order if v in agg.index])
        agg.index.name = "value"
        agg = agg.reset_index()
        agg.insert(0, "dimension", d)
        frames.append(agg)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REACH_COLUMNS)
    out["pool"] = out["pool"].astype(int)
    out["placed"] = out["placed"].astype(int)
    out["placements"] = out["placements"].astype(int)
    out["pool_share"] = out["pool"] / n_pool if n_pool else float("nan")
    out["placed_share"] = out["placed"] / n_placed if n_placed else float("nan")
    out["placement_rate"] = out["placed"] / out["pool"]
    out["representation"] = out["placed_share"] / out["pool_share"]
    return out[list(REACH_COLUMNS)]


__all__ = ["REACH_COLUMNS", "reach"]
