"""Properties of the normaliser that hold for any input (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.geo import haversine_km
from matcher.normalize import get_normalizer, normalize_postcode, normalize_text

FORMS = sorted(
    {form for s in get_normalizer().taxonomy.skills.values() for form in s.surface_forms}
)
messy = st.one_of(
    st.sampled_from(FORMS),
    st.builds(
        lambda form, cut, junk: form[:cut] + junk + form[cut + 1 :],
        st.sampled_from(FORMS),
        st.integers(0, 12),
        st.sampled_from(["", " ", "x", "-", "é", "(m/v)"]),
    ),
    st.text(max_size=30),
)


@given(st.text(max_size=60))
def test_normalize_text_is_idempotent_and_plain(text: str) -> None:
    folded = normalize_text(text)
    assert normalize_text(folded) == folded
    assert folded == folded.strip() and "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(messy, max_size=25))
def test_batch_equals_one_by_one(texts: list[str]) -> None:
    normalizer = get_normalizer()
    batch = normalizer.skills(texts)
    assert batch == [normalizer.skills([t])[0] for t in texts]
    for match in batch:
        assert 0.0 <= match.confidence <= 1.0
        assert (match.concept_id is None) == (match.method == "unknown")
        assert match.label is None or match.label == normalizer.taxonomy.label(match.concept_id)


@given(st.integers(1000, 9999), st.sampled_from(["", "AB", "zz", " a b", "XY"]))
def test_postcode_normalisation_is_idempotent(number: int, letters: str) -> None:
    once = normalize_postcode(f"{number}{letters}")
    assert normalize_postcode(once) == once
    assert once[:4] == str(number) and len(once) in (4, 6)


coordinate = st.tuples(st.floats(50.5, 53.7), st.floats(3.2, 7.3))


@given(coordinate, coordinate, coordinate)
def test_haversine_is_a_metric(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    ab = float(haversine_km(*a, *b))
    assert ab >= 0.0
    assert np.isclose(ab, float(haversine_km(*b, *a)))
    assert ab <= float(haversine_km(*a, *c)) + float(haversine_km(*c, *b)) + 1e-6
