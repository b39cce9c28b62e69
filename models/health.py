"""The answers of ``/healthz`` and ``/readyz``."""

from __future__ import annotations

from sqlmodel import SQLModel


class Readiness(SQLModel):
    ready: bool
    reasons: list[str] = []
    model_version: str | None = None


class Liveness(SQLModel):
    status: str = "ok"
