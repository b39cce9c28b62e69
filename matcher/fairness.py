"""Fairness audit of the ranking: which groups reach the top of shortlists, and how often.

A shortlist is a selection: of the candidates eligible for a vacancy, the ranker puts some in
the top 10 a coach reads. For every group of an SR-relevant dimension (benefit, participatieladder
step, target group, time out of work) and, where a municipality records them for this audit
only, age band and gender, the audit compares the group's **selection rate** (top-10 places /
eligible places, summed over the shortlists served) with the best-served group's: the ratio
below 0.8 is the "four-fifths rule" of adverse impact. Proposal and hire rates (from the
referrals) and the coaches' overrides (set aside, added) sit beside it.

Counts come with Wilson score intervals, so a small group is not over-read: a ratio under the
floor whose interval reaches above it is flagged but not ``conclusive``. The same candidate
appears in many shortlists, so the places are not independent draws; the intervals are a guide
to sampling noise, not an exact test.

Nothing here is a model feature: the attributes reach this module only to be counted.

Public API
----------
``CandidateGroups``  the attributes one candidate is grouped by
``group_labels(groups, as_of) -> dict[dimension, tuple[group, ...]]``
``GroupTable``  candidate id -> groups, counted over id arrays without a Python loop;
    ``GroupTable.save(directory)`` / ``GroupTable.load(directory)`` keep it as a snapshot
``wilson_interval(successes, trials, z=1.96) -> (low, high)``
``audit_table(exposure, outcomes=None, oversight=None, *, floor=0.8, min_count=20)``
``gate(table, *, floor=0.8) -> GateResult``  the deploy gate's verdict on one audit table
``simulate_selection(candidates, vacancies, *, scorer, groups, as_of)``  top-10 shortlists by a
    scorer through the serving path, counted by group (the gate's hold-out audit)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from matcher.index import (
    SNAPSHOT_FORMAT_VERSION,
    SnapshotMismatch,
    SnapshotOverlay,
    check_snapshot_format,
    read_snapshot_dir,
    write_snapshot_dir,
)
from matcher.profiles import CandidateProfile, VacancyProfile
from matcher.reasons import Scorer
from matcher.vocab import BENEFITS, PARTICIPATIELADDER, TARGET_GROUPS

#: SR-relevant dimensions (from the profile) and audit-only ones (recorded apart, never features)
SR_DIMENSIONS: tuple[str, ...] = ("benefit", "ladder_step", "target_group", "out_of_work")
AUDIT_ONLY_DIMENSIONS: tuple[str, ...] = ("age_band", "gender")
DIMENSIONS: tuple[str, ...] = SR_DIMENSIONS + AUDIT_ONLY_DIMENSIONS

UNKNOWN = "unknown"
NO_TARGET_GROUP = "none"
#: time out of work: upper bounds in months (exclusive) and their labels
OUT_OF_WORK_BANDS: tuple[tuple[float, str], ...] = (
    (6, "<6m"),
    (12, "6-12m"),
    (24, "1-2y"),
    (60, "2-5y"),
    (np.inf, "5y+"),
)
#: age bands (the SR bonuses for 50+ and 55+, the young without a basic qualification)
AGE_BANDS: tuple[tuple[float, str], ...] = (
    (27, "<27"),
    (50, "27-49"),
    (55, "50-54"),
    (np.inf, "55+"),
)
GENDERS: tuple[str, ...] = ("m", "v", "x")

#: every group of every dimension, in report order
GROUPS: dict[str, tuple[str, ...]] = {
    "benefit": (*BENEFITS, UNKNOWN),
    "ladder_step": (*(str(k) for k in PARTICIPATIELADDER), UNKNOWN),
    "target_group": (*TARGET_GROUPS, NO_TARGET_GROUP),
    "out_of_work": (*(label for _, label in OUT_OF_WORK_BANDS), UNKNOWN),
    "age_band": (*(label for _, label in AGE_BANDS), UNKNOWN),
    "gender": (*GENDERS, UNKNOWN),
}

#: the top of a shortlist whose reach the audit measures
TOP_K = 10
DEFAULT_FLOOR = 0.8
#: below this many eligible places a group cannot be the reference ("best-served") group
MIN_COUNT = 20
#: ... nor below this many distinct people: the same few people recur in many shortlists, so
#: their places are not independent and their interval would be too narrow
MIN_PEOPLE = 50


@dataclass(frozen=True, slots=True)
class CandidateGroups:
    """What one candidate is grouped by (``birth_year``/``gender`` only for the audit)."""

    benefit: str | None = None
    ladder_step: int | None = None
    target_groups: tuple[str, ...] = ()
    unemployed_since: date | None = None
    birth_year: int | None = None
    gender: str | None = None


def _band(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    for upper, label in bands:
        if value < upper:
            return label
    return bands[-1][1]


def _months(since: date, as_of: date) -> float:
    return max(0.0, (as_of - since).days / 30.4375)


def group_labels(groups: CandidateGroups, as_of: date) -> dict[str, tuple[str, ...]]:
    """The group(s) of one candidate in every dimension (a candidate may be in several target
    groups, or in ``none``); time out of work and age are banded at ``as_of``.

    Examples
    --------
    >>> g = CandidateGroups(benefit="ww", ladder_step=3, target_groups=("50plus",),
    ...                     unemployed_since=date(2024, 1, 1), birth_year=1970, gender="v")
    >>> labels = group_labels(g, date(2025, 6, 1))
    >>> labels["benefit"], labels["ladder_step"], labels["out_of_work"], labels["age_band"]
    (('ww',), ('3',), ('1-2y',), ('55+',))
    >>> group_labels(CandidateGroups(), date(2025, 6, 1))["target_group"]
    ('none',)
    """
    tg = tuple(t for t in groups.target_groups if t in TARGET_GROUPS) or (NO_TARGET_GROUP,)
    out_of_work = (
        _band(_months(groups.unemployed_since, as_of), OUT_OF_WORK_BANDS)
        if groups.unemployed_since is not None
        else UNKNOWN
    )
    age = (
        _band(as_of.year - groups.birth_year, AGE_BANDS)
        if groups.birth_year is not None
        else UNKNOWN
    )
    return {
        "benefit": (groups.benefit if groups.benefit in BENEFITS else UNKNOWN,),
        "ladder_step": (
            str(groups.ladder_step) if groups.ladder_step in PARTICIPATIELADDER else UNKNOWN,
        ),
        "target_group": tg,
        "out_of_work": (out_of_work,),
        "age_band": (age,),
        "gender": (groups.gender if groups.gender in GENDERS else UNKNOWN,),
    }


def _day(d: date | None) -> float:
    return float(d.toordinal()) if d is not None else np.nan


GROUP_TABLE_FORMAT = "srmatch.group_table"
#: the encoded columns of ``GroupTable._current`` (besides ``ids`` and ``alive``)
_ENCODED = ("benefit", "ladder_step", "gender", "target_group", "since", "birth_year")
#: the raw columns a snapshot keeps so every ``CandidateGroups`` comes back exactly
_RAW = (
    "benefit",
    "ladder_step",
    "tg_indptr",
    "tg_codes",
    "unemployed_since",
    "birth_year",
    "gender",
)


def _raw_columns(rows: Sequence[CandidateGroups]) -> tuple[dict[str, np.ndarray], list[str]]:
    """``rows`` as plain columns: strings as codes into one string list (-1: None), numbers as
    float with NaN for None, dates as ordinals (0: None), target groups as CSR-like codes."""
    strings: dict[str, int] = {}

    def code(text: str | None) -> int:
        return -1 if text is None else strings.setdefault(text, len(strings))

    counts = [len(g.target_groups) for g in rows]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(counts)
    cols: dict[str, np.ndarray] = {
        "benefit": np.array([code(g.benefit) for g in rows], dtype=np.int32),
        "ladder_step": np.array(
            [np.nan if g.ladder_step is None else g.ladder_step for g in rows], dtype=np.float64
        ),
        "tg_indptr": indptr,
        "tg_codes": np.array([code(t) for g in rows for t in g.target_groups], dtype=np.int32),
        "unemployed_since": np.array(
            [0 if g.unemployed_since is None else g.unemployed_since.toordinal() for g in rows],
            dtype=np.int64,
        ),
        "birth_year": np.array(
            [np.nan if g.birth_year is None else g.birth_year for g in rows], dtype=np.float64
        ),
        "gender": np.array([code(g.gender) for g in rows], dtype=np.int32),
    }
    return cols, list(strings)


class _SnapshotRows(SnapshotOverlay[CandidateGroups]):
    """``GroupTable._rows`` after a load: the snapshot's sorted ids and raw columns, with the
    changes since on top. A row becomes a ``CandidateGroups`` only when asked for, so a load
    builds no Python object per candidate."""

    def __init__(self, ids: np.ndarray, cols: Mapping[str, np.ndarray], strings: list[str]):
        super().__init__(ids)
        self._cols = cols
        self._strings = strings

    def _find(self, key: int) -> int | None:
        p = int(np.searchsorted(self._ids, key))
        return p if p < len(self._ids) and int(self._ids[p]) == key else None

    def _text(self, code: int) -> str | None:
        return None if code < 0 else self._strings[code]

    def _value(self, p: int) -> CandidateGroups:
        c = self._cols
        lo, hi = int(c["tg_indptr"][p]), int(c["tg_indptr"][p + 1])
        ladder, born = float(c["ladder_step"][p]), float(c["birth_year"][p])
        since = int(c["unemployed_since"][p])
        return CandidateGroups(
            benefit=self._text(int(c["benefit"][p])),
            ladder_step=None if np.isnan(ladder) else int(ladder),
            target_groups=tuple(self._strings[k] for k in c["tg_codes"][lo:hi].tolist()),
            unemployed_since=None if since == 0 else date.fromordinal(since),
            birth_year=None if np.isnan(born) else int(born),
            gender=self._text(int(c["gender"][p])),
        )

    def raw_columns(self, ids: np.ndarray) -> tuple[dict[str, np.ndarray], list[str]]:
        """``_raw_columns`` of ``ids`` (sorted, every one held): the snapshot's rows gathered as
        arrays, only the rows changed since built one by one."""
        over = np.isin(ids, np.fromiter(self._over, dtype=np.int64, count=len(self._over)))
        pos = np.searchsorted(self._ids, ids[~over])
        new, new_strings = _raw_columns([self._over[k] for k in ids[over].tolist()])
        code = {t: k for k, t in enumerate(self._strings)}
        remap = np.array([code.setdefault(t, len(code)) for t in new_strings], dtype=np.int32)

        def recode(c: np.ndarray) -> np.ndarray:
            return np.where(c < 0, -1, remap[np.maximum(c, 0)] if len(remap) else c)

        base = self._cols
        cols: dict[str, np.ndarray] = {}
        for k in ("benefit", "ladder_step", "unemployed_since", "birth_year", "gender"):
            col = np.empty(len(ids), dtype=base[k].dtype)
            col[~over] = base[k][pos]
            col[over] = recode(new[k]) if k in ("benefit", "gender") else new[k]
            cols[k] = col
        # target groups: every row's codes gathered from one pool (the snapshot's, then the new)
        pool = np.concatenate([base["tg_codes"], recode(new["tg_codes"])]).astype(np.int32)
        start = np.empty(len(ids), dtype=np.int64)
        length = np.empty(len(ids), dtype=np.int64)
        start[~over] = base["tg_indptr"][pos]
        length[~over] = base["tg_indptr"][pos + 1] - base["tg_indptr"][pos]
        start[over] = len(base["tg_codes"]) + new["tg_indptr"][:-1]
        length[over] = np.diff(new["tg_indptr"])
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(length)
        gather = np.repeat(start - indptr[:-1], length) + np.arange(int(indptr[-1]))
        cols["tg_indptr"], cols["tg_codes"] = indptr, pool[gather]
        return cols, list(code)


class GroupTable:
    """Candidate id -> groups, counted over arrays of ids (a shortlist's eligible candidates).

    Upserts and removals are O(1) into a pending buffer, merged on the next count (Python work
    only for the changed candidates); a count is array work (``searchsorted``, ``bincount``,
    boolean matrix sums), never a Python loop over the candidates.

    Examples
    --------
    >>> t = GroupTable()
    >>> t.upsert(1, CandidateGroups(benefit="ww", ladder_step=2))
    >>> t.upsert(2, CandidateGroups(benefit="wajong", target_groups=("banenafspraak",)))
    >>> t.upsert(3, CandidateGroups(benefit="ww"))
    >>> counts = t.count(np.array([1, 2, 3, 99]), as_of=date(2025, 1, 1))
    >>> counts["benefit"]
    {'ww': 2, 'wajong': 1}
    >>> counts["target_group"]
    {'banenafspraak': 1, 'none': 2}
    """

    def __init__(self) -> None:
        self._rows: MutableMapping[int, CandidateGroups] = {}
        self._arrays: dict[str, Any] | None = None
        #: changes since the arrays were built: id -> groups (None: removed)
        self._pending: dict[int, CandidateGroups | None] = {}
        #: every group of every row packed into one code, for one day: (arrays, day, codes)
        self._codes: tuple[int, date, dict[str, np.ndarray]] | None = None
        self._generation = 0

    def __len__(self) -> int:
        return len(self._rows)

    def ids(self) -> np.ndarray:
        """Every candidate id held, sorted."""
        return np.array(sorted(self._rows), dtype=np.int64)

    def upsert(self, candidate_id: int, groups: CandidateGroups) -> None:
        """Add or replace one candidate's groups (O(1); merged on the next count)."""
        if self._rows.get(candidate_id) != groups:
            self._rows[candidate_id] = groups
            self._pending[candidate_id] = groups

    def remove(self, candidate_id: int) -> None:
        """Forget one candidate (no error when unknown)."""
        if self._rows.pop(candidate_id, None) is not None:
            self._pending[candidate_id] = None

    @staticmethod
    def _encode(rows: Sequence[CandidateGroups]) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        for dim, value in (
            ("benefit", lambda g: g.benefit),
            ("ladder_step", lambda g: None if g.ladder_step is None else str(g.ladder_step)),
            ("gender", lambda g: g.gender),
        ):
            code = {lab: k for k, lab in enumerate(GROUPS[dim])}
            arrays[dim] = np.array(
                [code.get(value(g) or UNKNOWN, code[UNKNOWN]) for g in rows], dtype=np.int64
            )
        tg = np.zeros((len(rows), len(GROUPS["target_group"])), dtype=bool)
        col = {lab: k for k, lab in enumerate(GROUPS["target_group"])}
        for r, g in enumerate(rows):
            hits = [col[t] for t in g.target_groups if t in TARGET_GROUPS]
            tg[r, hits or [col[NO_TARGET_GROUP]]] = True
        arrays["target_group"] = tg
        arrays["since"] = np.array([_day(g.unemployed_since) for g in rows], dtype=np.float64)
        arrays["birth_year"] = np.array(
            [np.nan if g.birth_year is None else g.birth_year for g in rows], dtype=np.float64
        )
        return arrays

    def _current(self) -> dict[str, Any]:
        """The arrays, with the pending changes merged: a full build only the first time, then
        Python work per changed candidate and array work (concatenate, argsort) for the rest."""
        if self._arrays is None:
            ids = np.array(sorted(self._rows), dtype=np.int64)
            self._arrays = {
                "ids": ids,
                "alive": np.ones(len(ids), dtype=bool),
                **self._encode([self._rows[int(i)] for i in ids]),
            }
            self._pending.clear()
            return self._arrays
        if not self._pending:
            return self._arrays
        self._generation += 1  # rows change in place below: packed codes must be rebuilt
        a = self._arrays
        changed = np.array(sorted(self._pending), dtype=np.int64)
        pos = np.searchsorted(a["ids"], changed)
        inside = pos < len(a["ids"])
        inside[inside] = a["ids"][pos[inside]] == changed[inside]
        old_ids, old_pos = changed[inside], pos[inside]
        if len(old_ids):
            now = [self._pending[int(i)] for i in old_ids]
            enc = self._encode([g or CandidateGroups() for g in now])
            for key, values in enc.items():
                a[key][old_pos] = values
            a["alive"][old_pos] = [g is not None for g in now]
        new_ids = [int(i) for i in changed[~inside] if self._pending[int(i)] is not None]
        if new_ids:
            enc = self._encode([self._rows[i] for i in new_ids])
            merged = {
                "ids": np.concatenate([a["ids"], np.array(new_ids, dtype=np.int64)]),
                "alive": np.concatenate([a["alive"], np.ones(len(new_ids), dtype=bool)]),
                **{k: np.concatenate([a[k], v]) for k, v in enc.items()},
            }
            order = np.argsort(merged["ids"], kind="stable")
            a = {k: v[order] for k, v in merged.items()}
        self._arrays = a
        self._pending.clear()
        return a

    def count(
        self, candidate_ids: np.ndarray | Sequence[int], *, as_of: date
    ) -> dict[str, dict[str, int]]:
        """Per dimension, how many of ``candidate_ids`` fall in each group (groups with none
        are left out; unknown ids are ignored)."""
        a = self._current()
        ids = np.asarray(candidate_ids, dtype=np.int64)
        codes = self._packed(a, as_of)
        lookup = codes["row_of_id"]
        if len(lookup):  # ids are dense: one gather (a shortlist's ids come in no order)
            inside = (ids >= 0) & (ids < len(lookup))
            rows = lookup[ids[inside]]
            rows = rows[rows >= 0]
        else:
            known = a["ids"]
            pos = np.searchsorted(known, ids)
            ok = (pos < len(known)) & (known[np.minimum(pos, max(len(known) - 1, 0))] == ids)
            rows = pos[ok] if len(known) else np.zeros(0, dtype=np.int64)
            rows = rows[a["alive"][rows]]
        # one gather and one bincount for the five one-of dimensions, then their margins
        joint = np.bincount(codes["joint"][rows], minlength=int(np.prod(_JOINT_SIZES)))
        joint = joint.reshape(_JOINT_SIZES)
        out: dict[str, dict[str, int]] = {}
        for axis, dim in enumerate(_JOINT_DIMS):
            others = tuple(k for k in range(len(_JOINT_DIMS)) if k != axis)
            out[dim] = _named(joint.sum(axis=others), dim)
        # target groups (several per person): one bincount over the bit masks, then per bit
        n_tg = len(GROUPS["target_group"])
        masks = np.bincount(codes["target_group"][rows], minlength=1 << n_tg)
        bits = (np.arange(len(masks))[:, None] >> np.arange(n_tg)) & 1
        out["target_group"] = _named(masks @ bits, "target_group")
        return {dim: out[dim] for dim in _COUNT_ORDER}

    def _packed(self, a: dict[str, Any], as_of: date) -> dict[str, np.ndarray]:
        """Per row, its benefit, ladder step, gender, time out of work and age band (the last
        two as of ``as_of``) packed into one code, and its target groups as a bit mask; and a
        direct id -> row array. Built once per day and per change of the arrays, so a count
        gathers three arrays instead of searching a sorted million and gathering seven."""
        key = (self._generation, as_of)
        if self._codes is not None and (self._codes[0], self._codes[1]) == key:
            return self._codes[2]
        months = (as_of.toordinal() - a["since"]) / 30.4375
        parts = {
            "benefit": a["benefit"],
            "ladder_step": a["ladder_step"],
            "gender": a["gender"],
            "out_of_work": _band_codes(np.maximum(months, 0.0), OUT_OF_WORK_BANDS),
            "age_band": _band_codes(as_of.year - a["birth_year"], AGE_BANDS),
        }
        joint = np.zeros(len(a["ids"]), dtype=np.int64)
        for dim, size in zip(_JOINT_DIMS, _JOINT_SIZES, strict=True):
            joint = joint * size + parts[dim].astype(np.int64)
        tg = np.asarray(a["target_group"], dtype=bool)
        mask = (tg.astype(np.int64) << np.arange(tg.shape[1], dtype=np.int64)).sum(axis=1)
        # id -> row of the living (-1: none), when the ids are dense enough for an array
        ids, top = a["ids"], int(a["ids"][-1]) + 1 if len(a["ids"]) else 0
        row_of_id = np.zeros(0, dtype=np.int64)
        if 0 < top <= 4 * len(ids) + 100_000 and int(ids[0]) >= 0:
            row_of_id = np.full(top, -1, dtype=np.int64)
            alive = np.flatnonzero(a["alive"])
            row_of_id[ids[alive]] = alive
        codes = {"joint": joint, "target_group": mask, "row_of_id": row_of_id}
        self._codes = (key[0], key[1], codes)
        return codes

    def save(self, directory: Path, *, meta: Mapping[str, Any] | None = None) -> None:
        """Write the table as a snapshot in ``directory`` (atomically, as
        :func:`matcher.index.write_snapshot_dir` does): the encoded arrays of the candidates
        held, and their groups as raw columns, so ``load`` gives back the same ``CandidateGroups``
        per id. ``meta`` (JSON) comes back from ``load``. Not thread-safe: call it where the
        table's writes are made.

        Examples
        --------
        >>> import tempfile
        >>> t = GroupTable()
        >>> t.upsert(1, CandidateGroups(benefit="ww", target_groups=("50plus",)))
        >>> d = Path(tempfile.mkdtemp()) / "groups"
        >>> t.save(d, meta={"change": 3})
        >>> again, meta = GroupTable.load(d)
        >>> again.count([1], as_of=date(2025, 1, 1))["target_group"], meta
        ({'50plus': 1}, {'change': 3})
        """
        a = self._current()
        keep = np.flatnonzero(a["alive"])
        ids = a["ids"][keep]
        if len(ids) != len(self._rows):
            raise RuntimeError(f"group table out of step: {len(ids)} rows, {len(self._rows)} ids")
        if isinstance(self._rows, _SnapshotRows):  # loaded: gather, do not rebuild every row
            raw, strings = self._rows.raw_columns(ids)
        else:
            raw, strings = _raw_columns([self._rows[k] for k in ids.tolist()])
        files = {
            "ids": ids,
            **{f"enc.{k}": a[k][keep] for k in _ENCODED},
            **{f"raw.{k}": v for k, v in raw.items()},
        }
        info = {
            "format": GROUP_TABLE_FORMAT,
            "format_version": SNAPSHOT_FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": len(ids),
            "groups": {dim: list(labels) for dim, labels in GROUPS.items()},
            "strings": strings,
            "meta": dict(meta or {}),
        }
        write_snapshot_dir(Path(directory), files, info)

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> tuple[GroupTable, dict[str, Any]]:
        """The table saved by ``save`` in ``directory``, and the ``meta`` saved with it.

        ``mmap=True`` maps the files copy-on-write: nothing is read until counted, and the
        in-place updates of later ``upsert``s stay private to this process.

        Raises
        ------
        SnapshotMismatch
            Another format version, or the groups (``GROUPS``) the codes refer to changed.
        """
        names = ["ids", *(f"enc.{k}" for k in _ENCODED), *(f"raw.{k}" for k in _RAW)]

        def check(info: Mapping[str, Any]) -> None:
            check_snapshot_format(directory, info, GROUP_TABLE_FORMAT)
            now = {dim: list(labels) for dim, labels in GROUPS.items()}
            changed = sorted(
                d for d in now.keys() | info["groups"].keys() if now.get(d) != info["groups"].get(d)
            )
            if changed:
                raise SnapshotMismatch(f"snapshot groups differ from this code's in {changed}")

        files, info = read_snapshot_dir(
            Path(directory), mmap="c" if mmap else False, names=names, check=check
        )
        n = int(info["rows"])
        if any(len(files[k]) != n for k in names if k != "raw.tg_codes" and k != "raw.tg_indptr"):
            raise SnapshotMismatch(f"snapshot {directory}: arrays do not all have {n} rows")
        table = cls()
        table._arrays = {
            "ids": files["ids"],
            "alive": np.ones(n, dtype=bool),
            **{k: files[f"enc.{k}"] for k in _ENCODED},
        }
        raw = {k: files[f"raw.{k}"] for k in _RAW}
        table._rows = _SnapshotRows(files["ids"], raw, [str(x) for x in info["strings"]])
        return table, dict(info["meta"])


def _band_codes(values: np.ndarray, bands: tuple[tuple[float, str], ...]) -> np.ndarray:
    """Each value's band (position in ``bands``; NaN: the last group, unknown)."""
    uppers = np.array([u for u, _ in bands[:-1]], dtype=np.float64)
    code = np.searchsorted(uppers, values, side="right")
    return np.where(np.isnan(values), len(bands), code).astype(np.int64)


#: the one-of dimensions a count packs into one code, in packing order, and their sizes
_JOINT_DIMS = ("benefit", "ladder_step", "gender", "out_of_work", "age_band")
_JOINT_SIZES = tuple(len(GROUPS[d]) for d in _JOINT_DIMS)
#: the order of the dimensions in a count (as before the packing)
_COUNT_ORDER = ("benefit", "ladder_step", "gender", "target_group", "out_of_work", "age_band")


def _named(counts: np.ndarray, dim: str) -> dict[str, int]:
    return {g: int(n) for g, n in zip(GROUPS[dim], counts, strict=True) if n}


def add_counts(
    total: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """Add per-dimension group counts into ``total`` (in place) and return it.

    Examples
    --------
    >>> add_counts({"benefit": {"ww": 1}}, {"benefit": {"ww": 2, "wia": 1}})
    {'benefit': {'ww': 3, 'wia': 1}}
    """
    for dim, groups in more.items():
        bucket = total.setdefault(dim, {})
        for g, n in groups.items():
            bucket[g] = bucket.get(g, 0) + int(n)
    return total


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (``(nan, nan)`` without trials).

    Examples
    --------
    >>> [round(x, 3) for x in wilson_interval(5, 10)]
    [0.237, 0.763]
    >>> [round(x, 3) for x in wilson_interval(0, 20)]
    [0.0, 0.161]
    """
    if trials <= 0:
        return (float("nan"), float("nan"))
    if not 0 <= successes <= trials:
        raise ValueError(f"successes={successes} must be between 0 and trials={trials}")
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, float(centre - half)), min(1.0, float(centre + half)))


def _frame(rows: pd.DataFrame | Iterable[Mapping[str, Any]] | None, cols: Sequence[str]) -> Any:
    if rows is None:
        return pd.DataFrame(columns=list(cols))
    df = pd.DataFrame(list(rows)) if not isinstance(rows, pd.DataFrame) else rows.copy()
    if df.empty:
        return pd.DataFrame(columns=list(cols))
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"fairness rows: missing column(s) {', '.join(missing)}")
    bad = sorted(set(df["dimension"]) - set(DIMENSIONS))
    if bad:
        raise ValueError(
            f"fairness rows: field 'dimension' has value {bad[0]!r}; "
            f"allowed: {', '.join(DIMENSIONS)}"
        )
    return df


AUDIT_COLUMNS: tuple[str, ...] = (
    "model_version",
    "dimension",
    "group",
    "eligible",
    "top",
    "selection_rate",
    "selection_low",
    "selection_high",
    "ratio",
    "ratio_high",
    "flagged",
    "conclusive",
    "small",
    "people",
    "proposed",
    "proposal_rate",
    "proposal_ratio",
    "hired",
    "hire_rate",
    "hire_ratio",
    "set_aside",
    "added",
)


def audit_table(
    exposure: pd.DataFrame | Iterable[Mapping[str, Any]],
    outcomes: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
    oversight: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
    *,
    floor: float = DEFAULT_FLOOR,
    min_count: int = MIN_COUNT,
    min_people: int = MIN_PEOPLE,
    z: float = 1.96,
) -> pd.DataFrame:
    """Selection, proposal and hire rates per group, each against the best-served group.

    Parameters
    ----------
    exposure
        Rows ``model_version, dimension, group, eligible, top``: eligible places and top-10
        places of the group summed over the shortlists served (or simulated); optionally
        ``people``, the distinct candidates behind those places.
    outcomes
        Rows ``model_version, dimension, group, proposed, hired``: referrals made from those
        shortlists and how many ended in a hire.
    oversight
        Rows ``model_version, dimension, group, set_aside, added``: coaches' overrides.
    floor
        A ratio to the best-served group below this is ``flagged`` (four-fifths rule: 0.8).
    min_count, min_people
        Groups with fewer eligible places, or fewer distinct people (when ``people`` is
        given), are ``small``: reported, never the reference group, never conclusive.
    z
        Normal quantile of the Wilson intervals (1.96: 95%).

    Returns
    -------
    pandas.DataFrame
        ``AUDIT_COLUMNS``, one row per (model version, dimension, group). ``selection_rate`` =
        top / eligible with its Wilson interval; ``ratio`` = the rate over the best rate among
        non-small groups of the same dimension and version, ``ratio_high`` the group's upper
        bound over the best group's lower bound; ``flagged`` = ratio < floor, ``conclusive`` =
        ratio_high < floor (both intervals agree the group is below the floor).
        ``proposal_rate`` = proposed / top, ``hire_rate`` = hired / proposed, each with its
        ratio to the best group's rate.

    Examples
    --------
    >>> exp = [{"model_version": "v1", "dimension": "benefit", "group": "ww",
    ...         "eligible": 200, "top": 60},
    ...        {"model_version": "v1", "dimension": "benefit", "group": "wajong",
    ...         "eligible": 200, "top": 20}]
    >>> t = audit_table(exp)
    >>> t[["group", "selection_rate", "ratio", "flagged", "conclusive"]].values.tolist()
    [['ww', 0.3, 1.0, False, False], ['wajong', 0.1, 0.333, True, True]]
    """
    if not 0 < floor <= 1:
        raise ValueError(f"field 'floor' has value {floor!r}; expected a number in (0, 1]")
    key = ["model_version", "dimension", "group"]
    exp = _frame(exposure, [*key, "eligible", "top"])
    if exp.empty:
        return pd.DataFrame(columns=list(AUDIT_COLUMNS))
    has_people = "people" in exp.columns
    agg = {"eligible": "sum", "top": "sum", **({"people": "max"} if has_people else {})}
    exp = exp.groupby(key, sort=False, as_index=False).agg(agg)
    out = _frame(outcomes, [*key, "proposed", "hired"])
    if not out.empty:
        out = out.groupby(key, sort=False, as_index=False)[["proposed", "hired"]].sum()
        exp = exp.merge(out, on=key, how="left")
    ovs = _frame(oversight, [*key, "set_aside", "added"])
    if not ovs.empty:
        ovs = ovs.groupby(key, sort=False, as_index=False)[["set_aside", "added"]].sum()
        exp = exp.merge(ovs, on=key, how="outer")
    for c in ("eligible", "top", "proposed", "hired", "set_aside", "added"):
        exp[c] = (exp[c] if c in exp else pd.Series(0, index=exp.index)).fillna(0).astype(int)
    if (exp["top"] > exp["eligible"]).any():
        bad = exp[exp["top"] > exp["eligible"]].iloc[0]
        raise ValueError(
            f"fairness rows: group {bad['group']!r} has top={bad['top']} above "
            f"eligible={bad['eligible']}"
        )
    ci = [
        wilson_interval(int(t), int(e), z) for t, e in zip(exp["top"], exp["eligible"], strict=True)
    ]
    exp["selection_rate"] = (exp["top"] / exp["eligible"].where(exp["eligible"] > 0)).round(4)
    exp["selection_low"] = [round(lo, 4) for lo, _ in ci]
    exp["selection_high"] = [round(hi, 4) for _, hi in ci]
    exp["small"] = exp["eligible"] < min_count
    if has_people:
        exp["small"] |= exp["people"].fillna(0) < min_people
    else:
        exp["people"] = np.nan
    exp["proposal_rate"] = (exp["proposed"] / exp["top"].where(exp["top"] > 0)).round(4)
    exp["hire_rate"] = (exp["hired"] / exp["proposed"].where(exp["proposed"] > 0)).round(4)
    by = ["model_version", "dimension"]

    def best(col: str, weight: str) -> pd.Series:
        ok = exp[weight] >= min_count
        if weight == "eligible":
            ok &= ~exp["small"]
        ref = exp[col].where(ok)
        return ref.groupby([exp[b] for b in by]).transform("max")

    sel_best = best("selection_rate", "eligible")
    exp["ratio"] = (exp["selection_rate"] / sel_best.where(sel_best > 0)).round(3)
    # the most favourable reading for the group: its upper bound over the best group's lower
    # bound, so a flag is conclusive only when both intervals agree
    ref = exp["selection_rate"].where(~exp["small"])
    best_low = exp["selection_low"].where(ref.notna() & (ref == sel_best))
    best_low = best_low.groupby([exp[b] for b in by]).transform("max")
    exp["ratio_high"] = (exp["selection_high"] / best_low.where(best_low > 0)).round(3)
    exp["proposal_ratio"] = (exp["proposal_rate"] / best("proposal_rate", "top")).round(3)
    exp["hire_ratio"] = (exp["hire_rate"] / best("hire_rate", "proposed")).round(3)
    exp["flagged"] = (exp["ratio"] < floor).fillna(False).astype(bool)
    exp["conclusive"] = ((exp["ratio_high"] < floor) & ~exp["small"]).fillna(False).astype(bool)
    order = {(d, g): k for k, (d, g) in enumerate((d, g) for d in DIMENSIONS for g in GROUPS[d])}
    exp["_o"] = [
        order.get((d, g), len(order)) for d, g in zip(exp["dimension"], exp["group"], strict=True)
    ]
    exp = exp.sort_values(["model_version", "_o"], kind="stable").reset_index(drop=True)
    return exp[list(AUDIT_COLUMNS)]


@dataclass(frozen=True)
class GateResult:
    """The deploy gate's verdict on one audit table."""

    passed: bool
    floor: float
    min_ratio: float | None
    #: (dimension, group, ratio) of every group below the floor with enough data to count
    below: tuple[tuple[str, str, float], ...]

    def as_json(self) -> dict[str, Any]:
        """Plain dict for the model's metadata and ``--json``."""
        return {
            "passed": self.passed,
            "floor": self.floor,
            "min_ratio": self.min_ratio,
            "below": [{"dimension": d, "group": g, "ratio": r} for d, g, r in self.below],
        }


def gate(table: pd.DataFrame, *, floor: float = DEFAULT_FLOOR) -> GateResult:
    """Pass only when no group with enough data (not ``small``) has a ratio below ``floor``.

    The floor applies to the measured ratio itself: a model that leaves a group below it is
    held back, and a person (an admin, with a recorded reason) decides whether it may serve.
    ``small`` groups (too few places or people) are reported but do not decide, so a few lucky
    placements of a small group cannot hold a model back or set the bar for everyone else.
    ``conclusive`` (both intervals below the floor) is reported to help read a flag; it does not
    loosen the gate. ``unknown`` groups and the ``none`` target group count like any other.

    Examples
    --------
    >>> exp = [{"model_version": "m", "dimension": "ladder_step", "group": "2",
    ...         "eligible": 100, "top": 10},
    ...        {"model_version": "m", "dimension": "ladder_step", "group": "5",
    ...         "eligible": 100, "top": 40}]
    >>> gate(audit_table(exp)).as_json()
    {'passed': False, 'floor': 0.8, 'min_ratio': 0.25, 'below': [{'dimension': 'ladder_step', \
'group': '2', 'ratio': 0.25}]}
    """
    counted = table[~table["small"].astype(bool) & table["ratio"].notna()]
    ratios = counted["ratio"].astype(float)
    below = counted[ratios < floor]
    return GateResult(
        passed=below.empty,
        floor=floor,
        min_ratio=None if counted.empty else round(float(ratios.min()), 3),
        below=tuple(
            (str(d), str(g), float(r))
            for d, g, r in zip(below["dimension"], below["group"], below["ratio"], strict=True)
        ),
    )


def exposure_rows(
    model_version: str, counts: Mapping[str, Mapping[str, Mapping[str, int]]]
) -> list[dict[str, Any]]:
    """Rows for :func:`audit_table` from ``{"eligible": {dim: {group: n}}, "top": {...}}``.

    Examples
    --------
    >>> exposure_rows("v1", {"eligible": {"benefit": {"ww": 5}}, "top": {"benefit": {"ww": 2}}})
    [{'model_version': 'v1', 'dimension': 'benefit', 'group': 'ww', 'eligible': 5, 'top': 2}]
    """
    rows = []
    eligible, top = counts.get("eligible", {}), counts.get("top", {})
    people = counts.get("people")
    for dim in DIMENSIONS:
        for g in GROUPS[dim]:
            n = int(eligible.get(dim, {}).get(g, 0))
            if n:
                rows.append(
                    {
                        "model_version": model_version,
                        "dimension": dim,
                        "group": g,
                        "eligible": n,
                        "top": int(top.get(dim, {}).get(g, 0)),
                        **(
                            {"people": int(people.get(dim, {}).get(g, 0))}
                            if people is not None
                            else {}
                        ),
                    }
                )
    return rows


def simulate_selection(
    candidates: Sequence[CandidateProfile],
    vacancies: Sequence[VacancyProfile],
    *,
    scorer: Scorer,
    groups: GroupTable,
    as_of: date,
    taxonomy: Any = None,
    top: int = TOP_K,
    index: Any = None,
) -> dict[str, dict[str, dict[str, int]]]:
    """Serve a top-``top`` shortlist per vacancy with ``scorer`` (the serving path, features
    dated ``as_of``) and count the groups of the eligible candidates and of each top.

    The pool is ``index`` (a ``matcher.index.CandidateIndex``) when given, ``candidates`` is
    then not read; otherwise an index of ``candidates``.

    The deploy gate runs this on the hold-out vacancies for a new model and for the baseline.

    Examples
    --------
    >>> from matcher.ranker import BaselineScorer
    >>> cs = [CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=52.09, lon=5.12,
    ...                        benefit="ww" if i % 2 else "wajong") for i in range(1, 7)]
    >>> t = GroupTable()
    >>> for c in cs:
    ...     t.upsert(c.id, CandidateGroups(benefit=c.benefit))
    >>> v = VacancyProfile(id=9, ref="V9", title="t", pc4="3511", lat=52.09, lon=5.12,
    ...                    hours_per_week=32)
    >>> counts = simulate_selection(cs, [v], scorer=BaselineScorer(), groups=t,
    ...                             as_of=date(2025, 1, 1), top=2)
    >>> counts["eligible"]["benefit"], sum(counts["top"]["benefit"].values())
    ({'ww': 3, 'wajong': 3}, 2)
    """
    from matcher.index import CandidateIndex
    from matcher.shortlist import shortlist_many

    total: dict[str, dict[str, dict[str, int]]] = {"eligible": {}, "top": {}, "people": {}}
    if index is None:
        if not candidates:
            return total
        index = CandidateIndex.build(list(candidates), taxonomy=taxonomy)
    if not vacancies or len(index) == 0:
        return total
    results = shortlist_many(
        index, list(vacancies), scorer=scorer, top=top, taxonomy=taxonomy, as_of=as_of
    )
    for r in results:  # one iteration per vacancy, never per candidate
        add_counts(total["eligible"], groups.count(r.eligible_ids, as_of=as_of))
        add_counts(total["top"], groups.count([e.candidate_id for e in r.entries], as_of=as_of))
    everyone = np.unique(np.concatenate([r.eligible_ids for r in results]))
    total["people"] = groups.count(everyone, as_of=as_of)
    return total


__all__ = [
    "AGE_BANDS",
    "AUDIT_COLUMNS",
    "AUDIT_ONLY_DIMENSIONS",
    "DEFAULT_FLOOR",
    "DIMENSIONS",
    "GROUPS",
    "MIN_COUNT",
    "MIN_PEOPLE",
    "OUT_OF_WORK_BANDS",
    "SR_DIMENSIONS",
    "TOP_K",
    "CandidateGroups",
    "GateResult",
    "GroupTable",
    "add_counts",
    "audit_table",
    "exposure_rows",
    "gate",
    "group_labels",
    "simulate_selection",
    "wilson_interval",
]
