"""A candidates file in slices: typed, normalised and checked apart from the database.

What an import does to a row before it asks the database anything is a pure function of the
file: typing each cell (:func:`matcher.interchange.parse_table`), normalising the skills and
occupations of a whole slice at once, the schema's checks and the normalised fields of each row.
:func:`candidate_slices` yields that work per slice of :data:`SLICE_ROWS` rows; the importer
then checks each slice against the database (coaches, municipalities, existing candidates) and
writes it before the next.

For a file of :data:`PARALLEL_MIN_ROWS` rows or more, a second process does this pure part for
the next slices while the importer checks and writes the current one, so the two halves of the
work run side by side on two cores. The results are the same as in one process, errors and their
order included (``tests/api/services/test_importer_streaming.py``): a key repeated across slices is
found here, in file order, as :func:`matcher.interchange.parse_slices` finds it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from api.services.errors import FieldError
from api.services.import_rules import validate_candidate
from api.services.profiles import CANDIDATE_RAW, candidate_norm_fields
from matcher.interchange import (
    ParseResult,
    RawTable,
    RowError,
    parse_table,
    raw_slices,
    repeated_key,
)
from matcher.normalize import get_normalizer

#: Rows per slice: what is held in memory at once besides the file's text cells.
SLICE_ROWS = 20_000
#: From this many rows a second process prepares the slices (below, starting it costs more
#: than it saves: it loads the taxonomy and builds the normaliser, about 3 s).
PARALLEL_MIN_ROWS = 60_000
#: Slices handed to the second process ahead of the one being written.
AHEAD = 2
#: Cores of this machine: one core gains nothing from a second process.
CPUS = os.cpu_count() or 1

#: A row's check that failed: the FieldError's field, value and message (an exception with
#: keyword arguments does not cross a process boundary whole).
Problem = tuple[str, Any, str]


@dataclass
class CandidateSlice:
    """One slice of a candidates file, ready for the database checks.

    ``prepared[i]`` belongs to ``parsed.records[i]``: the row's normalised fields
    (``candidate_norm_fields``) or the first problem the schema or the normaliser found.
    """

    parsed: ParseResult
    prepared: list[dict[str, Any] | Problem]
    #: the process that prepared it
    pid: int = field(default_factory=os.getpid)


def prepare_candidates(records: Sequence[dict[str, Any]]) -> list[dict[str, Any] | Problem]:
    """The database-free checks of typed candidate rows, and their normalised fields.

    The checks are those of ``POST /coach/candidates`` (``validate_candidate``) and of the
    normaliser (``candidate_norm_fields``), in that order; skills and occupations of all rows
    are normalised in one batch.
    """
    normalized = get_normalizer().profiles([(r["skills"], r["occupations"]) for r in records])
    out: list[dict[str, Any] | Problem] = []
    for rec, norm in zip(records, normalized, strict=True):
        values = {k: rec.get(k) for k in CANDIDATE_RAW}
        audit_only = {"birth_year": rec.get("birth_year"), "gender": rec.get("gender") or None}
        try:
            validate_candidate(rec, {**values, **audit_only})
            out.append(candidate_norm_fields(values, normalized=norm))
        except FieldError as exc:
            out.append((exc.field, exc.value, exc.message))
    return out


def candidate_slice(part: RawTable) -> CandidateSlice:
    """Type and prepare one slice (keys repeated within it are found; across slices, later)."""
    if not get_normalizer.cache_info().currsize:
        get_normalizer()
        # its tables live as long as the process: kept out of the cyclic collector's walks
        gc.freeze()
    parsed = parse_table("candidates", part, seen_keys={})
    return CandidateSlice(parsed, prepare_candidates(parsed.records))


def _across_slices(
    piece: CandidateSlice, part: RawTable, seen: dict[tuple[object, ...], int]
) -> CandidateSlice:
    """Drop the rows whose key an earlier slice had, as one ``parse_table`` would."""
    repeated: list[RowError] = []
    keep: list[int] = []
    row_of = dict(zip(part.row_numbers, part.rows, strict=True))
    for i, rec in enumerate(piece.parsed.records):
        number = int(str(rec["_row"]))
        error = repeated_key("candidates", rec, row_of[number], number, seen)
        if error is None:
            keep.append(i)
        else:
            repeated.append(error)
    if not repeated:
        return piece
    parsed = replace(
        piece.parsed,
        records=[piece.parsed.records[i] for i in keep],
        errors=sorted(piece.parsed.errors + repeated, key=lambda e: e.row),
    )
    return CandidateSlice(parsed, [piece.prepared[i] for i in keep], piece.pid)


def _use_second_process(rows: int) -> bool:
    return rows >= PARALLEL_MIN_ROWS and CPUS > 1


def candidate_slices(raw: RawTable, *, size: int | None = None) -> Iterator[CandidateSlice]:
    """Slices of ``size`` rows (default :data:`SLICE_ROWS`) of a candidates table, typed and
    prepared, in file order; consumes ``raw``. A table missing a required column gives one
    slice with those errors."""
    parallel = _use_second_process(len(raw.rows))
    seen: dict[tuple[object, ...], int] = {}
    parts = raw_slices(raw, size or SLICE_ROWS)
    first_part = next(parts)
    first = candidate_slice(first_part)  # here: a file missing a column stops at once
    if first.parsed.missing_columns or not parallel:
        yield _across_slices(first, first_part, seen)
        if first.parsed.missing_columns:
            return
        for part in parts:
            yield _across_slices(candidate_slice(part), part, seen)
        return
    # spawn, not fork: a server process has threads (index refresh, thread pool), and a fork
    # copies whatever locks they hold
    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    )
    try:
        # slices in file order: sent to the second process (a Future), or prepared here
        queue: deque[tuple[RawTable, Future[CandidateSlice] | CandidateSlice]] = deque()

        def send_next() -> None:
            part = next(parts, None)
            if part is not None:
                job = None if pool is None else _submit(pool, part)
                queue.append((part, candidate_slice(part) if job is None else job))

        for _ in range(AHEAD):
            send_next()
        yield _across_slices(first, first_part, seen)
        while queue:
            part, job = queue[0]
            if isinstance(job, Future) and not job.done() and len(queue) < 2 * AHEAD:
                # the second process is behind (starting, or slower than the writes here):
                # prepare the next slice here rather than wait
                extra = next(parts, None)
                if extra is not None:
                    queue.append((extra, candidate_slice(extra)))
                    continue
            queue.popleft()
            try:
                piece = job.result() if isinstance(job, Future) else job
            except BrokenProcessPool:
                # the second process could not start or died (a program without a main guard,
                # the kernel's OOM killer): this process prepares the rest
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
                piece = candidate_slice(part)
            send_next()
            yield _across_slices(piece, part, seen)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, part: RawTable) -> Future[CandidateSlice] | None:
    try:
        return pool.submit(candidate_slice, part)
    except BrokenProcessPool:  # it broke before: the caller prepares the part itself
        return None


def raise_problem(problem: Problem) -> None:
    """Raise a prepared row's problem as the FieldError it was."""
    raise FieldError(*problem)
