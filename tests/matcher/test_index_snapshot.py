"""Index snapshots: a loaded index (mapped or read) shortlists exactly like the one it came from,
takes writes, and refuses a snapshot of another format or taxonomy."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import matcher.index
from matcher.features import COL
from matcher.index import CandidateIndex, SnapshotMismatch, _RowMap, read_snapshot_dir
from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.ranker import BaselineScorer
from matcher.shortlist import ShortlistResult, shortlist_many
from tests.matcher.conftest import AS_OF, mini_taxonomy, random_candidate, random_world


def _world() -> tuple[list[CandidateProfile], list[VacancyProfile]]:
    cands, vacs = random_world(seed=15, n_candidates=400, n_vacancies=12)
    # a skill the taxonomy does not know: the vocabulary grows a column past the taxonomy's
    cands[7] = dataclasses.replace(cands[7], skills=(*cands[7].skills, ConceptRef("sk_extra")))
    return cands, vacs


class _SpecificityScorer:
    """Scores by the IDF-weighted skill shares, which the baseline leaves out: a loaded index
    must give the same skill IDF as the original too."""

    def score_features(self, F: np.ndarray) -> np.ndarray:
        return np.asarray(
            F[:, COL["specific_skill_share"]]
            + 0.5 * F[:, COL["specific_optional_share"]]
            - 0.01 * F[:, COL["distance_km"]]
        )


def _shortlists(index: CandidateIndex, vacs: list[VacancyProfile]) -> list[Any]:
    out = []
    for scorer in (BaselineScorer(), _SpecificityScorer()):
        results: list[ShortlistResult] = shortlist_many(
            index,
            vacs,
            scorer=scorer,
            top=25,
            taxonomy=mini_taxonomy(),
            as_of=AS_OF,
            explain_excluded=True,
            chunk=5,
        )
        out += [
            (r.entries, r.excluded, r.n_considered, r.n_eligible, r.eligible_ids.tolist())
            for r in results
        ]
    return out


def _edit(index: CandidateIndex, cands: list[CandidateProfile]) -> None:
    """The same writes for the original and the loaded index: changes, new ones, removals."""
    rng = random.Random(3)
    for c in cands[:30]:
        index.upsert(dataclasses.replace(c, max_travel_km=60.0, hours_per_week=24.0))
    for i in range(10):
        index.upsert(random_candidate(rng, 5000 + i))
    index.upsert(dataclasses.replace(cands[40], skills=(ConceptRef("sk_new_after_load"),)))
    for c in cands[100:140]:
        index.remove(c.id)


@pytest.mark.parametrize("mmap", [True, False])
def test_a_loaded_index_gives_the_same_shortlists_before_and_after_writes(
    tmp_path: Path, mmap: bool
) -> None:
    cands, vacs = _world()
    original = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    before = _shortlists(original, vacs)
    assert sum(len(entries) for entries, *_ in before) > 50  # the comparison has substance

    original.save_snapshot(tmp_path / "index", meta={"change": 17})
    loaded, meta = CandidateIndex.load_snapshot(
        tmp_path / "index", taxonomy=mini_taxonomy(), mmap=mmap
    )
    assert meta == {"change": 17}
    assert len(loaded) == len(original)
    assert loaded.skills.ids == original.skills.ids
    assert loaded.occupations.isco == original.occupations.isco
    # mapped arrays are the files themselves (read-only), not copies
    arrays, _ = loaded.arrays()
    mats = [getattr(arrays, m) for m in ("skills", "occupations")]
    loaded_arrays = [getattr(arrays, f.name) for f in dataclasses.fields(arrays)]
    loaded_arrays = [a for a in loaded_arrays if isinstance(a, np.ndarray)]
    loaded_arrays += [getattr(m, part) for m in mats for part in ("data", "indices", "indptr")]
    assert len(loaded_arrays) == 25
    assert all(a.flags.writeable is not mmap for a in loaded_arrays)
    assert _shortlists(loaded, vacs) == before

    _edit(original, cands)
    _edit(loaded, cands)
    assert len(loaded) == len(original)
    assert _shortlists(loaded, vacs) == _shortlists(original, vacs)
    assert all(loaded.row_of(c.id) == original.row_of(c.id) for c in cands[:200])


def test_compaction_of_a_mapped_index_writes_no_file(tmp_path: Path) -> None:
    cands, vacs = _world()
    original = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    original.save_snapshot(tmp_path / "index", meta={})
    loaded, _ = CandidateIndex.load_snapshot(tmp_path / "index", mmap=True)
    for index in (original, loaded):
        for c in cands[::3]:  # a third dead: over compact_fraction, so the next read compacts
            index.remove(c.id)
    assert _shortlists(loaded, vacs) == _shortlists(original, vacs)
    assert loaded.arrays()[1].all() and len(loaded.arrays()[0]) == len(loaded)
    again, _ = CandidateIndex.load_snapshot(tmp_path / "index", mmap=True)
    assert len(again) == len(cands)  # the snapshot on disk is untouched


def test_only_live_rows_are_saved_and_the_original_is_left_as_it_was(tmp_path: Path) -> None:
    cands, vacs = _world()
    original = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    original.arrays()
    for c in cands[:10]:
        original.remove(c.id)  # dead rows, below the compaction threshold
    original.upsert(dataclasses.replace(cands[20], hours_per_week=8.0))  # pending + dead row
    version = original.version
    original.save_snapshot(tmp_path / "index", meta={})
    rows_before = len(original.arrays()[0])

    loaded, _ = CandidateIndex.load_snapshot(tmp_path / "index")
    arrays, alive = loaded.arrays()
    assert alive.all() and len(arrays) == len(original) == len(cands) - 10
    assert sorted(arrays.ids.tolist()) == sorted(c.id for c in cands[10:])
    row = loaded.row_of(cands[20].id)
    assert row is not None and arrays.hours[row] == 8.0
    assert original.version == version and len(original.arrays()[0]) == rows_before
    # the original's dead rows still count in its skill IDF, so compare with a fresh build
    fresh = CandidateIndex.build(
        [
            dataclasses.replace(c, hours_per_week=8.0) if c.id == cands[20].id else c
            for c in cands[10:]
        ],
        taxonomy=mini_taxonomy(),
    )
    fresh_ids = {e.candidate_id for r in _shortlists(fresh, vacs) for e in r[0]}
    loaded_ids = {e.candidate_id for r in _shortlists(loaded, vacs) for e in r[0]}
    assert loaded_ids == fresh_ids


def test_files_need_no_pickle_and_strings_are_fixed_width(tmp_path: Path) -> None:
    cands, _ = _world()
    CandidateIndex.build(cands).save_snapshot(tmp_path / "index", meta={"note": "é"})
    names = sorted(p.name for p in (tmp_path / "index").iterdir())
    assert "meta.json" in names and "refs.npy" in names and "skills.indptr.npy" in names
    for p in (tmp_path / "index").glob("*.npy"):
        a = np.load(p, allow_pickle=False, mmap_mode="r")
        assert not a.dtype.hasobject
    refs = np.load(tmp_path / "index" / "refs.npy", allow_pickle=False)
    assert refs.dtype.kind == "U" and refs.tolist() == [c.ref for c in cands]
    info = json.loads((tmp_path / "index" / "meta.json").read_text("utf-8"))
    assert info["rows"] == len(cands) and info["meta"] == {"note": "é"}
    assert "sk_extra" in info["vocabularies"]["skills"]["ids"]
    assert info["vocab_fingerprint"].startswith("sha256:")


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    CandidateIndex.build([], taxonomy=mini_taxonomy()).save_snapshot(tmp_path / "i", meta={})
    for mmap in (True, False):
        loaded, _ = CandidateIndex.load_snapshot(tmp_path / "i", mmap=mmap)
        assert len(loaded) == 0
        loaded.upsert(random_candidate(random.Random(1), 1))
        assert len(loaded.arrays()[0]) == 1


def test_another_format_version_is_refused(tmp_path: Path) -> None:
    CandidateIndex.build(_world()[0]).save_snapshot(tmp_path / "index", meta={})
    path = tmp_path / "index" / "meta.json"
    info = json.loads(path.read_text("utf-8"))
    info["format_version"] = 999
    path.write_text(json.dumps(info), "utf-8")
    with pytest.raises(SnapshotMismatch, match="format version is 999; this code reads version"):
        CandidateIndex.load_snapshot(tmp_path / "index")


def test_edited_vocabularies_are_refused(tmp_path: Path) -> None:
    CandidateIndex.build(_world()[0]).save_snapshot(tmp_path / "index", meta={})
    path = tmp_path / "index" / "meta.json"
    info = json.loads(path.read_text("utf-8"))
    info["vocabularies"]["skills"]["ids"].reverse()
    path.write_text(json.dumps(info), "utf-8")
    with pytest.raises(SnapshotMismatch, match="fingerprint"):
        CandidateIndex.load_snapshot(tmp_path / "index")


def _taxonomy_with(**changes: Any) -> Any:
    tax = mini_taxonomy()
    if "skill_first" in changes:  # a new skill ahead of the others shifts every column
        tax.skills = {changes["skill_first"]: SimpleNamespace(label_nl="nieuw"), **tax.skills}
    if "isco" in changes:
        oid, code = changes["isco"]
        tax.occupations[oid] = SimpleNamespace(label_nl=tax.occupations[oid].label_nl, isco08=code)
    if "label" in changes:
        sid, label = changes["label"]
        tax.skills[sid] = SimpleNamespace(label_nl=label)
    return tax


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"skill_first": "sk_aaa"}, "skills: column 0 is 'sk_heftruck' in the snapshot, 'sk_aaa'"),
        ({"isco": ("oc_kok", "5131")}, "occupations: ISCO code of 'oc_kok' is '5120'"),
        ({"label": ("sk_vca", "VCA-basis")}, "skills: labels differ .*'sk_vca'"),
    ],
)
def test_a_snapshot_of_another_taxonomy_is_refused(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    CandidateIndex.build(_world()[0], taxonomy=mini_taxonomy()).save_snapshot(
        tmp_path / "index", meta={}
    )
    CandidateIndex.load_snapshot(tmp_path / "index", taxonomy=mini_taxonomy())  # the same: fine
    with pytest.raises(SnapshotMismatch, match=message):
        CandidateIndex.load_snapshot(tmp_path / "index", taxonomy=_taxonomy_with(**changes))


def test_a_new_snapshot_replaces_the_old_and_mapped_readers_keep_theirs(tmp_path: Path) -> None:
    cands, vacs = _world()
    first = CandidateIndex.build(cands[:200], taxonomy=mini_taxonomy())
    first.save_snapshot(tmp_path / "index", meta={"change": 1})
    mapped, _ = CandidateIndex.load_snapshot(tmp_path / "index", mmap=True)
    expected = _shortlists(first, vacs)

    CandidateIndex.build(cands, taxonomy=mini_taxonomy()).save_snapshot(
        tmp_path / "index", meta={"change": 2}
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]  # no .tmp-/.old- left
    newer, meta = CandidateIndex.load_snapshot(tmp_path / "index")
    assert meta == {"change": 2} and len(newer) == len(cands)
    assert _shortlists(mapped, vacs) == expected  # its files are gone, its mapping is not


def test_a_failed_write_leaves_the_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cands, _ = _world()
    CandidateIndex.build(cands[:50]).save_snapshot(tmp_path / "index", meta={"change": 1})
    real = matcher.index._write_file

    def disk_full_at_meta(path: Path, write: Any) -> None:
        if path.name == "meta.json":
            raise OSError(28, "No space left on device")
        real(path, write)

    monkeypatch.setattr(matcher.index, "_write_file", disk_full_at_meta)
    with pytest.raises(OSError, match="No space"):
        CandidateIndex.build(cands).save_snapshot(tmp_path / "index", meta={"change": 2})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]
    loaded, meta = CandidateIndex.load_snapshot(tmp_path / "index")
    assert meta == {"change": 1} and len(loaded) == 50


def test_meta_must_be_json(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        CandidateIndex.build([]).save_snapshot(tmp_path / "index", meta={"when": object()})
    assert not (tmp_path / "index").exists()


def test_read_snapshot_dir_refuses_a_missing_array(tmp_path: Path) -> None:
    CandidateIndex.build(_world()[0]).save_snapshot(tmp_path / "index", meta={})
    (tmp_path / "index" / "lat.npy").unlink()
    with pytest.raises(SnapshotMismatch, match="lacks lat.npy"):
        CandidateIndex.load_snapshot(tmp_path / "index")
    assert "lon" in read_snapshot_dir(tmp_path / "index", mmap=False)[0]


def test_readers_never_mix_two_snapshots_while_a_writer_swaps_them(tmp_path: Path) -> None:
    cands, _ = _world()
    small = CandidateIndex.build(cands[:60])
    large = CandidateIndex.build(cands[100:300])
    small.save_snapshot(tmp_path / "index", meta={"rows": 60})
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for k in range(16):
                index = large if k % 2 == 0 else small
                index.save_snapshot(tmp_path / "index", meta={"rows": len(index)})
        except BaseException as exc:  # reported by the reader's thread
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    loads = 0
    while writer.is_alive() or loads == 0:
        loaded, meta = CandidateIndex.load_snapshot(tmp_path / "index", mmap=loads % 2 == 0)
        ids = loaded.arrays()[0].ids.tolist()
        first = 1 if meta["rows"] == 60 else 101
        assert ids == list(range(first, first + meta["rows"]))
        loads += 1
    writer.join()
    assert not errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_a_reader_waits_for_a_writer_between_its_two_renames(tmp_path: Path) -> None:
    CandidateIndex.build(_world()[0][:30]).save_snapshot(tmp_path / "index", meta={})
    aside = tmp_path / "index.old-4242"
    (tmp_path / "index").rename(aside)  # as a writer leaves it between its renames
    threading.Timer(0.2, lambda: aside.rename(tmp_path / "index")).start()
    loaded, _ = CandidateIndex.load_snapshot(tmp_path / "index")
    assert len(loaded) == 30
    with pytest.raises(FileNotFoundError):  # no writer at work: no snapshot, no waiting
        CandidateIndex.load_snapshot(tmp_path / "elsewhere")


def test_the_row_map_of_a_loaded_index_behaves_like_a_dict() -> None:
    rng = np.random.default_rng(4)
    ids = rng.permutation(np.arange(10, 400, 3, dtype=np.int64))
    rows = _RowMap(ids, np.argsort(ids, kind="stable"))
    plain = {int(c): r for r, c in enumerate(ids)}
    for step in range(3000):
        key = int(rng.integers(0, 420))
        op = rng.integers(0, 4)
        if op == 0:
            rows[key] = plain[key] = step
        elif op == 1:
            assert rows.pop(key, None) == plain.pop(key, None)
        else:
            assert rows.get(key) == plain.get(key) and (key in rows) == (key in plain)
        assert len(rows) == len(plain)
    assert sorted(rows) == sorted(plain) and dict(rows.items()) == plain
    assert _RowMap(np.zeros(0, np.int64), np.zeros(0, np.int64)).get(5) is None


def test_a_mapped_index_saves_itself_over_the_files_it_maps(tmp_path: Path) -> None:
    cands, vacs = _world()
    original = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    original.save_snapshot(tmp_path / "index", meta={"change": 1})
    loaded, _ = CandidateIndex.load_snapshot(tmp_path / "index", taxonomy=mini_taxonomy())
    _edit(original, cands)
    _edit(loaded, cands)
    loaded.save_snapshot(tmp_path / "index", meta={"change": 2})
    again, meta = CandidateIndex.load_snapshot(tmp_path / "index", taxonomy=mini_taxonomy())
    assert meta == {"change": 2} and len(again) == len(original)
    # the snapshot holds live rows only, while dead rows still count in the skill IDF of the
    # indexes they are in: compare with those indexes compacted
    original.compact_fraction = loaded.compact_fraction = 0.0
    assert _shortlists(again, vacs) == _shortlists(original, vacs) == _shortlists(loaded, vacs)


def test_skill_idf_counts_the_living_rows_only() -> None:
    """A removed or replaced candidate stays in the block, dead, until it compacts: the skill
    IDF (and so the specificity-weighted shares) must be that of a fresh index of the living."""
    cands, vacs = _world()
    edited = CandidateIndex.build(cands, taxonomy=mini_taxonomy(), compact_fraction=0.9)
    _shortlists(edited, vacs)  # the IDF of the first block is computed and cached
    _edit(edited, cands)
    assert len(edited.arrays()[1]) > len(edited)  # dead rows are still there
    living = {c.id: c for c in cands}
    rng = random.Random(3)  # the same writes as _edit, applied to the profiles
    for c in cands[:30]:
        living[c.id] = dataclasses.replace(c, max_travel_km=60.0, hours_per_week=24.0)
    for i in range(10):
        extra = random_candidate(rng, 5000 + i)
        living[extra.id] = extra
    living[cands[40].id] = dataclasses.replace(cands[40], skills=(ConceptRef("sk_new_after_load"),))
    for c in cands[100:140]:
        living.pop(c.id)
    fresh = CandidateIndex.build(list(living.values()), taxonomy=mini_taxonomy())
    for got, want in zip(_shortlists(edited, vacs), _shortlists(fresh, vacs), strict=True):
        assert [(e.candidate_id, e.score) for e in got[0]] == [
            (e.candidate_id, e.score) for e in want[0]
        ]
    edited.remove(cands[200].id)  # a removal alone (no new block) moves the IDF too
    fresh = CandidateIndex.build(
        [p for p in living.values() if p.id != cands[200].id], taxonomy=mini_taxonomy()
    )
    for got, want in zip(_shortlists(edited, vacs), _shortlists(fresh, vacs), strict=True):
        assert [(e.candidate_id, e.score) for e in got[0]] == [
            (e.candidate_id, e.score) for e in want[0]
        ]
