"""HTTP routers, one per user group, mounted under ``/api/v1`` (health at the root).

This module holds the few helpers the group routers share: paging parameters and the
upload/download plumbing around ``api.services.files`` (the same import and
export use cases the CLI calls).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Query, Request, UploadFile, status
from fastapi.responses import Response
from sqlmodel import Session

from api.config import Settings
from api.services import exporter, files
from api.services.files import ExportDialect, ExportFormat
from api.services.importer import ImportReport
from api.services.paging import paged as paged  # re-exported for the group routers
from models.organisations import User

Limit = Annotated[int, Query(ge=1, le=100, description="page size (at most 100)")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]


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
    session: Session,
    *,
    kind: str,
    fmt: ExportFormat,
    actor: User,
    request_id: str,
    dialect: ExportDialect = ExportDialect.en,
) -> Response:
    """``files.export_file`` as a download (audited per candidate there)."""
    export = files.export_file(
        session=session, actor=actor, kind=kind, fmt=fmt, request_id=request_id, dialect=dialect
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
