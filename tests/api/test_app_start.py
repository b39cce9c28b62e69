"""What a server does before it answers, beyond its index (api.main's lifespan)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.config import Settings
from api.main import create_app
from api.services.matching import MatchingService
from matcher import normalize


@pytest.fixture
def no_normaliser(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As in a fresh process: no normaliser yet (the built one comes back afterwards)."""
    monkeypatch.setattr(normalize, "_built", None)
    normalize.get_normalizer.cache_clear()
    yield
    normalize.get_normalizer.cache_clear()


@pytest.mark.usefixtures("no_normaliser")
def test_a_server_builds_the_normaliser_before_it_answers(
    engine: Engine, settings: Settings
) -> None:
    """The first profile edit or vacancy posted after a start does not wait for it."""
    with TestClient(create_app(settings, engine=engine)) as client:
        assert normalize._built is not None
        assert normalize.get_normalizer.cache_info().currsize == 1
        assert client.get("/readyz").json()["ready"] is True


@pytest.mark.usefixtures("no_normaliser")
def test_the_command_lines_index_does_not_build_it(engine: Engine, settings: Settings) -> None:
    """A one-shot ``srmatch shortlist`` or ``index build`` starts the index, and normalises
    nothing: it does not pay for the normaliser."""
    service = MatchingService(engine=engine, settings=settings).start(background=False)
    assert service.ready
    assert normalize._built is None
