"""SR efforts other than placements: a contractor reports, an SR officer decides.

A contractor reports social purchasing from a social enterprise, a PSO certificate, a training
or volunteer work against one of its contracts, with evidence (a description, the amount or
hours, the date, optionally a document reference and file name). An SR officer of the contract's
municipality approves it or rejects it with a reason; every report and decision is audited.
Approved efforts count in the contract's realisation through its building-block table, each on
its own trace line (``matcher.sr.efforts``; ``reports.build_contract_report`` passes them).

Scope: a contractor user sees its own contractor's efforts, an SR officer those on contracts of
the municipality; anything else answers NotFoundError, exactly like a missing effort.
Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from api.audit import record
from api.services.access import get_contract_for, get_in_scope
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.paging import paged
from api.services.reports import build_contract_report, contract_input
from matcher.sr import PSO_LEVELS, table_for_contract
from matcher.sr.efforts import EFFORT_KINDS, EffortInput, allowed_kinds, check_effort
from models.base import utcnow
from models.contracts import Contract
from models.efforts import (
    EFFORT_STATUSES,
    EvidenceFilePublic,
    SrEffort,
    SrEffortCreate,
    SrEffortEvidence,
    SrEffortPublic,
    SrEffortsPublic,
)
from models.organisations import Contractor, Role, User


def effort_scope(user: User) -> Any:
    """The WHERE clause of the efforts ``user`` may see."""
    if user.role == Role.contractor:
        return col(SrEffort.contractor_id) == user.contractor_id
    if user.role == Role.sr_officer:
        return col(SrEffort.contract_id).in_(
            select(Contract.id).where(Contract.municipality_id == user.municipality_id)
        )
    return col(SrEffort.id).is_(None)


def get_effort_for(*, session: Session, user: User, effort_id: int) -> SrEffort:
    """An effort the user may see, else NotFoundError."""
    return get_in_scope(session, SrEffort, effort_id, effort_scope(user), "effort")


def _cents(value: float, fld: str) -> int:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise FieldError(fld, value, "expected an amount in euro") from None
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        raise FieldError(fld, value, "expected euro with at most two decimals (cents)")
    return int(d * 100)


def credited_by_effort(session: Session, efforts: Sequence[SrEffort]) -> dict[int, Decimal]:
    """What each approved effort's trace line credits today: one contract report per contract
    involved, the very report the SR officer and the contractor see."""
    out: dict[int, Decimal] = {}
    contracts = {e.contract_id for e in efforts if e.status == "approved"}
    for cid in sorted(contracts):
        contract = session.get(Contract, cid)
        if contract is None:
            continue
        report = build_contract_report(session, contract=contract)
        for ln in report.lines:
            if isinstance(ln.effort_id, int):
                out[ln.effort_id] = out.get(ln.effort_id, Decimal(0)) + ln.amount_eur
    return out


def evidence_files(session: Session, effort_ids: Sequence[int]) -> dict[int, EvidenceFilePublic]:
    """The uploaded evidence files of these efforts, without their contents."""
    if not effort_ids:
        return {}
    rows = session.exec(
        select(SrEffortEvidence)
        .where(col(SrEffortEvidence.effort_id).in_(list(effort_ids)))
        .options(defer(SrEffortEvidence.content))  # type: ignore[arg-type]
    ).all()
    return {
        r.effort_id: EvidenceFilePublic(
            filename=r.filename,
            media_type=r.media_type,
            size=r.size,
            sha256=r.sha256,
            uploaded_at=r.uploaded_at,
        )
        for r in rows
    }


def effort_public(
    session: Session,
    effort: SrEffort,
    credited: dict[int, Decimal] | None = None,
    files: dict[int, EvidenceFilePublic] | None = None,
) -> SrEffortPublic:
    """An effort as its public shape, with what it credits and its evidence file."""
    assert effort.id is not None
    contract = session.get(Contract, effort.contract_id)
    contractor = session.get(Contractor, effort.contractor_id)
    if credited is None:
        credited = credited_by_effort(session, [effort])
    if files is None:
        files = evidence_files(session, [effort.id])
    return SrEffortPublic(
        id=effort.id,
        contract_id=effort.contract_id,
        contract_ref=contract.ref if contract else "",
        contractor=contractor.name if contractor else "",
        kind=effort.kind,
        description=effort.description,
        day=effort.day,
        amount_eur=None if effort.amount_cents is None else effort.amount_cents / 100,
        hours=effort.hours,
        pso_level=effort.pso_level,
        evidence_ref=effort.evidence_ref,
        evidence_name=effort.evidence_name,
        evidence_file=files.get(effort.id),
        status=effort.status,
        decision_reason=effort.decision_reason,
        decided_at=effort.decided_at,
        created_at=effort.created_at,
        credited_eur=float(credited.get(effort.id, Decimal(0))),
    )


def report_effort(
    *, session: Session, actor: User, body: SrEffortCreate, request_id: str | None = None
) -> SrEffortPublic:
    """A contractor reports an SR effort against one of its contracts (status ``pending``).

    NotFoundError for a contract that is not the contractor's; FieldError naming the field for
    a kind the contract's table does not value (volunteer hours where the table has no hourly
    rate), a missing amount, hours or PSO level, or a date outside the contract period or in
    the future. Audited.
    """
    if actor.role != Role.contractor or actor.contractor_id is None:
        raise ForbiddenError("only a contractor user reports SR efforts")
    contract = get_contract_for(session=session, user=actor, contract_id=body.contract_id)
    if body.kind not in EFFORT_KINDS:
        raise FieldError("kind", body.kind, f"allowed: {', '.join(EFFORT_KINDS)}")
    table = table_for_contract(contract_input(contract, None))
    kinds = allowed_kinds(table)
    if body.kind not in kinds:
        raise FieldError(
            "kind",
            body.kind,
            f"contract {contract.ref} is valued with table {table.region} {table.version}, "
            f"which does not value it; allowed: {', '.join(kinds)}",
        )
    amount_cents: int | None = None
    hours: float | None = None
    pso_level: str | None = None
    if body.kind in ("social_purchasing", "training"):
        if not body.amount_eur:
            raise FieldError("amount_eur", body.amount_eur, "expected an amount in euro > 0")
        amount_cents = _cents(body.amount_eur, "amount_eur")
    elif body.kind == "volunteer":
        if not body.hours:
            raise FieldError("hours", body.hours, "expected hours > 0")
        hours = body.hours
    else:
        if body.pso_level not in PSO_LEVELS:
            raise FieldError("pso_level", body.pso_level, f"allowed: {', '.join(PSO_LEVELS)}")
        pso_level = body.pso_level
    if body.day > date.today():
        raise FieldError("day", body.day.isoformat(), "an effort is reported once it is done")
    if contract.start_date is not None and body.day < contract.start_date:
        raise FieldError(
            "day", body.day.isoformat(), f"before the contract's start {contract.start_date}"
        )
    if contract.end_date is not None and body.day > contract.end_date:
        raise FieldError(
            "day", body.day.isoformat(), f"after the contract's end {contract.end_date}"
        )
    try:  # the valuation's own check: what is stored can always be valued
        check_effort(
            EffortInput(
                "new",
                body.kind,
                body.day,
                amount_eur=Decimal(amount_cents or 0) / 100,
                hours=Decimal(str(hours or 0)),
                pso_level=pso_level,
            ),
            table,
        )
    except ValueError as exc:
        raise FieldError("kind", body.kind, str(exc)) from None
    assert contract.id is not None
    effort = SrEffort(
        contract_id=contract.id,
        contractor_id=actor.contractor_id,
        kind=body.kind,
        description=body.description.strip(),
        day=body.day,
        amount_cents=amount_cents,
        hours=hours,
        pso_level=pso_level,
        evidence_ref=(body.evidence_ref or "").strip() or None,
        evidence_name=(body.evidence_name or "").strip() or None,
        reported_by_id=actor.id,
    )
    session.add(effort)
    session.flush()
    record(
        session,
        user=actor,
        action="effort.report",
        candidate_id=None,
        request_id=request_id,
        object_type="effort",
        object_id=effort.id,
        detail=f"{effort.kind} on contract {contract.ref}",
    )
    return effort_public(session, effort, {})


def list_efforts(
    *,
    session: Session,
    actor: User,
    status: str | None = None,
    contract_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SrEffortsPublic:
    """One page (newest first) of the efforts the actor may see, optionally of one status or
    contract; each with what it credits today."""
    where: list[Any] = [effort_scope(actor)]
    if status is not None:
        if status not in EFFORT_STATUSES:
            raise FieldError(
                "status", status, f"allowed: {', '.join(EFFORT_STATUSES)}", location="query"
            )
        where.append(col(SrEffort.status) == status)
    if contract_id is not None:
        where.append(col(SrEffort.contract_id) == contract_id)
    rows, count = paged(session, SrEffort, where, limit=limit, offset=offset, newest_first=True)
    credited = credited_by_effort(session, rows)
    files = evidence_files(session, [e.id for e in rows if e.id is not None])
    return SrEffortsPublic(
        data=[effort_public(session, e, credited, files) for e in rows], count=int(count)
    )


def read_effort(*, session: Session, actor: User, effort_id: int) -> SrEffortPublic:
    """One effort the actor may see."""
    return effort_public(session, get_effort_for(session=session, user=actor, effort_id=effort_id))


def decide_effort(
    *,
    session: Session,
    actor: User,
    effort_id: int,
    approve: bool,
    reason: str | None,
    request_id: str | None = None,
) -> SrEffortPublic:
    """An SR officer of the contract's municipality approves a pending effort (it then counts)
    or rejects it with a reason (it never counts); audited.

    NotFoundError outside the officer's municipality, ConflictError when it was already
    decided, FieldError for a rejection without a reason.
    """
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("only an SR officer of the contract's municipality decides")
    effort = get_effort_for(session=session, user=actor, effort_id=effort_id)
    if effort.status != "pending":
        raise ConflictError(
            f"effort {effort_id} was already decided (status {effort.status}); "
            "only a pending effort can be approved or rejected"
        )
    text = (reason or "").strip() or None
    if not approve and text is None:
        raise FieldError("reason", reason, "a rejection needs a reason the contractor can act on")
    effort.status = "approved" if approve else "rejected"
    effort.decision_reason = text
    effort.decided_by_id = actor.id
    effort.decided_at = utcnow()
    effort.updated_at = effort.decided_at
    session.add(effort)
    session.flush()
    record(
        session,
        user=actor,
        action="effort.approve" if approve else "effort.reject",
        candidate_id=None,
        request_id=request_id,
        object_type="effort",
        object_id=effort.id,
        detail=text,
    )
    return effort_public(session, effort)


#: evidence files accepted: extension -> (media type, how such a file begins)
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def attach_evidence(
    *,
    session: Session,
    actor: User,
    effort_id: int,
    filename: str,
    data: bytes,
    request_id: str | None = None,
) -> SrEffortPublic:
    """The contractor uploads the evidence file of one of its pending efforts (PDF, PNG or
    JPEG, checked by how the file begins, not only by its name); a new upload replaces the
    old one. NotFoundError for another firm's effort, ConflictError once decided, FieldError
    for an empty file or another type. Audited."""
    if actor.role != Role.contractor:
        raise ForbiddenError("only the reporting contractor uploads evidence")
    effort = get_effort_for(session=session, user=actor, effort_id=effort_id)
    if effort.status != "pending":
        raise ConflictError(
            f"effort {effort_id} was already decided (status {effort.status}); its evidence "
            "can no longer change"
        )
    name = _UNSAFE_NAME.sub("_", PurePath(filename or "").name).strip(" .")[:200]
    ext = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted(EVIDENCE_TYPES))
    if ext not in EVIDENCE_TYPES:
        raise FieldError("file", filename, f"allowed file types: {allowed}")
    media_type, magic = EVIDENCE_TYPES[ext]
    if not data:
        raise FieldError("file", filename, "the file is empty")
    if not data.startswith(magic):
        raise FieldError("file", filename, f"the content is not a {ext[1:].upper()} file")
    digest = hashlib.sha256(data).hexdigest()
    row = session.exec(
        select(SrEffortEvidence).where(SrEffortEvidence.effort_id == effort_id)
    ).first()
    if row is None:
        row = SrEffortEvidence(
            effort_id=effort_id,
            filename=name,
            media_type=media_type,
            size=0,
            sha256="",
            content=b"",
        )
    row.filename, row.media_type, row.size, row.sha256 = name, media_type, len(data), digest
    row.content, row.uploaded_by_id, row.uploaded_at = data, actor.id, utcnow()
    session.add(row)
    effort.evidence_name = name
    effort.updated_at = row.uploaded_at
    session.add(effort)
    session.flush()
    record(
        session,
        user=actor,
        action="effort.evidence",
        candidate_id=None,
        request_id=request_id,
        object_type="effort",
        object_id=effort_id,
        detail=f"{name} ({len(data)} bytes, sha256 {digest[:12]})",
    )
    return effort_public(session, effort)


def read_evidence(
    *, session: Session, actor: User, effort_id: int, request_id: str | None = None
) -> SrEffortEvidence:
    """The evidence file of an effort the actor may see (its contractor, the municipality's SR
    officers); NotFoundError when there is none. Audited."""
    get_effort_for(session=session, user=actor, effort_id=effort_id)
    row = session.exec(
        select(SrEffortEvidence).where(SrEffortEvidence.effort_id == effort_id)
    ).first()
    if row is None:
        raise NotFoundError("evidence file of effort", effort_id)
    record(
        session,
        user=actor,
        action="effort.evidence.read",
        candidate_id=None,
        request_id=request_id,
        object_type="effort",
        object_id=effort_id,
    )
    return row


def efforts_by_contract(session: Session, contract_ids: Sequence[int]) -> dict[int, list[SrEffort]]:
    """The efforts of these contracts, newest first per contract (for pages)."""
    out: dict[int, list[SrEffort]] = defaultdict(list)
    if not contract_ids:
        return out
    for e in session.exec(
        select(SrEffort)
        .where(col(SrEffort.contract_id).in_(list(contract_ids)))
        .order_by(col(SrEffort.created_at).desc(), col(SrEffort.id).desc())
    ).all():
        out[e.contract_id].append(e)
    return out


__all__ = [
    "EVIDENCE_TYPES",
    "attach_evidence",
    "credited_by_effort",
    "decide_effort",
    "effort_public",
    "effort_scope",
    "efforts_by_contract",
    "get_effort_for",
    "list_efforts",
    "read_effort",
    "read_evidence",
    "report_effort",
]
