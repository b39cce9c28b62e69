"""SR officer pages: the import page, the contracts with their trace and downloads, the audit.

Each handler calls the use case the API's ``/sr-officer`` routes call (``services.files``,
``services.contracts``, ``services.reports``, ``services.audit_trail``) and renders it.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from sqlmodel import Session, col, select

from api.deps import RequestId, SessionDep, SettingsDep
from api.services import contracts, files, reports
from api.services.audit_trail import list_audit_events
from api.services.errors import FieldError
from api.services.importer import ImportReport, RowErrorPublic
from api.web.charts import euro, percent
from api.web.forms import PageAnswer, field_errors
from api.web.i18n import translator
from api.web.render import lang_of, render
from api.web.session import CsrfChecked, SrOfficerPage
from api.web.sr_contract_form import form_context
from matcher import interchange
from models.contracts import Contract
from models.organisations import Contractor, User

router = APIRouter(prefix="/sr-officer")

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]
IMPORT_FIELDS = frozenset({"kind", "file"})


# --- import ----------------------------------------------------------------------------------


def grouped_errors(report: ImportReport | None) -> list[tuple[int, list[RowErrorPublic]]]:
    """The row errors grouped by row (file order), each row's errors by column."""
    if report is None:
        return []
    ordered = sorted(report.errors, key=lambda e: (e.row, e.column))
    return [(row, list(errs)) for row, errs in groupby(ordered, key=lambda e: e.row)]


def _import_page(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    report: ImportReport | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "sr_officer/import.html",
        {
            "kinds": list(interchange.KINDS),
            "values": values,
            "errors": errors or {},
            "report": report,
            "rows": grouped_errors(report),
        },
        status_code=status_code,
    )


@router.get("/import")
def import_form(request: Request, user: SrOfficerPage) -> Response:
    """Upload a CSV or XLSX file in the data-contract format."""
    return _import_page(request, values={"kind": "candidates", "partial": False})


@router.post("/import", dependencies=[CsrfChecked])
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SrOfficerPage,
    request_id: RequestId,
    kind: Annotated[str, Form(max_length=30)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    partial: Annotated[bool, Form()] = False,
) -> Response:
    """Import the file (``services.files.import_file``): all or nothing unless ``partial``;
    a rejected file re-renders the page with its errors per row, nothing written."""
    t = translator(lang_of(request))
    values = {"kind": kind, "partial": partial}
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = file.file.read(limit + 1) if file is not None and file.filename else b""
    if not data:
        raise PageAnswer(
            _import_page(
                request, values=values, errors={"file": t("import.no_file")}, status_code=422
            )
        )
    if len(data) > limit:
        too_big = t("import.too_big", mb=f"{settings.max_upload_mb:g}")
        raise PageAnswer(
            _import_page(request, values=values, errors={"file": too_big}, status_code=413)
        )
    filename = (file.filename if file is not None else None) or "upload"
    try:
        report = files.import_file(
            session=session,
            actor=user,
            kind=kind,
            data=data,
            filename=filename,
            partial=partial,
            request_id=request_id,
        )
    except files.ImportRejected as exc:
        raise PageAnswer(
            _import_page(request, values=values, report=exc.report, status_code=422)
        ) from exc
    except FieldError as exc:
        errors = field_errors(exc, IMPORT_FIELDS)
        raise PageAnswer(
            _import_page(request, values=values, errors=errors, status_code=422)
        ) from exc
    return _import_page(request, values=values, report=report)


@router.get("/export/{kind}")
def export_download(
    kind: str,
    session: SessionDep,
    user: SrOfficerPage,
    request_id: RequestId,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
    dialect: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """The municipality's data of one kind for Dutch Excel by default (``services.files``,
    audited per candidate there); ``dialect=en`` gives the standard format."""
    file = files.export_file(
        session=session,
        actor=user,
        kind=kind,
        fmt=format,
        dialect=dialect,
        request_id=request_id,
    )
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )


# --- contracts -------------------------------------------------------------------------------


def municipality_contractors(session: Session, user: User) -> list[tuple[str, str]]:
    """The firms holding a contract in the officer's municipality (for the filter)."""
    rows = session.exec(
        select(Contractor.id, Contractor.name)
        .where(
            col(Contractor.id).in_(
                select(Contract.contractor_id).where(
                    Contract.municipality_id == user.municipality_id
                )
            )
        )
        .order_by(col(Contractor.name))
    ).all()
    return [(str(cid), name) for cid, name in rows if cid is not None]


@router.get("/contracts")
def contract_list(
    request: Request,
    session: SessionDep,
    user: SrOfficerPage,
    contractor: Annotated[str | None, Query(max_length=12)] = None,
    limit: PageSize = 25,
    offset: Offset = 0,
) -> Response:
    """The municipality's contracts, optionally of one contractor, with where each stands."""
    contractor_id = int(contractor) if contractor and contractor.isdigit() else None
    page = contracts.list_contracts(
        session=session, actor=user, contractor_id=contractor_id, limit=limit, offset=offset
    )
    today = dt.date.today()
    found = [
        contracts.read_contract(session=session, actor=user, contract_id=c.id) for c in page.data
    ]
    rows = reports.summaries(
        reports.build_contract_report(session, contract=c, as_of=today) for c in found
    )
    firms = municipality_contractors(session, user)
    return render(
        request,
        "sr_officer/contracts.html",
        {
            "page": page,
            "rows": list(zip(page.data, rows, strict=True)),
            "firms": firms,
            "contractor": str(contractor_id or ""),
            "limit": limit,
            "offset": offset,
            "euro": euro,
            "percent": percent,
        },
    )


@router.get("/contracts/{contract_id}")
def contract_page(
    request: Request,
    contract_id: int,
    session: SessionDep,
    user: SrOfficerPage,
    request_id: RequestId,
    as_of: dt.date | None = None,
    saved: bool = False,
) -> Response:
    """One contract: obligation, realised, forecast, status and every traced euro (audited),
    and the form that changes it (``sr_contract_form``)."""
    report = reports.read_contract_report(
        session=session, actor=user, contract_id=contract_id, as_of=as_of, request_id=request_id
    )
    contract = contracts.read_contract(session=session, actor=user, contract_id=contract_id)
    return render(
        request,
        "sr_officer/contract.html",
        {
            "r": report,
            "as_of": as_of,
            "euro": euro,
            "percent": percent,
            **form_context(contract, saved=saved),
        },
    )


@router.get("/contracts/{contract_id}/download")
def contract_download(
    contract_id: int,
    session: SessionDep,
    user: SrOfficerPage,
    request_id: RequestId,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "xlsx",
    as_of: dt.date | None = None,
    dialect: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """The contract's SR report with its trace as CSV or XLSX (the API's download use case);
    a CSV for Dutch Excel unless ``dialect=en``."""
    contract = contracts.read_contract(session=session, actor=user, contract_id=contract_id)
    file = reports.report_file(
        session=session,
        actor=user,
        scope="contract",
        name=contract.ref,
        fmt=format,
        as_of=as_of,
        request_id=request_id,
        dialect=dialect,
    )
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


# --- audit trail -----------------------------------------------------------------------------


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    user: SrOfficerPage,
    action: Annotated[str | None, Query(max_length=40)] = None,
    candidate: Annotated[str | None, Query(max_length=12)] = None,
    user_id: Annotated[str | None, Query(alias="user", max_length=12)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    limit: PageSize = 50,
    offset: Offset = 0,
) -> Response:
    """The audit trail of the municipality, newest first, filtered by action, candidate, user
    and period (the filters live in the URL)."""
    t = translator(lang_of(request))
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for name, value in (("since", since), ("until", until)):
        try:
            days[name] = dt.date.fromisoformat(value) if value else None
        except ValueError:
            days[name] = None
            errors[name] = t("audit.bad_date")
    start, end = days["since"], days["until"]
    page = list_audit_events(
        session=session,
        actor=user,
        limit=limit,
        offset=offset,
        candidate_id=_int_or_none(candidate),
        user_id=_int_or_none(user_id),
        action=(action or "").strip() or None,
        since=dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC) if start else None,
        until=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        if end
        else None,
    )
    return render(
        request,
        "sr_officer/audit.html",
        {
            "page": page,
            "filters": {
                "action": action or "",
                "candidate": candidate or "",
                "user": user_id or "",
                "since": since or "",
                "until": until or "",
            },
            "errors": errors,
            "limit": limit,
            "offset": offset,
        },
        status_code=422 if errors else 200,
    )
