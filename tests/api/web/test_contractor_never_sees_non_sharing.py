"""Issue 11 acceptance: a contractor never receives any field of a candidate who does not share
data (``consent_share`` false), not even an id or an anonymous profile. The test walks every
contractor API route (read from the app's OpenAPI, so a route added later is walked too) and
every contractor page, on a world where such a candidate was referred, introduced with a
consent record and hired on the contractor's vacancy before withdrawing consent, and looks for
any trace of them in every answer: their ids (made distinctive), reference and hours.

The placement of a hire made while the person consented is the contractor's own employment
record and stays in the contract's SR trace and durability follow-ups (the realisation counts
it), but as a placement only: no candidate field, no referral, no profile."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

import api.web
from models.placements import Placement
from models.referrals import Referral, ReferralConsent, ReferralEvent
from tests.api.conftest import World, api_settings, auth, make_candidate, make_world
from tests.api.web.conftest import log_in

#: distinctive values of the non-sharing candidate: none may appear in a contractor's answer
SHY_CANDIDATE, SHY_REFERRAL, SHY_PLACEMENT = 7_777_701, 7_777_702, 7_777_703
SHY_REF, SHY_HOURS = "SHY-7777", 13.25
SECRETS = (str(SHY_CANDIDATE), str(SHY_REFERRAL), SHY_REF, "13.25")

TODAY = dt.date.today()
BODIES: dict[str, Any] = {
    "/referrals/{referral_id}/hire": {"start_date": TODAY.isoformat()},
    "/referrals/{referral_id}/reject": {"reason_code": "other", "reason": "walk"},
    "/placements/{placement_id}/checks": {
        "months": 3,
        "checked_on": TODAY.isoformat(),
        "still_employed": True,
        "off_benefit": False,
    },
    "/vacancies": {"ref": "WALK-1", "title": "Schoonmaker", "postcode": "3511AB"},
    "/vacancies/{vacancy_id}": {"positions": 2},
}


def _shy_world(session: Session) -> World:
    """make_world plus a candidate of side A who stopped sharing after being referred,
    introduced with consent and hired on A's vacancy (a placement whose checks are due)."""
    w = make_world(session)
    start = TODAY - dt.timedelta(days=400)
    shy = make_candidate(
        session,
        id=SHY_CANDIDATE,
        ref=SHY_REF,
        municipality_id=w.a.municipality.id,
        coach_id=w.a.coach.id,
        hours_per_week=SHY_HOURS,
        consent_share=True,
    )
    ref = Referral(
        id=SHY_REFERRAL,
        candidate_id=SHY_CANDIDATE,
        vacancy_id=w.a.free_vacancy.id or 0,
        status="hired",
        status_date=start,
        introduced_with_consent=True,
        counts_for_sr=True,
    )
    session.add(ref)
    session.flush()
    for status, day in (("proposed", start), ("introduced", start), ("hired", start)):
        session.add(ReferralEvent(referral_id=SHY_REFERRAL, status=status, date=day))
    session.add(ReferralConsent(referral_id=SHY_REFERRAL, method="signed", given_on=start))
    session.add(
        Placement(
            id=SHY_PLACEMENT,
            candidate_id=SHY_CANDIDATE,
            vacancy_id=w.a.free_vacancy.id or 0,
            contract_id=w.a.contract.id,
            referral_id=SHY_REFERRAL,
            start_date=start,
            hours_per_week=24,
        )
    )
    # the visible candidate has a placement too, so the walk sees that data does flow
    session.add(
        Placement(
            candidate_id=w.a.candidate.id or 0,
            vacancy_id=w.a.vacancy.id or 0,
            contract_id=w.a.contract.id,
            referral_id=w.a.referral.id,
            start_date=start,
            hours_per_week=30,
        )
    )
    session.commit()
    shy.consent_share = False  # as a direct edit; the service path is tested beside this
    session.add(shy)
    session.commit()
    return w


def _ids(w: World, session: Session) -> dict[str, list[int]]:
    """Values to try for each path parameter: the own objects, and the shy candidate's."""
    visible_placement = session.exec(
        select(Placement.id).where(Placement.candidate_id == w.a.candidate.id)
    ).first()
    session.commit()  # end the read: the app's requests share this in-memory database
    return {
        "referral_id": [SHY_REFERRAL, w.a.referral.id or 0],
        "placement_id": [SHY_PLACEMENT, visible_placement or 0],
        "candidate_id": [SHY_CANDIDATE],
        "vacancy_id": [w.a.free_vacancy.id or 0, w.a.vacancy.id or 0],
        "contract_id": [w.a.contract.id or 0],
    }


def _paths(template: str, ids: dict[str, list[int]]) -> list[str]:
    names = re.findall(r"{(\w+)}", template)
    out = [template]
    for name in names:
        values: list[Any] = ids.get(name, ["vacancies"] if name == "kind" else [1])
        out = [p.replace("{" + name + "}", str(v)) for p in out for v in values]
    return out


def _contractor_pages() -> list[str]:
    """Every GET page under /contractor, from every page module of api.web (new ones too)."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(api.web.__path__):
        module = importlib.import_module(f"api.web.{info.name}")
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", []):
            path = getattr(route, "path", "")
            if path.startswith("/contractor") and "GET" in (getattr(route, "methods", None) or ()):
                found.add(path)
    return sorted(found)


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", text)]


def test_no_contractor_route_returns_anything_of_a_non_sharing_candidate(
    client: TestClient, session: Session
) -> None:
    w = _shy_world(session)
    client.app.state.matching.refresh(full=True)  # type: ignore[attr-defined]
    headers = auth(w.a.contractor_user, api_settings())
    ids = _ids(w, session)
    routes = [
        (method.upper(), path)
        for path, methods in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        if path.startswith("/api/v1/contractor")
        for method in methods
    ]
    assert len(routes) >= 13
    # reads first, then writes on the shy candidate's objects, then on the visible ones
    order = {"GET": 0, "POST": 1, "PATCH": 1}
    walked: list[tuple[str, str, int]] = []
    for method, template in sorted(routes, key=lambda r: (order.get(r[0], 2), r[1])):
        suffix = template.removeprefix("/api/v1/contractor")
        for path in _paths(template, ids):
            kwargs: dict[str, Any] = {"headers": headers}
            if method == "GET" and suffix == "/referrals":
                kwargs["params"] = {"limit": 100}
            if method in ("POST", "PATCH"):
                if suffix.startswith("/imports"):
                    csv = "vacancy_ref,contractor,title,postcode\nWALK-2,{},Kok,3511AB\n"
                    kwargs["files"] = {
                        "file": ("v.csv", csv.format(w.a.contractor.name).encode(), "text/csv")
                    }
                elif suffix == "/candidate-searches":
                    kwargs["json"] = {"vacancy_id": w.a.free_vacancy.id, "top": 100}
                else:
                    kwargs["json"] = BODIES.get(suffix, {})
            r = client.request(method, path, **kwargs)
            assert r.status_code < 500, (method, path, r.text)
            leaked = _leaks(r.text)
            assert not leaked, f"{method} {path} gave {leaked}: {r.text[:400]}"
            walked.append((method, path, r.status_code))
            if str(SHY_REFERRAL) in path:
                assert r.status_code == 404, (method, path, r.status_code, r.text)
    # the walk is not vacuous: the visible candidate's referral and placement did come back
    seen = {(m, p): s for m, p, s in walked}
    assert seen[("GET", f"/api/v1/contractor/referrals/{w.a.referral.id}")] == 200
    listed = client.get("/api/v1/contractor/referrals", headers=headers, params={"limit": 100})
    assert w.a.referral.id in [x["id"] for x in listed.json()["data"]]
    assert SHY_REFERRAL not in [x["id"] for x in listed.json()["data"]]
    assert {("GET", p) for p in _paths("/api/v1/contractor/referrals/{referral_id}", ids)} <= set(
        seen
    )


def test_no_contractor_page_shows_anything_of_a_non_sharing_candidate(
    web: TestClient, session: Session
) -> None:
    w = _shy_world(session)
    ids = _ids(w, session)
    log_in(web, w.a.contractor_user)
    templates = _contractor_pages()
    assert "/contractor/proposals" in templates
    shown = 0
    for template in templates:
        for path in _paths(template, ids):
            r = web.get(path)
            assert r.status_code < 500, (path, r.text[:400])
            leaked = _leaks(r.text)
            assert not leaked, f"page {path} shows {leaked}"
            shown += r.status_code == 200
    assert shown >= 4
    proposals = web.get("/contractor/proposals")
    # the visible candidate's proposal is on the page (anonymous), the shy one's is not
    assert f"(voorstel {w.a.referral.id})" in proposals.text


def test_on_the_demo_world_no_contractor_route_or_page_shows_a_non_sharing_candidate(
    client: TestClient, web: TestClient, session: Session, engine: Any
) -> None:
    """The same walk on the demo world, after the busiest contractor's referred candidates
    stop sharing through the coach's own update (the withdrawal path): none of their
    references, referral ids or candidate ids comes back, while the others' still do."""
    from api.services.candidates import update_candidate
    from api.services.demo import DEMO_PASSWORD, load_demo
    from models.candidates import Candidate, CandidateUpdate
    from models.organisations import Role, User
    from models.vacancies import Vacancy

    load_demo(engine)
    counts: dict[int, int] = {}
    for contractor_id in session.exec(
        select(Vacancy.contractor_id).join(Referral, Referral.vacancy_id == Vacancy.id)  # type: ignore[arg-type]
    ).all():
        counts[contractor_id] = counts.get(contractor_id, 0) + 1
    busiest = max(counts, key=lambda k: counts[k])
    user = session.exec(
        select(User).where(User.contractor_id == busiest, User.role == Role.contractor)
    ).first()
    assert user is not None
    refs = session.exec(
        select(Referral, Candidate)
        .join(Vacancy, Vacancy.id == Referral.vacancy_id)  # type: ignore[arg-type]
        .join(Candidate, Candidate.id == Referral.candidate_id)  # type: ignore[arg-type]
        .where(Vacancy.contractor_id == busiest)
    ).all()
    hidden = {c.id: c for r, c in refs[::2]}
    kept = {c.id: c for r, c in refs[1::2]} if len(refs) > 1 else {}
    kept = {k: v for k, v in kept.items() if k not in hidden}
    assert hidden and kept
    for cand in hidden.values():
        coach = session.get(User, cand.coach_id)
        assert coach is not None
        update_candidate(
            session=session,
            actor=coach,
            candidate_id=cand.id or 0,
            changes=CandidateUpdate(consent_share=False),
            request_id=None,
        )
    session.commit()
    hidden_refs = {c.ref for c in hidden.values()}
    hidden_referrals = {r.id for r, c in refs if c.id in hidden}
    visible_referrals = {r.id for r, c in refs if c.id in kept}
    contract_ids = [
        i
        for i in session.exec(select(Vacancy.contract_id).where(Vacancy.contractor_id == busiest))
        if i is not None
    ]
    placement_ids = [
        p.id
        for p in session.exec(
            select(Placement)
            .join(Vacancy, Vacancy.id == Placement.vacancy_id)  # type: ignore[arg-type]
            .where(Vacancy.contractor_id == busiest)
        )
    ]
    vacancy_ids = [
        v.id for v in session.exec(select(Vacancy).where(Vacancy.contractor_id == busiest))
    ]
    session.commit()
    ids: dict[str, list[Any]] = {
        "referral_id": sorted(hidden_referrals | visible_referrals),
        "placement_id": placement_ids[:5],
        "contract_id": sorted(set(contract_ids)),
        "vacancy_id": vacancy_ids[:5],
    }

    def check(text: str, where: str) -> None:
        leaked = [ref for ref in hidden_refs if ref in text]
        assert not leaked, f"{where} shows {leaked[:3]}"

    headers = auth(user, api_settings())
    gets = [
        path
        for path, methods in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        if path.startswith("/api/v1/contractor") and "get" in methods
    ]
    seen_ids: set[int] = set()
    for template in gets:
        for path in _paths(template, ids):
            r = client.get(
                path, headers=headers, params={"limit": 100} if "{" not in template else None
            )
            assert r.status_code < 500, (path, r.text[:300])
            check(r.text, path)
            if template.endswith("/referrals") and r.status_code == 200:
                seen_ids |= {x["id"] for x in r.json()["data"]}
            if template.endswith("{referral_id}"):
                rid = int(path.rsplit("/", 1)[1])
                assert r.status_code == (404 if rid in hidden_referrals else 200), path
    assert not seen_ids & hidden_referrals
    assert seen_ids & visible_referrals
    log_in(web, user, DEMO_PASSWORD)
    for template in _contractor_pages():
        for path in _paths(template, ids):
            page = web.get(path)
            assert page.status_code < 500, (path, page.text[:300])
            check(page.text, path)
    proposals = web.get("/contractor/proposals", params={"limit": 100}).text
    for rid in hidden_referrals:
        assert f"(voorstel {rid})" not in proposals
