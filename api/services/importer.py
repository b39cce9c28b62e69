"""Import data-contract files (CSV/XLSX) into the database: the engine behind
``api.services.files.import_file``, which every route and the CLI call.

Three steps:

1. the file layer (``matcher.interchange``) reads and type-checks every row;
2. each row is resolved against the database (contract_ref, coach, candidate_ref, ...) and its
   profile normalised, in memory, collecting a row error for anything wrong;
3. only then are the rows written, in bulk, inside a SAVEPOINT of the caller's transaction.

Nothing here commits: the caller's unit of work does (a request, or the CLI's
``session_scope``), so the audit event of the import lands in the same transaction.

By default a file with any invalid row changes nothing; ``partial=True`` writes the valid rows
and reports the rest. Rows are upserted on each kind's key, so re-importing the same file
changes nothing (they count as ``unchanged``).
"""

from __future__ import annotations

import gc
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, PrivateAttr
from sqlalchemy import String, any_, bindparam, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from api.services import audit_attributes, lifecycle
from api.services.audit_attributes import AUDIT_ONLY_FIELDS, AuditOnly
from api.services.contracts import apply_contract_update, find_or_create_contractor
from api.services.disclosure import (
    counts_for_contract,
    proposal_distance_km,
    withdraw_candidate_consent,
)
from api.services.errors import ConflictError, FieldError, ForbiddenError
from api.services.import_rules import (
    check_candidate_holder,
    check_coach_active,
    check_pair,
    check_vacancy_scope,
    own_contract_ids,
    validate_contract,
    validate_outcome,
    validate_placement,
    validate_vacancy,
    visible_vacancy_ids,
)
from api.services.import_slices import Problem, candidate_slices, raise_problem
from api.services.profiles import (
    CANDIDATE_RAW,
    VACANCY_RAW,
    vacancy_norm_fields,
)
from matcher import interchange
from matcher.normalize import Match, get_normalizer
from matcher.sr import available_tables
from matcher.vocab import DEFAULT_SR_TABLE, OUTCOME_STATUSES, SR_BENEFITS
from models import (
    Candidate,
    Contract,
    Contractor,
    Municipality,
    Placement,
    Referral,
    ReferralConsent,
    ReferralEvent,
    Role,
    User,
    Vacancy,
)
from models.base import utcnow
from models.db import describe_conflict, in_chunks, insert_many, next_ids


class RowErrorPublic(BaseModel):
    row: int
    column: str
    value: str
    reason: str


class ProblemPublic(BaseModel):
    """One distinct problem of a file: how many rows have it, which, and what to do."""

    column: str
    reason: str
    #: the value every row shares; empty when the rows differ (see ``examples``)
    value: str = ""
    examples: list[str] = []
    count: int
    #: the rows as ranges: ``2-3001, 3005``
    rows: str
    hint: str | None = None
    #: the whole problem in one line, as the command line prints it
    message: str


class ImportReport(BaseModel):
    """What an import did: counts, one line per distinct problem (``problems``) and the first
    row errors (``errors``, at most ``MAX_ROW_ERRORS`` of ``error_count``) for a row report."""

    kind: str
    filename: str
    #: the rows were written (in the caller's transaction, which commits them)
    committed: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowErrorPublic] = []
    warnings: list[str] = []
    unknown_columns: list[str] = []
    problems: list[ProblemPublic] = []
    error_count: int = 0
    #: row -> candidate reference of the file's readable rows (for the audit trail; not shown)
    _candidate_rows: dict[int, str] = PrivateAttr(default_factory=dict)
    #: candidate reference -> id, for the candidates the import found or wrote with an id it
    #: knew (new ones' ids are drawn ahead from PostgreSQL's sequence; SQLite assigns them)
    _candidate_ids: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def counts(self) -> str:
        """The counts in one line."""
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


class ImportRefused(ForbiddenError):
    """The actor may not import this kind (403)."""


ALLOWED_KINDS: dict[Role | None, frozenset[str]] = {
    None: frozenset(interchange.KINDS),
    Role.admin: frozenset(interchange.KINDS),
    Role.sr_officer: frozenset(interchange.KINDS),
    Role.coach: frozenset({"candidates", "outcomes"}),
    Role.contractor: frozenset({"vacancies"}),
}


@dataclass
class _Writes:
    """Rows to write once every row has been checked: inserts and updates per table."""

    inserts: dict[type[SQLModel], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    updates: dict[type[SQLModel], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def flush(self, session: Session) -> None:
        for model, rows in self.inserts.items():
            insert_many(session, model.__table__, rows)  # type: ignore[attr-defined]
        for model, rows in self.updates.items():
            for chunk in in_chunks(rows, 500):
                session.execute(update(model), chunk)  # type: ignore[arg-type]
        self.clear()

    def clear(self) -> None:
        self.inserts.clear()
        self.updates.clear()


@dataclass
class _Ctx:
    session: Session
    actor: User | None
    report: ImportReport
    writes: _Writes = field(default_factory=_Writes)
    municipalities: dict[str, int] = field(default_factory=dict)
    bar: Any = None  # a tqdm progress bar on a terminal, else None
    #: referrals that got a new event: their current status is settled after the writes
    touched_referrals: set[int] = field(default_factory=set)
    #: vacancies a file of hires touched: those whose positions are all taken are closed after
    hired_vacancies: set[int] = field(default_factory=set)
    #: candidates whose file row withdraws their consent to share data (consent_share false)
    stopped_sharing: list[int] = field(default_factory=list)
    #: the file's columns (after Dutch headers are read as their English names)
    columns: frozenset[str] = frozenset()
    #: candidate ref -> (birth year, gender) of a file that carries either column: kept apart
    #: from the profile (models.audit_attributes), written after the candidates
    audit_only: dict[str, AuditOnly] = field(default_factory=dict)

    def error(self, row: int, column: str, value: object, reason: str) -> None:
        self.report.errors.append(
            RowErrorPublic(row=row, column=column, value=_show(value), reason=reason)
        )

    def row(self, row: int, fn: Callable[[], None]) -> None:
        """Check one row; a FieldError becomes that row's error."""
        try:
            fn()
        except FieldError as exc:
            self.error(row, exc.field, exc.value, exc.message)
        if self.bar is not None:
            self.bar.update(1)

    def count(self, *, created: bool = False, changed: bool = False) -> None:
        if created:
            self.report.created += 1
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    @property
    def scoped_municipality(self) -> int | None:
        """The municipality a non-admin actor is confined to (None: no confinement)."""
        a = self.actor
        return None if a is None or a.role == Role.admin else a.municipality_id


def _show(value: object) -> str:
    """A value for an error report: never more than a short prefix of it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return interchange.shown(";".join(str(v) for v in value))
    return interchange.shown(str(value))


def import_file(
    session: Session,
    *,
    kind: str,
    data: bytes,
    filename: str,
    actor: User | None,
    partial: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Import one file of ``kind``; all-or-nothing unless ``partial`` (see module docstring).

    ``actor`` None means the command line run by an operator (every kind, any municipality).
    """
    if kind not in interchange.KINDS:
        raise FieldError("kind", kind, f"{kind!r} is not one of: {', '.join(interchange.KINDS)}")
    role = Role(actor.role) if actor is not None else None
    if kind not in ALLOWED_KINDS[role]:
        raise ImportRefused(f"a {role} may not import {kind}")
    raw = interchange.read_table(data, filename)
    report = ImportReport(kind=kind, filename=filename, committed=False, rows=len(raw.rows))
    ctx = _Ctx(session=session, actor=actor, report=report, columns=frozenset(raw.columns))
    parse_errors: list[interchange.RowError] = []
    missing: list[str] = []
    # every data row ticks once: checked, or refused by the file layer (unreadable ones too)
    ctx.bar = _progress_bar(
        len(raw.rows) + len({e.row for e in raw.errors}), kind, enabled=progress
    )
    # candidates stream: each slice of rows is parsed, checked and written before the next is
    # read, so memory stays that of one slice; the other kinds check rows against each other
    # (positions, referrals) and are handled whole, as files of them are small
    streamed = kind in _STREAMED
    held: list[dict[str, Any]] = []
    # a SAVEPOINT makes the file all-or-nothing inside the caller's unit of work, which commits
    savepoint = session.begin_nested()
    # the file's cells live until their slice is parsed: out of the cyclic collector's sight,
    # so collections during the import do not walk a million rows each time
    gc.freeze()
    try:
        slices: Iterator[tuple[interchange.ParseResult, list[Any] | None]] = (
            ((s.parsed, s.prepared) for s in candidate_slices(raw, size=_SLICE_ROWS))
            if streamed
            else ((p, None) for p in interchange.parse_slices(kind, raw, _SLICE_ROWS))
        )
        for parsed, prepared in slices:
            if not report.unknown_columns and parsed.unknown_columns:
                report.unknown_columns = list(parsed.unknown_columns)
                report.warnings.append(
                    "unknown columns ignored: " + ", ".join(parsed.unknown_columns)
                )
            report._candidate_rows.update(
                (int(str(r["_row"])), str(r["candidate_ref"]))
                for r in parsed.records
                if r.get("candidate_ref")
            )
            parse_errors += parsed.errors
            if parsed.missing_columns:
                missing = parsed.missing_columns
                break
            records = parsed.records  # the rows that parsed (the others are in its errors)
            if ctx.bar is not None:  # rows that failed to parse are done too
                ctx.bar.update(len({e.row for e in parsed.errors if e.row > 1}))
            if prepared is None:
                held += records
                continue
            with session.no_autoflush:
                _import_candidates(ctx, records, prepared)
            if (parse_errors or report.errors) and not partial:
                ctx.writes.clear()  # nothing of the file will be written: check the rest only
            else:
                _flush(ctx)
        if not missing:  # the slices' errors in row order, as one parse_table gives them
            parse_errors.sort(key=lambda e: e.row)
        report.errors[:0] = [
            RowErrorPublic(row=e.row, column=e.column, value=_show(e.value), reason=e.reason)
            for e in parse_errors
        ]
        if missing:  # no row was checked
            savepoint.rollback()
            return report
        if not streamed:
            with session.no_autoflush:
                _HANDLERS[kind](ctx, held)
        if report.errors and not partial:
            savepoint.rollback()
            report.created = report.updated = report.unchanged = 0
            return report
        _flush(ctx)
        if ctx.audit_only:
            _store_audit_only(ctx)
        if kind == "outcomes":
            _settle_referral_status(ctx)
        for cand_id in ctx.stopped_sharing:  # hidden from contractors at once, audited
            cand = session.get(Candidate, cand_id)
            assert cand is not None
            withdraw_candidate_consent(
                session=session, actor=actor, candidate=cand, request_id=None
            )
        if ctx.hired_vacancies:
            lifecycle.close_filled(session, ctx.hired_vacancies)
        report.skipped = len({e.row for e in report.errors})
        savepoint.commit()
        report.committed = True
        return report
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    finally:
        gc.unfreeze()
        if ctx.bar is not None:
            ctx.bar.close()


#: kinds whose rows are checked and written a slice at a time (``import_slices``)
_STREAMED = frozenset({"candidates"})
_SLICE_ROWS = 20_000


def _flush(ctx: _Ctx) -> None:
    """Write what the checked rows collected; a clash with another writer is a conflict."""
    try:
        ctx.writes.flush(ctx.session)
    except (IntegrityError, StaleDataError) as exc:  # another writer got there first
        raise ConflictError(
            "another import or edit changed the same rows at the same moment; nothing of "
            f"this file was stored: import it again. {describe_conflict(exc)}"
        ) from exc


def _progress_bar(total: int, kind: str, *, enabled: bool) -> Any:
    """A progress bar on stderr when it is a terminal and the file is long; quiet when piped."""
    if not enabled or total < 200 or not sys.stderr.isatty():
        return None
    import shutil

    from tqdm import tqdm

    # a terminal that reports no width (0 columns) would get an empty bar
    width = shutil.get_terminal_size((80, 24)).columns or 80
    return tqdm(
        total=total, desc=f"import {kind}", unit="row", file=sys.stderr, leave=False, ncols=width
    )


# -- lookups --------------------------------------------------------------------------------


def _ref_filters(session: Session, column: Any, refs: Iterable[str]) -> Iterator[Any]:
    """WHERE clauses that together select the rows whose ``column`` is one of ``refs``."""
    wanted = sorted(set(refs))
    if session.connection().dialect.name == "postgresql":
        # the references as one array, one statement per slice: a streamed import looks up
        # each slice after writing the ones before, and a statement run in 500-reference
        # batches is prepared (and planned once, as a scan) while the table is still empty
        for chunk in in_chunks(wanted, _SLICE_ROWS):
            yield column == any_(bindparam("refs", list(chunk), type_=ARRAY(String)))
        return
    for chunk in in_chunks(wanted, 500):
        yield column.in_(chunk)


def _by_ref(session: Session, model: Any, refs: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for where in _ref_filters(session, col(model.ref), refs):
        for obj in session.exec(select(model).where(where)):
            out[obj.ref] = obj
    return out


def ids_by_ref(session: Session, model: Any, refs: Iterable[str]) -> dict[str, int]:
    """The ids of the rows of ``model`` with these references (unknown ones left out)."""
    out: dict[str, int] = {}
    for where in _ref_filters(session, col(model.ref), refs):
        for ref, row_id in session.exec(select(model.ref, model.id).where(where)):
            out[ref] = int(row_id)
    return out


def imported_candidate_ids(
    session: Session, report: ImportReport, refs: Iterable[str]
) -> dict[str, int]:
    """The ids of an import's candidates with these references: those the import knew, the
    rest (new ones on SQLite) looked up. A 1,000,000-row import looked up every id afterwards
    for its audit events: 8.2 s."""
    known = report._candidate_ids
    out: dict[str, int] = {}
    missing: list[str] = []
    for ref in refs:
        if ref in known:
            out[ref] = known[ref]
        else:
            missing.append(ref)
    if missing:
        out.update(ids_by_ref(session, Candidate, missing))
    return out


#: what a candidates row is compared with and checked against (not the normalised fields)
_STORED_CANDIDATE = (
    "id",
    "ref",
    "version",
    "municipality_id",
    "coach_id",
    *CANDIDATE_RAW,
)


def _stored_candidates(session: Session, refs: Iterable[str]) -> dict[str, Any]:
    """The stored candidates with these references, as rows of the columns a file row is
    compared with (attributes like a Candidate's): loading whole ORM objects was 43% of
    re-importing an unchanged 100,000-row file."""
    table = Candidate.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _STORED_CANDIDATE]
    out: dict[str, Any] = {}
    for where in _ref_filters(session, table.c.ref, refs):
        for row in session.execute(select(*columns).where(where)):
            out[row.ref] = row
    return out


def _municipality(ctx: _Ctx, name: str | None) -> int | None:
    """The municipality a row belongs to: the actor's, or (for operators) the one named."""
    own = ctx.scoped_municipality
    session = ctx.session
    if name and name in ctx.municipalities:
        m_id = ctx.municipalities[name]
        if own is not None and m_id != own:
            raise FieldError("municipality", name, "you may only import into your own municipality")
        return m_id if own is None else own
    if own is not None:
        if name:
            m = session.exec(select(Municipality).where(Municipality.name == name)).first()
            if m is None or m.id != own:
                raise FieldError(
                    "municipality", name, "you may only import into your own municipality"
                )
        return own
    if not name:
        return None
    m = session.exec(select(Municipality).where(Municipality.name == name)).first()
    if m is None:  # an operator loading a new municipality's data
        m = Municipality(name=name)
        session.add(m)
        session.flush()
    assert m.id is not None
    ctx.municipalities[name] = m.id
    return m.id


def _contractor(ctx: _Ctx, name_or_kvk: str) -> Contractor:
    """The one find-or-create rule for "contractor name (or KvK number)" (services.contracts)."""
    return find_or_create_contractor(session=ctx.session, actor=ctx.actor, name_or_kvk=name_or_kvk)


def _changed(obj: Any, values: Mapping[str, Any]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


def _stamp(values: dict[str, Any], *, new: bool) -> dict[str, Any]:
    now = utcnow()
    values["updated_at"] = now
    if new:
        values["created_at"] = now
    return values


# -- candidates -----------------------------------------------------------------------------


def _import_candidates(
    ctx: _Ctx, records: list[dict[str, Any]], prepared: list[dict[str, Any] | Problem]
) -> None:
    """Check typed candidate rows against the database and collect their writes; ``prepared``
    holds each row's database-free checks and normalised fields (``import_slices``)."""
    session = ctx.session
    existing = _stored_candidates(session, (r["candidate_ref"] for r in records))
    coaches = {u.username: u for u in session.exec(select(User).where(User.role == Role.coach))}
    actor = ctx.actor
    # birth year and gender are kept apart from the profile; a file without either column
    # leaves what is held as it is (a coach's export has no such columns)
    carries_audit_only = not ctx.columns.isdisjoint(AUDIT_ONLY_FIELDS)
    held_audit_only = (
        audit_attributes.read_many(session, [c.id for c in existing.values() if c.id])
        if carries_audit_only
        else {}
    )
    for rec, ready in zip(records, prepared, strict=True):

        def check(rec: dict[str, Any] = rec, ready: dict[str, Any] | Problem = ready) -> None:
            values: dict[str, Any] = {k: rec.get(k) for k in CANDIDATE_RAW}
            audit_only: AuditOnly = (rec.get("birth_year"), rec.get("gender") or None)
            muni = _municipality(ctx, rec.get("municipality"))
            coach_id = None
            if rec.get("coach"):
                coach = coaches.get(rec["coach"])
                if coach is None:
                    raise FieldError("coach", rec["coach"], "is not the user name of a coach")
                if muni is not None and coach.municipality_id != muni:
                    raise FieldError("coach", rec["coach"], "works for another municipality")
                coach_id, muni = coach.id, coach.municipality_id
            elif actor is not None and actor.role == Role.coach:
                coach_id = actor.id
            if muni is None:
                raise FieldError(
                    "municipality", "", "required: the municipality that holds the client"
                )
            check_coach_active(rec, coaches.get(rec.get("coach") or ""))
            values["coach_id"], values["municipality_id"] = coach_id, muni
            cand = existing.get(rec["candidate_ref"])
            if cand is not None:
                ctx.report._candidate_ids[rec["candidate_ref"]] = int(cand.id or 0)
                own = ctx.scoped_municipality
                if own is not None and cand.municipality_id != own:
                    raise FieldError(
                        "candidate_ref", rec["candidate_ref"], "belongs to another municipality"
                    )
                check_candidate_holder(actor, rec, cand)
                audit_only_changed = carries_audit_only and audit_only != held_audit_only.get(
                    int(cand.id or 0), audit_attributes.NOT_RECORDED
                )
                if not _changed(cand, values) and not audit_only_changed:
                    ctx.count()
                    return
            if isinstance(ready, tuple):  # the schema or the normaliser refused the row
                raise_problem(ready)
            assert isinstance(ready, dict)
            if carries_audit_only:
                ctx.audit_only[rec["candidate_ref"]] = audit_only
            values.update(ready)
            if cand is None:
                values["ref"] = rec["candidate_ref"]
                ctx.writes.inserts[Candidate].append(_stamp(values, new=True))
                ctx.count(created=True)
            else:
                values["id"], values["version"] = cand.id, cand.version  # optimistic lock
                ctx.writes.updates[Candidate].append(_stamp(values, new=False))
                ctx.count(changed=True)
                if cand.consent_share and not values.get("consent_share", True):
                    ctx.stopped_sharing.append(int(cand.id))

        ctx.row(rec["_row"], check)
    # the new candidates' ids, drawn ahead so the audit needs no look-up of them afterwards
    new = ctx.writes.inserts.get(Candidate, [])
    ids = next_ids(session, Candidate.__table__, len(new))  # type: ignore[attr-defined]
    for row, cid in zip(new, ids or (), strict=False):
        row["id"] = cid
        ctx.report._candidate_ids[row["ref"]] = cid


def _store_audit_only(ctx: _Ctx) -> None:
    """Birth year and gender of the file's candidates, written once the candidates are (new
    ones have their ids now), in batches, in the import's transaction."""
    ids = imported_candidate_ids(ctx.session, ctx.report, sorted(ctx.audit_only))
    audit_attributes.store_many(
        ctx.session, {ids[ref]: values for ref, values in ctx.audit_only.items() if ref in ids}
    )


# -- contracts ------------------------------------------------------------------------------


def _euro_cents(value: Any) -> int:
    return int((Decimal(str(value)) * 100).quantize(Decimal(1)))


def _import_contracts(ctx: _Ctx, records: list[dict[str, Any]]) -> None:
    tables = {t.name for t in available_tables()}
    existing = _by_ref(ctx.session, Contract, (r["contract_ref"] for r in records))
    for rec in records:

        def check(rec: dict[str, Any] = rec) -> None:
            table = rec.get("sr_table") or DEFAULT_SR_TABLE
            if table not in tables:
                allowed = ", ".join(sorted(tables))
                raise FieldError("sr_table", table, f"{table!r} is not one of: {allowed}")
            start, end = rec.get("start_date"), rec.get("end_date")
            if start and end and end < start:
                raise FieldError("end_date", end, f"must not be before start_date {start}")
            contract = existing.get(rec["contract_ref"])
            own = ctx.scoped_municipality
            if contract is not None and own is not None and contract.municipality_id != own:
                raise FieldError(
                    "contract_ref", rec["contract_ref"], "belongs to another municipality"
                )
            values = {
                "municipality_id": _municipality(ctx, rec.get("municipality")),
                "title": rec.get("title"),
                "category": rec.get("category"),
                "value_cents": _euro_cents(rec["value_eur"]),
                "sr_percentage": float(rec.get("sr_percentage") or 5.0),
                "start_date": start,
                "end_date": end,
                "sr_table": table,
            }
            validate_contract(rec, values)
            values["contractor_id"] = _contractor(ctx, rec["contractor"]).id
            if contract is None:
                values["ref"] = rec["contract_ref"]
                ctx.writes.inserts[Contract].append(_stamp(values, new=True))
                ctx.count(created=True)
            elif apply_contract_update(
                session=ctx.session,
                actor=ctx.actor,
                contract=contract,
                changes=values,
                request_id=None,
                source=f"file {ctx.report.filename}",
            ):  # the one update path of contracts: validated and audited like the form's
                ctx.count(changed=True)
            else:
                ctx.count()

        ctx.row(rec["_row"], check)


# -- vacancies ------------------------------------------------------------------------------


def _vacancy_matches(records: list[dict[str, Any]]) -> dict[str, Match]:
    """Every distinct title and skill text of the file, normalised in two batches."""
    norm = get_normalizer()
    titles = sorted({r["title"] for r in records})
    skills = sorted(
        {s for r in records for s in (r["required_skills"] or []) + (r["optional_skills"] or [])}
    )
    out: dict[str, Match] = dict(zip(skills, norm.skills(skills), strict=True))
    out.update({"title:" + t: m for t, m in zip(titles, norm.titles(titles), strict=True)})
    return out


def _import_vacancies(ctx: _Ctx, records: list[dict[str, Any]]) -> None:
    session = ctx.session
    existing = _by_ref(session, Vacancy, (r["vacancy_ref"] for r in records))
    contracts = _by_ref(
        session, Contract, (r["contract_ref"] for r in records if r.get("contract_ref"))
    )
    matches = _vacancy_matches(records)
    own_contracts = own_contract_ids(session, ctx.actor)
    actor = ctx.actor
    for rec in records:

        def check(rec: dict[str, Any] = rec) -> None:
            contractor = _contractor(ctx, rec["contractor"])
            if (
                actor is not None
                and actor.role == Role.contractor
                and contractor.id != actor.contractor_id
            ):
                raise FieldError(
                    "contractor", rec["contractor"], "you may only import your own vacancies"
                )
            values: dict[str, Any] = {k: rec.get(k) for k in VACANCY_RAW}
            if sorted(values["eligible_benefits"] or []) == sorted(SR_BENEFITS):
                values["eligible_benefits"] = []  # the default: no restriction beyond SR
            contract = None
            if rec.get("contract_ref"):
                contract = contracts.get(rec["contract_ref"])
                if contract is None:
                    raise FieldError(
                        "contract_ref", rec["contract_ref"], "no contract with this reference"
                    )
                if contract.contractor_id != contractor.id:
                    raise FieldError(
                        "contract_ref",
                        rec["contract_ref"],
                        f"is not a contract of {rec['contractor']}",
                    )
            values["contractor_id"] = contractor.id
            values["contract_id"] = contract.id if contract else None
            check_vacancy_scope(
                actor, rec, contract, existing.get(rec["vacancy_ref"]), own_contracts
            )
            values["municipality_id"] = (
                contract.municipality_id if contract else (actor.municipality_id if actor else None)
            )
            stored = existing.get(rec["vacancy_ref"])
            # no status column keeps what is stored (a filled vacancy stays closed)
            values["status"] = rec.get("status") or (stored.status if stored else "open")
            if values["status"] == "closed" and stored is not None and stored.status == "closed":
                values["closed_reason"] = stored.closed_reason
                values["closed_on"] = stored.closed_on
            elif values["status"] == "closed":  # closed in the file: the contractor withdrew it
                values["closed_reason"], values["closed_on"] = "withdrawn", date.today()
            else:
                values["closed_reason"] = values["closed_on"] = None
            vac = existing.get(rec["vacancy_ref"])
            if vac is not None:
                if (
                    actor is not None
                    and actor.role == Role.contractor
                    and vac.contractor_id != actor.contractor_id
                ):
                    raise FieldError(
                        "vacancy_ref", rec["vacancy_ref"], "is another company's vacancy"
                    )
                own = ctx.scoped_municipality
                if (
                    own is not None
                    and actor is not None
                    and actor.role != Role.contractor
                    and vac.municipality_id != own
                ):
                    raise FieldError(
                        "vacancy_ref", rec["vacancy_ref"], "belongs to another municipality"
                    )
                if not _changed(vac, values):
                    ctx.count()
                    return
            validate_vacancy(rec, values)
            values.update(vacancy_norm_fields(values, matches=matches))
            if vac is None:
                values["ref"] = rec["vacancy_ref"]
                ctx.writes.inserts[Vacancy].append(_stamp(values, new=True))
                ctx.count(created=True)
            else:
                values["id"], values["version"] = vac.id, vac.version
                ctx.writes.updates[Vacancy].append(_stamp(values, new=False))
                ctx.count(changed=True)

        ctx.row(rec["_row"], check)


# -- outcomes and placements ------------------------------------------------------------------

_STATUS_ORDER = {s: i for i, s in enumerate(OUTCOME_STATUSES)}


def _pairs(
    ctx: _Ctx, records: list[dict[str, Any]]
) -> Callable[[Mapping[str, Any]], tuple[Candidate, Vacancy]]:
    cands = _by_ref(ctx.session, Candidate, (r["candidate_ref"] for r in records))
    vacs = _by_ref(ctx.session, Vacancy, (r["vacancy_ref"] for r in records))
    visible = visible_vacancy_ids(ctx.session, ctx.actor, (v.id for v in vacs.values()))

    def resolve(rec: Mapping[str, Any]) -> tuple[Candidate, Vacancy]:
        cand = cands.get(rec["candidate_ref"])
        if cand is None:
            raise FieldError(
                "candidate_ref", rec["candidate_ref"], "no candidate with this reference"
            )
        vac = vacs.get(rec["vacancy_ref"])
        if vac is None:
            raise FieldError("vacancy_ref", rec["vacancy_ref"], "no vacancy with this reference")
        own = ctx.scoped_municipality
        if own is not None and cand.municipality_id != own:
            raise FieldError(
                "candidate_ref", rec["candidate_ref"], "belongs to another municipality"
            )
        check_pair(ctx.actor, rec, cand, vac, visible)
        if ctx.report.kind == "outcomes":
            validate_outcome(rec)
        else:
            validate_placement(rec)
        return cand, vac

    return resolve


def _referrals_for(
    session: Session, candidate_ids: Iterable[int]
) -> dict[tuple[int, int], Referral]:
    out: dict[tuple[int, int], Referral] = {}
    for chunk in in_chunks(sorted(set(candidate_ids)), 500):
        for r in session.exec(select(Referral).where(col(Referral.candidate_id).in_(chunk))):
            out[(r.candidate_id, r.vacancy_id)] = r
    return out


def _ledger(ctx: _Ctx, records: list[dict[str, Any]]) -> lifecycle.PositionLedger:
    """The positions of the file's vacancies, so a hire beyond them is a row error."""
    vacs = _by_ref(ctx.session, Vacancy, (r["vacancy_ref"] for r in records))
    ctx.hired_vacancies.update(v.id for v in vacs.values() if v.id is not None)
    return lifecycle.PositionLedger(ctx.session, list(vacs.values()))


def _take_position(
    ledger: lifecycle.PositionLedger, rec: Mapping[str, Any], cand: Candidate, vac: Vacancy, on: Any
) -> None:
    """A hire row takes a position of its vacancy, or is refused naming status and reason."""
    why = ledger.refusal(vac, cand.id or 0, on)
    if why is not None:
        raise FieldError("vacancy_ref", rec["vacancy_ref"], why)


def _import_outcomes(ctx: _Ctx, records: list[dict[str, Any]]) -> None:
    session = ctx.session
    resolve = _pairs(ctx, records)
    ledger = _ledger(ctx, records)
    resolved: list[tuple[dict[str, Any], Candidate, Vacancy]] = []
    for rec in records:

        def check(rec: dict[str, Any] = rec) -> None:
            cand, vac = resolve(rec)
            _check_outcome_consent(rec, cand)
            if rec["status"] == "hired":
                _take_position(ledger, rec, cand, vac, rec["date"])
            resolved.append((rec, cand, vac))

        ctx.row(rec["_row"], check)
    referrals = _referrals_for(session, (c.id for _, c, _ in resolved if c.id is not None))
    resolved = _consented_hires_only(ctx, resolved, referrals)
    # new referrals first: their events need ids
    new_pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for rec, cand, vac in resolved:
        key = (cand.id or 0, vac.id or 0)
        if key not in referrals and key not in new_pairs:
            new_pairs[key] = _stamp(
                {"candidate_id": key[0], "vacancy_id": key[1], "status": rec["status"],
                 "status_date": rec["date"], "introduced_with_consent": False,
                 "counts_for_sr": counts_for_contract(cand, vac),
                 "distance_km": proposal_distance_km(cand, vac),
                 "proposed_by_id": ctx.actor.id if ctx.actor else None},
                new=True,
            )  # fmt: skip
    if new_pairs:
        for batch in in_chunks(list(new_pairs.values()), 500):
            session.execute(Referral.__table__.insert(), batch)  # type: ignore[attr-defined]
        referrals = _referrals_for(session, (k[0] for k in referrals | new_pairs))
    events: dict[tuple[int, str, Any, str], ReferralEvent] = {}
    ref_ids = [r.id for r in referrals.values()]
    for chunk in in_chunks(ref_ids, 500):
        for stored in session.exec(
            select(ReferralEvent).where(col(ReferralEvent.referral_id).in_(chunk))
        ):
            events[(stored.referral_id, stored.status, stored.date, stored.action)] = stored
    _record_file_consents(ctx, resolved, referrals)
    for rec, cand, vac in resolved:
        ref = referrals[(cand.id or 0, vac.id or 0)]
        assert ref.id is not None
        action = rec.get("action") or "status"
        known = events.get((ref.id, rec["status"], rec["date"], action))
        reason = rec.get("reason") or None
        if known is None:
            ctx.writes.inserts[ReferralEvent].append(
                {"referral_id": ref.id, "status": rec["status"], "date": rec["date"],
                 "reason": reason, "created_by_id": ctx.actor.id if ctx.actor else None,
                 "created_at": utcnow(), "action": action,
                 "reason_code": rec.get("reason_code") or None}
            )  # fmt: skip
            ctx.touched_referrals.add(ref.id)
            ctx.count(created=True)
        elif (known.reason or None) != reason:
            ctx.writes.updates[ReferralEvent].append({"id": known.id, "reason": reason})
            ctx.count(changed=True)
        else:
            ctx.count()


def _check_outcome_consent(rec: dict[str, Any], cand: Candidate) -> None:
    """The consent rules of the referral service, per row: no proposal of a candidate who does
    not share data; a consent only on an ``introduced`` row of a sharing candidate."""
    if rec["status"] == "proposed" and not cand.consent_share:
        raise FieldError(
            "candidate_ref",
            rec["candidate_ref"],
            "the candidate has not consented to share data with contractors (consent_share "
            "false): no contractor may see them, so they cannot be proposed",
        )
    if rec.get("consent"):
        if rec["status"] != "introduced" or (rec.get("action") or "status") != "status":
            raise FieldError("consent", rec["consent"], "belongs on an introduced row only")
        if not cand.consent_share:
            raise FieldError(
                "consent",
                rec["consent"],
                "the candidate does not share data with contractors (consent_share false)",
            )
    if rec.get("reason_code") and rec["status"] != "rejected":
        raise FieldError("reason_code", rec["reason_code"], "belongs on a rejected row only")


def _consented_hires_only(
    ctx: _Ctx,
    resolved: list[tuple[dict[str, Any], Candidate, Vacancy]],
    referrals: Mapping[tuple[int, int], Referral],
) -> list[tuple[dict[str, Any], Candidate, Vacancy]]:
    """Rows moving a referral to ``interviewed`` or ``hired`` need a consented introduction:
    a consent on the pair's introduced row in this file or one recorded before; the others
    become row errors (and are left out)."""
    consented = {(c.id, v.id) for rec, c, v in resolved if rec.get("consent")}
    known = [r.id for r in referrals.values() if r.id is not None]
    with_consent: set[int] = set()
    for chunk in in_chunks(known, 500):
        with_consent |= set(
            ctx.session.exec(
                select(ReferralConsent.referral_id).where(
                    col(ReferralConsent.referral_id).in_(chunk),
                    col(ReferralConsent.withdrawn_at).is_(None),
                )
            ).all()
        )
    consented |= {k for k, r in referrals.items() if r.id in with_consent}
    kept = []
    for rec, cand, vac in resolved:
        if rec["status"] in ("interviewed", "hired") and (cand.id, vac.id) not in consented:
            ctx.error(
                rec["_row"],
                "status",
                rec["status"],
                f"{'a hire' if rec['status'] == 'hired' else 'an interview'} needs a consented "
                "introduction first: give the pair's introduced row a consent "
                "(in_person, signed, phone)",
            )
            continue
        kept.append((rec, cand, vac))
    return kept


def _record_file_consents(
    ctx: _Ctx,
    resolved: list[tuple[dict[str, Any], Candidate, Vacancy]],
    referrals: Mapping[tuple[int, int], Referral],
) -> None:
    """A consent given on an introduced row becomes the referral's consent record (who: the
    importing user; when: the row's date), unless one is already in force."""
    wanted = {
        referrals[(c.id or 0, v.id or 0)].id: rec for rec, c, v in resolved if rec.get("consent")
    }
    have: set[int] = set()
    ids = sorted(i for i in wanted if i is not None)
    for chunk in in_chunks(ids, 500):
        have |= set(
            ctx.session.exec(
                select(ReferralConsent.referral_id).where(
                    col(ReferralConsent.referral_id).in_(chunk),
                    col(ReferralConsent.withdrawn_at).is_(None),
                )
            ).all()
        )
    for rid in ids:
        if rid in have:
            continue
        rec = wanted[rid]
        ctx.writes.inserts[ReferralConsent].append(
            {"referral_id": rid, "method": rec["consent"], "given_on": rec["date"],
             "recorded_by_id": ctx.actor.id if ctx.actor else None, "recorded_at": utcnow(),
             "withdrawn_at": None, "withdrawn_by_id": None, "withdrawn_reason": None}
        )  # fmt: skip
        ctx.touched_referrals.add(rid)


def _settle_referral_status(ctx: _Ctx) -> None:
    """The latest status change of each touched referral is its current status; a referral
    with a consent in force that reached ``introduced`` was introduced with consent."""
    touched = ctx.touched_referrals
    latest: dict[int, tuple[Any, int, str]] = {}
    reached: set[int] = set()  # referrals that were introduced at some point
    for chunk in in_chunks(sorted(touched), 500):
        for ev in ctx.session.exec(
            select(ReferralEvent).where(
                col(ReferralEvent.referral_id).in_(chunk), col(ReferralEvent.action) == "status"
            )
        ):
            k = (ev.date, _STATUS_ORDER[ev.status], ev.status)
            if ev.referral_id not in latest or k > latest[ev.referral_id]:
                latest[ev.referral_id] = k
            if ev.status in ("introduced", "interviewed", "hired"):
                reached.add(ev.referral_id)
    # the version each referral has now: the update is optimistically locked (it bumps it)
    versions: dict[int, int] = {}
    for chunk in in_chunks(sorted(latest), 500):
        for rid, version in ctx.session.exec(
            select(Referral.id, Referral.version).where(col(Referral.id).in_(chunk))
        ):
            versions[rid or 0] = version
    consented: set[int] = set()
    for chunk in in_chunks(sorted(latest), 500):
        consented |= set(
            ctx.session.exec(
                select(ReferralConsent.referral_id).where(
                    col(ReferralConsent.referral_id).in_(chunk),
                    col(ReferralConsent.withdrawn_at).is_(None),
                )
            ).all()
        )
    rows = [
        {"id": rid, "status": k[2], "status_date": k[0], "updated_at": utcnow(),
         "version": versions[rid],
         "introduced_with_consent": rid in consented and rid in reached}
        for rid, k in latest.items()
    ]  # fmt: skip
    for batch in in_chunks(rows, 500):
        ctx.session.execute(update(Referral), batch)  # type: ignore[arg-type]


def _import_placements(ctx: _Ctx, records: list[dict[str, Any]]) -> None:
    session = ctx.session
    resolve = _pairs(ctx, records)
    cand_refs = _by_ref(session, Candidate, (r["candidate_ref"] for r in records))
    cand_ids = [c.id for c in cand_refs.values()]
    existing: dict[tuple[int, int, Any], Placement] = {}
    for chunk in in_chunks(cand_ids, 500):
        for p in session.exec(select(Placement).where(col(Placement.candidate_id).in_(chunk))):
            existing[(p.candidate_id, p.vacancy_id, p.start_date)] = p
    referrals = _referrals_for(session, cand_ids)
    ledger = _ledger(ctx, records)
    for rec in records:

        def check(rec: dict[str, Any] = rec) -> None:
            cand, vac = resolve(rec)
            start, end = rec["start_date"], rec.get("end_date")
            if end is not None and end < start:
                raise FieldError("end_date", end, f"must not be before start_date {start}")
            values = {
                "end_date": end,
                "hours_per_week": rec["hours_per_week"],
                "kind": rec.get("kind") or "arbeidsovereenkomst",
                "permanent": bool(rec.get("permanent")),
                "contract_id": vac.contract_id,
            }
            found = existing.get((cand.id or 0, vac.id or 0, start))
            if found is None:
                _take_position(ledger, rec, cand, vac, start)
                referral = referrals.get((cand.id or 0, vac.id or 0))
                values.update(
                    candidate_id=cand.id, vacancy_id=vac.id, start_date=start,
                    referral_id=referral.id if referral else None,
                )  # fmt: skip
                ctx.writes.inserts[Placement].append(_stamp(values, new=True))
                ctx.count(created=True)
            elif _changed(found, values):
                values["id"] = found.id
                ctx.writes.updates[Placement].append(_stamp(values, new=False))
                ctx.count(changed=True)
            else:
                ctx.count()

        ctx.row(rec["_row"], check)


_HANDLERS: dict[str, Callable[[_Ctx, list[dict[str, Any]]], None]] = {
    "contracts": _import_contracts,
    "vacancies": _import_vacancies,
    "outcomes": _import_outcomes,
    "placements": _import_placements,
}

__all__ = [
    "ALLOWED_KINDS",
    "ImportRefused",
    "ImportReport",
    "ProblemPublic",
    "RowErrorPublic",
    "import_file",
]
