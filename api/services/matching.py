"""The matching runtime: the in-memory candidate and vacancy indexes and the serving ranker.

One ``MatchingService`` lives on ``app.state.matching`` (and is built ad hoc by the CLI). It
loads every active candidate and open vacancy once, then keeps them current:

- writes made through this process call ``notify_*_changed`` and are visible at once;
- writes made by any other process (another server worker, the CLI, an import) are picked up by
  a refresh thread that asks the change feed (``api.services.changes``: rows whose database
  change number is above the last one read) every ``SRMATCH_INDEX_REFRESH_SECONDS`` (default
  1 s, so a change is visible everywhere within about two seconds). An idle database answers
  with nothing; a change costs work for the changed rows only;
- a newly accepted model version is loaded and swapped in without a restart.

Start-up reads a snapshot of the candidate index when there is one for this database
(``SRMATCH_INDEX_DIR``, default ``var/index``: arrays memory-mapped, so the workers of one
server share them; ``matcher.index.CandidateIndex.load_snapshot``) and then only the changes
made since the change number it records. Without one it reads every candidate and writes a
snapshot for next time; the refresh thread writes a new one once many rows have changed since
(``SNAPSHOT_AFTER_CHANGES``), so a restart stays cheap. ``srmatch index build`` writes one on
demand, e.g. after a large import.

Shortlists are array work in ``matcher.shortlist``; this module adds what needs the database:
who is excluded for a vacancy (open referral, placement), who the asking coach may see, and the
shortlist log.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, insert, literal, or_, union_all
from sqlmodel import Session, col, select

from api.audit import record, record_many
from api.config import Settings
from api.services import lifecycle
from api.services.access import get_candidate_for, get_vacancy_for, vacancy_scope
from api.services.changes import ChangeFeed, ChangeProbe, database_position
from api.services.errors import NotFoundError
from api.services.fairness import AuditOnly, audit_only_attributes, candidate_groups
from api.services.profiles import candidate_profile, vacancy_profile
from matcher.fairness import TOP_K, GroupTable
from matcher.index import CandidateIndex, VacancyIndex
from matcher.profiles import VacancyProfile
from matcher.ranker import BaselineScorer, SRRanker, load_ranker
from matcher.shortlist import ShortlistResult, shortlist_many, vacancies_for_candidate
from matcher.taxonomy import load_taxonomy
from matcher.vocab import FINAL_STATUSES
from models import (
    Candidate,
    DatabaseInstance,
    ModelVersion,
    Placement,
    Referral,
    Role,
    ShortlistLog,
    User,
    Vacancy,
    VacancyStatus,
)
from models.base import utcnow
from models.db import in_chunks, read_only
from models.matching import (
    ExcludedPublic,
    ShortlistEntryPublic,
    ShortlistPublic,
    VacancyMatchesPublic,
    VacancyMatchPublic,
)

log = logging.getLogger("srmatch.matching")

BASELINE = "baseline"
#: the refresh thread writes a new index snapshot once this many candidate rows (or a tenth of
#: the index, if more) were re-indexed since the last, at most every SNAPSHOT_MIN_SECONDS
SNAPSHOT_AFTER_CHANGES = 20_000
SNAPSHOT_MIN_SECONDS = 300.0
#: candidate rows are read this many ids at a time (under SQLite's 999 bound parameters)
READ_CHUNK = 900
#: a long read of candidate rows (a cold start) merges them into the index's arrays after
#: this many chunks
MERGE_EVERY_CHUNKS = 56


class MatchingService:
    """Indexes and ranker for one process; thread-safe; see the module docstring."""

    def __init__(self, *, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        # the index only reads: on SQLite its transactions begin DEFERRED, never queueing for
        # the write lock that the requests take up front
        self._reader = read_only(engine)
        self.settings = settings
        self.taxonomy = load_taxonomy()
        self.candidates = CandidateIndex.build([], taxonomy=self.taxonomy)
        self.vacancies = VacancyIndex.build([], taxonomy=self.taxonomy)
        self.scorer: BaselineScorer | SRRanker = BaselineScorer()
        self.model_version: str | None = None
        self.ready = False
        self.load_error: str | None = None
        self._failed_version: str | None = None
        #: where the index stands in the database's change sequence
        self._feed = ChangeFeed()
        #: tells the refresh thread whether there can be anything to poll for
        self._probe = ChangeProbe(self._reader)
        #: how the index was filled at start ("snapshot" or "database") and candidate rows
        #: re-indexed since the last snapshot was written or read
        self.started_from = ""
        self._since_snapshot = 0
        self._snapshot_at = 0.0
        #: each indexed candidate's groups, counted per served shortlist (fairness audit)
        self.groups = GroupTable()
        # Two locks, always taken in this order and never the other way round:
        # _refresh_lock serialises the work that reads the database to update the index (the
        # poll, notify_*); _lock guards the index and the scorer and is held only for in-memory
        # work. A request that holds SQLite's write lock may wait for _lock, so nothing holding
        # _lock may ever wait for the database.
        self._refresh_lock = threading.Lock()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, *, background: bool = True) -> MatchingService:
        """Load everything (from a snapshot when there is one for this database, then the
        changes since); with ``background`` start the refresh thread."""
        if self._load_snapshot():
            self.started_from = "snapshot"
            self.refresh()
        else:
            self.started_from = "database"
            self.refresh(full=True)
            self.save_snapshot()
        self.groups.count([], as_of=date.today())  # build the group arrays before any request
        self.warm()
        self.ready = True
        if background and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="srmatch-index", daemon=True)
            self._thread.start()
        return self

    def warm(self) -> int:
        """Rank one open vacancy per municipality and throw the result away, so that the index
        block's lazy work is done before the process says it is ready rather than in a coach's
        first request: the distinct homes, each municipality's rows, the skill columns, the
        group counts, and the first touch of a mapped snapshot's pages. At 1,000,000 candidates
        a worker's first shortlist took 450 ms against 40-75 ms for the next ones. Returns the
        vacancies ranked (none without open vacancies)."""
        first: dict[int | None, VacancyProfile] = {}
        for profile in self.vacancies.profiles():
            first.setdefault(profile.municipality_id, profile)
        with self._lock:
            scorer = self.scorer
        for municipality, profile in first.items():
            result = shortlist_many(
                self.candidates,
                [profile],
                scorer=scorer,
                top=20,  # the routes' default
                taxonomy=self.taxonomy,
                municipality_id=municipality,
            )[0]
            with self._lock:
                self.groups.count(result.eligible_ids, as_of=date.today())
        return len(first)

    def stop(self) -> None:
        """Stop the refresh thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        interval = float(self.settings.index_refresh_seconds)
        while not self._stop.wait(interval):
            try:
                if self._probe.changed() or self._feed.pending:
                    self.refresh()
                if self._snapshot_due():
                    self.save_snapshot()
            except Exception:  # keep serving the last good index; the next poll retries
                self._probe.reset()
                log.exception("index refresh failed")
        self._probe.reset()

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self, *, full: bool = False) -> None:
        """Pick up candidate, vacancy and model changes from the database (``full``: read
        every row again, as at start)."""
        with self._refresh_lock, Session(self._reader) as session:
            if full:
                self._feed = ChangeFeed()
            changed = self._feed.poll(session)
            self._since_snapshot += len(changed["candidate"])
            self._refresh_candidates(session, changed["candidate"])
            self._refresh_vacancies(session, changed["vacancy"])
            self._refresh_model(session)

    def _refresh_candidates(self, session: Session, ids: list[int]) -> None:
        for n, chunk in enumerate(in_chunks(ids, READ_CHUNK), start=1):
            # the audit-only attributes (kept apart from the profile) only feed the group counts
            audit_only = audit_only_attributes(session, chunk)
            for c in session.exec(select(Candidate).where(col(Candidate.id).in_(chunk))):
                self._index_candidate(c, audit_only.get(int(c.id or 0)))
            if n % MERGE_EVERY_CHUNKS == 0:
                # into arrays every ~50,000 rows: a cold start never holds every candidate's
                # profile object at once (1,000,000 of them took gigabytes)
                self.candidates.arrays()

    # -- snapshot -----------------------------------------------------------------------------
    def _snapshot_dirs(self) -> tuple[Path, Path] | None:
        root = str(getattr(self.settings, "index_dir", "") or "")
        if not root:
            return None
        return Path(root) / "candidates", Path(root) / "groups"

    def _database_token(self, session: Session) -> str | None:
        row = session.get(DatabaseInstance, 1)
        return row.token if row is not None else None

    def _load_snapshot(self) -> bool:
        """Fill the index from the snapshot of this database, if there is a usable one."""
        dirs = self._snapshot_dirs()
        if dirs is None or not (dirs[0] / "meta.json").exists():
            return False
        started = time.perf_counter()
        try:
            index, meta = CandidateIndex.load_snapshot(dirs[0], taxonomy=self.taxonomy)
            groups, group_meta = GroupTable.load(dirs[1])
        except (OSError, ValueError, KeyError) as exc:  # SnapshotMismatch is a ValueError
            log.warning("index snapshot in %s not used: %s", dirs[0].parent, exc)
            return False
        with self._refresh_lock, Session(self._reader) as session:
            token = self._database_token(session)
            newest = database_position(session)
        position = meta.get("change_seq")
        why = (
            "it was read from another database"
            if token is None or meta.get("database") != token
            else "its two parts were written at different times"
            if group_meta.get("snapshot") != meta.get("snapshot")
            else "it is newer than the database (a restored backup?)"
            if not isinstance(position, int) or position > int(newest)
            else None
        )
        if why is not None:
            log.warning("index snapshot in %s not used: %s", dirs[0].parent, why)
            return False
        with self._lock:
            self.candidates, self.groups = index, groups
        # vacancies are few: read them all; candidates from the snapshot's change number on
        self._feed = ChangeFeed(low={"candidate": int(position or 0), "vacancy": 0})
        self._since_snapshot, self._snapshot_at = 0, time.monotonic()
        log.info(
            "index snapshot loaded: %d candidates at change %d in %.2f s",
            len(index),
            position,
            time.perf_counter() - started,
        )
        return True

    def save_snapshot(self) -> bool:
        """Write the index as a snapshot of this database at its change number (False when
        snapshots are off or the database has no token)."""
        dirs = self._snapshot_dirs()
        if dirs is None:
            return False
        # no refresh in between: the change number must describe exactly what is written
        with self._refresh_lock:
            with Session(self._reader) as session:
                token = self._database_token(session)
            if token is None:
                return False
            meta = {
                "database": token,
                "change_seq": self.change_position,
                "snapshot": uuid.uuid4().hex,
            }
            self.candidates.save_snapshot(dirs[0], meta=meta)
            with self._lock:  # the group table's writes are made under this lock
                self.groups.save(dirs[1], meta=meta)
            self._since_snapshot, self._snapshot_at = 0, time.monotonic()
        return True

    @property
    def change_position(self) -> int:
        """The candidate change number up to which the index reflects the database."""
        return self._feed.low["candidate"]

    def _snapshot_due(self) -> bool:
        if self._snapshot_dirs() is None:
            return False
        enough = max(SNAPSHOT_AFTER_CHANGES, len(self.candidates) // 10)
        return (
            self._since_snapshot >= enough
            and time.monotonic() - self._snapshot_at >= SNAPSHOT_MIN_SECONDS
        )

    def _index_candidate(self, c: Candidate, audit_only: AuditOnly | None = None) -> None:
        assert c.id is not None
        profile = candidate_profile(c) if c.active else None
        groups = candidate_groups(c, audit_only) if c.active else None
        with self._lock:
            if profile is not None and groups is not None:
                self.candidates.upsert(profile)
                self.groups.upsert(c.id, groups)
            else:
                self.candidates.remove(c.id)
                self.groups.remove(c.id)

    def _refresh_vacancies(self, session: Session, ids: list[int]) -> None:
        for chunk in in_chunks(ids, 900):
            for v in session.exec(select(Vacancy).where(col(Vacancy.id).in_(chunk))):
                self._index_vacancy(v)

    def _index_vacancy(self, v: Vacancy) -> None:
        assert v.id is not None
        profile = vacancy_profile(v) if v.status == VacancyStatus.open else None
        with self._lock:
            if profile is not None:
                self.vacancies.upsert(profile)
            else:
                self.vacancies.remove(v.id)

    def _refresh_model(self, session: Session) -> None:
        newest = session.exec(
            select(ModelVersion)
            .where(ModelVersion.accepted == True)  # noqa: E712
            .order_by(col(ModelVersion.created_at).desc(), col(ModelVersion.id).desc())
        ).first()
        if newest is None or newest.version in (self.model_version, self._failed_version):
            return
        try:
            ranker = load_ranker(Path(newest.path or ""), sha256=newest.sha256)
        except Exception as exc:  # a bad file never replaces a working model
            self.load_error = f"model {newest.version}: {exc}"
            self._failed_version = newest.version  # tried once; no error every second
            log.error("not loading %s", self.load_error)
            return
        with self._lock:
            self.scorer, self.model_version, self.load_error = ranker, newest.version, None
        log.info("serving ranker %s", newest.version)

    def notify_candidate_changed(self, candidate_id: int) -> None:
        """Re-index one candidate now (called after a write in this process)."""
        with self._refresh_lock, Session(self._reader) as session:
            c = session.get(Candidate, candidate_id)
            if c is None:
                with self._lock:
                    self.candidates.remove(candidate_id)
                    self.groups.remove(candidate_id)
            else:
                audit_only = audit_only_attributes(session, [candidate_id])
                self._index_candidate(c, audit_only.get(candidate_id))

    def notify_vacancy_changed(self, vacancy_id: int) -> None:
        """Re-index one vacancy now (called after a write in this process)."""
        with self._refresh_lock, Session(self._reader) as session:
            v = session.get(Vacancy, vacancy_id)
            if v is None:
                with self._lock:
                    self.vacancies.remove(vacancy_id)
            else:
                self._index_vacancy(v)

    def notify_model_changed(self) -> None:
        """Load the newest accepted model now."""
        with self._refresh_lock, Session(self._reader) as session:
            self._refresh_model(session)

    # -- queries ------------------------------------------------------------------------------
    @property
    def version_label(self) -> str:
        return self.model_version or BASELINE

    def visible_candidate_ids(self, user: User | None) -> list[int] | None:
        """Which candidates the asking user may see in a shortlist (None: everyone)."""
        if user is None or user.role == Role.admin:
            return None
        if user.role in (Role.coach, Role.sr_officer):
            cands, alive = self.candidates.arrays()
            mine = alive & (cands.municipality_id == (user.municipality_id or -2))
            return [int(i) for i in cands.ids[mine]]
        return []  # contractors get anonymised proposals, never shortlists

    def visible_scope(self, user: User | None) -> tuple[list[int] | None, int | None]:
        """``visible_candidate_ids`` as the matcher filters it cheapest: (candidate ids, None)
        or, for a municipality's coaches and SR officers, (None, their municipality id): one
        column compare in the index instead of a list of every candidate's id."""
        if user is not None and user.role in (Role.coach, Role.sr_officer):
            return None, (user.municipality_id if user.municipality_id is not None else -2)
        return self.visible_candidate_ids(user), None

    def shortlists(
        self,
        session: Session,
        *,
        vacancies: list[Vacancy],
        top: int,
        user: User | None,
        explain_excluded: bool = False,
        lang: str = "nl",
        only_mine: bool = False,
        as_of: date | None = None,
        log_it: bool = True,
    ) -> list[ShortlistPublic]:
        """Shortlists for these vacancies as the user may see them; logged when ``log_it`` (the
        log rows are written in ``session``'s transaction: the caller commits them with its unit
        of work)."""
        excluded = excluded_for_vacancies(session, [v.id for v in vacancies if v.id is not None])
        profiles = [
            vacancy_profile(v, excluded_candidate_ids=frozenset(excluded.get(v.id or 0, ())))
            for v in vacancies
        ]
        visible, municipality = self.visible_scope(user)
        coach_id = user.id if only_mine and user is not None and user.role == Role.coach else None
        with self._lock:
            scorer, version = self.scorer, self.version_label
        results = shortlist_many(
            self.candidates,
            profiles,
            scorer=scorer,
            top=top,
            explain_excluded=explain_excluded,
            taxonomy=self.taxonomy,
            lang=lang,
            candidate_ids=visible,
            coach_id=coach_id,
            as_of=as_of,
            municipality_id=municipality,
        )
        out = [_public(v, r, version) for v, r in zip(vacancies, results, strict=True)]
        if log_it:
            today = as_of or date.today()
            rows = []
            for v, r in zip(vacancies, results, strict=True):
                assert v.id is not None
                with self._lock:
                    counts = {
                        "eligible": self.groups.count(r.eligible_ids, as_of=today),
                        "top": self.groups.count(
                            [e.candidate_id for e in r.entries[:TOP_K]], as_of=today
                        ),
                    }
                rows.append(
                    {
                        "at": utcnow(),
                        "user_id": user.id if user is not None else None,
                        "vacancy_id": v.id,
                        "model_version": version,
                        "entries": [[e.candidate_id, e.rank, round(e.score, 4)] for e in r.entries],
                        "n_eligible": r.n_eligible,
                        "n_considered": r.n_considered,
                        "group_counts": counts,
                    }
                )
            # one multi-row INSERT in the caller's transaction (committed with its unit of
            # work), not an ORM object per vacancy flushed at commit
            if rows:
                session.connection().execute(insert(ShortlistLog), rows)
        return out

    def shortlist(
        self,
        session: Session,
        *,
        vacancy: Vacancy,
        top: int,
        coach: User | None,
        explain_excluded: bool = False,
        lang: str = "nl",
        only_mine: bool = False,
    ) -> ShortlistPublic:
        """The shortlist for one vacancy (see ``shortlists``)."""
        return self.shortlists(
            session,
            vacancies=[vacancy],
            top=top,
            user=coach,
            explain_excluded=explain_excluded,
            lang=lang,
            only_mine=only_mine,
        )[0]

    def explain_pair(
        self, *, vacancy: Vacancy, candidate: Candidate, lang: str = "nl"
    ) -> ShortlistResult:
        """One candidate against one vacancy by the same rules and scorer as the shortlist:
        its entry (score, reasons, missing skills) when eligible, else the rules it fails."""
        assert candidate.id is not None
        with self._lock:
            scorer = self.scorer
        return shortlist_many(
            self.candidates,
            [vacancy_profile(vacancy)],
            scorer=scorer,
            top=1,
            explain_excluded=True,
            taxonomy=self.taxonomy,
            lang=lang,
            candidate_ids=[candidate.id],
        )[0]

    def vacancies_for(
        self,
        session: Session,
        *,
        candidate: Candidate,
        top: int,
        lang: str = "nl",
        vacancy_ids: Iterable[int] | None = None,
    ) -> VacancyMatchesPublic:
        """The best open vacancies for one candidate, leaving out those already in progress
        (and, with ``vacancy_ids``, any vacancy not among them)."""
        assert candidate.id is not None
        busy = set(
            session.exec(
                select(Referral.vacancy_id).where(
                    Referral.candidate_id == candidate.id,
                    col(Referral.status).not_in(FINAL_STATUSES),
                )
            ).all()
        ) | set(
            session.exec(
                select(Placement.vacancy_id).where(Placement.candidate_id == candidate.id)
            ).all()
        )
        with self._lock:
            scorer, version = self.scorer, self.version_label
        result = vacancies_for_candidate(
            self.vacancies,
            candidate_profile(candidate),
            scorer=scorer,
            top=min(500, top + len(busy)),
            taxonomy=self.taxonomy,
            lang=lang,
            vacancy_ids=vacancy_ids,
        )
        # the index holds stored-open vacancies; one whose contract has ended is closed on read
        shown = [e.vacancy_id for e in result.entries if e.vacancy_id not in busy]
        if shown:
            rows = session.exec(select(Vacancy).where(col(Vacancy.id).in_(shown))).all()
            busy |= {i for i, s in lifecycle.states(session, rows).items() if not s.is_open}
        entries = [e for e in result.entries if e.vacancy_id not in busy][:top]
        titles = (
            {
                v.id: v.title
                for v in session.exec(
                    select(Vacancy).where(col(Vacancy.id).in_([e.vacancy_id for e in entries]))
                )
            }
            if entries
            else {}
        )
        return VacancyMatchesPublic(
            candidate_id=candidate.id,
            model_version=version,
            entries=[
                VacancyMatchPublic.model_validate(
                    {**e.as_json(), "title": titles.get(e.vacancy_id, ""), "rank": i}
                )
                for i, e in enumerate(entries, start=1)
            ],
        )


def excluded_for_vacancies(session: Session, vacancy_ids: list[int]) -> dict[int, set[int]]:
    """Per vacancy: candidates with an open referral or a placement on it, and anyone in a
    running placement anywhere (they are at work), who therefore never appear on its shortlist.
    One statement (a UNION of the three), so a shortlist pays one round trip for it."""
    out: dict[int, set[int]] = {vid: set() for vid in vacancy_ids}
    if not vacancy_ids:
        return out
    today = date.today()
    working: set[int] = set()
    for n, chunk in enumerate(in_chunks(vacancy_ids, 900)):
        parts = [
            select(Referral.vacancy_id, Referral.candidate_id).where(
                col(Referral.vacancy_id).in_(chunk), col(Referral.status).not_in(FINAL_STATUSES)
            ),
            select(Placement.vacancy_id, Placement.candidate_id).where(
                col(Placement.vacancy_id).in_(chunk)
            ),
        ]
        if n == 0:  # at work anywhere: vacancy id -1
            parts.append(
                select(literal(-1).label("vacancy_id"), Placement.candidate_id).where(
                    Placement.start_date <= today,
                    or_(col(Placement.end_date).is_(None), col(Placement.end_date) >= today),
                )
            )
        for vid, cid in session.execute(union_all(*parts)):
            if vid == -1:
                working.add(int(cid))
            else:
                out[int(vid)].add(int(cid))
    for s in out.values():
        s |= working
    return out


def _public(v: Vacancy, r: ShortlistResult, version: str) -> ShortlistPublic:
    assert v.id is not None
    return ShortlistPublic(
        vacancy_id=v.id,
        vacancy_ref=v.ref,
        model_version=version,
        entries=[ShortlistEntryPublic.model_validate(e.as_json()) for e in r.entries],
        excluded=[ExcludedPublic.model_validate(x.as_json()) for x in r.excluded],
    )


def cli_shortlist(
    *,
    session: Session,
    engine: Engine,
    settings: Settings,
    vacancy_ref: str | None,
    all_open: bool,
    top: int,
    explain_excluded: bool,
    lang: str,
) -> dict[str, object]:
    """What ``srmatch shortlist`` prints: one shortlist, or one per open vacancy.

    The operator sees the candidates' references: audited in ``session``, which the caller
    commits (``models.db.session_scope``).
    """
    service = MatchingService(engine=engine, settings=settings).start(background=False)
    if all_open:
        vacancies = list(
            session.exec(select(Vacancy).where(lifecycle.open_clause()).order_by(col(Vacancy.ref)))
        )
    else:
        v = session.exec(select(Vacancy).where(Vacancy.ref == vacancy_ref)).first()
        if v is None:
            raise NotFoundError("vacancy", vacancy_ref)
        lifecycle.require_open(session, v, doing="shortlists")  # as the API and the pages
        vacancies = [v]
    results = service.shortlists(
        session,
        vacancies=vacancies,
        top=top,
        user=None,
        explain_excluded=explain_excluded,
        lang=lang,
        log_it=False,
    )
    for r in results:  # the operator saw these candidates' references
        record_many(
            session,
            user=None,
            action="candidate.shortlist",
            candidate_ids=[e.candidate_id for e in r.entries]
            + [x.candidate_id for x in r.excluded],
            request_id=None,
            object_type="vacancy",
            object_id=r.vacancy_id,
        )
    titles = {v.id: v.title for v in vacancies}
    return {
        "model_version": service.version_label,
        "shortlists": [
            {**r.model_dump(mode="json"), "title": titles[r.vacancy_id]} for r in results
        ],
    }


# --- use cases: what routes, pages and the CLI call ------------------------------------------


def build_index_snapshot(
    *, engine: Engine, settings: Settings, full: bool = False
) -> dict[str, object]:
    """Write the candidate index snapshot that servers and ``srmatch shortlist`` start from:
    from the current snapshot plus the changes since, or (``full``) from every row.

    FieldError when snapshots are off (``SRMATCH_INDEX_DIR`` empty)."""
    from api.services.errors import FieldError

    if not settings.index_dir:
        raise FieldError(
            "SRMATCH_INDEX_DIR", "", "set a directory for the index snapshot (default var/index)"
        )
    started = time.perf_counter()
    service = MatchingService(engine=engine, settings=settings)
    if full:
        service.refresh(full=True)
    else:
        service.start(background=False)
    read = time.perf_counter() - started
    service.save_snapshot()
    return {
        "directory": str(Path(settings.index_dir).resolve()),
        "candidates": len(service.candidates),
        "change_seq": service.change_position,
        "read_from": "database" if full else service.started_from,
        "read_seconds": round(read, 2),
        "write_seconds": round(time.perf_counter() - started - read, 2),
    }


def shortlist_for(
    *,
    session: Session,
    actor: User,
    vacancy_id: int,
    matching: MatchingService,
    top: int,
    explain_excluded: bool = False,
    lang: str = "nl",
    request_id: str | None = None,
) -> ShortlistPublic:
    """The best candidates of the actor's municipality for a vacancy they may see, with scores,
    reasons (split into for and against) and missing skills, whether a hire counts for SR and
    the SR value it would credit per year (and the excluded with why, when asked).

    NotFoundError for a vacancy out of reach. Writes the shortlist-log row (the matching
    success funnel counts from it) and one audit event per candidate shown or excluded.
    """
    from api.services.referrals import with_proposal_state  # builds on this module
    from api.services.sr_value import with_sr_values

    vac = get_vacancy_for(session=session, user=actor, vacancy_id=vacancy_id)
    lifecycle.require_open(session, vac, doing="shortlists")
    result = matching.shortlist(
        session, vacancy=vac, top=top, coach=actor, explain_excluded=explain_excluded, lang=lang
    )
    # what a hire of each entry would bring the contract (SR eligibility, value per year)
    result = with_sr_values(session, vacancy=vac, shortlist=result)
    # who holds each candidate and whether the actor can propose them (before trying)
    result = with_proposal_state(session=session, actor=actor, shortlist=result)
    record_many(
        session,
        user=actor,
        action="candidate.shortlist",
        candidate_ids=[e.candidate_id for e in result.entries]
        + [x.candidate_id for x in result.excluded],
        request_id=request_id,
        object_type="vacancy",
        object_id=vac.id,
    )
    return result


def vacancies_in_reach(session: Session, actor: User) -> list[int]:
    """The open vacancies the actor can act on: those of the actor's municipality or of its
    contracts (``api.services.access.vacancy_scope``)."""

    return [
        int(i)
        for i in session.exec(
            select(Vacancy.id).where(vacancy_scope(actor), Vacancy.status == VacancyStatus.open)
        ).all()
        if i is not None
    ]


def candidate_matches(
    *,
    session: Session,
    actor: User,
    candidate_id: int,
    matching: MatchingService,
    top: int,
    lang: str = "nl",
    request_id: str | None = None,
) -> VacancyMatchesPublic:
    """The best open vacancies for one candidate of the actor's municipality, each score with
    its reasons, leaving out those already in progress and those the actor cannot act on
    (outside ``vacancies_in_reach``); NotFoundError for a candidate out of reach; audited."""

    cand = get_candidate_for(session=session, user=actor, candidate_id=candidate_id)
    result = matching.vacancies_for(
        session,
        candidate=cand,
        top=top,
        lang=lang,
        vacancy_ids=vacancies_in_reach(session, actor),
    )
    record(
        session,
        user=actor,
        action="candidate.match",
        candidate_id=cand.id,
        request_id=request_id,
        detail=f"top {top}",
    )
    from api.services.referrals import with_candidate_proposal_state  # builds on this module

    # whether the coach can propose this candidate at all (holder, consent), before trying
    return with_candidate_proposal_state(session=session, actor=actor, matches=result)
