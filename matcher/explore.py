"""Candidate exploration filters: what an employer may narrow an anonymous search by.

UWV's Kandidatenverkenner lets employers browse anonymous profiles by skill, occupation, hours,
distance, education and licence. Here those filters are boolean masks over the candidate index
(:class:`matcher.features.CandidateArrays`), so a search is array work like a shortlist: the
rows that pass go to :func:`matcher.shortlist.shortlist_many` as ``candidate_ids``, where the
same hard rules, features, scorer and reasons apply. No Python loop runs over candidates.

Filters (all optional; a row must pass every filter given):

``skill_cols``
    the candidate holds **every** one of these skills (stated, or likely from an occupation, as a
    shortlist counts them: weight > 0).
``occupation_cols``
    the candidate has **any** of these occupations.
``hours_min``
    the candidate wants at least this many hours a week.
``education_min``
    NLQF level at least this (unknown education fails the filter).
``licence_bits``
    holds each of these driving-licence bits (a higher category counts, as in the licence rule).
``max_km`` with ``lat``/``lon``
    the candidate lives within ``max_km`` of the workplace (and the hard distance rule still asks
    that the workplace lies within the candidate's own travel distance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.features import CandidateArrays, haversine_km


@dataclass(frozen=True, slots=True)
class ExploreFilters:
    """The filters of one search (see the module docstring); column ids are the index's."""

    skill_cols: tuple[int, ...] = ()
    occupation_cols: tuple[int, ...] = ()
    hours_min: float | None = None
    education_min: int | None = None
    licence_bits: tuple[int, ...] = ()
    max_km: float | None = None
    lat: float | None = None
    lon: float | None = None


def filter_rows(cands: CandidateArrays, rows: np.ndarray, filters: ExploreFilters) -> np.ndarray:
    """The positions of ``rows`` that pass every filter (a subset of ``rows``, in order).

    Examples
    --------
    >>> from matcher.features import Vocabulary, candidate_arrays
    >>> from matcher.profiles import CandidateProfile, ConceptRef
    >>> sv, ov = Vocabulary(), Vocabulary()
    >>> c = candidate_arrays([
    ...     CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww",
    ...                      skills=(ConceptRef("heftruck"),), hours_per_week=36),
    ...     CandidateProfile(id=2, ref="K2", pc4="3511", lat=52.09, lon=5.12, benefit="ww",
    ...                      hours_per_week=36)], sv, ov)
    >>> f = ExploreFilters(skill_cols=(sv.index["heftruck"],), hours_min=32)
    >>> c.ids[filter_rows(c, np.arange(2), f)].tolist()
    [1]
    """
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return rows
    keep = np.ones(len(rows), dtype=bool)
    if filters.hours_min is not None:
        keep &= cands.hours[rows] >= filters.hours_min
    if filters.education_min is not None:
        edu = cands.education[rows]
        keep &= ~np.isnan(edu) & (np.nan_to_num(edu, nan=-1.0) >= filters.education_min)
    for bit in filters.licence_bits:
        keep &= (cands.licence_mask[rows] & bit) != 0
    if filters.max_km is not None and filters.lat is not None and filters.lon is not None:
        d = haversine_km(
            cands.lat[rows],
            cands.lon[rows],
            np.full(len(rows), filters.lat),
            np.full(len(rows), filters.lon),
        )
        keep &= np.nan_to_num(d, nan=np.inf) <= filters.max_km
    if filters.skill_cols:
        keep &= _holds(cands.skills, rows, filters.skill_cols, every=True)
    if filters.occupation_cols:
        keep &= _holds(cands.occupations, rows, filters.occupation_cols, every=False)
    return rows[keep]


def _holds(matrix: object, rows: np.ndarray, cols: Sequence[int], *, every: bool) -> np.ndarray:
    """Per row: holds every (or any) of ``cols`` with a weight > 0; columns beyond the
    matrix (a concept no candidate has) are held by nobody."""
    n_cols = matrix.shape[1]  # type: ignore[attr-defined]
    inside = [c for c in cols if 0 <= c < n_cols]
    if every and len(inside) < len(cols):
        return np.zeros(len(rows), dtype=bool)
    if not inside:
        return np.zeros(len(rows), dtype=bool)
    sub = matrix[rows][:, inside]  # type: ignore[index]
    held = (sub > 0).astype(np.int32).sum(axis=1)
    held = np.asarray(held).ravel()
    return held == len(inside) if every else held > 0


__all__ = ["ExploreFilters", "filter_rows"]
