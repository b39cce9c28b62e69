"""HTTP routers, one per user group, mounted under ``/api/v1`` (health at the root).

This module holds the few helpers the group routers share: paging parameters, the referral
shapes, and the upload/download plumbing around ``api.services.files`` (the same import and
export use cases the CLI calls).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request, UploadFile, status
from fastapi.responses import Response
from sqlmodel import Session

from api.audit import record
from api.config import Settings
from api.deps import get_referral_for
from api.errors import from_field_error, not_found
from api.services import exporter, files, reports
from api.services import referrals as referral_service
from api.services.errors import FieldError, NotFoundError
from api.services.files import ExportFormat
from api.services.importer import ImportReport
from api.services.paging import paged as paged  # re-exported for the group routers
from models.organisations import User
from models.placements import DurabilityCheckCreate, Placement
from models.referrals import Referral, ReferralEventPublic, ReferralPublic
from models.sr_reports import DurabilityCheckPublic

Limit = Annotated[int, Query(ge=1, le=100, description="page size (at most 100)")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]


def referral_public(session: Session, referral: Referral) -> ReferralPublic:
    """A referral with its status history, as coaches and SR officers see it."""
    assert referral.id is not None
    events = referral_service.history(session=session, referral_id=referral.id)
    return ReferralPublic.model_validate(
        referral,
        update={"history": [ReferralEventPublic.model_validate(e) for e in events]},
    )


def read_referral_audited(
    session: Session, *, user: User, referral_id: int, request_id: str
) -> ReferralPublic:
    """One referral the user may see (404 otherwise), with its history; the read is audited."""
    try:
        ref = get_referral_for(session=session, user=user, referral_id=referral_id)
    except NotFoundError as exc:
        raise not_found("referral") from exc
    record(
        session,
        user=user,
        action="referral.read",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    session.commit()
    return referral_public(session, ref)


def read_upload(request: Request, file: UploadFile, settings: Settings) -> bytes:
    """The uploaded bytes, or 413 when the request or the file exceeds ``max_upload_mb``."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    too_big = HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE,
        detail=f"upload larger than the limit of {settings.max_upload_mb:g} MB",
    )
    declared = request.headers.get("content-length")
    # the multipart envelope adds a little; allow 64 KiB for it before refusing on the header
    if declared and declared.isdigit() and int(declared) > limit + 65536:
        raise too_big
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


def run_import(
    session: Session,
    *,
    kind: str,
    data: bytes,
    filename: str,
    actor: User,
    partial: bool,
    request_id: str,
) -> ImportReport:
    """The upload through ``files.import_file``; its errors map to 403/422 in ``api.errors``."""
    return files.import_file(
        session=session,
        actor=actor,
        kind=kind,
        data=data,
        filename=filename,
        partial=partial,
        request_id=request_id,
    )


def run_export(
    session: Session, *, kind: str, fmt: ExportFormat, actor: User, request_id: str
) -> Response:
    """``files.export_file`` as a download (audited per candidate there)."""
    export = files.export_file(
        session=session, actor=actor, kind=kind, fmt=fmt, request_id=request_id
    )
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file in the data-contract format",
        "content": {"text/csv": {}, exporter.MEDIA_TYPES["xlsx"]: {}},
    }
}


def store_check(
    session: Session,
    *,
    placement: Placement,
    body: DurabilityCheckCreate,
    user: User,
    request_id: str,
    response: Response,
) -> DurabilityCheckPublic:
    """Record a 3/6/12-month follow-up (201; 200 when it replaces one) with its audit event."""
    try:
        check, created = reports.record_check(
            session, placement=placement, body=body, recorded_by_id=user.id, today=dt.date.today()
        )
    except FieldError as exc:
        raise from_field_error(exc) from exc
    record(
        session,
        user=user,
        action="placement.check",
        candidate_id=placement.candidate_id,
        request_id=request_id,
        object_type="placement",
        object_id=placement.id,
        detail=f"{body.months} months: {'recorded' if created else 'updated'}",
    )
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return DurabilityCheckPublic.model_validate(check)
