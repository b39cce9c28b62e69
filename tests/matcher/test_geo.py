"""Postcode coordinates (every Dutch PC4 resolves) and vectorised haversine distances."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from matcher.geo import DEFAULT_PC4_TABLE, PostcodeGeo, get_geo, haversine_km


@pytest.fixture(scope="module")
def geo() -> PostcodeGeo:
    return get_geo()


def test_every_pc4_in_the_table_resolves_inside_the_netherlands(geo: PostcodeGeo) -> None:
    with DEFAULT_PC4_TABLE.open(encoding="utf-8", newline="") as handle:
        codes = [row["pc4"] for row in csv.DictReader(handle)]
    assert len(codes) >= 4000 and len(set(codes)) == len(codes)
    coords = geo.coords_many(codes)
    assert coords.shape == (len(codes), 2)
    assert not np.isnan(coords).any()
    assert ((coords[:, 0] > 50.7) & (coords[:, 0] < 53.6)).all()  # latitude of NL
    assert ((coords[:, 1] > 3.3) & (coords[:, 1] < 7.3)).all()  # longitude of NL
    assert geo.pc4_codes == tuple(sorted(codes))
    for code in codes[::97]:
        assert geo.coords(code) == tuple(coords[codes.index(code)])


def test_rotterdam_to_utrecht_within_ten_percent_of_47_km(geo: PostcodeGeo) -> None:
    distance = geo.distance_km("3011", "3511")
    assert abs(distance - 47.0) <= 0.10 * 47.0
    lat_lon = geo.coords_many(["3011 AB", "3511AA"])
    assert float(haversine_km(*lat_lon[0], *lat_lon[1])) == pytest.approx(distance)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ("1012", "9711", 146.0),  # Amsterdam centre - Groningen centre
        ("6211", "9711", 258.0),  # Maastricht - Groningen
        ("2511", "3011", 20.0),  # Den Haag - Rotterdam
    ],
)
def test_known_city_distances(geo: PostcodeGeo, a: str, b: str, km: float) -> None:
    assert geo.distance_km(a, b) == pytest.approx(km, rel=0.10)


def test_pc6_resolves_through_its_pc4(geo: PostcodeGeo) -> None:
    assert geo.coords("3011 AB") == geo.coords("3011") == geo.coords("3011zz")


@pytest.mark.parametrize("postcode", ["1000", "1000AA", "1029"])
def test_unknown_postcode_is_a_clear_error(geo: PostcodeGeo, postcode: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown postcode {postcode!r}"):
        geo.coords(postcode)
    with pytest.raises(ValueError, match=rf"unknown postcode {postcode!r}"):
        geo.coords_many(["3011", postcode])


@pytest.mark.parametrize("postcode", ["0999", "abc", "3011 SS", ""])
def test_invalid_postcode_is_rejected(geo: PostcodeGeo, postcode: str) -> None:
    with pytest.raises(ValueError, match="is not a Dutch postcode"):
        geo.coords(postcode)


def test_haversine_basics_and_broadcasting() -> None:
    assert float(haversine_km(52.0, 5.0, 52.0, 5.0)) == 0.0
    # one degree of latitude is about 111.2 km
    assert float(haversine_km(52.0, 5.0, 53.0, 5.0)) == pytest.approx(111.2, abs=0.1)
    lat = np.array([51.9225, 52.09083, 53.2])
    lon = np.array([4.47917, 5.12222, 6.56])
    matrix = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    assert matrix.shape == (3, 3)
    assert np.allclose(matrix, matrix.T) and np.allclose(np.diag(matrix), 0.0)
    one_to_many = haversine_km(lat[0], lon[0], lat, lon)
    assert one_to_many.shape == (3,)
    assert np.allclose(one_to_many, matrix[0])
    # antipodes: half the Earth's circumference
    assert float(haversine_km(0.0, 0.0, 0.0, 180.0)) == pytest.approx(20015.1, abs=1.0)


def test_custom_table_and_bad_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "pc4.csv"
    table.write_text("pc4,lat,lon,locality\n3011,51.9,4.5,Rotterdam\n", encoding="utf-8")
    small = PostcodeGeo(table)
    assert small.coords("3011") == (51.9, 4.5)
    with pytest.raises(ValueError, match="unknown postcode '3511'"):
        small.coords("3511")
    table.write_text("pc4,lat,lon\n3011,north,4.5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2: bad PC4 row"):
        PostcodeGeo(table)


def test_get_geo_is_cached() -> None:
    assert get_geo() is get_geo()
