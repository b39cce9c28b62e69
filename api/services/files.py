"""Imports and exports of data-contract files: the one path every route and the CLI take.

``import_file`` runs the importer (``api.services.importer``), groups its errors
(``api.services.import_problems``) and writes the import's audit events in the same transaction:
one for the file and one per candidate the file wrote (batched inserts, so 100,000 rows stay
fast); ``export_file`` runs the exporter (``api.services.exporter``), writes one audit event per
exported candidate and renders the file in the standard or the Dutch dialect. Neither commits: the
caller's unit of work does (``api.deps.get_session`` for a request, ``models.db.session_scope``
for the command line), so rows and audit trail are kept or lost together.

Errors are the service errors (``api.services.errors``) plus ``ImportRejected``:

- an actor whose role may not import a kind: ``importer.ImportRefused`` (a ForbiddenError, 403);
- an unknown kind or format: FieldError naming ``kind`` (in the path) or ``format`` (query);
- a file that cannot be read as a table at all: FieldError naming ``file`` (422);
- a file with invalid rows, of which nothing was written: ``ImportRejected`` carrying the row
  report (422 with the report as the body; the CLI prints it and exits 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from api.audit import OPERATOR_ROLE, PERSONAL_KINDS, record_import, record_refs
from api.services import exporter, importer
from api.services.errors import FieldError
from api.services.import_problems import summarise
from api.services.importer import ImportReport
from matcher import interchange
from models.audit import AuditEvent
from models.base import utcnow
from models.db import insert_many
from models.organisations import User


class ExportDialect(StrEnum):
    """``en``: the standard format; ``nl``: what Dutch Excel opens directly (``;``, BOM,
    decimal commas, Dutch headers, dates ``dd-mm-jjjj``)."""

    en = "en"
    nl = "nl"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ImportRejected(ValueError):
    """A file with invalid rows: nothing was written; ``report`` says which rows and why."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            f"{len(report.errors)} invalid row(s) in {report.filename}; nothing was imported"
        )


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A rendered export: the bytes, their media type and the file name to offer."""

    content: bytes
    media_type: str
    filename: str


def _check_kind(kind: str) -> None:
    if kind not in interchange.KINDS:
        allowed = ", ".join(interchange.KINDS)
        raise FieldError("kind", kind, f"{kind!r} is not one of: {allowed}", location="path")


def import_file(
    *,
    session: Session,
    actor: User | None,
    kind: str,
    data: bytes,
    filename: str,
    partial: bool = False,
    request_id: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import one file of ``kind`` for ``actor`` (None: the operator at the command line).

    All-or-nothing unless ``partial`` (then the valid rows are written and the rest reported);
    a committed import of personal data leaves one audit event, in the same transaction.
    ``progress`` shows a progress bar on a terminal (the CLI).
    """
    _check_kind(kind)
    try:
        report = importer.import_file(
            session,
            kind=kind,
            data=data,
            filename=filename,
            actor=actor,
            partial=partial,
            progress=progress,
        )
    except interchange.InterchangeError as exc:
        raise FieldError("file", filename, str(exc), location="body") from exc
    failed_rows = {e.row for e in report.errors}
    summarise(report)  # one line per problem; the row detail capped
    if not report.committed:
        raise ImportRejected(report)
    record_import(
        session,
        user=actor,
        kind=kind,
        filename=filename,
        counts=report.counts,
        request_id=request_id,
    )
    if kind in PERSONAL_KINDS:
        _audit_candidates(
            session,
            report=report,
            failed_rows=failed_rows,
            actor=actor,
            filename=filename,
            request_id=request_id,
        )
    return report


def _audit_candidates(
    session: Session,
    *,
    report: ImportReport,
    failed_rows: set[int],
    actor: User | None,
    filename: str,
    request_id: str | None,
) -> int:
    """One ``import.<kind>`` event per candidate named by a row the import kept, in the same
    transaction as the rows; inserted in batches (a row per candidate, not an ORM object)."""
    from api.audit import _operator_name

    rows = report._candidate_rows
    refs = sorted({ref for row, ref in rows.items() if row not in failed_rows})
    ids = importer.imported_candidate_ids(session, report, refs).values()
    now = utcnow()
    base: dict[str, Any] = {
        "at": now,
        "user_id": actor.id if actor is not None else None,
        "username": actor.username if actor is not None else _operator_name(),
        "role": str(actor.role) if actor is not None else OPERATOR_ROLE,
        "action": f"import.{report.kind}",
        "object_type": "file",
        "object_id": filename[:80],
        "request_id": request_id,
        "detail": report.counts,
    }
    events = [{**base, "candidate_id": cid} for cid in sorted(set(ids))]
    insert_many(session, AuditEvent.__table__, events)  # type: ignore[attr-defined]
    return len(events)


def export_file(
    *,
    session: Session,
    actor: User | None,
    kind: str,
    fmt: ExportFormat | str = ExportFormat.csv,
    request_id: str | None = None,
    dialect: ExportDialect | str = ExportDialect.en,
) -> ExportFile:
    """The rows of ``kind`` that ``actor`` may see, as a CSV or XLSX file in ``dialect``.

    Candidate-bearing kinds write one audit event per exported candidate.
    """
    _check_kind(kind)
    try:
        format_ = ExportFormat(fmt)
    except ValueError as exc:
        allowed = ", ".join(f.value for f in ExportFormat)
        raise FieldError("format", fmt, f"must be one of: {allowed}", location="query") from exc
    try:
        dialect_ = ExportDialect(dialect)
    except ValueError as exc:
        allowed = ", ".join(d.value for d in ExportDialect)
        raise FieldError(
            "dialect", dialect, f"must be one of: {allowed}", location="query"
        ) from exc
    records = exporter.export_records(session, kind=kind, actor=actor)
    record_refs(
        session,
        user=actor,
        action=f"export.{kind}",
        candidate_refs=(str(r.get("candidate_ref") or "") for r in records),
        request_id=request_id,
        object_type="export",
        object_id=kind,
    )
    return ExportFile(
        content=interchange.write_table(
            kind,
            records,
            format_.value,
            dialect=dialect_.value,
            omit=exporter.omitted_columns(kind, actor),
        ),
        media_type=exporter.MEDIA_TYPES[format_.value],
        filename=f"{kind}.{format_.value}",
    )


__all__ = [
    "ExportDialect",
    "ExportFile",
    "ExportFormat",
    "ImportRejected",
    "export_file",
    "import_file",
]
