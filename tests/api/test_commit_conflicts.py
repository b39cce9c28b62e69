"""A unique key taken by another writer is found at the commit in ``get_session`` (after the
route returned) as often as at a flush inside it: both answer 409 naming the clash, never 500,
and nothing is stored (issue 13, finding 1)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.deps import SessionDep
from api.errors import install_error_handlers
from models.organisations import Municipality


def _app(engine: Engine) -> FastAPI:
    app = FastAPI()
    app.state.engine = engine
    install_error_handlers(app)

    @app.post("/at-commit")
    def at_commit(session: SessionDep) -> dict[str, str]:
        session.add(Municipality(name="Utrecht"))  # flushed only by the commit after return
        return {"status": "ok"}

    @app.post("/at-flush")
    def at_flush(session: SessionDep) -> dict[str, str]:
        session.add(Municipality(name="Utrecht"))
        session.flush()
        return {"status": "ok"}

    return app


def test_a_unique_clash_at_commit_or_flush_is_a_409(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(Municipality(name="Utrecht"))
        s.commit()
    with TestClient(_app(engine), raise_server_exceptions=False) as client:
        for path in ("/at-commit", "/at-flush"):
            answer = client.post(path)
            assert answer.status_code == 409, (path, answer.text)
            detail = answer.json()["detail"]
            assert "municipality" in detail.lower() and "try again" in detail, detail
    with Session(engine) as s:
        assert len(s.exec(select(Municipality)).all()) == 1
