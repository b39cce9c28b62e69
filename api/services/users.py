"""Creating users: coaches and SR officers belong to a municipality, contractor users to a firm."""

from __future__ import annotations

from sqlmodel import Session, select

from api.security import hash_password
from api.services.errors import ConflictError, FieldError
from models import Contractor, Municipality, Role, User


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    municipality: str | None = None,
    contractor: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Add a user (not committed); the organisation must exist and fit the role."""
    try:
        role_ = Role(role)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise FieldError("role", role, f"{role!r} is not one of: {allowed}") from exc
    if len(password) < 10:
        raise FieldError("password", "***", "must be at least 10 characters")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise ConflictError(f"username {username!r} is taken")
    muni_id = contractor_id = None
    if role_ in (Role.coach, Role.sr_officer):
        if not municipality:
            raise FieldError("municipality", "", f"a {role_.value} belongs to a municipality")
        muni = session.exec(select(Municipality).where(Municipality.name == municipality)).first()
        if muni is None:
            raise FieldError("municipality", municipality, "no municipality with this name")
        muni_id = muni.id
    elif role_ is Role.contractor:
        if not contractor:
            raise FieldError("contractor", "", "a contractor user belongs to a contractor")
        found = session.exec(
            select(Contractor).where(
                (Contractor.name == contractor) | (Contractor.kvk == contractor)
            )
        ).first()
        if found is None:
            raise FieldError("contractor", contractor, "no contractor with this name or KvK number")
        contractor_id = found.id
    user = User(
        username=username,
        full_name=full_name,
        role=role_,
        municipality_id=muni_id,
        contractor_id=contractor_id,
        password_hash=password_hash or hash_password(password),
    )
    session.add(user)
    session.flush()
    return user
