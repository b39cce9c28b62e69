"""SR measurement on stored data: contract reports, durability, the carousel, reach.

Adapts the pure functions of ``matcher.sr_measure`` / ``matcher.valuation`` to the database.
Every credited euro traces back to a placement, its hours, dates and block (the report lines).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.services.errors import FieldError, NotFoundError
from matcher import interchange
from matcher.sr_measure import (
    ContractInput,
    ContractReport,
    carousel_flags,
    contract_report,
    due_checks,
    durability_shares,
    reach,
    report_summary_row,
    report_trace_rows,
    reports_to_sheets,
    table_for_contract,
)
from matcher.sr_measure import (
    DurabilityCheck as CheckInput,
)
from matcher.valuation import PlacementInput
from models import Candidate, Contract, Contractor, DurabilityCheck, Municipality, Placement

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
    return contract_report(
        c_in,
        placement_inputs(session, placements),
        table_for_contract(c_in),
        as_of=as_of or date.today(),
    )


def contracts_in_scope(session: Session, *, scope: str, name: str) -> list[Contract]:
    """The contracts a report covers: one contract, a contractor's, or a municipality's/region's."""
    if scope == "contract":
        found = session.exec(select(Contract).where(Contract.ref == name)).first()
        if found is None:
            raise NotFoundError("contract", name)
        return [found]
    if scope == "contractor":
        contractor = session.exec(
            select(Contractor).where((Contractor.name == name) | (Contractor.kvk == name))
        ).first()
        if contractor is None:
            raise NotFoundError("contractor", name)
        stmt = select(Contract).where(Contract.contractor_id == contractor.id)
    elif scope == "region":
        munis = session.exec(
            select(Municipality).where((Municipality.name == name) | (Municipality.region == name))
        ).all()
        if not munis:
            raise NotFoundError("municipality or region", name)
        stmt = select(Contract).where(col(Contract.municipality_id).in_([m.id for m in munis]))
    else:
        raise FieldError("scope", scope, f"{scope!r} is not one of: {', '.join(SCOPES)}")
    return list(session.exec(stmt.order_by(col(Contract.ref))).all())


def report_json(report: ContractReport) -> dict[str, Any]:
    """A contract report as JSON-ready data: the summary and every trace line."""
    return {"summary": report_summary_row(report), "trace": report_trace_rows(report)}


def render(reports: Sequence[ContractReport], fmt: str) -> tuple[bytes, str]:
    """The report file in ``fmt`` (json, csv: one row per trace line, xlsx: sheet per contract)."""
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
            columns, ([row.get(c) for c in columns] for row in rows), "csv"
        )
        return data, data.decode("utf-8")
    if fmt == "xlsx":
        sheets = reports_to_sheets(reports)
        payload = {}
        for sheet, srows in sheets.items():
            cols: list[str] = []
            for row in srows:
                cols += [k for k in row if k not in cols]
            payload[sheet] = (cols, [[row.get(c) for c in cols] for row in srows])
        return interchange.write_workbook(payload), ""
    raise FieldError("format", fmt, f"{fmt!r} is not one of: {', '.join(FORMATS)}")


def cli_report(
    engine: Engine, *, scope: str, name: str, fmt: str, as_of: date | None
) -> tuple[bytes, str]:
    """What ``srmatch report`` writes."""
    with Session(engine) as session:
        contracts = contracts_in_scope(session, scope=scope, name=name)
        reports = [build_contract_report(session, contract=c, as_of=as_of) for c in contracts]
    return render(reports, fmt)


# -- durability, carousel, reach ---------------------------------------------------------------


def _placements_for_municipality(session: Session, municipality_id: int | None) -> list[Placement]:
    stmt = select(Placement).join(Candidate, Placement.candidate_id == Candidate.id)  # type: ignore[arg-type]
    if municipality_id is not None:
        stmt = stmt.where(Candidate.municipality_id == municipality_id)
    return list(session.exec(stmt.order_by(col(Placement.id))).all())


def durability_overview(
    session: Session, *, municipality_id: int | None, today: date | None = None
) -> dict[str, Any]:
    """Checks that are due, shares still employed / off benefits, and carousel flags."""
    today = today or date.today()
    placements = _placements_for_municipality(session, municipality_id)
    inputs = placement_inputs(session, placements)
    ids = [p.id for p in placements]
    checks = [
        CheckInput(c.placement_id, c.months, c.checked_on, c.still_employed, c.off_benefit)
        for c in (
            session.exec(
                select(DurabilityCheck).where(col(DurabilityCheck.placement_id).in_(ids))
            ).all()
            if ids
            else []
        )
    ]
    return {
        "today": today.isoformat(),
        "due": [
            {
                "placement_id": d.placement_id,
                "candidate_ref": d.candidate_key,
                "months": d.months,
                "due_on": d.due_on.isoformat(),
                "days_overdue": d.days_overdue,
            }
            for d in due_checks(inputs, checks, today=today)
        ],  # fmt: skip
        "shares": [
            {
                "months": s.months,
                "due": s.due,
                "checked": s.checked,
                "still_employed": s.still_employed,
                "off_benefit": s.off_benefit,
                "share_still_employed": s.share_still_employed,
                "share_off_benefit": s.share_off_benefit,
            }
            for s in durability_shares(inputs, checks, today=today)
        ],  # fmt: skip
        "carousel": [
            {
                "candidate_ref": f.candidate_key,
                "placement_ids": list(f.placement_ids),
                "first_start": f.first_start.isoformat(),
                "last_start": f.last_start.isoformat(),
            }
            for f in carousel_flags(inputs)
        ],  # fmt: skip
    }


def reach_overview(session: Session, *, municipality_id: int | None) -> list[dict[str, Any]]:
    """Placements per ladder step, benefit and target group against the candidate pool."""
    stmt = select(Candidate.ref, Candidate.ladder_step, Candidate.benefit, Candidate.target_groups)
    if municipality_id is not None:
        stmt = stmt.where(Candidate.municipality_id == municipality_id)
    pool = pd.DataFrame(
        list(session.exec(stmt).all()),
        columns=["candidate_key", "ladder_step", "benefit", "target_groups"],
    )
    refs = {
        c.id: c.ref
        for c in session.exec(
            select(Candidate).where(Candidate.municipality_id == municipality_id)
            if municipality_id is not None
            else select(Candidate)
        )
    }
    placed = pd.DataFrame(
        {
            "candidate_key": [
                refs[p.candidate_id] for p in _placements_for_municipality(session, municipality_id)
            ]
        }
    )
    out = reach(pool, placed)
    return json.loads(out.to_json(orient="records"))  # type: ignore[no-any-return]


def summaries(reports: Iterable[ContractReport]) -> list[dict[str, Any]]:
    """One summary row per contract report."""
    return [report_summary_row(r) for r in reports]


__all__ = [
    "build_contract_report",
    "cli_report",
    "contracts_in_scope",
    "durability_overview",
    "reach_overview",
    "render",
    "report_json",
    "summaries",
]
