"""Server time of the main pages with 100,000 candidates (issue 10, acceptance 4).

Builds a throwaway SQLite database under ``var/bench/``: migrated to the newest schema, the demo
world loaded (``srmatch demo``: organisations, users, contracts, vacancies, outcomes), then
100,000 candidates added to the demo coach's municipality, generated like the shortlist
benchmark's (``bench.bench_shortlist._world``, fixed seed: taxonomy concept ids, real PC4
coordinates) and stored in their normalised form as an import would. The app then starts as
``srmatch serve`` does (the matching index loads all of them) and every page is requested through
the ASGI app with a logged-in session cookie (Starlette's TestClient; no network). Per page:
median and p90 over ``N_REQUESTS`` requests after ``N_WARMUP`` warm-up requests.

Pages: the coach's caseload (first page of 25 of the 100,000, plus the "mine" filter), a
vacancy's shortlist (top 20, reasons for/against, SR value), the SR officer's dashboard
(contracts, reach, placements per month, durability, funnel, near-miss certificates).
Target: median at most 150 ms per page.

Run ``python -m bench --only bench_pages`` or ``python -m bench.bench_pages``.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session, col, select

N_CANDIDATES = 100_000
N_WARMUP = 3
N_REQUESTS = 25
TARGET_MS = 150.0
ROOT = Path(__file__).resolve().parents[1]
WORKDIR = ROOT / "var" / "bench"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = "bench-secret-0123456789abcdef0123456789abcdef"


def _candidates_rows(municipality_id: int, coach_ids: list[int]) -> list[dict[str, Any]]:
    """100,000 candidate rows of the shortlist benchmark's world, in their stored form."""
    from bench.bench_shortlist import _world
    from models.candidates import Candidate

    profiles, _, _ = _world()
    profiles = profiles[:N_CANDIDATES]
    rows = []
    for i, p in enumerate(profiles):
        c = Candidate(
            ref=f"BENCH-{i:06d}",
            postcode=f"{p.pc4}AA",
            benefit=p.benefit,
            target_groups=list(p.target_groups),
            ladder_step=p.ladder_step,
            skills=[s.id for s in p.skills],
            occupations=[o.id for o in p.occupations],
            driving_licences=list(p.driving_licences),
            hours_per_week=p.hours_per_week,
            max_travel_km=p.max_travel_km,
            available_from=p.available_from,
            unemployed_since=p.unemployed_since,
            consent_share=i % 3 != 0,
            municipality_id=municipality_id,
            coach_id=coach_ids[i % len(coach_ids)],
            pc4=p.pc4,
            lat=p.lat,
            lon=p.lon,
            education_level=p.education_level,
            dutch_level_ord=p.dutch_level,
            skills_norm=[
                {"id": s.id, "confidence": s.confidence, "implied": s.implied} for s in p.skills
            ],
            occupations_norm=[
                {"id": o.id, "confidence": o.confidence, "implied": o.implied}
                for o in p.occupations
            ],
        )
        row = c.model_dump(exclude={"id"})
        rows.append(row)
    return rows


def build_world(path: Path) -> tuple[Any, dict[str, str]]:
    """The database file with the demo world plus 100,000 candidates; the demo log-ins."""
    from api.services.demo import demo_logins, load_demo
    from models.candidates import Candidate
    from models.db import create_db_engine, upgrade
    from models.organisations import Role, User

    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    load_demo(engine)
    logins = {role: (user, pw) for role, user, pw in demo_logins()}
    with Session(engine) as session:
        coach = session.exec(select(User).where(User.username == logins["coach"][0])).one()
        colleagues = session.exec(
            select(User.id).where(
                User.role == Role.coach, User.municipality_id == coach.municipality_id
            )
        ).all()
        assert coach.municipality_id is not None
        rows = _candidates_rows(coach.municipality_id, [int(i) for i in colleagues if i])
        for start in range(0, len(rows), 5_000):
            session.execute(insert(Candidate), rows[start : start + 5_000])
        session.commit()
    return engine, {role: f"{u}\n{pw}" for role, (u, pw) in logins.items()}


def _log_in(client: TestClient, login: str) -> None:
    username, password = login.split("\n")
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token, "log-in page without CSRF token"
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, answer.text[:300]


def _time(client: TestClient, url: str) -> list[float]:
    for _ in range(N_WARMUP):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    out = []
    for _ in range(N_REQUESTS):
        t0 = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return out


def _row(page: str, url: str, times: list[float]) -> dict[str, object]:
    ordered = sorted(times)
    median = statistics.median(ordered)
    return {
        "page": page,
        "url": url,
        "candidates": N_CANDIDATES,
        "median_ms": round(median, 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "target_ms": TARGET_MS,
        "meets_target": median <= TARGET_MS,
    }


def run() -> list[dict[str, object]]:
    from api.config import Settings
    from api.main import create_app
    from models.organisations import User
    from models.vacancies import Vacancy, VacancyStatus

    if WORKDIR.exists():
        shutil.rmtree(WORKDIR)
    WORKDIR.mkdir(parents=True)
    t0 = time.perf_counter()
    engine, logins = build_world(WORKDIR / "pages.db")
    built = time.perf_counter() - t0
    print(f"  world built in {built:.0f} s; starting the app", file=sys.stderr, flush=True)
    settings = Settings(
        secret_key=SECRET,
        demo_mode=True,
        database_url=str(engine.url),
        index_refresh_seconds=60.0,
    )
    rows: list[dict[str, object]] = []
    t1 = time.perf_counter()
    with TestClient(
        create_app(settings, engine=engine), base_url="https://testserver", follow_redirects=False
    ) as client:
        started = time.perf_counter() - t1
        print(f"  app started in {started:.0f} s; timing pages", file=sys.stderr, flush=True)
        _log_in(client, logins["coach"])
        with Session(engine) as session:
            coach = session.exec(
                select(User).where(User.username == logins["coach"].split("\n")[0])
            ).one()
            vacancy = session.exec(
                select(Vacancy)
                .where(
                    Vacancy.municipality_id == coach.municipality_id,
                    Vacancy.status == VacancyStatus.open,
                )
                .order_by(col(Vacancy.id))
            ).first()
        assert vacancy is not None, "the demo world has no open vacancy for its coach"
        for page, url in (
            ("coach: caseload", "/coach/candidates"),
            ("coach: caseload, mine", "/coach/candidates?mine=true"),
            ("coach: shortlist (top 20)", f"/coach/vacancies/{vacancy.id}/shortlist"),
        ):
            rows.append(_row(page, url, _time(client, url)))
        client.cookies.clear()
        _log_in(client, logins["sr_officer"])
        url = "/sr-officer/dashboard"
        rows.append(_row("SR officer: dashboard", url, _time(client, url)))
    for r in rows:
        r["world_build_s"] = round(built, 1)
        r["app_start_s"] = round(started, 1)
    engine.dispose()
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
