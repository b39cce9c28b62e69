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
from sqlalchemy import Engine, case, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from api.config import DEMO_SECRET, Settings
from models.organisations import ApiKey, LoginThrottle, User

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
    version: int = 0

    def current_for(self, user: User | None) -> bool:
        """True when ``user`` is this token's active user and has not revoked it since."""
        return (
            user is not None
            and user.id == self.user_id
            and user.active
            and self.version == int(user.token_version or 0)
        )


def create_token(
    user: User,
    *,
    typ: TokenType,
    settings: Settings,
    now: datetime | None = None,
    jti: str | None = None,
) -> str:
    """A signed JWT for ``user``: access tokens live minutes, refresh tokens hours. It carries
    the user's ``token_version``: raising that (log-out, a new password) revokes it."""
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
        "jti": jti or uuid.uuid4().hex,
        "ver": int(user.token_version or 0),
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
        version=_int_claim(claims.get("ver", 0)),
    )


def _int_claim(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise InvalidTokenError("invalid token version") from exc


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
    """Too many log-in attempts for this name or address: paused until ``until``."""

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


#: the first pause once a key reaches its limit; each further one doubles, up to the key's cap
FIRST_PAUSE = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    key: str
    limit: int
    cap: timedelta
    #: failures further apart than this are forgotten (a key's count starts again)
    window: timedelta = timedelta(minutes=15)


def throttle_keys(username: str, address: str | None, settings: Settings) -> list[ThrottleKey]:
    """What one log-in attempt counts against, sorted (rows are locked in this order).

    - the pair of name and client address: ``login_max_failures`` attempts, then pauses up to
      ``login_lock_minutes``: guessing one user's password from one place stops quickly;
    - the name alone, from anywhere: four times as many, pauses of at most a minute, so a
      distributed guess is slowed while nobody can lock a user out for long from elsewhere;
    - the address alone: four times as many, for one client trying many names.
    """
    name = username.strip().casefold()[:80]
    addr = (address or "unknown")[:64]
    limit = settings.login_max_failures
    cap = timedelta(minutes=settings.login_lock_minutes)
    window = max(cap, timedelta(minutes=15))
    keys = [
        ThrottleKey(f"pair:{name}|{addr}", limit, cap, window),
        ThrottleKey(f"user:{name}", 4 * limit, min(cap, timedelta(minutes=1)), window),
        ThrottleKey(f"addr:{addr}", 4 * limit, cap, window),
    ]
    return sorted(keys, key=lambda k: k.key)


def _pause(key: ThrottleKey, pauses: int) -> timedelta:
    return min(FIRST_PAUSE * 2 ** min(pauses, 20), key.cap)


def reserve_attempt(engine: Engine, keys: list[ThrottleKey], now: datetime) -> int:
    """Count one attempt against every key before the password is checked, in one short
    transaction with the keys' rows locked, so parallel attempts cannot pass a limit.

    Raises LoginLocked while any key is paused. The attempt that reaches a key's limit pauses
    the key at once (it is still checked itself): parallel attempts after it wait. Returns the
    pair key's attempt count (for the growing delay of a failure).
    """
    names = [k.key for k in keys]
    with Session(engine, expire_on_commit=False) as s:
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        dialect = engine.dialect.name
        insert_: Any = pg_insert if dialect == "postgresql" else sqlite_insert
        for name in names:
            s.execute(
                insert_(table)
                .values(key=name, attempts=0, pauses=0, updated_at=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
        rows = {
            r.key: r
            for r in s.exec(
                select(LoginThrottle)
                .where(col(LoginThrottle.key).in_(names))
                .order_by(col(LoginThrottle.key))
                .with_for_update()
            ).all()
        }
        paused = [
            _aware(r.blocked_until)
            for r in rows.values()
            if r.blocked_until is not None and _aware(r.blocked_until) > now
        ]
        if paused:
            s.commit()
            raise LoginLocked(max(paused))
        for k in keys:
            row = rows[k.key]
            if row.updated_at is not None and now - _aware(row.updated_at) > k.window:
                row.attempts, row.pauses = 0, 0  # a quiet spell: earlier failures are forgotten
            row.attempts += 1
            row.updated_at = now
            if row.attempts >= k.limit:
                row.blocked_until = now + _pause(k, row.pauses)
                row.pauses += 1
            s.add(row)
        pair = next(rows[k.key].attempts for k in keys if k.key.startswith("pair:"))
        s.commit()
    return pair


def clear_attempts(session: Session, keys: list[ThrottleKey]) -> None:
    """A successful log-in: the name's and the pair's counts start again; the address's count
    gives back this attempt (it counts failures only: an office behind one address logs in all
    day), lifting the pause this attempt may have started. In the caller's transaction."""
    names = [k.key for k in keys if not k.key.startswith("addr:")]
    session.execute(
        update(LoginThrottle)
        .where(col(LoginThrottle.key).in_(names))
        .values(attempts=0, pauses=0, blocked_until=None)
    )
    for k in keys:
        if k.key.startswith("addr:"):
            attempts = col(LoginThrottle.attempts)
            session.execute(
                update(LoginThrottle)
                .where(col(LoginThrottle.key) == k.key, attempts > 0)
                .values(
                    attempts=attempts - 1,
                    blocked_until=case(
                        (attempts - 1 < k.limit, None), else_=col(LoginThrottle.blocked_until)
                    ),
                )
            )


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    settings: Settings,
    address: str | None = None,
) -> User | None:
    """The user for these credentials, or None; raises LoginLocked while paused.

    Known and unknown names are answered alike: the attempt is counted per name, per client
    address and per pair (:func:`throttle_keys`, :func:`reserve_attempt`) before anything else,
    the password is always checked against a hash (a dummy one for an unknown or inactive
    user), and a failure waits the same growing delay.
    """
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    keys = throttle_keys(username, address, settings)
    attempts = reserve_attempt(engine, keys, datetime.now(UTC))
    user = session.exec(select(User).where(User.username == username)).first()
    ok = verify_password(password, user.password_hash if user is not None else _dummy_hash())
    if ok and user is not None and user.active:
        clear_attempts(session, keys)
        return user
    time.sleep(login_delay_seconds(settings, attempts))
    return None
