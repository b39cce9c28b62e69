"""Imports and exports of data-contract files: the one path every route and the CLI take.

``import_file`` runs the importer (``api.services.importer``) and writes the import's audit
event in the same transaction; ``export_file`` runs the exporter (``api.services.exporter``),
writes one audit event per exported candidate and renders the file. Neither commits: the
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

from sqlmodel import Session

from api.audit import record_import, record_refs
from api.services import exporter, importer
from api.services.errors import FieldError
from api.services.importer import ImportReport
from matcher import interchange
from models.organisations import User


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
    return report


def export_file(
    *,
    session: Session,
    actor: User | None,
    kind: str,
    fmt: ExportFormat | str = ExportFormat.csv,
    request_id: str | None = None,
) -> ExportFile:
    """The rows of ``kind`` that ``actor`` may see, as a CSV or XLSX file.

    Candidate-bearing kinds write one audit event per exported candidate.
    """
    _check_kind(kind)
    try:
        format_ = ExportFormat(fmt)
    except ValueError as exc:
        allowed = ", ".join(f.value for f in ExportFormat)
        raise FieldError("format", fmt, f"must be one of: {allowed}", location="query") from exc
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
        content=interchange.write_table(kind, records, format_.value),
        media_type=exporter.MEDIA_TYPES[format_.value],
        filename=f"{kind}.{format_.value}",
    )


__all__ = ["ExportFile", "ExportFormat", "ImportRejected", "export_file", "import_file"]
