"""Import data-contract files (CSV/XLSX) into the database: one transaction per file.

The file layer (``matcher.interchange``) reads and type-checks every row; this module resolves
references (contract_ref, coach, candidate_ref ...), normalises profiles, and upserts on each
kind's key. By default a file with any invalid row changes nothing; ``partial=True`` writes the
valid rows and reports the rest. Re-importing the same file changes nothing (``unchanged``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, select

from matcher import interchange
from matcher.normalize import get_normalizer
from matcher.vocab import OUTCOME_STATUSES, SR_BENEFITS
from models import (
    Candidate,
    Contract,
    Contractor,
    Municipality,
    Placement,
    Referral,
    ReferralEvent,
    Role,
    User,
    Vacancy,
)
from models._base import utcnow

from api.services.errors import FieldError
from api.services.profiles import apply_candidate_input, apply_vacancy_input

T = TypeVar("T")


class RowErrorPublic(BaseModel):
    row: int
    column: str
    value: str
    reason: str


class ImportReport(BaseModel):
    """What an import did, row by row."""

    kind: str
    filename: str
    committed: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowErrorPublic] = []
    warnings: list[str] = []
    unknown_columns: list[str] = []


class ImportRefused(ValueError):
    """The actor may not import this kind (or into this scope)."""


@dataclass
class _Ctx:
    session: Session
    actor: User | None
    report: ImportReport

    def error(self, row: int, column: str, value: object, reason: str) -> None:
        self.report.errors.append(
            RowErrorPublic(row=row, column=column, value=_show(value), reason=reason)
        )


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


ALLOWED_KINDS: dict[Role | None, frozenset[str]] = {
    None: frozenset(interchange.KINDS),
    Role.admin: frozenset(interchange.KINDS),
    Role.sr_officer: frozenset(interchange.KINDS),
    Role.coach: frozenset({"candidates", "outcomes"}),
    Role.contractor: frozenset({"vacancies"}),
}


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
    parsed = interchange.parse_table(kind, raw)
    report = ImportReport(
        kind=kind,
        filename=filename,
        committed=False,
        rows=len(raw.rows),
        unknown_columns=list(parsed.unknown_columns),
    )
    if parsed.unknown_columns:
        report.warnings.append("unknown columns ignored: " + ", ".join(parsed.unknown_columns))
    ctx = _Ctx(session=session, actor=actor, report=report)
    for e in parsed.errors:
        ctx.error(e.row, e.column, e.value, e.reason)
    if parsed.missing_columns:
        return report
    bad_rows = {e.row for e in parsed.errors}
    records = [r for r in parsed.records if r["_row"] not in bad_rows]
    handler = _HANDLERS[kind]
    try:
        with session.no_autoflush:
            handler(ctx, _progress(records, kind, enabled=progress))
        if report.errors and not partial:
            session.rollback()
            report.created = report.updated = report.unchanged = 0
            return report
        report.skipped = len({e.row for e in report.errors})
        session.commit()
        report.committed = True
        return report
    except BaseException:
        session.rollback()
        raise


def _progress(records: list[dict[str, Any]], kind: str, *, enabled: bool) -> Iterable[dict[str, Any]]:
    if not enabled or not sys.stderr.isatty() or len(records) < 200:
        return records
    from tqdm import tqdm

    return tqdm(records, desc=f"import {kind}", unit="row", file=sys.stderr, leave=False)


# -- helpers ------------------------------------------------------------------------------


def _savepoint(ctx: _Ctx, row: int, fn: Callable[[], T]) -> T | None:
    """Run one row's writes; a FieldError becomes a row error and its writes are undone."""
    try:
        with ctx.session.begin_nested():
            return fn()
    except FieldError as exc:
        ctx.error(row, exc.field, exc.value, exc.message)
        return None


def _changed(obj: Any, values: Mapping[str, Any]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


def _count(ctx: _Ctx, created: bool, changed: bool) -> None:
    if created:
        ctx.report.created += 1
    elif changed:
        ctx.report.updated += 1
    else:
        ctx.report.unchanged += 1


def _municipality(ctx: _Ctx, row: int, name: str | None, column: str = "municipality") -> int | None:
    """The municipality a row belongs to: the actor's, or (for operators) the one named."""
    actor = ctx.actor
    if actor is not None and actor.role != Role.admin:
        own = actor.municipality_id
        if name:
            m = ctx.session.exec(select(Municipality).where(Municipality.name == name)).first()
            if m is None or m.id != own:
                raise FieldError(column, name, "you may only import into your own municipality")
        return own
    if not name:
        return None
    m = ctx.session.exec(select(Municipality).where(Municipality.name == name)).first()
    if m is None:
        m = Municipality(name=name)
        ctx.session.add(m)
        ctx.session.flush()
    return m.id


def _contractor(ctx: _Ctx, name_or_kvk: str) -> Contractor:
    key = name_or_kvk.strip()
    stmt = (
        select(Contractor).where(Contractor.kvk == key)
        if key.isdigit() and len(key) == 8
        else select(Contractor).where(Contractor.name == key)
    )
    found = ctx.session.exec(stmt).first()
    if found is not None:
        return found
    actor = ctx.actor
    if actor is not None and actor.role == Role.contractor:
        raise FieldError("contractor", key, "you may only import vacancies of your own company")
    c = Contractor(name=key, kvk=key if key.isdigit() and len(key) == 8 else None)
    ctx.session.add(c)
    ctx.session.flush()
    return c


def _by_ref(session: Session, model: type[T], refs: Iterable[str]) -> dict[str, T]:
    refs = list(set(refs))
    out: dict[str, T] = {}
    for i in range(0, len(refs), 500):
        chunk = refs[i : i + 500]
        for obj in session.exec(select(model).where(model.ref.in_(chunk))):  # type: ignore[attr-defined]
            out[obj.ref] = obj  # type: ignore[attr-defined]
    return out


# -- candidates ---------------------------------------------------------------------------

_CANDIDATE_FIELDS = (
    "postcode",
    "benefit",
    "target_groups",
    "ladder_step",
    "education",
    "skills",
    "occupations",
    "dutch_level",
    "driving_licences",
    "hours_per_week",
    "max_travel_km",
    "available_from",
    "unemployed_since",
    "consent_share",
    "birth_year",
    "gender",
)


def _import_candidates(ctx: _Ctx, records: Iterable[dict[str, Any]]) -> None:
    records = list(records)
    session = ctx.session
    existing = _by_ref(session, Candidate, (r["candidate_ref"] for r in records))
    coaches = {
        u.username: u for u in session.exec(select(User).where(User.role == Role.coach))
    }
    coaches_by_id = {c.id: c.municipality_id for c in coaches.values()}
    normalized = get_normalizer().profiles([(r["skills"], r["occupations"]) for r in records])
    actor = ctx.actor
    for rec, norm in zip(records, normalized, strict=True):
        row = rec["_row"]

        def write(rec: dict[str, Any] = rec, norm: Any = norm, row: int = row) -> None:
            values = {k: rec.get(k) for k in _CANDIDATE_FIELDS}
            muni = _municipality(ctx, row, rec.get("municipality"))
            coach_id = None
            if rec.get("coach"):
                coach = coaches.get(rec["coach"])
                if coach is None:
                    raise FieldError("coach", rec["coach"], "is not the user name of a coach")
                coach_id = coach.id
                muni = muni if muni is not None else coach.municipality_id
            elif actor is not None and actor.role == Role.coach:
                coach_id = actor.id
            if muni is None:
                raise FieldError(
                    "municipality", "", "required: name the municipality that holds the client"
                )
            if coach_id is not None and coaches_by_id.get(coach_id, muni) != muni:
                raise FieldError("coach", rec.get("coach"), "coach works for another municipality")
            values["coach_id"] = coach_id
            values["municipality_id"] = muni
            cand = existing.get(rec["candidate_ref"])
            if cand is not None:
                if actor is not None and actor.role != Role.admin and cand.municipality_id != actor.municipality_id:
                    raise FieldError("candidate_ref", rec["candidate_ref"], "belongs to another municipality")
                if not _changed(cand, values):
                    _count(ctx, False, False)
                    return
                apply_candidate_input(cand, values, normalized=norm)
                cand.updated_at = utcnow()
                session.add(cand)
                _count(ctx, False, True)
                return
            cand = Candidate(ref=rec["candidate_ref"], pc4="", lat=0.0, lon=0.0, **values)
            apply_candidate_input(cand, values, normalized=norm)
            session.add(cand)
            session.flush()
            existing[cand.ref] = cand
            _count(ctx, True, False)

        _savepoint(ctx, row, write)


# -- contracts ----------------------------------------------------------------------------


def _euro_cents(value: Any) -> int:
    return int((Decimal(str(value)) * 100).quantize(Decimal(1)))


def _import_contracts(ctx: _Ctx, records: Iterable[dict[str, Any]]) -> None:
    from matcher.sr_tables import available_tables

    tables = {t.name for t in available_tables()}
    records = list(records)
    existing = _by_ref(ctx.session, Contract, (r["contract_ref"] for r in records))
    for rec in records:
        row = rec["_row"]

        def write(rec: dict[str, Any] = rec, row: int = row) -> None:
            table = rec.get("sr_table") or "nationaal"
            if table not in tables:
                raise FieldError(
                    "sr_table", table, f"{table!r} is not one of: {', '.join(sorted(tables))}"
                )
            start, end = rec.get("start_date"), rec.get("end_date")
            if start and end and end < start:
                raise FieldError("end_date", end, f"must not be before start_date {start}")
            contractor = _contractor(ctx, rec["contractor"])
            values = {
                "contractor_id": contractor.id,
                "municipality_id": _municipality(ctx, row, rec.get("municipality")),
                "title": rec.get("title"),
                "category": rec.get("category"),
                "value_cents": _euro_cents(rec["value_eur"]),
                "sr_percentage": float(rec.get("sr_percentage") or 5.0),
                "start_date": start,
                "end_date": end,
                "sr_table": table,
            }
            contract = existing.get(rec["contract_ref"])
            if contract is not None:
                _guard_municipality(ctx, contract.municipality_id, "contract_ref", contract.ref)
                if not _changed(contract, values):
                    _count(ctx, False, False)
                    return
                for k, v in values.items():
                    setattr(contract, k, v)
                contract.updated_at = utcnow()
                ctx.session.add(contract)
                _count(ctx, False, True)
                return
            contract = Contract(ref=rec["contract_ref"], **values)
            ctx.session.add(contract)
            ctx.session.flush()
            existing[contract.ref] = contract
            _count(ctx, True, False)

        _savepoint(ctx, row, write)


def _guard_municipality(ctx: _Ctx, municipality_id: int | None, field: str, ref: str) -> None:
    actor = ctx.actor
    if actor is None or actor.role == Role.admin:
        return
    if actor.role == Role.sr_officer and municipality_id != actor.municipality_id:
        raise FieldError(field, ref, "belongs to another municipality")


# -- vacancies ----------------------------------------------------------------------------

_VACANCY_FIELDS = (
    "title",
    "description",
    "required_skills",
    "optional_skills",
    "education_min",
    "postcode",
    "hours_per_week",
    "positions",
    "start_date",
    "eligible_benefits",
    "eligible_target_groups",
    "dutch_level_min",
    "driving_licence",
)


def _import_vacancies(ctx: _Ctx, records: Iterable[dict[str, Any]]) -> None:
    records = list(records)
    session = ctx.session
    existing = _by_ref(session, Vacancy, (r["vacancy_ref"] for r in records))
    contracts = _by_ref(session, Contract, (r["contract_ref"] for r in records if r.get("contract_ref")))
    actor = ctx.actor
    for rec in records:
        row = rec["_row"]

        def write(rec: dict[str, Any] = rec, row: int = row) -> None:
            contractor = _contractor(ctx, rec["contractor"])
            if actor is not None and actor.role == Role.contractor and contractor.id != actor.contractor_id:
                raise FieldError("contractor", rec["contractor"], "you may only import your own vacancies")
            values: dict[str, Any] = {k: rec.get(k) for k in _VACANCY_FIELDS}
            if list(values["eligible_benefits"] or []) == list(SR_BENEFITS):
                values["eligible_benefits"] = []  # the contract default, stored as "no restriction"
            values["contractor_id"] = contractor.id
            contract = None
            if rec.get("contract_ref"):
                contract = contracts.get(rec["contract_ref"])
                if contract is None:
                    raise FieldError("contract_ref", rec["contract_ref"], "no contract with this reference")
                if contract.contractor_id != contractor.id:
                    raise FieldError(
                        "contract_ref", rec["contract_ref"], f"is not a contract of {rec['contractor']}"
                    )
            values["contract_id"] = contract.id if contract else None
            values["municipality_id"] = contract.municipality_id if contract else (
                actor.municipality_id if actor is not None else None
            )
            if rec.get("status"):
                values["status"] = rec["status"]
            vac = existing.get(rec["vacancy_ref"])
            if vac is not None:
                if actor is not None and actor.role == Role.contractor and vac.contractor_id != actor.contractor_id:
                    raise FieldError("vacancy_ref", rec["vacancy_ref"], "is another company's vacancy")
                _guard_municipality(ctx, vac.municipality_id, "vacancy_ref", vac.ref)
                if not _changed(vac, values):
                    _count(ctx, False, False)
                    return
                apply_vacancy_input(vac, values)
                vac.updated_at = utcnow()
                session.add(vac)
                _count(ctx, False, True)
                return
            vac = Vacancy(ref=rec["vacancy_ref"], pc4="", lat=0.0, lon=0.0, **values)
            apply_vacancy_input(vac, values)
            session.add(vac)
            session.flush()
            existing[vac.ref] = vac
            _count(ctx, True, False)

        _savepoint(ctx, row, write)


# -- outcomes and placements ----------------------------------------------------------------

_STATUS_ORDER = {s: i for i, s in enumerate(OUTCOME_STATUSES)}


def _pair_lookup(
    ctx: _Ctx, records: list[dict[str, Any]]
) -> tuple[dict[str, Candidate], dict[str, Vacancy]]:
    cands = _by_ref(ctx.session, Candidate, (r["candidate_ref"] for r in records))
    vacs = _by_ref(ctx.session, Vacancy, (r["vacancy_ref"] for r in records))
    return cands, vacs


def _resolve_pair(
    ctx: _Ctx, rec: Mapping[str, Any], cands: Mapping[str, Candidate], vacs: Mapping[str, Vacancy]
) -> tuple[Candidate, Vacancy]:
    cand = cands.get(rec["candidate_ref"])
    if cand is None:
        raise FieldError("candidate_ref", rec["candidate_ref"], "no candidate with this reference")
    vac = vacs.get(rec["vacancy_ref"])
    if vac is None:
        raise FieldError("vacancy_ref", rec["vacancy_ref"], "no vacancy with this reference")
    actor = ctx.actor
    if actor is not None and actor.role in (Role.coach, Role.sr_officer):
        if cand.municipality_id != actor.municipality_id:
            raise FieldError("candidate_ref", rec["candidate_ref"], "belongs to another municipality")
    return cand, vac


def _import_outcomes(ctx: _Ctx, records: Iterable[dict[str, Any]]) -> None:
    records = list(records)
    session = ctx.session
    cands, vacs = _pair_lookup(ctx, records)
    referrals: dict[tuple[int, int], Referral] = {}
    touched: set[int] = set()
    for rec in records:
        row = rec["_row"]

        def write(rec: dict[str, Any] = rec) -> None:
            cand, vac = _resolve_pair(ctx, rec, cands, vacs)
            assert cand.id is not None and vac.id is not None
            key = (cand.id, vac.id)
            ref = referrals.get(key) or session.exec(
                select(Referral).where(Referral.candidate_id == cand.id, Referral.vacancy_id == vac.id)
            ).first()
            if ref is None:
                ref = Referral(
                    candidate_id=cand.id,
                    vacancy_id=vac.id,
                    status=rec["status"],
                    status_date=rec["date"],
                    proposed_by_id=ctx.actor.id if ctx.actor else None,
                )
                session.add(ref)
                session.flush()
            referrals[key] = ref
            assert ref.id is not None
            ev = session.exec(
                select(ReferralEvent).where(
                    ReferralEvent.referral_id == ref.id,
                    ReferralEvent.status == rec["status"],
                    ReferralEvent.date == rec["date"],
                )
            ).first()
            if ev is None:
                session.add(
                    ReferralEvent(
                        referral_id=ref.id,
                        status=rec["status"],
                        date=rec["date"],
                        reason=rec.get("reason"),
                        created_by_id=ctx.actor.id if ctx.actor else None,
                    )
                )
                session.flush()
                touched.add(ref.id)
                _count(ctx, True, False)
            elif (ev.reason or None) != (rec.get("reason") or None):
                ev.reason = rec.get("reason")
                session.add(ev)
                _count(ctx, False, True)
            else:
                _count(ctx, False, False)

        _savepoint(ctx, row, write)
    # the latest event is the referral's current status
    for ref in referrals.values():
        if ref.id not in touched:
            continue
        events = session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == ref.id)).all()
        latest = max(events, key=lambda e: (e.date, _STATUS_ORDER[e.status]))
        if (ref.status, ref.status_date) != (latest.status, latest.date):
            ref.status, ref.status_date = latest.status, latest.date
            ref.updated_at = utcnow()
            session.add(ref)


def _import_placements(ctx: _Ctx, records: Iterable[dict[str, Any]]) -> None:
    records = list(records)
    session = ctx.session
    cands, vacs = _pair_lookup(ctx, records)
    for rec in records:
        row = rec["_row"]

        def write(rec: dict[str, Any] = rec) -> None:
            cand, vac = _resolve_pair(ctx, rec, cands, vacs)
            start: date = rec["start_date"]
            end: date | None = rec.get("end_date")
            if end is not None and end < start:
                raise FieldError("end_date", end, f"must not be before start_date {start}")
            values = {
                "end_date": end,
                "hours_per_week": rec["hours_per_week"],
                "kind": rec.get("kind") or "arbeidsovereenkomst",
                "permanent": bool(rec.get("permanent")),
                "contract_id": vac.contract_id,
            }
            existing = session.exec(
                select(Placement).where(
                    Placement.candidate_id == cand.id,
                    Placement.vacancy_id == vac.id,
                    Placement.start_date == start,
                )
            ).first()
            if existing is not None:
                if not _changed(existing, values):
                    _count(ctx, False, False)
                    return
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.updated_at = utcnow()
                session.add(existing)
                _count(ctx, False, True)
                return
            referral = session.exec(
                select(Referral).where(Referral.candidate_id == cand.id, Referral.vacancy_id == vac.id)
            ).first()
            assert cand.id is not None and vac.id is not None
            session.add(
                Placement(
                    candidate_id=cand.id,
                    vacancy_id=vac.id,
                    start_date=start,
                    referral_id=referral.id if referral else None,
                    **values,
                )
            )
            session.flush()
            _count(ctx, True, False)

        _savepoint(ctx, row, write)


_HANDLERS: dict[str, Callable[[_Ctx, Iterable[dict[str, Any]]], None]] = {
    "candidates": _import_candidates,
    "contracts": _import_contracts,
    "vacancies": _import_vacancies,
    "outcomes": _import_outcomes,
    "placements": _import_placements,
}

__all__ = ["ImportRefused", "ImportReport", "RowErrorPublic", "import_file"]
