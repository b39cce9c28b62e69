"""In-memory indexes of all candidates (and vacancies) for vectorised shortlists.

:class:`CandidateIndex` holds every candidate as columnar arrays and a sparse candidate x skill
matrix (:class:`matcher.features.CandidateArrays`). It is built once at start-up and kept
current on every write:

* ``upsert(profile)`` and ``remove(candidate_id)`` are O(1): the new profile goes into a dirty
  buffer and the old row, if any, is marked dead;
* the next read (``arrays()``) merges the buffer in one step (array concatenation and one sparse
  ``vstack``), and when more than ``compact_fraction`` of the rows are dead it rebuilds without
  them;
* ``version`` increases on every write, so a caller can tell whether its view is current
  (cross-process freshness is the caller's concern).

:class:`VacancyIndex` is the same for open vacancies (used by ``vacancies_for_candidate``).

Examples
--------
>>> from matcher.profiles import CandidateProfile
>>> idx = CandidateIndex.build([CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09,
...                                              lon=5.12, benefit="ww")])
>>> idx.upsert(CandidateProfile(id=2, ref="K2", pc4="3512", lat=52.09, lon=5.12, benefit="ww"))
>>> idx.remove(1)
>>> len(idx), idx.version
(1, 2)
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

import numpy as np

from matcher.features import (
    CandidateArrays,
    VacancyArrays,
    Vocabulary,
    candidate_arrays,
    vacancy_arrays,
)
from matcher.profiles import CandidateProfile, VacancyProfile


def _vocabularies(
    skill_ids: Iterable[str] | None,
    occupation_isco: Mapping[str, str] | None,
    skill_labels: Mapping[str, str] | None,
    occupation_labels: Mapping[str, str] | None,
) -> tuple[Vocabulary, Vocabulary]:
    skills = Vocabulary(labels=dict(skill_labels or {}))
    for s in skill_ids or ():
        skills.col(s)
    occ = Vocabulary(isco_of=dict(occupation_isco or {}), labels=dict(occupation_labels or {}))
    for o in occupation_isco or {}:
        occ.col(o)
    return skills, occ


class CandidateIndex:
    """All candidates, as arrays, with cheap single-candidate writes.

    Parameters
    ----------
    skills, occupations : Vocabulary
        Column vocabularies (``from_taxonomy`` fills them from the taxonomy so columns are
        stable and occupations carry their ISCO-08 code).
    compact_fraction : float
        Rebuild without dead rows once this share of rows is dead.
    """

    def __init__(
        self,
        skills: Vocabulary | None = None,
        occupations: Vocabulary | None = None,
        *,
        compact_fraction: float = 0.2,
    ) -> None:
        self.skills = skills or Vocabulary()
        self.occupations = occupations or Vocabulary()
        self.compact_fraction = compact_fraction
        self._arrays = candidate_arrays([], self.skills, self.occupations)
        self._alive = np.zeros(0, dtype=bool)
        self._row: dict[int, int] = {}
        self._pending: dict[int, CandidateProfile] = {}
        self._lock = threading.RLock()
        self.version = 0

    @classmethod
    def build(
        cls,
        profiles: Iterable[CandidateProfile],
        *,
        taxonomy: object | None = None,
        compact_fraction: float = 0.2,
    ) -> CandidateIndex:
        """Index ``profiles``; with a taxonomy, columns follow its skills and occupations.

        Examples
        --------
        >>> len(CandidateIndex.build([]))
        0
        """
        skills, occ = vocabularies_from_taxonomy(taxonomy)
        idx = cls(skills, occ, compact_fraction=compact_fraction)
        profiles = list(profiles)
        idx._arrays = candidate_arrays(profiles, idx.skills, idx.occupations)
        idx._alive = np.ones(len(profiles), dtype=bool)
        for row, p in enumerate(profiles):
            old = idx._row.get(p.id)
            if old is not None:  # a later duplicate wins
                idx._alive[old] = False
            idx._row[p.id] = row
        return idx

    def __len__(self) -> int:
        with self._lock:
            return len(self._row) + sum(1 for cid in self._pending if cid not in self._row)

    def upsert(self, profile: CandidateProfile) -> None:
        """Add or replace one candidate (O(1); merged on the next read)."""
        with self._lock:
            row = self._row.pop(profile.id, None)
            if row is not None:
                self._alive[row] = False
            self._pending[profile.id] = profile
            self.version += 1

    def remove(self, candidate_id: int) -> None:
        """Drop one candidate; unknown ids are ignored (removal is idempotent)."""
        with self._lock:
            row = self._row.pop(candidate_id, None)
            if row is not None:
                self._alive[row] = False
            self._pending.pop(candidate_id, None)
            self.version += 1

    def arrays(self) -> tuple[CandidateArrays, np.ndarray]:
        """Current candidate block and its alive mask (dead rows must be ignored)."""
        with self._lock:
            if self._pending:
                new = list(self._pending.values())
                block = candidate_arrays(new, self.skills, self.occupations)
                base = len(self._arrays)
                self._arrays = CandidateArrays.concat(
                    [self._arrays, block], len(self.skills), len(self.occupations)
                )
                self._alive = np.concatenate([self._alive, np.ones(len(new), dtype=bool)])
                for k, p in enumerate(new):
                    self._row[p.id] = base + k
                self._pending.clear()
            n_dead = len(self._alive) - int(self._alive.sum())
            if n_dead and n_dead > self.compact_fraction * len(self._alive):
                self._compact()
            return self._arrays, self._alive

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive)
        self._arrays = self._arrays.take(keep)
        self._alive = np.ones(len(keep), dtype=bool)
        self._row = {int(cid): r for r, cid in enumerate(self._arrays.ids)}

    def row_of(self, candidate_id: int) -> int | None:
        """Row of a candidate in ``arrays()`` (after merging), or None."""
        with self._lock:
            self.arrays()
            return self._row.get(candidate_id)

    def vacancy_block(self, vacancies: list[VacancyProfile]) -> VacancyArrays:
        """Vacancies as a block over this index's vocabularies."""
        with self._lock:
            return vacancy_arrays(vacancies, self.skills, self.occupations)


class VacancyIndex:
    """All open vacancies as a block, for the candidate-to-vacancies direction.

    Vacancies are few (thousands) and change rarely, so writes simply rebuild the block on the
    next read.

    Examples
    --------
    >>> from matcher.profiles import VacancyProfile
    >>> vi = VacancyIndex.build([VacancyProfile(id=7, ref="V7", title="t", pc4="3511",
    ...                                          lat=52.09, lon=5.12, hours_per_week=32)])
    >>> len(vi)
    1
    """

    def __init__(self, skills: Vocabulary | None = None, occupations: Vocabulary | None = None):
        self.skills = skills or Vocabulary()
        self.occupations = occupations or Vocabulary()
        self._profiles: dict[int, VacancyProfile] = {}
        self._block: VacancyArrays | None = None
        self._lock = threading.RLock()
        self.version = 0

    @classmethod
    def build(
        cls, vacancies: Iterable[VacancyProfile], *, taxonomy: object | None = None
    ) -> VacancyIndex:
        """Index ``vacancies``."""
        skills, occ = vocabularies_from_taxonomy(taxonomy)
        vi = cls(skills, occ)
        for v in vacancies:
            vi._profiles[v.id] = v
        return vi

    def __len__(self) -> int:
        return len(self._profiles)

    def upsert(self, vacancy: VacancyProfile) -> None:
        """Add or replace one vacancy."""
        with self._lock:
            self._profiles[vacancy.id] = vacancy
            self._block = None
            self.version += 1

    def remove(self, vacancy_id: int) -> None:
        """Drop one vacancy (e.g. when it closes)."""
        with self._lock:
            self._profiles.pop(vacancy_id, None)
            self._block = None
            self.version += 1

    def profiles(self) -> list[VacancyProfile]:
        """The indexed vacancy profiles, in block order."""
        with self._lock:
            return list(self._profiles.values())

    def block(self) -> VacancyArrays:
        """All vacancies as one block."""
        with self._lock:
            if self._block is None:
                self._block = vacancy_arrays(self.profiles(), self.skills, self.occupations)
            return self._block

    def candidate_block(self, candidate: CandidateProfile) -> CandidateArrays:
        """One candidate as a block over this index's vocabularies."""
        from matcher.features import candidate_arrays as build

        with self._lock:
            return build([candidate], self.skills, self.occupations)


def vocabularies_from_taxonomy(taxonomy: object | None) -> tuple[Vocabulary, Vocabulary]:
    """Skill and occupation vocabularies in taxonomy order, with ISCO codes and Dutch labels.

    ``taxonomy`` is a ``matcher.taxonomy.Taxonomy`` (``skills`` and ``occupations`` dicts) or
    None for vocabularies that grow from the profiles.

    Examples
    --------
    >>> s, o = vocabularies_from_taxonomy(None)
    >>> len(s), len(o)
    (0, 0)
    """
    if taxonomy is None:
        return Vocabulary(), Vocabulary()
    skills_map = getattr(taxonomy, "skills", {})
    occ_map = getattr(taxonomy, "occupations", {})
    return _vocabularies(
        list(skills_map),
        {oid: getattr(o, "isco08", "") for oid, o in occ_map.items()},
        {sid: getattr(s, "label_nl", sid) for sid, s in skills_map.items()},
        {oid: getattr(o, "label_nl", oid) for oid, o in occ_map.items()},
    )
