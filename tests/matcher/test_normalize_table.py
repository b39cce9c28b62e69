"""Acceptance 1 of issue 3: the labelled table of messy inputs in data/normalize_cases.csv.

Each row is ``kind`` (skill or title), the messy ``text`` as a coach might type it, the
``expected`` concept id (empty for strings outside the taxonomy) and a ``category``
(typo, spacing, compound, english, abbreviation, mv, female form, plural, oot, ...).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matcher.normalize import Match, Normalizer, get_normalizer

CASES = Path(__file__).parent / "data" / "normalize_cases.csv"
MIN_ACCURACY = 0.95


def _load() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def cases() -> list[dict[str, str]]:
    return _load()


@pytest.fixture(scope="module")
def results(cases: list[dict[str, str]]) -> list[tuple[dict[str, str], Match]]:
    normalizer: Normalizer = get_normalizer()
    out: list[tuple[dict[str, str], Match]] = []
    for kind, method in (("skill", normalizer.skills), ("title", normalizer.titles)):
        rows = [row for row in cases if row["kind"] == kind]
        out += zip(rows, method([row["text"] for row in rows]), strict=True)
    return out


def test_table_is_large_and_valid(cases: list[dict[str, str]]) -> None:
    known = [c for c in cases if c["expected"]]
    outside = [c for c in cases if not c["expected"]]
    assert len(known) >= 300
    assert len(outside) >= 50
    taxonomy = get_normalizer().taxonomy
    for case in known:
        pool = taxonomy.skills if case["kind"] == "skill" else taxonomy.occupations
        assert case["expected"] in pool, case
    categories = {c["category"] for c in known}
    assert {"typo", "spacing", "english", "abbreviation", "mv", "plural"} <= categories


def test_top1_accuracy(results: list[tuple[dict[str, str], Match]]) -> None:
    known = [(case, match) for case, match in results if case["expected"]]
    misses = [
        (case["kind"], case["text"], case["expected"], match.concept_id)
        for case, match in known
        if match.concept_id != case["expected"]
    ]
    accuracy = 1 - len(misses) / len(known)
    assert accuracy >= MIN_ACCURACY, f"accuracy {accuracy:.3f}; misses: {misses}"


def test_typos_are_mostly_found(results: list[tuple[dict[str, str], Match]]) -> None:
    typos = [(c, m) for c, m in results if c["category"] == "typo"]
    assert len(typos) >= 25
    found = sum(m.concept_id == c["expected"] for c, m in typos)
    assert found / len(typos) >= MIN_ACCURACY


def test_out_of_taxonomy_strings_are_never_matched(
    results: list[tuple[dict[str, str], Match]],
) -> None:
    outside = [(case, match) for case, match in results if not case["expected"]]
    wrongly = [(case["text"], match.concept_id) for case, match in outside if match.matched]
    assert not wrongly
    cutoff = get_normalizer().skill_cutoff
    for case, match in outside:
        assert match.method == "unknown" and match.confidence == 0.0
        assert match.suggestions, "unknown strings come with the nearest suggestions"
        if "negation" not in case["category"]:  # "no forklift" is near forklift, yet refused
            assert all(score * 100 < cutoff for _, _, score in match.suggestions), case
