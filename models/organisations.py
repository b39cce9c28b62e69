"""Municipalities, contractors, users and API keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import utcnow


class Role(StrEnum):
    """What a user may do; a user belongs to a municipality or to a contractor."""

    coach = "coach"
    contractor = "contractor"
    sr_officer = "sr_officer"
    admin = "admin"


class MunicipalityBase(SQLModel):
    name: str = Field(index=True, unique=True, max_length=120)
    region: str | None = Field(default=None, max_length=120)
    sr_table: str = Field(default="nationaal", max_length=60)


class Municipality(MunicipalityBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class MunicipalityPublic(MunicipalityBase):
    id: int


class ContractorBase(SQLModel):
    name: str = Field(index=True, unique=True, max_length=200)
    kvk: str | None = Field(default=None, max_length=8)


class Contractor(ContractorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ContractorPublic(ContractorBase):
    id: int


class UserBase(SQLModel):
    username: str = Field(index=True, unique=True, min_length=2, max_length=80)
    full_name: str = Field(default="", max_length=200)
    role: Role
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)
    contractor_id: int | None = Field(default=None, foreign_key="contractor.id", index=True)
    active: bool = True


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    #: in every token issued; raised by log-out and a new password, so older tokens stop working
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class UserCreate(UserBase):
    password: str = Field(min_length=10, max_length=200)


class UserUpdate(SQLModel):
    full_name: str | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)


class UserPublic(UserBase):
    id: int


class UsersPublic(SQLModel):
    data: list[UserPublic]
    count: int


class ApiKey(SQLModel, table=True):
    """A contractor system's key: only a hash is stored; the prefix identifies it in lists."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=120)
    prefix: str = Field(index=True, unique=True, max_length=16)
    key_hash: str
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiKeyPublic(SQLModel):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeysPublic(SQLModel):
    data: list[ApiKeyPublic]
    count: int


# --- log-in and API keys ---------------------------------------------------------------


class RefreshToken(SQLModel, table=True):
    """A refresh token issued (only its id): usable once; a second use revokes its family."""

    jti: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True)
    #: the log-in the chain of rotated tokens started with
    family: str = Field(max_length=32, index=True)
    expires_at: datetime
    used_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Log-in attempts per key (``pair:<name>|<address>``, ``user:<name>``, ``addr:<address>``):
    counted before the password is checked, paused with a growing delay past a limit."""

    key: str = Field(primary_key=True, max_length=200)
    attempts: int = 0
    #: how many pauses this key has had in a row (each one twice as long, up to a cap)
    pauses: int = 0
    blocked_until: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class TokenPair(SQLModel):
    """An OAuth2 bearer token response, with a refresh token."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")


class LoggedOut(SQLModel):
    """The answer to a log-out: every token of the user is revoked."""

    detail: str = "logged out: every access and refresh token of this user is revoked"


class RefreshRequest(SQLModel):
    refresh_token: str = Field(min_length=1)


class ApiKeyCreate(SQLModel):
    user_id: int
    name: str = Field(min_length=1, max_length=120)


class ApiKeyCreated(ApiKeyPublic):
    """Returned once, when the key is made: only its hash is stored."""

    key: str
