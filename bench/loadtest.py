"""``make loadtest``: a regional pool served by ``srmatch serve``, driven by many coaches at once.

What it does, in order (each step timed and printed):

1. a fresh database: PostgreSQL (default, database ``srmatch_load`` on 127.0.0.1:5432, dropped
   and created) or a SQLite file (``--sqlite``); ``srmatch db upgrade``;
2. a generated world written as data-contract CSV files under ``var/loadtest/``: contracts and
   open vacancies in eight municipalities, ``--size`` candidates spread over them (the largest
   municipality holds about 22% of the pool, like a central city in a labour-market region),
   each held by one of the municipality's coaches; imported through the command line as an SR
   team would (``srmatch import contracts|vacancies|candidates``), the coaches created first;
   then a year of outcomes (25 proposals per vacancy, one hire each) through ``srmatch import
   outcomes`` and ``srmatch train`` (time and peak resident memory printed);
3. ``srmatch index build`` (the snapshot servers start from), then ``srmatch serve --workers
   N`` in its own process, timed until every worker's ``/readyz`` says ready; then the idle
   server's CPU over ``--idle`` seconds and each process's resident memory;
4. ``--single`` shortlists by one coach of the largest municipality, one at a time (p50, p95,
   p99: the latency a coach sees on a quiet server);
5. ``--clients`` coaches (asyncio + httpx, in this separate process), each logged in as a coach
   of a municipality, for ``--duration`` seconds: 70% shortlists of a vacancy in reach, 15%
   candidate reads, 10% candidate edits (hours per week), 5% proposals;
6. a table per route: requests, requests per second, p50/p95/p99 in ms, and errors (a 5xx or a
   failed connection; 4xx answers that the workflow gives, such as a proposal refused because
   the candidate is already proposed, are counted apart as ``refused``).

Usage::

    python -m bench.loadtest [--size 100000] [--workers 2] [--clients 16] [--duration 30]
                             [--sqlite] [--keep]

``make loadtest`` runs it with the defaults; ``make loadtest SIZE=1000000`` for the large pool.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SRMATCH = Path(sys.executable).with_name("srmatch")
PASSWORD = "loadtest-password-2026"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = "srmatch_load"
#: (municipality, PC4 locality, share of the pool, coaches)
MUNICIPALITIES = (
    ("Utrecht", "Utrecht", 0.22, 40),
    ("Amersfoort", "Amersfoort", 0.14, 24),
    ("Zeist", "Zeist", 0.12, 20),
    ("Nieuwegein", "Nieuwegein", 0.12, 20),
    ("Houten", "Houten", 0.10, 16),
    ("IJsselstein", "IJsselstein", 0.10, 16),
    ("Woerden", "Woerden", 0.10, 16),
    ("Veenendaal", "Veenendaal", 0.10, 16),
)
VACANCIES_PER_MUNICIPALITY = 50
PROPOSALS_PER_VACANCY = 25
BENEFITS = ("participatiewet", "participatiewet", "ww", "wajong", "wia")
MIX = (("shortlist", 0.70), ("read", 0.15), ("edit", 0.10), ("propose", 0.05))


def _run(env: dict[str, str], *args: str) -> float:
    return _run_measured(env, *args)[0]


def _run_measured(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one srmatch command: the larger of its own
    peak and the largest sum over it and its child processes seen (sampled 4 times a second;
    an import of a large file prepares slices in a second process)."""
    started = time.perf_counter()
    tree_peak = 0.0
    # output to files, not pipes: nobody reads a pipe while waiting, so a full one would block
    with tempfile.TemporaryFile("w+") as err, open(os.devnull, "w") as sink:
        proc = subprocess.Popen([str(SRMATCH), *args], env=env, stdout=sink, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # this child's own rusage
            if pid:
                break
            tree_peak = max(tree_peak, sum(_rss_mb(_tree(proc.pid))))
            time.sleep(0.25)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"srmatch {' '.join(args)} failed: {err.read().strip()}")
    return time.perf_counter() - started, max(usage.ru_maxrss / 1024, tree_peak)


def _pc4s() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    with open(ROOT / "fixtures" / "geo" / "pc4.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["locality"]].append(row["pc4"])
    return out


def _skill_forms() -> list[str]:
    from matcher.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    return sorted(s.label_nl for s in taxonomy.skills.values() if s.kind == "skill")


def write_world(out: Path, size: int, seed: int = 20261206) -> dict[str, Any]:
    """The world's CSV files under ``out``; returns the coaches per municipality."""
    rng = random.Random(seed)
    pc4 = _pc4s()
    skills = _skill_forms()
    out.mkdir(parents=True, exist_ok=True)
    coaches: dict[str, list[str]] = {}
    with open(out / "contracts.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "contract_ref",
                "contractor",
                "municipality",
                "title",
                "category",
                "value_eur",
                "sr_percentage",
                "start_date",
                "end_date",
                "sr_table",
            ]
        )
        for i, (muni, *_rest) in enumerate(MUNICIPALITIES):
            w.writerow(
                [
                    f"LT-CT-{i}",
                    f"Loadtest Bouw {i} BV",
                    muni,
                    f"Onderhoud {muni}",
                    "werken",
                    4_000_000,
                    5,
                    "2026-01-01",
                    "2029-12-31",
                    "nationaal",
                ]
            )
    header = (
        "vacancy_ref,contractor,contract_ref,title,description,required_skills,optional_skills,"
        "education_min,postcode,hours_per_week,positions,start_date,eligible_benefits,"
        "eligible_target_groups,dutch_level_min,driving_licence"
    ).split(",")
    with open(out / "vacancies.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, (_muni, place, *_rest) in enumerate(MUNICIPALITIES):
            for j in range(VACANCIES_PER_MUNICIPALITY):
                w.writerow(
                    [
                        f"LT-VAC-{i}-{j}",
                        f"Loadtest Bouw {i} BV",
                        f"LT-CT-{i}",
                        rng.choice(("Magazijnmedewerker", "Schoonmaker", "Hovenier", "Kok")),
                        "",
                        ";".join(rng.sample(skills, 2)),
                        ";".join(rng.sample(skills, 1)),
                        "",
                        rng.choice(pc4[place]),
                        rng.choice((24, 32, 36, 40)),
                        1000,  # many positions: proposals and hires never close it during a run
                        "2026-01-01",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    shares = np.array([m[2] for m in MUNICIPALITIES])
    counts = np.floor(shares / shares.sum() * size).astype(int)
    counts[0] += size - int(counts.sum())
    with open(out / "candidates.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "candidate_ref",
                "municipality",
                "postcode",
                "benefit",
                "skills",
                "occupations",
                "hours_per_week",
                "max_travel_km",
                "coach",
                "consent_share",
            ]
        )
        n = 0
        refs: dict[str, tuple[int, int]] = {}  # municipality -> first, last candidate number
        for (muni, place, _share, n_coaches), count in zip(MUNICIPALITIES, counts, strict=True):
            refs[muni] = (n + 1, n + int(count))
            names = [f"lt.{muni.lower()}.{k}" for k in range(n_coaches)]
            coaches[muni] = names
            places = pc4[place]
            for _ in range(int(count)):
                n += 1
                w.writerow(
                    [
                        f"LT-{n:07d}",
                        muni,
                        rng.choice(places),
                        rng.choice(BENEFITS),
                        ";".join(rng.sample(skills, rng.randint(2, 6))),
                        "",
                        rng.choice((16, 24, 32, 36, 40)),
                        rng.choice((10, 15, 25, 40)),
                        rng.choice(names),
                        "ja",
                    ]
                )
    _write_history(out / "outcomes.csv", rng, refs)
    return coaches


def _write_history(path: Path, rng: random.Random, refs: dict[str, tuple[int, int]]) -> None:
    """Outcomes of 2025 for the vacancies: what ``srmatch train`` learns from.

    Each vacancy had ``PROPOSALS_PER_VACANCY`` candidates of its municipality put forward on a
    day of 2025; about a third were introduced, a sixth interviewed and one hired.
    """
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate_ref", "vacancy_ref", "status", "date", "reason", "consent"])
        for i, (muni, *_rest) in enumerate(MUNICIPALITIES):
            first, last = refs[muni]
            for j in range(VACANCIES_PER_MUNICIPALITY):
                day = date(2025, 1, 6) + timedelta(days=rng.randrange(330))
                people = rng.sample(range(first, last + 1), PROPOSALS_PER_VACANCY)
                for k, number in enumerate(people):
                    steps = ["proposed"]
                    roll = rng.random()
                    if k == 0 or roll < 0.35:
                        steps.append("introduced")
                        if k == 0 or roll < 0.17:
                            steps.append("interviewed")
                            steps.append("hired" if k == 0 else "rejected")
                    elif roll < 0.6:
                        steps.append("rejected")
                    when = day
                    for step in steps:
                        ref = f"LT-{number:07d}"
                        consent = "in_person" if step == "introduced" else ""
                        w.writerow([ref, f"LT-VAC-{i}-{j}", step, when.isoformat(), "", consent])
                        when += timedelta(days=rng.randrange(3, 12))


def _create_coaches(database_url: str, coaches: dict[str, list[str]]) -> None:
    from sqlmodel import Session

    from api.security import hash_password
    from api.services.users import create_user_named
    from models.db import create_db_engine

    engine = create_db_engine(database_url)
    hashed = hash_password(PASSWORD)  # one hash for all: argon2 is slow on purpose
    with Session(engine) as session:
        for muni, names in coaches.items():
            for name in names:
                create_user_named(
                    session=session,
                    username=name,
                    password=PASSWORD,
                    role="coach",
                    municipality=muni,
                    password_hash=hashed,
                )
        session.commit()
    engine.dispose()


def _fresh_database(sqlite: bool, work: Path) -> str:
    if sqlite:
        path = work / "load.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _idle_cpu(pid: int, seconds: float) -> tuple[float, list[float]]:
    """Share of one core the server's processes used over ``seconds`` with no requests, and
    the resident memory of each process (MB)."""
    pids = _tree(pid)
    before = _cpu_seconds(pids)
    time.sleep(seconds)
    used = _cpu_seconds(pids) - before
    return used / seconds, _rss_mb(pids)


def _rss_mb(pids: list[int]) -> list[float]:
    """Resident memory (MB) of each of ``pids`` still running."""
    rss = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return rss


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_errors: list[str] = field(default_factory=list)


async def _log_in(http: httpx.AsyncClient, username: str) -> list[dict[str, Any]]:
    """Log the coach in on ``http`` and return the vacancies in their reach (first 100)."""
    token = (
        await http.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    ).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    data: list[dict[str, Any]] = (
        await http.get("/api/v1/coach/vacancies", params={"limit": 100})
    ).json()["data"]
    return data


async def _coach(
    base: str, username: str, deadline: float, stats: Stats, rng: random.Random
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        vacancies = await _log_in(http, username)
        mine = (
            await http.get("/api/v1/coach/candidates", params={"limit": 100, "mine": "true"})
        ).json()["data"]
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            vac = rng.choice(vacancies)["id"]
            cand = rng.choice(mine)["id"]
            started = time.perf_counter()
            try:
                if kind == "shortlist":
                    r = await http.get(f"/api/v1/coach/vacancies/{vac}/shortlist")
                elif kind == "read":
                    r = await http.get(f"/api/v1/coach/candidates/{cand}")
                elif kind == "edit":
                    hours = rng.choice((16, 24, 32, 36))
                    r = await http.patch(
                        f"/api/v1/coach/candidates/{cand}", json={"hours_per_week": hours}
                    )
                else:
                    r = await http.post(
                        "/api/v1/coach/referrals", json={"candidate_id": cand, "vacancy_id": vac}
                    )
                status = r.status_code
            except httpx.HTTPError as exc:
                status, r = 599, None
                if len(stats.first_errors) < 5:
                    stats.first_errors.append(f"{kind}: {exc!r}")
            stats.latencies[kind].append(time.perf_counter() - started)
            if status >= 500:
                stats.errors[kind] += 1
                if r is not None and len(stats.first_errors) < 5:
                    stats.first_errors.append(f"{kind}: {status} {r.text[:200]}")
            elif status >= 400:
                stats.refused[kind] += 1


async def _single(base: str, username: str, n: int) -> np.ndarray:
    """``n`` shortlists one after another by one coach of the largest municipality (the
    latency a coach sees when the server is not busy), in seconds."""
    rng = random.Random(3)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        vacancies = await _log_in(http, username)
        out = []
        for _ in range(n):
            started = time.perf_counter()
            r = await http.get(f"/api/v1/coach/vacancies/{rng.choice(vacancies)['id']}/shortlist")
            out.append(time.perf_counter() - started)
            if r.status_code != 200:
                raise SystemExit(
                    f"single coach: shortlist answered {r.status_code}: {r.text[:200]}"
                )
    return np.array(out)


async def _drive(base: str, usernames: list[str], duration: float) -> tuple[Stats, float]:
    stats = Stats()
    deadline = time.monotonic() + duration
    started = time.perf_counter()
    await asyncio.gather(
        *(_coach(base, name, deadline, stats, random.Random(i)) for i, name in enumerate(usernames))
    )
    return stats, time.perf_counter() - started


def _table(stats: Stats, elapsed: float) -> list[dict[str, Any]]:
    rows = []
    everything: list[float] = []
    for kind, _ in MIX:
        lat = np.array(stats.latencies.get(kind, [])) * 1000
        everything.extend(lat)
        rows.append(_row(kind, lat, elapsed, stats.errors[kind], stats.refused[kind]))
    rows.append(
        _row(
            "all",
            np.array(everything),
            elapsed,
            sum(stats.errors.values()),
            sum(stats.refused.values()),
        )
    )
    return rows


def _row(name: str, lat: np.ndarray, elapsed: float, errors: int, refused: int) -> dict[str, Any]:
    def pct(q: float) -> float:
        return round(float(np.percentile(lat, q)), 1) if len(lat) else float("nan")

    return {
        "route": name,
        "requests": len(lat),
        "req/s": round(len(lat) / elapsed, 1),
        "p50 ms": pct(50),
        "p95 ms": pct(95),
        "p99 ms": pct(99),
        "errors": errors,
        "refused (4xx)": refused,
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=100_000, help="candidates in the pool")
    p.add_argument("--workers", type=int, default=2, help="srmatch serve --workers")
    p.add_argument("--clients", type=int, default=16, help="coaches at once")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    p.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    p.add_argument("--keep", action="store_true", help="keep var/loadtest/ afterwards")
    p.add_argument(
        "--idle", type=float, default=30.0, help="seconds to measure the idle server's CPU"
    )
    p.add_argument(
        "--single",
        type=int,
        default=60,
        help="shortlists by one coach of the largest municipality, one at a time, before the load",
    )
    p.add_argument(
        "--reuse",
        action="store_true",
        help="serve the database a previous --keep run imported (skip creating and importing)",
    )
    args = p.parse_args(argv)

    work = ROOT / "var" / "loadtest"
    if args.reuse:
        url = (
            f"sqlite:///{work / 'srmatch.db'}"
            if args.sqlite
            else f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
        )
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        url = _fresh_database(args.sqlite, work)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRMATCH_")}
    env.update(
        SRMATCH_DATABASE_URL=url,
        SRMATCH_MODEL_DIR=str(work / "models"),
        SRMATCH_INDEX_DIR=str(work / "index"),
        SRMATCH_DEMO_MODE="true",
        SRMATCH_LOGIN_DELAY_SECONDS="0",
    )
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"loadtest: {args.size:,} candidates on {backend}, {args.workers} workers, "
        f"{args.clients} clients for {args.duration:g} s"
    )
    timings: dict[str, float] = {"db upgrade": _run(env, "db", "upgrade")}
    peaks: dict[str, float] = {}  # MB, peak resident memory of the command
    t0 = time.perf_counter()
    coaches = write_world(work, args.size)
    timings["write world files"] = time.perf_counter() - t0
    if not args.reuse:
        for kind in ("contracts", "vacancies"):
            timings[f"import {kind}"] = _run(env, "import", kind, str(work / f"{kind}.csv"))
        t0 = time.perf_counter()
        _create_coaches(url, coaches)
        timings["create coaches"] = time.perf_counter() - t0
        timings["import candidates"], peaks["import candidates"] = _run_measured(
            env, "import", "candidates", str(work / "candidates.csv")
        )
        timings["import outcomes"] = _run(env, "import", "outcomes", str(work / "outcomes.csv"))
        # an SR team trains once the history is in (the fairness gate may hold it back)
        timings["srmatch train"], peaks["srmatch train"] = _run_measured(env, "train")
    # the index snapshot the server starts from (read from the database once)
    timings["srmatch index build"] = _run(env, "index", "build")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "serve.log").open("w")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(SRMATCH), "serve", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", str(args.workers), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # every worker ready: the kernel hands each fresh connection to a random worker's
        # socket (api.workers), so 10 ready answers in a row per worker leave one worker still
        # warming up odds of 1 in 20,000 or less to go unnoticed
        ready, needed = 0, 10 * args.workers
        while ready < needed:
            if server.poll() is not None:
                raise SystemExit(f"srmatch serve exited; see {work / 'serve.log'}")
            try:
                ok = httpx.get(base + "/readyz", timeout=5).json().get("ready")
                ready = ready + 1 if ok else 0
            except (httpx.HTTPError, ValueError):
                ready = 0
            if ready < needed:
                time.sleep(0.2 if ready == 0 else 0.01)
        timings["serve until ready"] = time.perf_counter() - started
        for step, seconds in timings.items():
            peak = f"   peak {peaks[step]:,.0f} MB" if step in peaks else ""
            print(f"  {step:<20} {seconds:8.1f} s{peak}")
        if args.idle > 0:
            time.sleep(2)  # let start-up work (first index merge, model load) settle
            cpu, rss = _idle_cpu(server.pid, args.idle)
            print(
                f"  idle server          {100 * cpu:8.2f} % of one core over {args.idle:g} s "
                f"(all processes); resident per process: "
                + ", ".join(f"{mb:,.0f} MB" for mb in rss)
            )
        if args.single > 0:
            lat = 1000 * asyncio.run(_single(base, coaches[MUNICIPALITIES[0][0]][0], args.single))
            print(
                f"  one coach, {args.single} shortlists one at a time ({MUNICIPALITIES[0][0]}, "
                f"{MUNICIPALITIES[0][2]:.0%} of the pool): p50 {np.percentile(lat, 50):.0f} ms, "
                f"p95 {np.percentile(lat, 95):.0f} ms, p99 {np.percentile(lat, 99):.0f} ms, "
                f"max {lat.max():.0f} ms"
            )
        # clients spread over the municipalities, most in the largest
        picked = random.Random(7).choices(
            MUNICIPALITIES, [m[2] for m in MUNICIPALITIES], k=args.clients
        )
        names = [coaches[m[0]][i % len(coaches[m[0]])] for i, m in enumerate(picked)]
        stats, elapsed = asyncio.run(_drive(base, names, args.duration))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    rows = _table(stats, elapsed)
    print()
    print(f"load: {args.clients} coaches, {elapsed:.1f} s, {backend}, {args.workers} workers")
    _print_table(rows)
    for line in stats.first_errors:
        print("  first errors:", line)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if rows[-1]["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
