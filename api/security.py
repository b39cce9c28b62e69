"""Passwords (argon2), signed bearer tokens (PyJWT), API keys and the failed-login throttle.

No FastAPI here: these are plain functions the dependencies and routes call.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from api.config import DEMO_SECRET, Settings
from models.organisations import ApiKey, User

ALGORITHM = "HS256"
API_KEY_PREFIX = "srm"
TokenType = Literal["access", "refresh"]

#: argon2id with the library's defaults (RFC 9106 low-memory profile); verification reads the
#: parameters from the stored hash, so hashes made with other parameters still verify.
_hasher = PasswordHasher()


class InsecureSecretError(RuntimeError):
    """The server was asked to run outside demo mode with the published demo secret."""


class InvalidTokenError(ValueError):
    """A token that is malformed, tampered with, expired or of the wrong type."""


def check_secret(settings: Settings) -> None:
    """Refuse the demo secret (or a short one) unless the server runs in demo mode."""
    if settings.demo_mode:
        return
    if settings.secret_key == DEMO_SECRET:
        raise InsecureSecretError(
            "SRMATCH_SECRET_KEY is the published demo secret: set a random secret "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))') "
            "or run with SRMATCH_DEMO_MODE=true"
        )
    if len(settings.secret_key) < 32:
        raise InsecureSecretError("SRMATCH_SECRET_KEY must be at least 32 characters long")


# --- passwords ---------------------------------------------------------------------------


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """An argon2id hash of ``password``."""
    return (hasher or _hasher).hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises for a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def burn_verify_time(password: str) -> None:
    """Spend the time a real verification takes, so unknown user names cannot be told apart."""
    verify_password(password, _dummy_hash())


# --- bearer tokens -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: int
    role: str
    typ: TokenType
    jti: str
    expires_at: datetime


def create_token(
    user: User, *, typ: TokenType, settings: Settings, now: datetime | None = None
) -> str:
    """A signed JWT for ``user``: access tokens live minutes, refresh tokens hours."""
    now = now or datetime.now(UTC)
    ttl = (
        timedelta(minutes=settings.access_token_minutes)
        if typ == "access"
        else timedelta(hours=settings.refresh_token_hours)
    )
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "role": str(user.role),
        "typ": typ,
        "jti": uuid.uuid4().hex,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_token(token: str, *, expected: TokenType, settings: Settings) -> TokenClaims:
    """Verify signature, expiry and type; raise InvalidTokenError saying what is wrong."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub", "typ", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidTokenError("token expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidTokenError("invalid token") from exc
    if claims.get("typ") != expected:
        raise InvalidTokenError(f"expected a {expected} token")
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError) as exc:
        raise InvalidTokenError("invalid token subject") from exc
    return TokenClaims(
        user_id=user_id,
        role=str(claims.get("role", "")),
        typ=expected,
        jti=str(claims["jti"]),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
    )


# --- API keys ----------------------------------------------------------------------------


def _key_hash(key: str) -> str:
    # API keys carry 256 random bits, so a fast hash is enough (no dictionary to attack)
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """A fresh key ``srm_<prefix>_<secret>``: returns (key, prefix, sha256 hash)."""
    prefix = secrets.token_hex(6)
    key = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, _key_hash(key)


def user_for_api_key(session: Session, key: str) -> User | None:
    """The active user owning an unrevoked ``key`` (recording its use), else None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    row = session.exec(select(ApiKey).where(ApiKey.prefix == parts[1])).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, _key_hash(key)):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = datetime.now(UTC)
    session.add(row)
    session.commit()
    return user


# --- failed-login throttle ---------------------------------------------------------------


class LoginLocked(Exception):
    """Too many failed log-ins: refused until ``until``."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"locked until {until.isoformat()}")


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def login_delay_seconds(settings: Settings, failures: int) -> float:
    """The growing pause after the n-th consecutive failure (base doubles, capped at 4 s)."""
    base = float(getattr(settings, "login_delay_seconds", 0.25))
    if failures <= 0 or base <= 0:
        return 0.0
    return float(min(base * 2 ** (failures - 1), 4.0))


def authenticate(
    session: Session, *, username: str, password: str, settings: Settings
) -> User | None:
    """The user for these credentials, or None; raises LoginLocked while locked out.

    Each failure is counted on the user row and answered after a growing delay; after
    ``settings.login_max_failures`` failures the account is refused for
    ``settings.login_lock_minutes`` minutes, even with the right password.
    """
    now = datetime.now(UTC)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        burn_verify_time(password)
        return None
    if user.locked_until is not None and _aware(user.locked_until) > now:
        raise LoginLocked(_aware(user.locked_until))
    if user.active and verify_password(password, user.password_hash):
        if user.failed_logins or user.locked_until:
            user.failed_logins, user.locked_until = 0, None
            session.add(user)
            session.commit()
        return user
    user.failed_logins += 1
    failures = user.failed_logins
    if failures >= settings.login_max_failures:
        user.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
        user.failed_logins = 0
    session.add(user)
    session.commit()
    time.sleep(login_delay_seconds(settings, failures))
    return None
