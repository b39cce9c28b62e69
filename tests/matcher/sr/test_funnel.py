"""The matching funnel per model version."""

from __future__ import annotations

import pandas as pd
import pytest

from matcher.sr.funnel import matching_funnel


def test_matching_funnel_per_model_version() -> None:
    rows = [
        # v1: event log rows; a reached hired at rank 2, b was introduced then rejected at rank 15
        ("v1", "V1", "a", 2, "proposed"),
        ("v1", "V1", "a", 2, "introduced"),
        ("v1", "V1", "a", 2, "hired"),
        ("v1", "V1", "b", 15, "introduced"),
        ("v1", "V1", "b", 15, "rejected"),
        ("v1", "V1", "c", 4, None),
        ("v1", "V2", "d", 11, "hired"),  # hired, but not from the top 10
        # v2: one row per pair with the latest status
        ("v2", "V1", "a", 1, "interviewed"),
        ("v2", "V1", "e", 3, "withdrawn"),
    ]
    df = pd.DataFrame(
        rows, columns=["model_version", "vacancy_ref", "candidate_ref", "rank", "status"]
    )
    out = matching_funnel(df).set_index("model_version")
    v1, v2 = out.loc["v1"], out.loc["v2"]
    assert [
        int(v1[c])
        for c in ("shortlisted", "proposed", "introduced", "interviewed", "hired", "hired_top10")
    ] == [
        4,
        3,
        3,
        2,
        2,
        1,
    ]
    assert v1["top10_share_of_hires"] == pytest.approx(0.5)
    assert [
        int(v2[c]) for c in ("shortlisted", "proposed", "introduced", "interviewed", "hired")
    ] == [2, 2, 1, 1, 0]
    assert pd.isna(v2["top10_share_of_hires"])
    assert (
        int(matching_funnel(df, top_k=20).set_index("model_version").loc["v1", "hired_top20"]) == 2
    )


def test_matching_funnel_refuses_bad_rows() -> None:
    row = {
        "model_version": "v",
        "vacancy_ref": "V",
        "candidate_ref": "a",
        "rank": 1,
        "status": "placed",
    }
    with pytest.raises(ValueError, match=r"field 'status' has value 'placed'; allowed: proposed"):
        matching_funnel([row])
    with pytest.raises(ValueError, match=r"field 'rank' has value 0"):
        matching_funnel([{**row, "status": None, "rank": 0}])
    with pytest.raises(ValueError, match=r"missing column\(s\) rank"):
        matching_funnel([{k: v for k, v in row.items() if k != "rank"}])
