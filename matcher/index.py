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

Snapshots, so a server starts in well under a second instead of rebuilding from the database:

* ``CandidateIndex.save_snapshot(directory, *, meta)`` writes the live rows (pending writes
  merged, dead rows left out) as one ``.npy`` per array and per CSR part, plus ``meta.json``
  (format version, the caller's ``meta``, the vocabularies and their fingerprint, row count,
  creation time); the directory is replaced atomically.
* ``CandidateIndex.load_snapshot(directory, *, taxonomy=None, mmap=True)`` returns
  ``(index, meta)``; with ``mmap`` the arrays are read-only memory maps that processes share,
  and writes still work (merges build new arrays; nothing writes into the mapped ones). It
  raises :class:`SnapshotMismatch` (a ``ValueError``) for another format version or, given a
  taxonomy, other vocabularies: the caller rebuilds then.
* ``write_snapshot_dir`` / ``read_snapshot_dir`` do the files for any table of arrays
  (``matcher.fairness.GroupTable.save``/``load`` use them too). Nothing is pickled.

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

import errno
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar

import numpy as np
import scipy.sparse as sp

from matcher.features import (
    CandidateArrays,
    VacancyArrays,
    Vocabulary,
    candidate_arrays,
    carry_caches,
    vacancy_arrays,
)
from matcher.profiles import CandidateProfile, VacancyProfile

#: the value type of a ``SnapshotOverlay``
V = TypeVar("V")


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
        self._row: MutableMapping[int, int] = {}
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
                before = self._arrays
                self._arrays = CandidateArrays.concat(
                    [before, block], len(self.skills), len(self.occupations)
                )
                carry_caches(before, self._arrays)  # the caches of the rows kept, extended
                self._alive = np.concatenate([self._alive, np.ones(len(new), dtype=bool)])
                for k, p in enumerate(new):
                    self._row[p.id] = base + k
                self._pending.clear()
            n_dead = len(self._alive) - int(self._alive.sum())
            if n_dead and n_dead > self.compact_fraction * len(self._alive):
                self._compact()
            # skill IDF counts the living rows only (matcher.features.skill_idf)
            self._arrays.__dict__["_alive_rows"] = self._alive
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

    def candidate_block(self, profiles: list[CandidateProfile]) -> CandidateArrays:
        """Candidates as a block over this index's vocabularies, without adding them to it
        (training: the candidates of recorded outcomes, some no longer in the pool)."""
        with self._lock:
            return candidate_arrays(profiles, self.skills, self.occupations)

    def save_snapshot(self, directory: Path, *, meta: Mapping[str, Any]) -> None:
        """Write the live rows, the vocabularies and ``meta`` as a snapshot in ``directory``.

        Pending writes are merged and dead rows left out (the index itself keeps its rows as
        they are). Only the capture holds the lock; the files are written after it, so writes
        to the index may go on meanwhile. ``meta`` (JSON) comes back from ``load_snapshot``:
        put there what tells the snapshot's age, e.g. a database change counter read before
        this call. The directory is replaced atomically (see :func:`write_snapshot_dir`).

        Examples
        --------
        >>> import tempfile
        >>> from matcher.profiles import CandidateProfile
        >>> idx = CandidateIndex.build([CandidateProfile(id=1, ref="K1", pc4="3511",
        ...                                              lat=52.09, lon=5.12, benefit="ww")])
        >>> d = Path(tempfile.mkdtemp()) / "index"
        >>> idx.save_snapshot(d, meta={"change": 41})
        >>> again, meta = CandidateIndex.load_snapshot(d)
        >>> len(again), meta
        (1, {'change': 41})
        """
        with self._lock:
            arrays, alive = self.arrays()
            block = arrays if bool(alive.all()) else arrays.take(np.flatnonzero(alive))
            vocabularies = {
                "skills": _vocab_state(self.skills),
                "occupations": _vocab_state(self.occupations),
            }
            n_skills, n_occ = len(self.skills), len(self.occupations)
        # the block is never written in place (merges build new arrays), so it can be written
        # out without the lock
        files: dict[str, np.ndarray] = {
            name: getattr(block, name)
            for name in CandidateArrays.__dataclass_fields__
            if name not in ("refs", "skills", "occupations")
        }
        files["refs"] = np.asarray(block.refs, dtype=np.str_)  # fixed width: no pickle
        files["row_order"] = np.argsort(block.ids, kind="stable")  # id -> row without a dict
        files.update(_matrix_files("skills", block.skills))
        files.update(_matrix_files("occupations", block.occupations))
        info = {
            "format": CANDIDATE_INDEX_FORMAT,
            "format_version": SNAPSHOT_FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": len(block),
            "shape": {"skills": n_skills, "occupations": n_occ},
            "arrays": sorted(files),
            "vocabularies": vocabularies,
            "vocab_fingerprint": vocab_fingerprint(vocabularies),
            "meta": dict(meta),
        }
        write_snapshot_dir(Path(directory), files, info)

    @classmethod
    def load_snapshot(
        cls,
        directory: Path,
        *,
        taxonomy: object | None = None,
        mmap: bool = True,
        compact_fraction: float = 0.2,
    ) -> tuple[CandidateIndex, dict[str, Any]]:
        """The index saved by ``save_snapshot`` in ``directory``, and the ``meta`` saved with it.

        ``mmap=True`` maps the arrays read-only, so processes that load the same snapshot share
        one copy in the page cache; writes (``upsert``/``remove``) still work, the next merge
        builds private arrays. ``mmap=False`` reads everything into memory.

        Raises
        ------
        SnapshotMismatch
            The snapshot's format version is not this code's, its vocabularies do not match
            their fingerprint, or (given ``taxonomy``) the taxonomy's vocabularies are not the
            snapshot's first columns with the same ISCO codes and labels. Rebuild then.
        FileNotFoundError
            No snapshot in ``directory``.
        """
        names = [
            n for n in CandidateArrays.__dataclass_fields__ if n not in ("skills", "occupations")
        ]
        names += ["row_order"]
        names += [
            f"{m}.{part}"
            for m in ("skills", "occupations")
            for part in ("data", "indices", "indptr")
        ]
        vocab: list[Vocabulary] = []

        def check(info: Mapping[str, Any]) -> None:  # before any array is read
            check_snapshot_format(directory, info, CANDIDATE_INDEX_FORMAT)
            vocabularies = info["vocabularies"]
            if vocab_fingerprint(vocabularies) != info.get("vocab_fingerprint"):
                raise SnapshotMismatch("snapshot vocabularies do not match their fingerprint")
            vocab[:] = [_vocab_from_state(vocabularies[k]) for k in ("skills", "occupations")]
            if taxonomy is not None:
                want_s, want_o = vocabularies_from_taxonomy(taxonomy)
                diff = _vocab_difference("skills", vocab[0], want_s) or _vocab_difference(
                    "occupations", vocab[1], want_o
                )
                if diff:
                    raise SnapshotMismatch(f"snapshot vocabulary differs from the taxonomy: {diff}")

        files, info = read_snapshot_dir(Path(directory), mmap=mmap, names=names, check=check)
        skills, occ = vocab
        n = int(info["rows"])
        shape = info["shape"]
        kw = {name: files[name] for name in names if "." not in name and name != "row_order"}
        bad = sorted(
            name
            for name, a in {**kw, "row_order": files["row_order"]}.items()
            if a.shape[:1] != (n,)
        )
        if bad:
            raise SnapshotMismatch(f"snapshot arrays {bad} do not have {n} rows")
        arrays = CandidateArrays(
            **kw,
            skills=_matrix(files, "skills", (n, int(shape["skills"]))),
            occupations=_matrix(files, "occupations", (n, int(shape["occupations"]))),
        )
        idx = cls(skills, occ, compact_fraction=compact_fraction)
        idx._arrays = arrays
        idx._alive = np.ones(n, dtype=bool)  # fresh and writable: marking rows dead writes here
        order = files["row_order"]
        if n and not bool((np.diff(arrays.ids[order]) > 0).all()):
            raise SnapshotMismatch(f"snapshot {directory}: row_order does not sort unique ids")
        idx._row = _RowMap(arrays.ids, order)  # a dict would cost ~100 MB per 1M candidates
        return idx, dict(info["meta"])


class SnapshotOverlay(MutableMapping[int, V]):
    """A mapping over a loaded snapshot's sorted-or-permuted id array, with the changes since in
    a dict on top: a load builds no Python object per candidate. Subclasses say where a key sits
    in the snapshot (``_find``) and what that position holds (``_value``)."""

    def __init__(self, ids: np.ndarray) -> None:
        self._ids = ids
        self._over: dict[int, V] = {}
        self._gone: set[int] = set()  # snapshot ids removed or replaced since

    def _find(self, key: int) -> int | None:
        raise NotImplementedError

    def _value(self, pos: int) -> V:
        raise NotImplementedError

    def __getitem__(self, key: int) -> V:
        if key in self._over:
            return self._over[key]
        pos = None if key in self._gone else self._find(key)
        if pos is None:
            raise KeyError(key)
        return self._value(pos)

    def __setitem__(self, key: int, value: V) -> None:
        if key not in self._gone and self._find(key) is not None:
            self._gone.add(key)
        self._over[key] = value

    def __delitem__(self, key: int) -> None:
        if self._over.pop(key, None) is not None:
            return  # a snapshot row under it is gone already
        if key in self._gone or self._find(key) is None:
            raise KeyError(key)
        self._gone.add(key)

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __len__(self) -> int:
        return len(self._ids) - len(self._gone) + len(self._over)

    def __iter__(self) -> Iterator[int]:
        gone = self._gone
        yield from (k for k in self._ids.tolist() if k not in gone)
        yield from self._over


class _RowMap(SnapshotOverlay[int]):
    """Candidate id -> row of a loaded index, looked up in the (mapped) id array through its
    sorting permutation, so worker processes share the whole index. ``_compact`` replaces it by
    a dict."""

    def __init__(self, ids: np.ndarray, order: np.ndarray) -> None:
        super().__init__(ids)
        self._order = order

    def _find(self, key: int) -> int | None:
        if not len(self._ids):
            return None
        p = int(np.searchsorted(self._ids, key, sorter=self._order))
        if p < len(self._ids):
            row = int(self._order[p])
            if int(self._ids[row]) == key:
                return row
        return None

    def _value(self, pos: int) -> int:
        return pos


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


# --- snapshots ----------------------------------------------------------------------------------
#
# A snapshot is a directory of ``.npy`` files (one per array, so each can be memory-mapped) and a
# ``meta.json``. It is written into a sibling ``<dir>.tmp-<pid>`` and renamed into place, and it
# is read through one open handle of the directory, so a reader never mixes files of two
# snapshots even when a writer swaps them meanwhile. No pickle anywhere: object arrays are
# refused, strings are stored as fixed-width unicode.

#: bumped whenever the files of a snapshot change meaning; a different version is refused
SNAPSHOT_FORMAT_VERSION = 1
CANDIDATE_INDEX_FORMAT = "srmatch.candidate_index"
_META = "meta.json"
#: how long a reader waits for a writer that is between its two renames
_SWAP_WAIT_S = 2.0
#: the temporary names carry the pid only, so writers in one process take turns
_WRITE_LOCK = threading.Lock()
#: how often a reader starts again when writers keep replacing the snapshot under it
_READ_ATTEMPTS = 5


class SnapshotMismatch(ValueError):
    """A snapshot that this code or this taxonomy must not use (the caller rebuilds instead)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, write: Any) -> None:
    with open(path, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())


def write_snapshot_dir(
    directory: Path, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]
) -> None:
    """Write ``arrays`` (one ``<name>.npy`` each) and ``meta`` (``meta.json``) as ``directory``,
    atomically: a reader sees the old snapshot, then (after a moment without one) the new one,
    never a half-written one.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "snap"
    >>> write_snapshot_dir(d, {"x": np.arange(3)}, {"n": 3})
    >>> files, meta = read_snapshot_dir(d, mmap=False)
    >>> files["x"].tolist(), meta["n"]
    ([0, 1, 2], 3)
    """
    directory = Path(directory)
    for name, a in arrays.items():
        if a.dtype.hasobject:
            raise ValueError(f"snapshot array {name!r} has dtype object; store it as fixed-width")
    try:
        meta_bytes = json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"snapshot meta is not JSON-serialisable: {exc}") from exc
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}")
    old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
    with _WRITE_LOCK:
        shutil.rmtree(tmp, ignore_errors=True)  # left over by a crashed process with our pid
        tmp.mkdir()
        try:
            for name, a in arrays.items():
                data = np.ascontiguousarray(a)
                _write_file(tmp / f"{name}.npy", lambda f, d=data: np.lib.format.write_array(f, d))
            _write_file(tmp / _META, lambda f: f.write(meta_bytes))
            _fsync_dir(tmp)
            _swap_in(tmp, directory, old)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)


def _swap_in(tmp: Path, directory: Path, old: Path) -> None:
    """Rename ``tmp`` to ``directory``, moving an existing ``directory`` aside to ``old`` first
    (a directory cannot be replaced by rename while it has files). Retries when another writer
    swaps at the same time."""
    for attempt in range(20):
        try:
            if directory.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.rename(directory, old)
            os.rename(tmp, directory)
            _fsync_dir(directory.parent)
            return
        except FileNotFoundError:  # another writer moved `directory` between exists and rename
            pass
        except OSError as exc:  # another writer renamed its snapshot in after we moved ours
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        if old.exists() and not directory.exists():
            os.rename(old, directory)  # put the previous snapshot back before trying again
        time.sleep(0.01 * (attempt + 1))
    raise OSError(f"could not swap snapshot {tmp} into {directory}: other writers kept racing")


@contextmanager
def _open_dir(directory: Path) -> Iterator[int]:
    """A handle on ``directory`` (waiting briefly while a writer swaps snapshots)."""
    directory = Path(directory)
    deadline = time.monotonic() + _SWAP_WAIT_S
    while True:
        try:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            break
        except FileNotFoundError:
            swapping = (
                any(directory.parent.glob(f"{directory.name}.old-*"))
                or any(directory.parent.glob(f"{directory.name}.tmp-*"))
                or directory.exists()  # the writer finished while we looked
            )
            if not swapping or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    try:
        yield fd
    finally:
        os.close(fd)


def _read_npy(f: BinaryIO, mmap: Literal["r", "c"] | None) -> np.ndarray:
    """One ``.npy`` file: read into memory, or memory-mapped with numpy mode ``mmap``."""
    if mmap is None:
        return np.asarray(np.lib.format.read_array(f, allow_pickle=False))
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    if dtype.hasobject:
        raise ValueError("snapshot array has dtype object (refused: it would need pickle)")
    if int(np.prod(shape)) == 0:  # an empty file region cannot be mapped
        return np.zeros(shape, dtype=dtype)
    m = np.memmap(
        f,  # type: ignore[call-overload]  # a file object is documented, not in the stubs
        dtype=dtype,
        mode=mmap,
        shape=shape,
        order="F" if fortran else "C",
        offset=f.tell(),
    )
    return np.asarray(m)  # a plain ndarray view; the mapping lives on as its base


def read_snapshot_dir(
    directory: Path,
    *,
    mmap: bool | Literal["c"] = True,
    names: Iterable[str] | None = None,
    check: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and ``meta.json`` of a snapshot written by :func:`write_snapshot_dir`.

    ``mmap``: True maps the files read-only (shared between processes, paged in on use), ``"c"``
    maps them copy-on-write (writable, writes stay private), False reads them into memory.
    ``names`` limits which arrays are read (default: every ``.npy`` in the directory);
    ``check(meta)`` runs before any array is read (raise to refuse). All files are opened through
    one handle of the directory, so they come from the same snapshot; when a writer replaces
    and deletes that snapshot meanwhile, the read starts again on the new one.
    """
    mode: Literal["r", "c"] | None = "r" if mmap is True else (None if mmap is False else mmap)
    names = None if names is None else list(names)
    for _ in range(_READ_ATTEMPTS):
        with _open_dir(Path(directory)) as dfd:
            try:
                return _read_dir(dfd, mode, names, check)
            except FileNotFoundError as exc:
                if not _replaced(dfd, Path(directory)):
                    raise SnapshotMismatch(f"snapshot {directory} lacks {exc.filename}") from exc
    raise OSError(f"snapshot {directory} was replaced {_READ_ATTEMPTS} times while loading")


def _replaced(dfd: int, directory: Path) -> bool:
    """Whether ``directory`` is no longer the directory open as ``dfd``."""
    held = os.fstat(dfd)
    try:
        now = os.stat(directory)
    except FileNotFoundError:
        return True
    return (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino)


def _read_dir(
    dfd: int,
    mode: Literal["r", "c"] | None,
    names: list[str] | None,
    check: Callable[[dict[str, Any]], None] | None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    def opener(path: str, flags: int) -> int:
        return os.open(path, flags, dir_fd=dfd)

    with open(_META, "rb", opener=opener) as f:
        meta = json.loads(f.read().decode("utf-8"))
    if check is not None:
        check(meta)
    if names is None:
        names = [n[: -len(".npy")] for n in os.listdir(dfd) if n.endswith(".npy")]
    files: dict[str, np.ndarray] = {}
    for name in names:
        with open(f"{name}.npy", "rb", opener=opener) as f:
            files[name] = _read_npy(f, mode)
    return files, meta


def check_snapshot_format(directory: Path, info: Mapping[str, Any], kind: str) -> None:
    if info.get("format") != kind:
        raise SnapshotMismatch(f"snapshot {directory} holds {info.get('format')!r}, not {kind!r}")
    if info.get("format_version") != SNAPSHOT_FORMAT_VERSION:
        raise SnapshotMismatch(
            f"snapshot format version is {info.get('format_version')!r}; "
            f"this code reads version {SNAPSHOT_FORMAT_VERSION}"
        )


def _vocab_state(v: Vocabulary) -> dict[str, Any]:
    return {
        "ids": list(v.ids),
        "isco": list(v.isco),
        "isco_of": dict(v.isco_of),
        "labels": dict(v.labels),
    }


def _vocab_from_state(state: Mapping[str, Any]) -> Vocabulary:
    ids = [str(i) for i in state["ids"]]
    return Vocabulary(
        ids=ids,
        index={c: k for k, c in enumerate(ids)},
        isco=[str(c) for c in state["isco"]],
        isco_of=dict(state["isco_of"]),
        labels=dict(state["labels"]),
    )


def vocab_fingerprint(vocabularies: Mapping[str, Any]) -> str:
    """sha256 of the vocabularies' JSON (ids in column order, ISCO codes, labels)."""
    blob = json.dumps(vocabularies, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def _vocab_difference(kind: str, stored: Vocabulary, wanted: Vocabulary) -> str | None:
    """What differs between a snapshot's vocabulary and the taxonomy's, or None.

    The snapshot may have more columns than the taxonomy: ids seen in profiles but not in the
    taxonomy are appended after the taxonomy's. Its first columns must be the taxonomy's, in the
    same order, with the same ISCO codes and labels.
    """
    if len(stored.ids) < len(wanted.ids):
        return f"{kind}: the taxonomy has {len(wanted.ids)}, the snapshot {len(stored.ids)}"
    for k, (a, b) in enumerate(zip(stored.ids, wanted.ids, strict=False)):
        if a != b:
            return f"{kind}: column {k} is {a!r} in the snapshot, {b!r} in the taxonomy"
    for k, (a, b) in enumerate(zip(stored.isco, wanted.isco, strict=False)):
        if a != b:
            return f"{kind}: ISCO code of {stored.ids[k]!r} is {a!r} in the snapshot, {b!r} now"
    for what, x, y in (
        ("ISCO map", stored.isco_of, wanted.isco_of),
        ("labels", stored.labels, wanted.labels),
    ):
        if dict(x) != dict(y):
            keys = sorted(set(x) ^ set(y)) or sorted(k for k in x if x[k] != y[k])
            return f"{kind}: {what} differ from the taxonomy's (first: {keys[0]!r})"
    return None


def _matrix_files(name: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    if not m.has_canonical_format:  # sorted and summed, so no later read sorts it in place
        m = m.copy()
        m.sum_duplicates()
    return {f"{name}.data": m.data, f"{name}.indices": m.indices, f"{name}.indptr": m.indptr}


def _matrix(files: Mapping[str, np.ndarray], name: str, shape: tuple[int, int]) -> sp.csr_matrix:
    """A CSR matrix over the stored arrays without copying them (dtypes are kept as saved)."""
    arrays = (files[f"{name}.data"], files[f"{name}.indices"], files[f"{name}.indptr"])
    return sp.csr_matrix(arrays, shape=shape, copy=False)
