"""Responsible matching: coaches' overrides of a served shortlist, the fairness audit, the model
card and the algorithm-register entry.

- ``OversightDecision``: a coach sets aside a candidate the model ranked high, or adds one it did
  not show, with a reason from ``matcher.vocab.OVERSIGHT_REASONS`` and free text, next to the
  shortlist that was served (``shortlist_log_id``). Ids only, and the coach's note.
- ``FairnessAuditPublic``: per model version, dimension and group: eligible and top-10 places,
  rates with Wilson intervals, the ratio to the best-served group and its flags.
- ``ModelCardPublic`` / ``RegisterEntryPublic``: generated from a model version's stored
  training metadata, never typed by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from models.base import utcnow


class OversightDecision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    shortlist_log_id: int = Field(foreign_key="shortlistlog.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    model_version: str = Field(max_length=40, index=True)
    #: set_aside | added (matcher.vocab.OVERSIGHT_KINDS)
    kind: str = Field(max_length=20)
    reason: str = Field(max_length=40)
    note: str | None = Field(default=None, max_length=1000)
    #: the candidate's rank in the served shortlist (None for an added candidate)
    rank: int | None = None


class OversightCreate(SQLModel):
    candidate_id: int
    kind: str = Field(description="set_aside (ranked high, not put forward) or added")
    reason: str = Field(description="one of matcher.vocab.OVERSIGHT_REASONS")
    note: str | None = Field(default=None, max_length=1000)
    shortlist_log_id: int | None = Field(
        default=None, description="the served shortlist (default: the coach's latest for it)"
    )


class OversightPublic(SQLModel):
    id: int
    at: datetime
    shortlist_log_id: int
    vacancy_id: int
    candidate_id: int
    user_id: int | None
    model_version: str
    kind: str
    reason: str
    note: str | None
    rank: int | None


class OversightsPublic(SQLModel):
    data: list[OversightPublic]
    count: int


class FairnessRowPublic(SQLModel):
    model_version: str
    dimension: str
    group: str
    eligible: int = Field(description="eligible places: candidate x shortlist")
    top: int = Field(description="places in the top 10")
    selection_rate: float | None
    selection_low: float | None
    selection_high: float | None
    ratio: float | None = Field(description="selection rate / the best-served group's")
    ratio_high: float | None
    flagged: bool
    conclusive: bool
    small: bool
    people: int | None = Field(default=None, description="distinct candidates in the group")
    proposed: int
    proposal_rate: float | None
    proposal_ratio: float | None
    hired: int
    hire_rate: float | None
    hire_ratio: float | None
    set_aside: int
    added: int


class FairnessVersionPublic(SQLModel):
    model_version: str
    shortlists: int
    min_ratio: float | None
    flagged: int
    set_aside: int
    added: int


class FairnessAuditPublic(SQLModel):
    floor: float
    top_k: int
    min_count: int
    versions: list[FairnessVersionPublic]
    data: list[FairnessRowPublic]
    count: int


class FairnessOverride(SQLModel):
    reason: str = Field(min_length=10, max_length=1000)


class ModelCardPublic(SQLModel):
    version: str
    markdown: str
    card: dict[str, Any]
    register_entry: dict[str, Any]
