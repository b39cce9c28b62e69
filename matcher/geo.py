"""Postcodes to coordinates and straight-line distances.

Coordinates come from ``fixtures/geo/pc4.csv`` (every Dutch PC4 area; how it is built and its
sources and licences are in ``fixtures/geo/README.md``). A PC6 postcode resolves through its PC4
area, so distances are at PC4 resolution: each PC4 area has its own coordinates (GeoNames), so
two areas of one town are apart too (Rotterdam 3011 to 3089: about 5.4 km).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matcher.normalize import normalize_postcode

DEFAULT_PC4_TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "geo" / "pc4.csv"
#: Mean Earth radius (IUGG), kilometres.
EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in kilometres, vectorised with numpy broadcasting.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array_like
        Degrees. Arrays broadcast against each other, e.g. one vacancy (scalars) against all
        candidates (arrays), or ``lat1[:, None]`` against ``lat2[None, :]`` for a matrix.

    Returns
    -------
    numpy.ndarray
        Distances in km, with the broadcast shape (0-d for scalar input).

    Examples
    --------
    >>> round(float(haversine_km(51.9225, 4.47917, 52.09083, 5.12222)), 1)
    47.8
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result


class PostcodeGeo:
    """Coordinates of Dutch postcodes at PC4 resolution.

    Parameters
    ----------
    path : Path, optional
        A CSV with columns ``pc4,lat,lon`` (and optionally ``locality``); the committed table
        by default.

    Examples
    --------
    >>> geo = get_geo()
    >>> geo.coords("3011 AB")
    (51.9191, 4.4867)
    """

    def __init__(self, path: Path | None = None) -> None:
        table = Path(path) if path is not None else DEFAULT_PC4_TABLE
        # Indexed by the PC4 number itself: lookups are one numpy take, unknown areas are NaN.
        self._lat = np.full(10000, np.nan)
        self._lon = np.full(10000, np.nan)
        self.localities: dict[str, str] = {}
        with table.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    code = int(normalize_postcode(row["pc4"]))
                    lat, lon = float(row["lat"]), float(row["lon"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise ValueError(f"{table}: row {number}: bad PC4 row {row!r}: {exc}") from exc
                self._lat[code], self._lon[code] = lat, lon
                self.localities[f"{code:04d}"] = row.get("locality") or ""

    @property
    def pc4_codes(self) -> tuple[str, ...]:
        """Every PC4 area in the table, sorted."""
        return tuple(f"{code:04d}" for code in np.flatnonzero(~np.isnan(self._lat)))

    def coords(self, postcode: str) -> tuple[float, float]:
        """Latitude and longitude of a postcode's PC4 area.

        Raises
        ------
        ValueError
            If the postcode is invalid, or valid but its PC4 area is not in the table
            ("unknown postcode ...").

        Examples
        --------
        >>> get_geo().coords("3511")
        (52.0886, 5.1174)
        """
        code = int(normalize_postcode(postcode)[:4])
        lat = float(self._lat[code])
        if np.isnan(lat):
            raise ValueError(
                f"postcode: unknown postcode {postcode!r}: PC4 area {code:04d} is not in the "
                "table of Dutch postcode areas"
            )
        return lat, float(self._lon[code])

    def coords_many(self, postcodes: Sequence[str]) -> FloatArray:
        """Coordinates of many postcodes as an array of shape (n, 2): latitude, longitude.

        Raises
        ------
        ValueError
            Naming the first invalid or unknown postcode.

        Examples
        --------
        >>> get_geo().coords_many(["3011", "3511 AA"]).shape
        (2, 2)
        """
        codes = np.fromiter(
            (int(normalize_postcode(p)[:4]) for p in postcodes),
            dtype=np.int64,
            count=len(postcodes),
        )
        out = np.column_stack([self._lat[codes], self._lon[codes]])
        missing = np.flatnonzero(np.isnan(out[:, 0]))
        if missing.size:
            first = postcodes[int(missing[0])]
            raise ValueError(
                f"postcode: unknown postcode {first!r}"
                f"{f' (and {missing.size - 1} more)' if missing.size > 1 else ''}: "
                "not in the table of Dutch postcode areas"
            )
        result: FloatArray = out.reshape(len(postcodes), 2)
        return result

    def distance_km(self, postcode_a: str, postcode_b: str) -> float:
        """Straight-line distance between two postcodes' PC4 areas.

        Examples
        --------
        >>> round(get_geo().distance_km("3011", "3511"))
        47
        """
        (lat1, lon1), (lat2, lon2) = self.coords(postcode_a), self.coords(postcode_b)
        return float(haversine_km(lat1, lon1, lat2, lon2))


@functools.lru_cache(maxsize=1)
def get_geo() -> PostcodeGeo:
    """The :class:`PostcodeGeo` on the committed table, loaded once.

    Examples
    --------
    >>> len(get_geo().pc4_codes) > 4000
    True
    """
    return PostcodeGeo()
