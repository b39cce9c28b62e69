"""SR measurement on stored data: contract reports, durability, the carousel, reach, matching.

Adapts the pure functions of ``matcher.sr`` to the database.
Every credited euro traces back to a placement, its hours, dates and block (the report lines).
The typed public shapes live in ``models.sr_reports``; money there is float euros rounded to
cents (see that module). Functions taking ``today`` / ``as_of`` leave out what happened after
that day where the data says when it happened (placements by start date, checks by
``checked_on``), so a figure for a past date can be reproduced.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from api.audit import record_many
from api.services.access import get_contract_for
from api.services.contracts import find_contractor
from api.services.disclosure import identifiable_pairs
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.exporter import MEDIA_TYPES
from api.services.paging import paged
from matcher import interchange
from matcher.sr import (
    TRACE_COLUMNS,
    ContractInput,
    ContractReport,
    PlacementInput,
    carousel_flags,
    contract_report,
    due_checks,
    durability_shares,
    matching_funnel,
    reach,
    report_summary_row,
    report_trace_rows,
    reports_to_sheets,
    table_for_contract,
)
from matcher.sr import (
    DurabilityCheck as CheckInput,
)
from matcher.sr.efforts import EffortInput
from models import (
    Candidate,
    Contract,
    Contractor,
    DurabilityCheck,
    Municipality,
    Placement,
    Referral,
    ReferralEvent,
    ShortlistLog,
    Vacancy,
)
from models.efforts import SrEffort
from models.organisations import Role, User
from models.placements import PlacementPublic, PlacementsPublic
from models.sr_reports import (
    CarouselFlagPublic,
    ContractorDueCheckPublic,
    ContractReportPublic,
    ContractReportsPublic,
    DueCheckPublic,
    DurabilityOverviewPublic,
    DurabilitySharePublic,
    MatchingSuccessPublic,
    MatchingSuccessRowPublic,
    ReachPublic,
    ReachRowPublic,
    TraceLinePublic,
)

SCOPES = ("contract", "contractor", "region")
FORMATS = ("json", "csv", "xlsx")


def placement_inputs(session: Session, placements: Sequence[Placement]) -> list[PlacementInput]:
    """Placements with the candidate facts valuation needs (benefit, target groups) only."""
    ids = {p.candidate_id for p in placements}
    cands = (
        {c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids)))}
        if ids
        else {}
    )
    out = []
    for p in placements:
        c = cands[p.candidate_id]
        out.append(
            PlacementInput(
                placement_id=p.id if p.id is not None else 0,
                candidate_key=c.ref,
                start_date=p.start_date,
                end_date=p.end_date,
                hours_per_week=p.hours_per_week,
                kind=p.kind,
                permanent=p.permanent,
                benefit=c.benefit,
                target_groups=tuple(c.target_groups),
                language_gap=c.dutch_level_ord is not None and c.dutch_level_ord < 3,
            )
        )
    return out


def contract_input(contract: Contract, contractor_name: str | None) -> ContractInput:
    """The stored contract as the measurement needs it."""
    return ContractInput(
        contract_ref=contract.ref,
        value_eur=Decimal(contract.value_cents) / 100,
        start_date=contract.start_date,
        end_date=contract.end_date,
        sr_percentage=Decimal(str(contract.sr_percentage)),
        category=contract.category,
        sr_table=contract.sr_table,
        contractor=contractor_name,
        pso_level=contract.pso_trede,
        social_purchasing_eur=Decimal(contract.social_purchasing_cents) / 100,
    )


def build_contract_report(
    session: Session, *, contract: Contract, as_of: date | None = None
) -> ContractReport:
    """Where one contract stands on ``as_of`` (default today), with its full trace."""
    contractor = session.get(Contractor, contract.contractor_id)
    placements = session.exec(
        select(Placement).where(Placement.contract_id == contract.id).order_by(col(Placement.id))
    ).all()
    c_in = contract_input(contract, contractor.name if contractor else None)
    try:
        return contract_report(
            c_in,
            placement_inputs(session, placements),
            table_for_contract(c_in),
            as_of=as_of or date.today(),
            efforts=effort_inputs(session, contract_id=contract.id),
        )
    except ValueError as exc:
        # a contract stored before its fields were checked on the way in (an unknown SR table,
        # an end before its start): say which one to repair instead of failing with a 500
        raise ConflictError(
            f"contract {contract.ref!r} cannot be valued until it is corrected: {exc}"
        ) from exc


def effort_inputs(session: Session, *, contract_id: int | None) -> list[EffortInput]:
    """The approved SR efforts of a contract (social purchasing, PSO, training, volunteer
    work) as the valuation needs them; pending and rejected ones count for nothing."""
    rows = session.exec(
        select(SrEffort)
        .where(SrEffort.contract_id == contract_id, SrEffort.status == "approved")
        .order_by(col(SrEffort.id))
    ).all()
    return [
        EffortInput(
            effort_id=e.id if e.id is not None else 0,
            kind=e.kind,
            day=e.day,
            amount_eur=Decimal(e.amount_cents or 0) / 100,
            hours=Decimal(str(e.hours or 0)),
            pso_level=e.pso_level,
        )
        for e in rows
    ]


def contracts_in_scope(
    session: Session, *, scope: str, name: str, municipality_id: int | None = None
) -> list[Contract]:
    """The contracts a report covers: one contract, a contractor's, or a municipality's/region's.

    With ``municipality_id`` (an SR officer's report) only that municipality's contracts count:
    a contract outside it, a contractor without contracts in it, or a region it is not part of
    is not found.
    """
    if scope == "contract":
        stmt = select(Contract).where(Contract.ref == name)
        if municipality_id is not None:
            stmt = stmt.where(Contract.municipality_id == municipality_id)
        found = session.exec(stmt).first()
        if found is None:
            raise NotFoundError("contract", name)
        return [found]
    if scope == "contractor":
        contractor = find_contractor(session=session, name_or_kvk=name)
        if contractor is None:
            raise NotFoundError("contractor", name)
        stmt = select(Contract).where(Contract.contractor_id == contractor.id)
        if municipality_id is not None:
            stmt = stmt.where(Contract.municipality_id == municipality_id)
    elif scope == "region":
        munis = session.exec(
            select(Municipality).where((Municipality.name == name) | (Municipality.region == name))
        ).all()
        ids = [m.id for m in munis]
        if municipality_id is not None:
            ids = [i for i in ids if i == municipality_id]
        if not ids:
            raise NotFoundError("municipality or region", name)
        stmt = select(Contract).where(col(Contract.municipality_id).in_(ids))
    else:
        raise FieldError("scope", scope, f"{scope!r} is not one of: {', '.join(SCOPES)}")
    found_all = list(session.exec(stmt.order_by(col(Contract.ref))).all())
    if scope == "contractor" and municipality_id is not None and not found_all:
        raise NotFoundError("contractor", name)
    return found_all


def contract_report_public(report: ContractReport, *, contract_id: int) -> ContractReportPublic:
    """A contract report as its typed public shape: the summary row and every trace line."""
    trace = [
        TraceLinePublic.model_validate({**row, "candidate_ref": row.get("candidate_key")})
        for row in report_trace_rows(report)
    ]
    return ContractReportPublic.model_validate(
        {**report_summary_row(report), "contract_id": contract_id, "trace": trace}
    )


def report_candidate_ids(session: Session, reports: Iterable[ContractReport]) -> list[int]:
    """The candidates a set of reports names (through the placements in their traces)."""
    pids: set[int] = set()
    for r in reports:
        pids.update(ln.placement_id for ln in r.lines if isinstance(ln.placement_id, int))
        pids.update(sk.placement_id for sk in r.skipped if isinstance(sk.placement_id, int))
    if not pids:
        return []
    found = session.exec(
        select(Placement.candidate_id).where(col(Placement.id).in_(sorted(pids)))
    ).all()
    return sorted(set(found))


def report_json(report: ContractReport) -> dict[str, Any]:
    """A contract report as JSON-ready data: the summary and every trace line."""
    return {"summary": report_summary_row(report), "trace": report_trace_rows(report)}


def render(
    reports: Sequence[ContractReport], fmt: str, *, dialect: str = "en"
) -> tuple[bytes, str]:
    """The report file in ``fmt`` (json, csv: one row per trace line, xlsx: sheet per contract);
    ``dialect="nl"`` writes the CSV as Dutch Excel reads it (``;``, decimal commas, BOM)."""
    if fmt == "json":
        text = json.dumps(
            [report_json(r) for r in reports], ensure_ascii=False, indent=2, default=str
        )
        return text.encode(), text + "\n"
    if fmt == "csv":
        rows: list[dict[str, Any]] = []
        for r in reports:
            summary = report_summary_row(r)
            for line in report_trace_rows(r) or [{}]:
                rows.append({**{f"contract_{k}": v for k, v in summary.items()}, **line})
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k not in columns]
        data = interchange.write_rows(
            columns, ([row.get(c) for c in columns] for row in rows), "csv", dialect=dialect
        )
        return data, data.decode("utf-8-sig")
    if fmt == "xlsx":
        sheets = reports_to_sheets(reports)
        payload = {}
        for i, (sheet, srows) in enumerate(sheets.items()):
            # a contract with nothing credited still gets its trace sheet's header
            cols: list[str] = [] if i == 0 else list(TRACE_COLUMNS)
            for row in srows:
                cols += [k for k in row if k not in cols]
            payload[sheet] = (cols, [[row.get(c) for c in cols] for row in srows])
        return interchange.write_workbook(payload), ""
    raise FieldError("format", fmt, f"{fmt!r} is not one of: {', '.join(FORMATS)}")


# -- SR report use cases: what routes, pages and the CLI call -------------------------------------

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ReportFile:
    """A rendered SR report: the bytes, the text form (json, csv; '' for xlsx), a file name."""

    content: bytes
    text: str
    filename: str
    media_type: str


def _report_municipality(actor: User | None) -> int | None:
    """The municipality an actor's SR reports are limited to; None for the operator (all)."""
    if actor is None:
        return None
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("SR reports are for SR officers of a municipality")
    return actor.municipality_id


def _reports_in_scope(
    session: Session, *, actor: User | None, scope: str, name: str | None, as_of: date | None
) -> tuple[str, list[tuple[Contract, ContractReport]]]:
    """The scope's name (an SR officer's region defaults to their municipality) and the
    reports of the contracts it covers; NotFoundError outside the officer's municipality."""
    municipality_id = _report_municipality(actor)
    if not name:
        if scope != "region" or municipality_id is None:
            raise FieldError("name", name, f"required for scope={scope}", location="query")
        muni = session.get(Municipality, municipality_id)
        assert muni is not None
        name = muni.name
    contracts = contracts_in_scope(session, scope=scope, name=name, municipality_id=municipality_id)
    return name, [(c, build_contract_report(session, contract=c, as_of=as_of)) for c in contracts]


def _audit_reports(
    session: Session,
    *,
    actor: User | None,
    found: Iterable[ContractReport],
    action: str,
    object_id: str,
    request_id: str | None,
) -> None:
    """A report's trace names the candidates placed: one audit event per candidate."""
    record_many(
        session,
        user=actor,
        action=action,
        candidate_ids=report_candidate_ids(session, found),
        request_id=request_id,
        object_type="report",
        object_id=object_id,
    )


def read_contract_report(
    *,
    session: Session,
    actor: User,
    contract_id: int,
    as_of: date | None = None,
    request_id: str | None = None,
) -> ContractReportPublic:
    """SR realised against one contract's obligation on ``as_of``, every euro traced; audited.

    NotFoundError for a contract the actor may not see (``api.services.access.get_contract_for``).
    """
    _report_municipality(actor)
    contract = get_contract_for(session=session, user=actor, contract_id=contract_id)
    assert contract.id is not None
    report = build_contract_report(session, contract=contract, as_of=as_of)
    _audit_reports(
        session,
        actor=actor,
        found=[report],
        action="contract.report",
        object_id=f"contract:{contract.id}",
        request_id=request_id,
    )
    return contract_report_public(report, contract_id=contract.id)


def list_reports(
    *,
    session: Session,
    actor: User,
    scope: str,
    name: str | None = None,
    as_of: date | None = None,
    request_id: str | None = None,
) -> ContractReportsPublic:
    """The SR reports with traces of one contract, a contractor's or a region's contracts in
    the officer's municipality (region by default: the municipality itself); audited."""
    resolved, found = _reports_in_scope(session, actor=actor, scope=scope, name=name, as_of=as_of)
    _audit_reports(
        session,
        actor=actor,
        found=[r for _, r in found],
        action="report.read",
        object_id=f"{scope}:{resolved}",
        request_id=request_id,
    )
    data = [contract_report_public(r, contract_id=c.id) for c, r in found if c.id is not None]
    return ContractReportsPublic(data=data, count=len(data))


def report_file(
    *,
    session: Session,
    actor: User | None,
    scope: str,
    name: str | None,
    fmt: str,
    as_of: date | None = None,
    request_id: str | None = None,
    dialect: str = "en",
) -> ReportFile:
    """The SR reports in scope as a file (json, csv or xlsx), every credited euro traced; a CSV
    in ``dialect`` ``nl`` for Dutch Excel (the pages' default).

    One use case for the SR officer's download and ``srmatch report``: ``actor`` None is the
    operator, who reports on any contract, contractor or region; an SR officer only within
    their municipality. The trace names candidates: one audit event per candidate.
    """
    resolved, found = _reports_in_scope(session, actor=actor, scope=scope, name=name, as_of=as_of)
    reports = [r for _, r in found]
    content, text = render(reports, fmt, dialect=dialect)
    _audit_reports(
        session,
        actor=actor,
        found=reports,
        action="report.download",
        object_id=f"{scope}:{resolved}",
        request_id=request_id,
    )
    day = (as_of or date.today()).isoformat()
    label = _UNSAFE_FILENAME.sub("_", name or "municipality").strip("_")[:60] or "report"
    return ReportFile(
        content=content,
        text=text,
        filename=f"sr-report-{scope}-{label}-{day}.{fmt}",
        media_type=MEDIA_TYPES.get(fmt, "application/json"),
    )


def _sr_municipality(actor: User) -> int:
    """The municipality whose SR measurement the actor sees: an SR officer's own."""
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("SR measurement is for SR officers of a municipality")
    return actor.municipality_id


def read_durability_overview(
    *, session: Session, actor: User, today: date | None = None, request_id: str | None = None
) -> DurabilityOverviewPublic:
    """Placements that last in the officer's municipality on ``today``: due checks, shares
    still employed and off benefits, the carousel. It names candidates: audited per candidate."""
    out = durability_overview(session, municipality_id=_sr_municipality(actor), today=today)
    refs = {d.candidate_ref for d in out.due} | {f.candidate_ref for f in out.carousel}
    if refs:
        ids = session.exec(select(Candidate.id).where(col(Candidate.ref).in_(refs))).all()
        record_many(
            session,
            user=actor,
            action="placement.durability",
            candidate_ids=ids,
            request_id=request_id,
        )
    return out


def read_reach(*, session: Session, actor: User, as_of: date | None = None) -> ReachPublic:
    """Who the officer's municipality reaches: placements by ladder step, benefit and target
    group against the candidate pool on ``as_of`` (default today). Aggregates: not audited."""
    day = as_of or date.today()
    rows = reach_overview(session, municipality_id=_sr_municipality(actor), as_of=day)
    return ReachPublic(as_of=day, data=rows, count=len(rows))


def read_matching_success(*, session: Session, actor: User) -> MatchingSuccessPublic:
    """Per model version, of the municipality's shortlisted candidates: proposed ... hired."""
    rows = matching_success(session, municipality_id=_sr_municipality(actor))
    return MatchingSuccessPublic(data=rows, count=len(rows))


def list_placements(
    *,
    session: Session,
    actor: User,
    request_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
    contract_id: int | None = None,
    since: date | None = None,
) -> PlacementsPublic:
    """One page (newest first) of the placements of the officer's municipality's candidates,
    optionally of one contract or started on/after ``since``; audited per candidate."""
    municipality_id = _sr_municipality(actor)
    where: list[Any] = [
        col(Placement.candidate_id).in_(
            select(Candidate.id).where(Candidate.municipality_id == municipality_id)
        )
    ]
    if contract_id is not None:
        where.append(col(Placement.contract_id) == contract_id)
    if since is not None:
        where.append(col(Placement.start_date) >= since)
    rows, count = paged(session, Placement, where, limit=limit, offset=offset, newest_first=True)
    record_many(
        session,
        user=actor,
        action="placement.list",
        candidate_ids=[p.candidate_id for p in rows],
        request_id=request_id,
    )
    return PlacementsPublic(
        data=[PlacementPublic.model_validate(p) for p in rows], count=int(count)
    )


# -- durability, carousel ----------------------------------------------------------------------


def _placements_for_municipality(
    session: Session, municipality_id: int | None, *, started_by: date | None = None
) -> list[Placement]:
    stmt = select(Placement).join(Candidate, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
    if municipality_id is not None:
        stmt = stmt.where(Candidate.municipality_id == municipality_id)
    if started_by is not None:
        stmt = stmt.where(col(Placement.start_date) <= started_by)
    return list(session.exec(stmt.order_by(col(Placement.id))).all())


def _placements_for_contractor(
    session: Session, contractor_id: int, *, started_by: date
) -> list[Placement]:
    stmt = (
        select(Placement)
        .join(Vacancy, Placement.vacancy_id == Vacancy.id)  # type: ignore[arg-type]
        .where(Vacancy.contractor_id == contractor_id, col(Placement.start_date) <= started_by)
    )
    return list(session.exec(stmt.order_by(col(Placement.id))).all())


def _recorded_checks(
    session: Session, placements: Sequence[Placement], *, today: date
) -> list[CheckInput]:
    """The checks of these placements recorded on or before ``today``."""
    ids = [p.id for p in placements if p.id is not None]
    if not ids:
        return []
    rows = session.exec(
        select(DurabilityCheck).where(
            col(DurabilityCheck.placement_id).in_(ids), col(DurabilityCheck.checked_on) <= today
        )
    ).all()
    return [
        CheckInput(c.placement_id, c.months, c.checked_on, c.still_employed, c.off_benefit)
        for c in rows
    ]


def _due(
    session: Session, placements: Sequence[Placement], *, today: date
) -> tuple[list[PlacementInput], list[CheckInput], list[DueCheckPublic]]:
    inputs = placement_inputs(session, placements)
    checks = _recorded_checks(session, placements, today=today)
    by_id = {p.id: p for p in placements}
    due = []
    found = due_checks(inputs, checks, today=today)
    vac_ids = sorted({by_id[int(d.placement_id)].vacancy_id for d in found})
    vacs = {
        v.id: v
        for chunk in (vac_ids[i : i + 900] for i in range(0, len(vac_ids), 900))
        for v in session.exec(select(Vacancy).where(col(Vacancy.id).in_(chunk)))
    }
    for d in found:
        p = by_id[int(d.placement_id)]
        assert p.id is not None
        vac = vacs.get(p.vacancy_id)
        due.append(
            DueCheckPublic(
                placement_id=p.id,
                candidate_id=p.candidate_id,
                candidate_ref=d.candidate_key,
                vacancy_id=p.vacancy_id,
                vacancy_ref=vac.ref if vac else None,
                vacancy_title=vac.title if vac else None,
                contract_id=p.contract_id,
                months=d.months,
                due_on=d.due_on,
                days_overdue=d.days_overdue,
                placement_start=p.start_date,
                placement_end=p.end_date,
                ended_before_milestone=d.ended_before,
            )
        )
    return inputs, checks, due


def durability_overview(
    session: Session, *, municipality_id: int | None, today: date | None = None
) -> DurabilityOverviewPublic:
    """Checks that are due, shares still employed / off benefits, and carousel flags on ``today``.

    Placements that start after ``today`` and checks recorded after it are left out.
    """
    today = today or date.today()
    placements = _placements_for_municipality(session, municipality_id, started_by=today)
    inputs, checks, due = _due(session, placements, today=today)
    shares = [
        DurabilitySharePublic(
            months=s.months,
            due=s.due,
            checked=s.checked,
            still_employed=s.still_employed,
            off_benefit=s.off_benefit,
            share_still_employed=s.share_still_employed,
            share_off_benefit=s.share_off_benefit,
            ended_before=s.ended_before,
            durable=s.durable,
            not_durable=s.not_durable,
            share_durable=s.share_durable,
        )
        for s in durability_shares(inputs, checks, today=today)
    ]
    carousel = [
        CarouselFlagPublic(
            candidate_ref=f.candidate_key,
            placement_ids=[int(i) for i in f.placement_ids],
            first_start=f.first_start,
            last_start=f.last_start,
        )
        for f in carousel_flags(inputs)
    ]
    return DurabilityOverviewPublic(today=today, due=due, shares=shares, carousel=carousel)


def due_checks_for_municipality(
    session: Session, *, municipality_id: int, today: date
) -> list[DueCheckPublic]:
    """The follow-ups due on ``today`` for placements of the municipality's candidates."""
    placements = _placements_for_municipality(session, municipality_id, started_by=today)
    return _due(session, placements, today=today)[2]


def due_checks_for_contractor(
    session: Session, *, contractor_id: int, today: date
) -> list[ContractorDueCheckPublic]:
    """The follow-ups due on ``today`` for placements on the contractor's vacancies.

    The candidate's reference is shown only when the referral behind the placement was
    introduced with consent and the candidate shares data (``disclosure.may_identify``).
    """
    placements = _placements_for_contractor(session, contractor_id, started_by=today)
    due = _due(session, placements, today=today)[2]
    consented = identifiable_pairs(
        session=session, pairs={(d.candidate_id, d.vacancy_id) for d in due}
    )
    return [
        ContractorDueCheckPublic(
            placement_id=d.placement_id,
            vacancy_id=d.vacancy_id,
            contract_id=d.contract_id,
            months=d.months,
            due_on=d.due_on,
            days_overdue=d.days_overdue,
            candidate_ref=(
                d.candidate_ref if (d.candidate_id, d.vacancy_id) in consented else None
            ),
            placement_start=d.placement_start,
            placement_end=d.placement_end,
            ended_before_milestone=d.ended_before_milestone,
        )
        for d in due
    ]


# -- reach and matching success ------------------------------------------------------------------


def _none_if_nan(value: Any) -> Any:
    if isinstance(value, float) and value != value:  # NaN: a share of nothing
        return None
    return value


def reach_overview(
    session: Session, *, municipality_id: int | None, as_of: date | None = None
) -> list[ReachRowPublic]:
    """Placements per ladder step, benefit and target group against the candidate pool.

    The pool is every candidate of the municipality (active or not: the denominator of who could
    have been reached); placements count when they started on or before ``as_of``.
    """
    stmt = select(Candidate.ref, Candidate.ladder_step, Candidate.benefit, Candidate.target_groups)
    if municipality_id is not None:
        stmt = stmt.where(Candidate.municipality_id == municipality_id)
    pool = pd.DataFrame(
        list(session.exec(stmt.order_by(col(Candidate.id))).all()),
        columns=["candidate_key", "ladder_step", "benefit", "target_groups"],
    )
    placed_stmt = select(Candidate.ref).join(Placement, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
    if municipality_id is not None:
        placed_stmt = placed_stmt.where(Candidate.municipality_id == municipality_id)
    if as_of is not None:
        placed_stmt = placed_stmt.where(col(Placement.start_date) <= as_of)
    placed = pd.DataFrame({"candidate_key": list(session.exec(placed_stmt).all())}, dtype=object)
    out = reach(pool, placed)
    return [
        ReachRowPublic.model_validate({k: _none_if_nan(v) for k, v in row.items()})
        for row in out.to_dict("records")
    ]


def matching_rows(session: Session, *, municipality_id: int) -> list[dict[str, Any]]:
    """The funnel's input: shortlisted pairs of the municipality's candidates and how far they got.

    One row per (model version, vacancy, candidate) shortlisted and per status the pair's
    referral reached (its current status and every event in its history, so a candidate who was
    interviewed and then rejected counts as interviewed); ``status`` None for a pair nobody
    proposed. ``rank`` is the pair's best rank over every shortlist that version served.
    """
    cands = dict(
        session.exec(
            select(Candidate.id, Candidate.ref).where(Candidate.municipality_id == municipality_id)
        ).all()
    )
    best: dict[tuple[str, int, int], int] = {}
    for version, vacancy_id, entries in session.exec(
        select(ShortlistLog.model_version, ShortlistLog.vacancy_id, ShortlistLog.entries).order_by(
            col(ShortlistLog.id)
        )
    ).all():
        for entry in entries or []:
            cid, rank = int(entry[0]), int(entry[1])
            if cid not in cands:
                continue
            key = (version, vacancy_id, cid)
            best[key] = min(rank, best.get(key, rank))
    if not best:
        return []
    vacancy_ids = sorted({v for _, v, _ in best})
    vac_refs = dict(
        session.exec(select(Vacancy.id, Vacancy.ref).where(col(Vacancy.id).in_(vacancy_ids))).all()
    )
    statuses: dict[tuple[int, int], set[str]] = {}
    ref_pair: dict[int, tuple[int, int]] = {}
    in_muni = select(Candidate.id).where(Candidate.municipality_id == municipality_id)
    for r in session.exec(
        select(Referral).where(
            col(Referral.candidate_id).in_(in_muni), col(Referral.vacancy_id).in_(vacancy_ids)
        )
    ).all():
        assert r.id is not None
        ref_pair[r.id] = (r.candidate_id, r.vacancy_id)
        statuses.setdefault((r.candidate_id, r.vacancy_id), set()).add(r.status)
    if ref_pair:
        for referral_id, status in session.exec(
            select(ReferralEvent.referral_id, ReferralEvent.status).where(
                col(ReferralEvent.referral_id).in_(sorted(ref_pair))
            )
        ).all():
            statuses[ref_pair[referral_id]].add(status)
    rows: list[dict[str, Any]] = []
    for (version, vacancy_id, cid), rank in sorted(best.items()):
        reached: list[str | None] = [*sorted(statuses.get((cid, vacancy_id), set()))]
        for reached_status in reached or [None]:
            rows.append(
                {
                    "model_version": version,
                    "vacancy_ref": vac_refs.get(vacancy_id, str(vacancy_id)),
                    "candidate_ref": cands[cid],
                    "rank": rank,
                    "status": reached_status,
                }
            )
    return rows


def matching_success(session: Session, *, municipality_id: int) -> list[MatchingSuccessRowPublic]:
    """Per model version, of the municipality's shortlisted candidates: proposed ... hired.

    Only pairs that appeared in a served shortlist count: the funnel is "of the shortlisted",
    so referrals a coach made without the candidate being shortlisted are left out.
    """
    rows = matching_rows(session, municipality_id=municipality_id)
    if not rows:
        return []
    from api.services.fairness import oversight_counts  # fairness builds on matching

    out = matching_funnel(
        rows, top_k=10, oversight=oversight_counts(session, municipality_id=municipality_id)
    )
    return [
        MatchingSuccessRowPublic.model_validate({k: _none_if_nan(v) for k, v in row.items()})
        for row in out.to_dict("records")
    ]


def summaries(reports: Iterable[ContractReport]) -> list[dict[str, Any]]:
    """One summary row per contract report."""
    return [report_summary_row(r) for r in reports]


__all__ = [
    "TRACE_COLUMNS",
    "build_contract_report",
    "list_placements",
    "list_reports",
    "read_contract_report",
    "read_durability_overview",
    "read_matching_success",
    "read_reach",
    "report_file",
    "contract_report_public",
    "contracts_in_scope",
    "due_checks_for_contractor",
    "due_checks_for_municipality",
    "durability_overview",
    "matching_rows",
    "matching_success",
    "reach_overview",
    "render",
    "report_candidate_ids",
    "report_json",
    "summaries",
]
