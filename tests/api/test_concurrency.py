"""Sixteen coaches at once against one real server: shortlists (which write the shortlist log
and audit events) and candidate writes interleave without a single 500 (issue 13, finding 1).

Before SQLite transactions began IMMEDIATE, most of these requests answered 500 "database is
locked": a request reads (the user) before it writes (audit, shortlist log), and the upgrade
from reader to writer failed at once instead of waiting for the busy timeout.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.test_freshness import PASSWORD, Server, _free_port, _seed, database_url

__all__ = ["database_url"]  # the fixture, imported for its side effect on pytest
pytestmark = pytest.mark.slow

CLIENTS = 16
ROUNDS = 12


def _work(base: str, token: str, vacancy_id: int, n: int) -> Counter[int]:
    seen: Counter[int] = Counter()
    # generous timeout: this test is about errors, not speed (a loaded 2-core machine queues)
    headers = {"Authorization": f"Bearer {token}"}
    # and a new connection per request, so no keep-alive race with the server's idle timeout
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base, headers=headers, timeout=120, limits=no_keepalive) as client:
        for i in range(ROUNDS):
            if i % 4 == 3:
                r = client.post(
                    "/api/v1/coach/candidates",
                    json={"ref": f"K-{n}-{i}", "postcode": "3511", "benefit": "ww",
                          "skills": ["orderpicken"]},
                )  # fmt: skip
            elif i % 4 == 2:
                r = client.get("/api/v1/coach/candidates", params={"limit": 5})
            else:
                r = client.get(f"/api/v1/coach/vacancies/{vacancy_id}/shortlist")
            seen[r.status_code] += 1
    return seen


def test_sixteen_coaches_at_once_get_no_server_error(database_url: str) -> None:
    _seed(database_url)
    server = Server(database_url, _free_port())
    try:
        server.wait_ready()
        token = httpx.post(
            server.base + "/api/v1/auth/token", data={"username": "coach1", "password": PASSWORD}
        ).json()["access_token"]
        with server.login() as client:
            vacancy_id = client.get("/api/v1/coach/vacancies").json()["data"][0]["id"]
        with ThreadPoolExecutor(CLIENTS) as pool:
            counts = sum(
                pool.map(lambda n: _work(server.base, token, vacancy_id, n), range(CLIENTS)),
                Counter(),
            )
        assert sum(counts.values()) == CLIENTS * ROUNDS
        assert set(counts) <= {200, 201}, counts
        with server.login() as client:
            created = client.get("/api/v1/coach/candidates", params={"ref": "K-", "limit": 1})
            assert created.json()["count"] == CLIENTS * (ROUNDS // 4) + 2  # + K-1, K-2
    finally:
        server.stop()
