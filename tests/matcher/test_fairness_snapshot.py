"""Group table snapshots: the same groups per candidate and the same counts after a round trip,
and writes after a load count like writes to the original."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from matcher.fairness import CandidateGroups, GroupTable
from matcher.index import SnapshotMismatch
from tests.matcher.test_fairness import AS_OF, _groups


def _odd(i: int) -> CandidateGroups:
    """Values the encoding flattens (unknown benefit, target group, gender): kept raw anyway."""
    return CandidateGroups(
        benefit="bogus",
        ladder_step=9,
        target_groups=("onbekend", "50plus"),
        unemployed_since=date(1999, 12, 31),
        birth_year=2001,
        gender="",
    )


def _table() -> GroupTable:
    t = GroupTable()
    for i in range(1, 401):
        t.upsert(i, _odd(i) if i % 37 == 0 else _groups(i))
    t.count([1], as_of=AS_OF)  # arrays built ...
    for i in range(1, 401, 9):
        t.remove(i)  # ... then dead rows and pending changes, which the save merges
    t.upsert(500, _groups(500))
    return t


@pytest.mark.parametrize("mmap", [True, False])
def test_a_loaded_table_holds_the_same_groups_and_counts(tmp_path: Path, mmap: bool) -> None:
    original = _table()
    original.save(tmp_path / "groups", meta={"change": 5})
    loaded, meta = GroupTable.load(tmp_path / "groups", mmap=mmap)
    assert meta == {"change": 5}
    assert len(loaded) == len(original) and list(loaded.ids()) == list(original.ids())
    assert all(loaded._rows[k] == original._rows[k] for k in original.ids().tolist())
    ids = np.arange(0, 520, dtype=np.int64)
    assert loaded.count(ids, as_of=AS_OF) == original.count(ids, as_of=AS_OF)
    assert loaded.count(ids[::7], as_of=date(2030, 1, 1)) == original.count(
        ids[::7], as_of=date(2030, 1, 1)
    )


@pytest.mark.parametrize("mmap", [True, False])
def test_writes_after_a_load_count_like_writes_to_the_original(tmp_path: Path, mmap: bool) -> None:
    original = _table()
    original.save(tmp_path / "groups")
    loaded, _ = GroupTable.load(tmp_path / "groups", mmap=mmap)
    ids = np.arange(0, 700, dtype=np.int64)
    for t in (original, loaded):
        for i in range(2, 300, 5):  # existing rows change in place in the (mapped) arrays
            t.upsert(i, _groups(i + 1))
        for i in range(600, 620):  # new rows
            t.upsert(i, _groups(i))
        for i in (3, 4, 605, 99999):  # removals, one of an unknown id
            t.remove(i)
        t.upsert(4, _groups(4))  # back again
        assert t.count(ids, as_of=AS_OF)  # merged between writes as well
        t.upsert(8, _odd(8))
    assert len(loaded) == len(original) and list(loaded.ids()) == list(original.ids())
    assert loaded.count(ids, as_of=AS_OF) == original.count(ids, as_of=AS_OF)
    assert all(loaded._rows[k] == original._rows[k] for k in original.ids().tolist())
    again, _ = GroupTable.load(tmp_path / "groups")
    # the files kept the saved groups: a mapped table's writes stayed in its process
    assert again.count(ids, as_of=AS_OF) == _table().count(ids, as_of=AS_OF)
    assert again.count(ids, as_of=AS_OF) != loaded.count(ids, as_of=AS_OF)


def test_a_loaded_table_saves_the_same_snapshot_again(tmp_path: Path) -> None:
    original = _table()
    original.save(tmp_path / "a")
    loaded, _ = GroupTable.load(tmp_path / "a")
    fresh = CandidateGroups(benefit="nieuw", target_groups=("x1", "50plus"), gender="q")
    for t in (loaded, original):  # changed, new, removed rows, and strings the snapshot lacks
        t.upsert(7, _groups(70))
        t.upsert(8, fresh)
        t.upsert(450, fresh)
        t.upsert(451, _groups(451))
        t.remove(11)
    loaded.save(tmp_path / "b")
    reloaded, _ = GroupTable.load(tmp_path / "b", mmap=False)
    assert list(reloaded.ids()) == list(original.ids())
    ids = np.arange(0, 520, dtype=np.int64)
    assert reloaded.count(ids, as_of=AS_OF) == original.count(ids, as_of=AS_OF)
    assert all(reloaded._rows[k] == original._rows[k] for k in original.ids().tolist())


def test_an_empty_table_round_trips(tmp_path: Path) -> None:
    GroupTable().save(tmp_path / "g")
    loaded, meta = GroupTable.load(tmp_path / "g")
    assert len(loaded) == 0 and meta == {}
    loaded.upsert(1, _groups(1))
    assert sum(loaded.count([1], as_of=AS_OF)["benefit"].values()) == 1


def test_changed_groups_or_format_are_refused(tmp_path: Path) -> None:
    _table().save(tmp_path / "g")
    path = tmp_path / "g" / "meta.json"
    info = json.loads(path.read_text("utf-8"))
    info["groups"]["benefit"] = ["ww", "unknown"]
    path.write_text(json.dumps(info), "utf-8")
    with pytest.raises(SnapshotMismatch, match=r"groups differ from this code's in \['benefit'\]"):
        GroupTable.load(tmp_path / "g")
    info["format_version"] = 0
    path.write_text(json.dumps(info), "utf-8")
    with pytest.raises(SnapshotMismatch, match="format version is 0"):
        GroupTable.load(tmp_path / "g")
