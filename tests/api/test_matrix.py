"""Acceptance 1: every route, every role, on an own and a foreign object.

Each entry names the route, how to call it (path ids and body for side A = own, side B =
foreign) and the expected status per role. ``test_every_route_is_in_the_matrix`` fails when a
route is added without an entry. Each route runs in a fresh world (SQLite; see the test); routes
about placements also get one placement per side, started 400 days ago so every check is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.config import Settings
from api.main import create_app
from models.efforts import SrEffort, SrEffortEvidence
from models.placements import Placement
from models.portal import CandidateSearch, ProposalRequest
from tests.api.conftest import (
    PASSWORD,
    Side,
    World,
    api_settings,
    auth,
    consent_introduce,
    make_candidate,
    make_world,
)

ROLES = ("coach", "contractor", "sr_officer", "admin")
MISSING = 999_999


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    #: role -> (status on own object, status on foreign object); missing roles get 403
    ok: dict[str, tuple[int, int]]
    body: Callable[[World, Side], dict[str, Any]] | None = None
    files: Callable[[World, Side], dict[str, Any]] | None = None
    form: Callable[[World, Side], dict[str, Any]] | None = None
    query: Callable[[World, Side], dict[str, Any]] | None = None
    public: int | None = None  # status for everyone, logged in or not
    anonymous: int = 401
    extra: dict[str, Any] = field(default_factory=dict)
    #: puts both sides' objects in the state the route needs (e.g. a consented introduction)
    prepare: Callable[[Session, World], None] | None = None


def _consented(session: Session, w: World) -> None:
    """Both sides' referrals introduced with a consent record."""
    for side in (w.a, w.b):
        consent_introduce(session, side.referral)


def _proposed(session: Session, w: World) -> None:
    """Both sides' referrals back at ``proposed`` (not introduced yet)."""
    for side in (w.a, w.b):
        side.referral.status = "proposed"
        session.add(side.referral)
    session.commit()


def own_foreign(status: int = 200) -> tuple[int, int]:
    return (status, 404)


def same(status: int = 200) -> tuple[int, int]:
    return (status, status)


def _portal(session: Session, w: World) -> None:
    """Per side: a pending SR effort on its contract, a pending proposal request for its
    candidate on its free vacancy, and a search with one handle (another candidate of its
    coach, for its vacancy) a contractor can ask about; ids on the side (``_ids`` reads them)."""
    for s in (w.a, w.b):
        effort = SrEffort(
            contract_id=s.contract.id,  # type: ignore[arg-type]
            contractor_id=s.contractor.id,  # type: ignore[arg-type]
            kind="social_purchasing",
            description="Catering van een sociale onderneming",
            day=dt.date.today(),
            amount_cents=100_000,
        )
        req = ProposalRequest(
            contractor_id=s.contractor.id,  # type: ignore[arg-type]
            vacancy_id=s.free_vacancy.id,  # type: ignore[arg-type]
            candidate_id=s.candidate.id,  # type: ignore[arg-type]
            handle="h-own",
        )
        other = make_candidate(session, municipality_id=s.municipality.id, coach_id=s.coach.id)
        search = CandidateSearch(
            token=_search_token(w, s),
            contractor_id=s.contractor.id,  # type: ignore[arg-type]
            vacancy_id=s.vacancy.id,  # type: ignore[arg-type]
            handles={"h-ask": other.id},
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
        )
        session.add_all([effort, req, search])
        session.commit()
        session.add(
            SrEffortEvidence(
                effort_id=effort.id,  # type: ignore[arg-type]
                filename="factuur.pdf",
                media_type="application/pdf",
                size=9,
                sha256="0" * 64,
                content=b"%PDF-1.4\n",
            )
        )
        session.commit()
        s.effort_id, s.proposal_request_id = effort.id, req.id  # type: ignore[attr-defined]


def _search_token(w: World, s: Side) -> str:
    return f"search-token-{s.contractor.id}"


def _check(w: World, s: Side) -> dict[str, Any]:
    return {
        "months": 3,
        "checked_on": dt.date.today().isoformat(),
        "still_employed": True,
        "off_benefit": False,
    }


def _report_query(w: World, s: Side) -> dict[str, Any]:
    return {"scope": "contract", "name": s.contract.ref}


def _csv(text: str) -> Callable[[World, Side], dict[str, Any]]:
    return lambda w, s: {"file": ("upload.csv", text.replace("{name}", s.contractor.name))}


MATRIX: dict[tuple[str, str], Entry] = {
    e.method + " " + e.path: e  # type: ignore[misc]
    for e in [
        # auth
        Entry(
            "POST",
            "/api/v1/auth/token",
            {},
            public=200,
            form=lambda w, s: {"username": s.coach.username, "password": PASSWORD},
        ),
        Entry(
            "POST",
            "/api/v1/auth/refresh",
            {},
            public=200,
            body=lambda w, s: {"refresh_token": "REFRESH"},
        ),
        Entry("GET", "/api/v1/auth/me", {r: same() for r in ROLES}),
        Entry("POST", "/api/v1/auth/logout", {r: same() for r in ROLES}),
        # coaches
        Entry("GET", "/api/v1/coach/candidates", {"coach": same()}),
        Entry(
            "POST",
            "/api/v1/coach/candidates",
            {"coach": same(201)},
            body=lambda w, s: {"ref": "NEW-CAND", "postcode": "3511AB", "benefit": "ww"},
        ),
        Entry("GET", "/api/v1/coach/candidates/{candidate_id}", {"coach": own_foreign()}),
        Entry(
            "PATCH",
            "/api/v1/coach/candidates/{candidate_id}",
            {"coach": own_foreign()},
            body=lambda w, s: {"hours_per_week": 24},
        ),
        Entry(
            "POST", "/api/v1/coach/candidates/{candidate_id}/deactivate", {"coach": own_foreign()}
        ),
        Entry("GET", "/api/v1/coach/candidates/{candidate_id}/vacancies", {"coach": own_foreign()}),
        Entry("GET", "/api/v1/coach/candidates/{candidate_id}/doors", {"coach": own_foreign()}),
        Entry("GET", "/api/v1/coach/vacancies", {"coach": same()}),
        Entry("GET", "/api/v1/coach/vacancies/{vacancy_id}", {"coach": own_foreign()}),
        Entry("GET", "/api/v1/coach/vacancies/{vacancy_id}/shortlist", {"coach": own_foreign()}),
        # a coach overrules a served shortlist (no shortlist served in this world: 409)
        Entry(
            "POST",
            "/api/v1/coach/vacancies/{vacancy_id}/oversight",
            {"coach": (409, 404)},
            body=lambda w, s: {
                "candidate_id": s.candidate.id,
                "kind": "added",
                "reason": "better_fit_known",
            },
        ),
        Entry("GET", "/api/v1/coach/vacancies/{vacancy_id}/oversight", {"coach": own_foreign()}),
        Entry("GET", "/api/v1/coach/referrals", {"coach": same()}),
        Entry(
            "POST",
            "/api/v1/coach/referrals",
            {"coach": (201, 404)},
            body=lambda w, s: {"candidate_id": s.candidate.id, "vacancy_id": s.free_vacancy.id},
        ),
        Entry("GET", "/api/v1/coach/referrals/{referral_id}", {"coach": own_foreign()}),
        Entry(
            "POST",
            "/api/v1/coach/referrals/{referral_id}/transitions",
            {"coach": own_foreign()},
            body=lambda w, s: {"status": "interviewed"},
            prepare=_consented,
        ),
        Entry(
            "POST",
            "/api/v1/coach/referrals/{referral_id}/consent",
            {"coach": (201, 404)},
            body=lambda w, s: {"method": "signed"},
        ),
        Entry(
            "POST",
            "/api/v1/coach/referrals/{referral_id}/consent/withdraw",
            {"coach": own_foreign()},
            body=lambda w, s: {"reason": "wil niet meer"},
            prepare=_consented,
        ),
        Entry(
            "POST",
            "/api/v1/coach/imports/{kind}",
            {"coach": same()},
            extra={"kind": "candidates"},
            files=_csv("candidate_ref,postcode,benefit\nIMP-1,3511AB,ww\n"),
        ),
        Entry(
            "GET", "/api/v1/coach/exports/{kind}", {"coach": same()}, extra={"kind": "candidates"}
        ),
        Entry("GET", "/api/v1/coach/placements/checks-due", {"coach": same()}),
        Entry(
            "POST",
            "/api/v1/coach/placements/{placement_id}/checks",
            {"coach": own_foreign(201)},
            body=_check,
        ),
        Entry(
            "PATCH",
            "/api/v1/coach/placements/{placement_id}",
            {"coach": own_foreign()},
            body=lambda w, s: {"end_date": dt.date.today().isoformat()},
        ),
        # contractors
        Entry("GET", "/api/v1/contractor/contracts", {"contractor": same()}),
        Entry("GET", "/api/v1/contractor/contracts/{contract_id}", {"contractor": own_foreign()}),
        Entry("GET", "/api/v1/contractor/vacancies", {"contractor": same()}),
        Entry(
            "POST",
            "/api/v1/contractor/vacancies",
            {"contractor": same(201)},
            body=lambda w, s: {
                "ref": "NEW-VAC",
                "title": "Schoonmaker",
                "postcode": "3511AB",
                "hours_per_week": 24,
            },
        ),
        Entry("GET", "/api/v1/contractor/vacancies/{vacancy_id}", {"contractor": own_foreign()}),
        Entry(
            "PATCH",
            "/api/v1/contractor/vacancies/{vacancy_id}",
            {"contractor": own_foreign()},
            body=lambda w, s: {"positions": 2},
        ),
        Entry(
            "POST", "/api/v1/contractor/vacancies/{vacancy_id}/close", {"contractor": own_foreign()}
        ),
        Entry("GET", "/api/v1/contractor/referrals", {"contractor": same()}),
        Entry("GET", "/api/v1/contractor/referrals/{referral_id}", {"contractor": own_foreign()}),
        Entry(
            "POST",
            "/api/v1/contractor/referrals/{referral_id}/hire",
            {"contractor": (201, 404)},
            body=lambda w, s: {"start_date": dt.date.today().isoformat()},
            prepare=_consented,
        ),
        Entry(
            "POST",
            "/api/v1/contractor/referrals/{referral_id}/request-introduction",
            {"contractor": own_foreign()},
            body=lambda w, s: {"note": "graag kennismaken"},
            prepare=_proposed,
        ),
        Entry(
            "POST",
            "/api/v1/contractor/referrals/{referral_id}/interview",
            {"contractor": own_foreign()},
            body=lambda w, s: {},
            prepare=_consented,
        ),
        Entry(
            "POST",
            "/api/v1/contractor/referrals/{referral_id}/reject",
            {"contractor": own_foreign()},
            body=lambda w, s: {"reason_code": "experience", "reason": "te weinig ervaring"},
        ),
        Entry(
            "POST",
            "/api/v1/contractor/imports/{kind}",
            {"contractor": same()},
            extra={"kind": "vacancies"},
            files=_csv(
                "vacancy_ref,contractor,title,postcode,hours_per_week\n"
                "IMP-V1,{name},Schoonmaker,3511AB,24\n"
            ),
        ),
        Entry(
            "GET",
            "/api/v1/contractor/exports/{kind}",
            {"contractor": same()},
            extra={"kind": "vacancies"},
        ),
        Entry("GET", "/api/v1/contractor/placements/checks-due", {"contractor": same()}),
        Entry(
            "POST",
            "/api/v1/contractor/placements/{placement_id}/checks",
            {"contractor": own_foreign(201)},
            body=_check,
        ),
        Entry(
            "PATCH",
            "/api/v1/contractor/placements/{placement_id}",
            {"contractor": own_foreign()},
            body=lambda w, s: {"end_date": dt.date.today().isoformat()},
        ),
        # SR team
        Entry("GET", "/api/v1/sr-officer/contracts", {"sr_officer": same()}),
        Entry(
            "POST",
            "/api/v1/sr-officer/contracts",
            {"sr_officer": same(201)},
            body=lambda w, s: {
                "ref": "NEW-CON",
                "contractor": s.contractor.name,
                "value_cents": 50_000_000,
            },
        ),
        Entry("GET", "/api/v1/sr-officer/contracts/{contract_id}", {"sr_officer": own_foreign()}),
        Entry(
            "PATCH",
            "/api/v1/sr-officer/contracts/{contract_id}",
            {"sr_officer": own_foreign()},
            body=lambda w, s: {"sr_percentage": 6.0, "social_purchasing_cents": 100_000},
        ),
        Entry(
            "GET",
            "/api/v1/sr-officer/contracts/{contract_id}/report",
            {"sr_officer": own_foreign()},
        ),
        Entry("GET", "/api/v1/sr-officer/durability", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/near-misses", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/reach", {"sr_officer": same()}),
        Entry(
            "GET", "/api/v1/sr-officer/reports", {"sr_officer": own_foreign()}, query=_report_query
        ),
        Entry(
            "GET",
            "/api/v1/sr-officer/reports/download",
            {"sr_officer": own_foreign()},
            query=_report_query,
        ),
        Entry("GET", "/api/v1/sr-officer/matching-success", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/vacancies", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/vacancies/{vacancy_id}", {"sr_officer": own_foreign()}),
        Entry("GET", "/api/v1/sr-officer/referrals", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/referrals/{referral_id}", {"sr_officer": own_foreign()}),
        Entry("GET", "/api/v1/sr-officer/placements", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/audit", {"sr_officer": same()}),
        Entry("GET", "/api/v1/sr-officer/fairness", {"sr_officer": same()}),
        # model cards are public documents of the organisation: every version for every officer
        Entry(
            "GET",
            "/api/v1/sr-officer/model-versions/{version_id}/card",
            {"sr_officer": same()},
        ),
        Entry(
            "POST",
            "/api/v1/sr-officer/imports/{kind}",
            {"sr_officer": same()},
            extra={"kind": "contracts"},
            files=_csv("contract_ref,contractor,value_eur\nIMP-C1,{name},1000000\n"),
        ),
        Entry(
            "GET",
            "/api/v1/sr-officer/exports/{kind}",
            {"sr_officer": same()},
            extra={"kind": "candidates"},
        ),
        # the contractor portal (api.routers.portal)
        Entry("GET", "/api/v1/contractor/reports", {"contractor": same()}),
        Entry(
            "GET",
            "/api/v1/contractor/contracts/{contract_id}/report",
            {"contractor": own_foreign()},
        ),
        Entry(
            "POST",
            "/api/v1/contractor/efforts",
            {"contractor": (201, 404)},
            body=lambda w, s: {
                "contract_id": s.contract.id,
                "kind": "social_purchasing",
                "description": "Schoonmaak door een sociale onderneming",
                "day": dt.date.today().isoformat(),
                "amount_eur": 2500.0,
            },
        ),
        Entry("GET", "/api/v1/contractor/efforts", {"contractor": same()}, prepare=_portal),
        Entry(
            "GET",
            "/api/v1/contractor/efforts/{effort_id}",
            {"contractor": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "POST",
            "/api/v1/contractor/efforts/{effort_id}/evidence",
            {"contractor": own_foreign()},
            files=lambda w, s: {"file": ("bon.pdf", b"%PDF-1.4 bon", "application/pdf")},
            prepare=_portal,
        ),
        Entry(
            "GET",
            "/api/v1/contractor/efforts/{effort_id}/evidence",
            {"contractor": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "GET",
            "/api/v1/sr-officer/efforts/{effort_id}/evidence",
            {"sr_officer": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "POST",
            "/api/v1/contractor/candidate-searches",
            {"contractor": (200, 404)},
            body=lambda w, s: {"vacancy_id": s.vacancy.id},
        ),
        Entry(
            "POST",
            "/api/v1/contractor/proposal-requests",
            {"contractor": (201, 404)},
            body=lambda w, s: {"search_token": _search_token(w, s), "handle": "h-ask"},
            prepare=_portal,
        ),
        Entry(
            "GET", "/api/v1/contractor/proposal-requests", {"contractor": same()}, prepare=_portal
        ),
        Entry("GET", "/api/v1/sr-officer/efforts", {"sr_officer": same()}, prepare=_portal),
        Entry(
            "GET",
            "/api/v1/sr-officer/efforts/{effort_id}",
            {"sr_officer": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "POST",
            "/api/v1/sr-officer/efforts/{effort_id}/approve",
            {"sr_officer": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "POST",
            "/api/v1/sr-officer/efforts/{effort_id}/reject",
            {"sr_officer": own_foreign()},
            body=lambda w, s: {"reason": "geen factuur bijgevoegd"},
            prepare=_portal,
        ),
        Entry("GET", "/api/v1/coach/proposal-requests", {"coach": same()}, prepare=_portal),
        Entry(
            "POST",
            "/api/v1/coach/proposal-requests/{proposal_request_id}/accept",
            {"coach": own_foreign()},
            prepare=_portal,
        ),
        Entry(
            "POST",
            "/api/v1/coach/proposal-requests/{proposal_request_id}/decline",
            {"coach": own_foreign()},
            body=lambda w, s: {"reason": "werkt al elders"},
            prepare=_portal,
        ),
        # admin (foreign = an id that does not exist: admins see everything)
        Entry("GET", "/api/v1/admin/users", {"admin": same()}),
        Entry(
            "POST",
            "/api/v1/admin/users",
            {"admin": same(201)},
            body=lambda w, s: {
                "username": "newadmin",
                "role": "admin",
                "password": "a long enough password",
            },
        ),
        Entry("GET", "/api/v1/admin/users/{user_id}", {"admin": own_foreign()}),
        Entry(
            "PATCH",
            "/api/v1/admin/users/{user_id}",
            {"admin": own_foreign()},
            body=lambda w, s: {"full_name": "Renamed"},
        ),
        Entry("GET", "/api/v1/admin/api-keys", {"admin": same()}),
        Entry(
            "POST",
            "/api/v1/admin/api-keys",
            {"admin": same(201)},
            body=lambda w, s: {"user_id": s.contractor_user.id, "name": "erp"},
        ),
        Entry("POST", "/api/v1/admin/api-keys/{key_id}/revoke", {"admin": own_foreign()}),
        Entry("GET", "/api/v1/admin/model-versions", {"admin": same()}),
        Entry("POST", "/api/v1/admin/model-versions", {"admin": same()}),
        Entry("GET", "/api/v1/admin/model-versions/{version_id}", {"admin": own_foreign()}),
        Entry("GET", "/api/v1/admin/fairness", {"admin": same()}),
        Entry("GET", "/api/v1/admin/model-versions/{version_id}/card", {"admin": own_foreign()}),
        # the world's version was rejected against the baseline: nothing to override (409)
        Entry(
            "POST",
            "/api/v1/admin/model-versions/{version_id}/fairness-override",
            {"admin": (409, 404)},
            body=lambda w, s: {"reason": "reviewed by the SR team on 2026-12-01"},
        ),
        # health
        Entry("GET", "/healthz", {}, public=200),
        Entry("GET", "/readyz", {}, public=200),
        Entry("GET", "/metrics", {"admin": same()}),
        # privacy: access, erasure, an explanation for the person, retention
        Entry(
            "GET",
            "/api/v1/privacy/candidates/{candidate_id}/export",
            {"coach": own_foreign(), "sr_officer": own_foreign()},
        ),
        Entry(
            "POST",
            "/api/v1/privacy/candidates/{candidate_id}/erase",
            # roles run in order: the coach's call has erased the own candidate already
            {"coach": own_foreign(), "sr_officer": (409, 404)},
        ),
        Entry(
            "GET",
            "/api/v1/privacy/candidates/{candidate_id}/explanation",
            {"coach": own_foreign()},
            query=lambda w, s: {"vacancy_id": s.vacancy.id},
        ),
        Entry("GET", "/api/v1/privacy/retention", {"admin": same()}),
        Entry("POST", "/api/v1/privacy/retention", {"admin": same()}),
    ]
}


def _add_placements(session: Session, w: World) -> dict[int, int]:
    """One placement per side (candidate, vacancy, contract of that side): side id -> its id."""
    out: dict[int, int] = {}
    for s in (w.a, w.b):
        p = Placement(
            candidate_id=s.candidate.id,  # type: ignore[arg-type]
            vacancy_id=s.vacancy.id,  # type: ignore[arg-type]
            contract_id=s.contract.id,
            start_date=dt.date.today() - dt.timedelta(days=400),
            hours_per_week=24,
        )
        session.add(p)
        session.commit()
        assert p.id is not None
        out[id(s)] = p.id
    return out


def _ids(w: World, s: Side | None, placements: dict[int, int] | None = None) -> dict[str, Any]:
    if s is None:  # the foreign object for admins: one that does not exist
        return dict.fromkeys(
            (
                "candidate_id",
                "vacancy_id",
                "referral_id",
                "contract_id",
                "user_id",
                "key_id",
                "version_id",
                "placement_id",
                "effort_id",
                "proposal_request_id",
            ),
            MISSING,
        )
    return {
        "placement_id": (placements or {}).get(id(s), MISSING),
        "candidate_id": s.candidate.id,
        "vacancy_id": s.vacancy.id,
        "referral_id": s.referral.id,
        "contract_id": s.contract.id,
        "user_id": s.coach.id,
        "key_id": s.api_key.id,
        "version_id": w.model_version_id,
        "effort_id": getattr(s, "effort_id", MISSING),
        "proposal_request_id": getattr(s, "proposal_request_id", MISSING),
    }


def _call(
    client: TestClient,
    entry: Entry,
    w: World,
    side: Side,
    ids: dict[str, Any],
    headers: dict[str, str],
    settings: Settings,
) -> int:
    path = entry.path.format(**ids, **entry.extra)
    kwargs: dict[str, Any] = {"headers": headers}
    if entry.body is not None:
        body = entry.body(w, side)
        if body.get("refresh_token") == "REFRESH":  # a recorded one, as a log-in issues
            login = {"username": side.coach.username, "password": PASSWORD}
            body["refresh_token"] = client.post("/api/v1/auth/token", data=login).json()[
                "refresh_token"
            ]
        kwargs["json"] = body
    if entry.form is not None:
        kwargs["data"] = entry.form(w, side)
    if entry.files is not None:
        kwargs["files"] = entry.files(w, side)
    if entry.query is not None:
        kwargs["params"] = entry.query(w, side)
    response = client.request(entry.method, path, **kwargs)
    assert response.status_code < 500, response.text
    return response.status_code


def _user_for(role: str, w: World, s: Side) -> Any:
    return {
        "coach": s.coach,
        "contractor": s.contractor_user,
        "sr_officer": s.sr_officer,
        "admin": w.admin,
    }[role]


def test_every_route_is_in_the_matrix(settings: Settings) -> None:
    app = create_app(settings)
    routes = {
        f"{method.upper()} {path}"
        for path, methods in app.openapi()["paths"].items()
        for method in methods
    }
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without an authorisation matrix entry: {missing}"
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


# SQLite only, to keep the API suite fast (the full matrix took ~185 s on both backends on
# 2 busy cores); the same scoping queries run on PostgreSQL in test_privacy_and_audit/test_auth.
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_authorisation_matrix(key: str, client: TestClient, session: Session) -> None:
    entry = MATRIX[key]
    settings = api_settings()
    w = make_world(session)
    if entry.prepare is not None:
        entry.prepare(session, w)
    a, b = w.a, w.b
    placements = _add_placements(session, w) if "/placements" in entry.path else None
    own_ids, foreign_ids_b = _ids(w, a, placements), _ids(w, b, placements)
    if entry.public is not None:
        got = _call(client, entry, w, a, own_ids, {}, settings)
        assert got == entry.public, f"{key} anonymous: {got}"
        return
    got = _call(client, entry, w, a, own_ids, {}, settings)
    assert got == entry.anonymous, f"{key} anonymous: {got} != {entry.anonymous}"
    results: dict[str, tuple[int, int]] = {}
    expected: dict[str, tuple[int, int]] = {}
    for role in ROLES:
        own_s, foreign_s = entry.ok.get(role, (403, 403))
        expected[role] = (own_s, foreign_s)
        user = _user_for(role, w, a)
        headers = auth(user, settings)
        if "_id}" not in entry.path and own_s == foreign_s:
            # nothing foreign to name: one call (a create must not run twice)
            own = foreign = _call(client, entry, w, a, own_ids, headers, settings)
        else:
            foreign_ids = _ids(w, None) if role == "admin" else foreign_ids_b
            foreign = _call(client, entry, w, b, foreign_ids, headers, settings)
            own = _call(client, entry, w, a, own_ids, headers, settings)
        results[role] = (own, foreign)
    assert results == expected, f"{key}: got {results}, expected {expected}"
