"""API test fixtures: a TestClient on the per-test database, plain factories, token helpers.

Every response the ``client`` fixture sees is checked at teardown: a successful response that
carries candidate data (a candidate, a referral, a shortlist entry, a candidate-bearing export)
must have left at least one audit event with its request id (acceptance 3).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.config import Settings
from api.main import create_app
from api.security import create_token
from api.services import audit_attributes
from api.services.profiles import concept_dicts
from matcher.normalize import get_normalizer
from models.audit import AuditEvent
from models.candidates import Candidate
from models.contracts import Contract
from models.organisations import ApiKey, Contractor, Municipality, Role, User
from models.referrals import Referral, ReferralConsent, ReferralEvent
from models.vacancies import Vacancy

TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "correct horse battery"
#: cheap argon2 parameters for test users; verification reads them from the hash
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_FAST_HASH = _FAST_HASHER.hash(PASSWORD)

#: keys whose presence in a JSON response means candidate data left the server
CANDIDATE_KEYS = frozenset({"benefit", "candidate_ref", "candidate_id", "counts_for_sr"})
#: responses that carry candidate ids but are the audit trail itself
NOT_PERSONAL_PATHS = ("/api/v1/sr-officer/audit",)
CANDIDATE_EXPORTS = ("candidates", "outcomes", "placements")


def api_settings(**overrides: Any) -> Settings:
    """Settings for tests: a real secret, no demo mode, fast refresh thread off the hot path."""
    values: dict[str, Any] = {
        "secret_key": TEST_SECRET,
        "demo_mode": False,
        "database_url": "sqlite://",
        "index_refresh_seconds": 30.0,
        "login_max_failures": 3,
        "login_lock_minutes": 15,
        "max_upload_mb": 0.05,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings() -> Settings:
    return api_settings()


def _has_candidate_data(value: Any) -> bool:
    if isinstance(value, dict):
        if any(k in CANDIDATE_KEYS and value[k] not in (None, "") for k in value):
            return True
        return any(_has_candidate_data(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_candidate_data(v) for v in value)
    return False


def personal_data_response(response: httpx.Response) -> bool:
    """True when a successful response carries candidate data (so it must be audited)."""
    if response.status_code >= 300:
        return False
    path = response.request.url.path
    if path.startswith(NOT_PERSONAL_PATHS):
        return False
    if "/exports/" in path:
        kind = path.rsplit("/", 1)[-1]
        return kind in CANDIDATE_EXPORTS and response.content.count(b"\n") > 1
    if not response.headers.get("content-type", "").startswith("application/json"):
        return False
    return _has_candidate_data(json.loads(response.content or b"null"))


def assert_personal_reads_audited(engine: Engine, responses: list[httpx.Response]) -> None:
    """Acceptance 3: every response with candidate data left an audit event."""
    needed = {
        r.headers["x-request-id"]: f"{r.request.method} {r.request.url.path}"
        for r in responses
        if personal_data_response(r)
    }
    if not needed:
        return
    with Session(engine) as s:
        logged = set(
            s.exec(
                select(AuditEvent.request_id).where(
                    AuditEvent.request_id.in_(list(needed))  # type: ignore[union-attr]
                )
            ).all()
        )
    missing = {rid: what for rid, what in needed.items() if rid not in logged}
    assert not missing, f"personal-data responses without an audit event: {missing}"


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A client on a fresh app over this test's database; audit checked at teardown."""
    app = create_app(settings, engine=engine)
    seen: list[httpx.Response] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    try:
        with TestClient(app) as c:
            c.event_hooks = {"request": [], "response": [keep]}
            yield c
        assert_personal_reads_audited(engine, seen)
    finally:
        app.dependency_overrides.clear()


# --- factories -------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def _n() -> int:
    return next(_counter)


def make_municipality(session: Session, **overrides: Any) -> Municipality:
    m = Municipality(**{"name": f"Gemeente {_n()}", **overrides})
    session.add(m)
    session.commit()
    return m


def make_contractor(session: Session, **overrides: Any) -> Contractor:
    c = Contractor(**{"name": f"Bouwbedrijf {_n()}", **overrides})
    session.add(c)
    session.commit()
    return c


def make_user(
    session: Session,
    *,
    role: Role | str,
    municipality: Municipality | None = None,
    contractor: Contractor | None = None,
    **overrides: Any,
) -> User:
    role = Role(role)
    if role in (Role.coach, Role.sr_officer) and municipality is None:
        municipality = make_municipality(session)
    if role == Role.contractor and contractor is None:
        contractor = make_contractor(session)
    values: dict[str, Any] = {
        "username": f"{role.value}{_n()}",
        "full_name": f"Test {role.value}",
        "role": role,
        "municipality_id": municipality.id if municipality else None,
        "contractor_id": contractor.id if contractor else None,
        "password_hash": _FAST_HASH,
    }
    values.update(overrides)
    u = User(**values)
    session.add(u)
    session.commit()
    return u


def make_candidate(session: Session, **overrides: Any) -> Candidate:
    """A candidate in Utrecht with a normalised form set directly (no normaliser needed)."""
    values: dict[str, Any] = {
        "ref": f"CL-{_n():05d}",
        "postcode": "3511AB",
        "benefit": "participatiewet",
        "skills": ["heftruck", "magazijn"],
        "occupations": ["magazijnmedewerker"],
        "education": "mbo2",
        "dutch_level": "B1",
        "hours_per_week": 32.0,
        "max_travel_km": 25.0,
        "pc4": "3511",
        "lat": 52.0907,
        "lon": 5.1214,
        "education_level": 2,
        "dutch_level_ord": 3,
        "consent_share": True,
    }
    if "municipality_id" not in overrides:
        values["municipality_id"] = make_municipality(session).id
    values.update(overrides)
    if "skills_norm" not in overrides:  # what an import would have stored
        norm = get_normalizer().profile(values["skills"], values["occupations"])
        values["skills_norm"] = concept_dicts(norm.skills)
        values["occupations_norm"] = concept_dicts(norm.occupations)
    # birth year and gender are kept apart from the profile (models.audit_attributes)
    audit_only = (values.pop("birth_year", None), values.pop("gender", None))
    c = Candidate(**values)
    session.add(c)
    session.flush()
    assert c.id is not None
    if audit_only != (None, None):
        audit_attributes.store(session, c.id, *audit_only)
    session.commit()
    return c


def make_contract(session: Session, **overrides: Any) -> Contract:
    values: dict[str, Any] = {"ref": f"CT-{_n()}", "value_cents": 100_000_000}
    if "contractor_id" not in overrides:
        values["contractor_id"] = make_contractor(session).id
    values.update(overrides)
    c = Contract(**values)
    session.add(c)
    session.commit()
    return c


def make_vacancy(session: Session, **overrides: Any) -> Vacancy:
    values: dict[str, Any] = {
        "ref": f"VAC-{_n()}",
        "title": "Magazijnmedewerker",
        "required_skills": ["heftruck"],
        "postcode": "3542AA",
        "hours_per_week": 36.0,
        "pc4": "3542",
        "lat": 52.1,
        "lon": 5.05,
    }
    if "contractor_id" not in overrides:
        values["contractor_id"] = make_contractor(session).id
    values.update(overrides)
    v = Vacancy(**values)
    session.add(v)
    session.commit()
    return v


def make_referral(
    session: Session,
    *,
    candidate: Candidate,
    vacancy: Vacancy,
    status: str = "proposed",
    **overrides: Any,
) -> Referral:
    r = Referral(
        candidate_id=candidate.id,  # type: ignore[arg-type]
        vacancy_id=vacancy.id,  # type: ignore[arg-type]
        status=status,
        status_date=overrides.pop("status_date", dt.date.today() - dt.timedelta(days=7)),
        **overrides,
    )
    session.add(r)
    session.flush()
    session.add(ReferralEvent(referral_id=r.id, status=status, date=r.status_date))  # type: ignore[arg-type]
    session.commit()
    return r


def consent_introduce(session: Session, referral: Referral, *, method: str = "in_person") -> None:
    """Record the candidate's consent for ``referral`` and mark it introduced with consent, as
    the referral service does when a coach introduces with a consent record."""
    session.add(
        ReferralConsent(referral_id=referral.id, method=method, given_on=referral.status_date)  # type: ignore[arg-type]
    )
    referral.introduced_with_consent = True
    session.add(referral)
    session.commit()


def make_api_key(session: Session, *, user: User, revoked: bool = False) -> tuple[ApiKey, str]:
    from api.security import new_api_key

    key, prefix, key_hash = new_api_key()
    row = ApiKey(
        user_id=user.id,  # type: ignore[arg-type]
        name="erp",
        prefix=prefix,
        key_hash=key_hash,
        revoked_at=dt.datetime.now(dt.UTC) if revoked else None,
    )
    session.add(row)
    session.commit()
    return row, key


def auth(user: User, settings: Settings) -> dict[str, str]:
    """Authorization headers with a fresh access token for ``user``."""
    return {"Authorization": f"Bearer {create_token(user, typ='access', settings=settings)}"}


# --- a two-sided world for authorisation tests -----------------------------------------


@dataclass
class Side:
    municipality: Municipality
    contractor: Contractor
    coach: User
    other_coach: User
    contractor_user: User
    sr_officer: User
    candidate: Candidate
    contract: Contract
    vacancy: Vacancy
    referral: Referral
    api_key: ApiKey
    free_vacancy: Vacancy


@dataclass
class World:
    a: Side
    b: Side
    admin: User
    model_version_id: int


def _side(session: Session, name: str) -> Side:
    muni = make_municipality(session, name=f"Gemeente {name}")
    con = make_contractor(session, name=f"Aannemer {name}")
    coach = make_user(session, role=Role.coach, municipality=muni, username=f"coach_{name}")
    other = make_user(session, role=Role.coach, municipality=muni, username=f"coach2_{name}")
    cu = make_user(session, role=Role.contractor, contractor=con, username=f"contr_{name}")
    sr = make_user(session, role=Role.sr_officer, municipality=muni, username=f"sr_{name}")
    cand = make_candidate(session, municipality_id=muni.id, coach_id=coach.id, ref=f"REF-{name}")
    contract = make_contract(session, contractor_id=con.id, municipality_id=muni.id)
    vac = make_vacancy(
        session, contractor_id=con.id, contract_id=contract.id, municipality_id=muni.id
    )
    ref = make_referral(
        session, candidate=cand, vacancy=vac, status="introduced", introduced_with_consent=False
    )
    key, _ = make_api_key(session, user=cu)
    free = make_vacancy(
        session, contractor_id=con.id, contract_id=contract.id, municipality_id=muni.id
    )
    return Side(muni, con, coach, other, cu, sr, cand, contract, vac, ref, key, free)


def make_world(session: Session) -> World:
    from models.model_versions import ModelVersion

    a, b = _side(session, "A"), _side(session, "B")
    admin = make_user(session, role=Role.admin, username="admin")
    mv = ModelVersion(version="test-1", status="rejected", metrics={"ndcg@10": 0.5})
    session.add(mv)
    session.commit()
    assert mv.id is not None
    return World(a=a, b=b, admin=admin, model_version_id=mv.id)
