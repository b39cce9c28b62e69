"""Create users in bulk from a CSV/XLSX file: ``srmatch users import FILE`` (issue 11).

Columns (case-insensitive, Dutch names accepted): ``username`` (gebruikersnaam), ``role``
(rol: coach, sr_officer, contractor, admin), ``municipality`` (gemeente) for coaches and SR
officers, ``contractor`` (opdrachtnemer, a name or KvK number) for contractor users,
``full_name`` (naam) and ``email`` (e-mail). Every row goes through
``api.services.users.create_user_named`` (the one path the admin pages, the CLI's
``users create`` and the demo loader take), each user with a fresh one-time password that is
returned once and never stored in clear.

All or nothing: a file with any bad row creates nobody and raises ``UsersImportRejected``
carrying the row errors (grouped like a data import's). Nothing here commits.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from sqlmodel import Session

from api.services.errors import ConflictError, FieldError
from api.services.import_problems import MAX_ROW_ERRORS, problems_of
from api.services.importer import ProblemPublic, RowErrorPublic
from api.services.users import create_user_named
from matcher import interchange
from models import Role

COLUMNS = ("username", "role", "municipality", "contractor", "full_name", "email")
_ALIASES = {
    "gebruikersnaam": "username",
    "gebruiker": "username",
    "user": "username",
    "rol": "role",
    "gemeente": "municipality",
    "opdrachtnemer": "contractor",
    "naam": "full_name",
    "volledige_naam": "full_name",
    "name": "full_name",
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
}
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,79}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,185}\.[A-Za-z]{2,24}")
#: the most users one file may create (a municipality's coaches, a contractor's staff)
MAX_USERS = 5000


@dataclass(frozen=True)
class CreatedUser:
    """A user the file created, with the one-time password to pass on (shown once)."""

    id: int
    username: str
    role: str
    full_name: str
    email: str | None
    organisation: str | None
    password: str


@dataclass(frozen=True)
class UsersImported:
    """What a users file did: who was created, and which columns were ignored."""

    created: list[CreatedUser]
    unknown_columns: list[str]


class UsersImportRejected(ValueError):
    """A users file with bad rows: nobody was created; ``errors`` and ``problems`` say why."""

    def __init__(self, filename: str, errors: list[RowErrorPublic]) -> None:
        self.filename = filename
        self.error_count = len(errors)
        self.errors = errors[:MAX_ROW_ERRORS]
        self.problems: list[ProblemPublic] = problems_of(errors)
        super().__init__(
            f"{len({e.row for e in errors})} invalid row(s) in {filename}; nobody was created"
        )


@dataclass
class _Rows:
    errors: list[RowErrorPublic] = field(default_factory=list)

    def error(self, row: int, column: str, value: object, reason: str) -> None:
        self.errors.append(
            RowErrorPublic(
                row=row, column=column, value=interchange.shown(str(value or "")), reason=reason
            )
        )


def one_time_password() -> str:
    """A fresh random password (16 URL-safe characters) for a new account."""
    return secrets.token_urlsafe(12)


def import_users(*, session: Session, data: bytes, filename: str) -> UsersImported:
    """Create every user of the file through ``create_user_named``, or nobody.

    Raises
    ------
    FieldError
        The file cannot be read as a table, or lacks ``username``/``role``.
    UsersImportRejected
        Any row is invalid (unknown role or organisation, a taken or repeated user name, a
        malformed e-mail, a BSN, ...); nothing was created.
    """
    try:
        raw = interchange.read_table(data, filename)
    except interchange.InterchangeError as exc:
        raise FieldError("file", filename, str(exc)) from exc
    columns = [_ALIASES.get(c.replace(" ", "_"), c.replace(" ", "_")) for c in raw.columns]
    missing = [c for c in ("username", "role") if c not in columns]
    if missing:
        raise FieldError(
            "file",
            filename,
            f"required column(s) missing: {', '.join(missing)} "
            f"(the file has: {', '.join(raw.columns)}; allowed: {', '.join(COLUMNS)})",
        )
    if len(raw.rows) > MAX_USERS:
        raise FieldError("file", filename, f"{len(raw.rows)} rows; at most {MAX_USERS} per file")
    report = _Rows()
    for e in raw.errors:
        report.error(e.row, e.column, e.value, e.reason)
    unknown = sorted(set(columns) - set(COLUMNS))
    seen: dict[str, int] = {}
    created: list[CreatedUser] = []
    savepoint = session.begin_nested()
    try:
        for number, row in zip(raw.row_numbers, raw.rows, strict=True):
            cells = {
                name: row.get(orig, "").strip()
                for orig, name in zip(raw.columns, columns, strict=True)
            }
            user = _one(session, report, number, cells, seen)
            if user is not None:
                created.append(user)
        if report.errors:
            savepoint.rollback()
            raise UsersImportRejected(filename, sorted(report.errors, key=lambda e: e.row))
        savepoint.commit()
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    return UsersImported(created=created, unknown_columns=unknown)


def _one(
    session: Session, report: _Rows, number: int, cells: dict[str, str], seen: dict[str, int]
) -> CreatedUser | None:
    for name, value in cells.items():
        if value and interchange.contains_bsn(value, allow_kvk=name == "contractor"):
            report.error(number, name, interchange.BSN_MASK, interchange.BSN_REASON)
            return None
    username, role = cells.get("username", ""), cells.get("role", "").lower()
    if not _USERNAME.fullmatch(username):
        report.error(
            number,
            "username",
            username,
            "must be 2-80 characters: letters, digits and . _ @ - (starting with a letter or "
            "digit)",
        )
        return None
    if username.lower() in seen:
        report.error(
            number, "username", username, f"appears twice: already on row {seen[username.lower()]}"
        )
        return None
    seen[username.lower()] = number
    if role not in {r.value for r in Role}:
        allowed = ", ".join(r.value for r in Role)
        report.error(number, "role", role, f"is not one of: {allowed}")
        return None
    email = cells.get("email") or None
    if email is not None and not _EMAIL.fullmatch(email):
        report.error(number, "email", email, "is not an e-mail address")
        return None
    full_name = cells.get("full_name", "")
    if len(full_name) > 200:
        report.error(number, "full_name", full_name, "is too long: at most 200 characters")
        return None
    municipality = cells.get("municipality") or None
    contractor = cells.get("contractor") or None
    password = one_time_password()
    try:
        with session.begin_nested():
            user = create_user_named(
                session=session,
                username=username,
                password=password,
                role=role,
                full_name=full_name,
                municipality=municipality,
                contractor=contractor,
            )
    except FieldError as exc:
        column = {"municipality_id": "municipality", "contractor_id": "contractor"}.get(
            exc.field, exc.field
        )
        report.error(number, column, exc.value, exc.message)
        return None
    except ConflictError as exc:
        report.error(number, "username", username, str(exc))
        return None
    assert user.id is not None
    return CreatedUser(
        id=user.id,
        username=user.username,
        role=str(user.role),
        full_name=user.full_name,
        email=email,
        organisation=municipality or contractor,
        password=password,
    )


__all__ = [
    "CreatedUser",
    "UsersImportRejected",
    "UsersImported",
    "import_users",
    "one_time_password",
]
