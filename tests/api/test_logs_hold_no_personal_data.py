"""Application logs hold no names, references or free text of candidates (issue 14).

A real ``srmatch serve --log-level debug`` answers a full coach run through HTTP: create a
candidate, import a candidates file, search the caseload by reference, read, edit, shortlist,
propose, move the referral with a free-text reason, ask an explanation, export, refuse a bad
edit, erase. Everything the server printed (stdout and stderr) is then searched for the
candidates' references and free text.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import stop_server

SRMATCH = Path(sys.executable).parent / "srmatch"
PASSWORD = "log-test-password-2026"
SECRET = "MARKER"  # every personal value below contains it; the logs must not
REF = f"{SECRET}-REF-0001"
FILE_REF = f"{SECRET}-REF-0002"
FREE_TEXT = f"{SECRET} vrije tekst over de persoon"
REASON = f"{SECRET}: afgewezen omdat de persoon ..."

CONTRACTS = (
    "contract_ref,contractor,municipality,title,category,value_eur,sr_percentage,start_date,"
    "end_date,sr_table\n"
    "LOG-CT-1,Bouw Log BV,Utrecht,Onderhoud,diensten,2000000,5,2026-01-01,2028-12-31,"
    "utrecht\n"
)
VACANCIES = (
    "vacancy_ref,contractor,contract_ref,title,description,required_skills,optional_skills,"
    "education_min,postcode,hours_per_week,positions,start_date,eligible_benefits,"
    "eligible_target_groups,dutch_level_min,driving_licence\n"
    "LOG-VAC-1,Bouw Log BV,LOG-CT-1,Magazijnmedewerker,,heftruck,,,3511,32,2,2026-01-01,,,,\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _srmatch(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    done = subprocess.run(
        [str(SRMATCH), *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"srmatch {' '.join(args)}: {done.stderr}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRMATCH_")}
    env.update(
        SRMATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'log.db'}",
        SRMATCH_MODEL_DIR=str(tmp_path / "models"),
        SRMATCH_DEMO_MODE="true",
        SRMATCH_NEW_PASSWORD=PASSWORD,
    )
    _srmatch(env, "db", "upgrade")
    for kind, text in (("contracts", CONTRACTS), ("vacancies", VACANCIES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        _srmatch(env, "import", kind, str(path))  # creates the municipality and contractor
    _srmatch(env, "users", "create", "c.log", "--role", "coach", "--municipality", "Utrecht")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(SRMATCH), "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--log-level", "debug"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"srmatch serve exited: {log.read_text()}"
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:
                    if json.load(answer).get("ready"):
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, f"not ready: {log.read_text()}"
            time.sleep(0.3)
        yield base, log
    finally:
        stop_server(proc)


def _ok(response: httpx.Response, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 201)), response.text
    is_json = response.headers.get("content-type", "").startswith("application/json")
    return response.json() if is_json else response.text


def test_a_full_api_run_leaves_no_personal_data_in_the_logs(
    server: tuple[str, Path],
) -> None:
    base, log = server
    with httpx.Client(base_url=base, timeout=60) as http:
        token = _ok(
            http.post("/api/v1/auth/token", data={"username": "c.log", "password": PASSWORD})
        )["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        me = _ok(http.get("/api/v1/auth/me"))
        cand = _ok(
            http.post(
                "/api/v1/coach/candidates",
                json={
                    "ref": REF,
                    "postcode": "3512AB",
                    "benefit": "participatiewet",
                    "skills": ["heftruck", FREE_TEXT],
                    "occupations": ["magazijnmedewerker"],
                    "education": FREE_TEXT[:60],
                    "consent_share": True,
                    "coach_id": me["id"],
                },
            ),
            201,
        )
        cid = cand["id"]
        header = "candidate_ref,municipality,postcode,benefit,skills,coach,consent_share"
        csv = f"{header}\n{FILE_REF},Utrecht,3511,participatiewet,{FREE_TEXT},c.log,ja\n"
        _ok(http.post("/api/v1/coach/imports/candidates", files={"file": ("c.csv", csv)}))
        _ok(http.get("/api/v1/coach/candidates", params={"ref": SECRET}))
        _ok(http.get(f"/api/v1/coach/candidates/{cid}"))
        _ok(http.patch(f"/api/v1/coach/candidates/{cid}", json={"skills": ["heftruck", REASON]}))
        http.patch(f"/api/v1/coach/candidates/{cid}", json={"hours_per_week": REF})  # 422
        vacancies = _ok(http.get("/api/v1/coach/vacancies"))["data"]
        vid = vacancies[0]["id"]
        _ok(http.get(f"/api/v1/coach/vacancies/{vid}/shortlist", params={"explain_excluded": 1}))
        _ok(http.get(f"/api/v1/privacy/candidates/{cid}/explanation", params={"vacancy_id": vid}))
        referral = _ok(
            http.post("/api/v1/coach/referrals", json={"candidate_id": cid, "vacancy_id": vid}),
            201,
        )
        _ok(
            http.post(
                f"/api/v1/coach/referrals/{referral['id']}/transitions",
                json={"status": "withdrawn", "reason": REASON},
            )
        )
        _ok(http.get(f"/api/v1/privacy/candidates/{cid}/export"))
        _ok(http.get("/api/v1/coach/exports/candidates"))
        _ok(http.post(f"/api/v1/privacy/candidates/{cid}/erase"))
        # a page request with the reference in the query string
        http.get("/coach/candidates", params={"q": REF})
    time.sleep(0.5)  # let the server flush its last lines
    text = log.read_text()
    assert "/api/v1/coach/candidates" in text, "the access log should name the routes"
    leaked = [line for line in text.splitlines() if SECRET in line]
    assert leaked == [], f"personal data in the server log: {leaked[:5]}"
