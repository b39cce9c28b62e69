"""Reach: placements per ladder step, benefit and target group against the pool."""

from __future__ import annotations

import pandas as pd
import pytest

from matcher.sr.reach import reach


def test_reach_shows_creaming() -> None:
    # Pool: 4 people on step 2 (far from work), 4 on step 5. All 3 placed people are on step 5.
    pool = pd.DataFrame(
        {
            "candidate_key": [f"c{i}" for i in range(8)],
            "ladder_step": [2, 2, 2, None, 5, 5, 5, 5],
            "benefit": ["participatiewet"] * 4 + ["ww"] * 4,
            "target_groups": [
                ["statushouder"],
                "banenafspraak;50plus",
                [],
                None,
                [],
                [],
                [],
                ["50plus"],
            ],
        }
    )
    placements = pd.DataFrame({"candidate_key": ["c4", "c5", "c5", "c7"]})
    out = reach(pool, placements)
    ladder = out[out["dimension"] == "ladder_step"].set_index("value")
    assert list(ladder.index) == ["2", "5", "onbekend"]
    assert ladder.loc["2", "placed"] == 0 and ladder.loc["2", "representation"] == 0
    assert ladder.loc["5", "placed"] == 3 and ladder.loc["5", "placements"] == 4
    # step 5 is half the pool but all of the placed: representation 1 / 0.5 = 2
    assert ladder.loc["5", "representation"] == pytest.approx(2.0)
    benefit = out[out["dimension"] == "benefit"].set_index("value")
    assert benefit.loc["participatiewet", "placement_rate"] == 0
    groups = out[out["dimension"] == "target_groups"].set_index("value")
    assert groups.loc["50plus", "pool"] == 2 and groups.loc["50plus", "placed"] == 1
    assert groups.loc["geen", "pool"] == 5
    assert list(out.columns) == [
        "dimension",
        "value",
        "pool",
        "pool_share",
        "placed",
        "placed_share",
        "placements",
        "placement_rate",
        "representation",
    ]


def test_reach_refuses_unknown_people_and_values() -> None:
    pool = pd.DataFrame(
        {"candidate_key": ["a"], "ladder_step": [3], "benefit": ["ww"], "target_groups": [[]]}
    )
    with pytest.raises(ValueError, match=r"field 'candidate_key' has value 'b' not in the pool"):
        reach(pool, pd.DataFrame({"candidate_key": ["b"]}))
    with pytest.raises(ValueError, match=r"field 'ladder_step' has value '9'"):
        reach(pool.assign(ladder_step=[9]), pd.DataFrame({"candidate_key": ["a"]}))
    with pytest.raises(ValueError, match=r"field 'benefit' has value 'bijstand'"):
        reach(pool.assign(benefit=["bijstand"]), pd.DataFrame({"candidate_key": ["a"]}))
