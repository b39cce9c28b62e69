"""Page test fixtures: a browser-like client over HTTPS (so Secure cookies travel) and log-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.config import Settings
from api.main import create_app
from models.organisations import User
from tests.api.conftest import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token the page's forms carry."""
    found = CSRF.search(html)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def web(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A client that keeps cookies like a browser, on https://testserver."""
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def log_in(web: TestClient, user: User, password: str = PASSWORD) -> str:
    """Log ``user`` in through the log-in form; returns where the log-in redirected to."""
    page = web.get("/login")
    assert page.status_code == 200
    answer = web.post(
        "/login",
        data={"username": user.username, "password": password, "csrf_token": csrf_from(page.text)},
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]
