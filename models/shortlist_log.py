"""Every shortlist served: who asked, for which vacancy, with which model, what came out.

This is the automatic event log the EU AI Act asks of a high-risk ranking system, and the
denominator of the matching-success figures (of the shortlisted, how many were proposed,
hired ...). Entries hold ids, ranks and scores only: no personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import utcnow


class ShortlistLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    model_version: str = Field(max_length=40, index=True)
    #: [[candidate_id, rank, score], ...] best first
    entries: list[Any] = Field(default_factory=list, sa_type=JSON)
    n_eligible: int = 0
    n_considered: int = 0
    #: {"eligible": {dimension: {group: n}}, "top": {...}}: group counts of the eligible
    #: candidates and of the top 10, for the fairness audit (matcher.fairness)
    group_counts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
