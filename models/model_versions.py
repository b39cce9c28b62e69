"""Trained ranker versions: the file, its checksum, and how it evaluated next to the baseline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import utcnow


class ModelVersionBase(SQLModel):
    version: str = Field(index=True, unique=True, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    status: str = Field(default="trained", max_length=20)  # trained | rejected | failed
    accepted: bool = Field(default=False, index=True)
    path: str | None = Field(default=None, max_length=500)
    sha256: str | None = Field(default=None, max_length=64)
    n_train_pairs: int = 0
    n_test_pairs: int = 0
    cutoff_date: str | None = Field(default=None, max_length=10)
    metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    baseline_metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    notes: str | None = Field(default=None, max_length=2000)
    #: what the model card is generated from: data period, counts, features (issue 14)
    training_meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    #: the hold-out fairness audit of the model and of the baseline, and the gate's verdict
    fairness: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    fairness_passed: bool | None = None
    #: an admin's recorded reason to serve a model below the fairness floor
    fairness_override: str | None = Field(default=None, max_length=1000)
    fairness_override_by: str | None = Field(default=None, max_length=80)
    fairness_override_at: datetime | None = None


class ModelVersion(ModelVersionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ModelVersionPublic(ModelVersionBase):
    id: int


class ModelVersionsPublic(SQLModel):
    data: list[ModelVersionPublic]
    count: int
