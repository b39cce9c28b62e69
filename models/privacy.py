"""Privacy rights and retention: what a person may ask for, and how long we keep what.

- ``CandidateDataExport``: everything held about one candidate (right of access, AVG art. 15),
  including which shortlists they appeared in and who looked at their data.
- ``ErasureResult``: what an erasure removed (right to erasure, art. 17). The candidate's row
  stays, pseudonymised, with only the fields SR reports need (benefit, target groups, ladder
  step, municipality), so every report total is unchanged.
- ``RetentionGate``: the audit trail refuses DELETE in the database itself; the retention job
  opens this gate inside its own transaction (a row no other transaction can see), and the
  database still refuses to delete any audit event younger than six months (EU AI Act art. 19).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

#: the AI Act's floor for keeping the automatic logs of a high-risk system (art. 19: 6 months)
MIN_LOG_DAYS = 183


class RetentionGate(SQLModel, table=True):
    """Open (one row) only inside the retention job's transaction; see the module docstring."""

    id: int | None = Field(default=None, primary_key=True)
    opened_by: str = Field(max_length=80)


class ErasureResult(SQLModel):
    candidate_id: int
    pseudonym: str
    erased_at: datetime
    referral_reasons_cleared: int
    kept_for_sr: list[str]


class RetentionPlan(SQLModel):
    """What a retention run erases and removes (a dry run only counts)."""

    dry_run: bool
    as_of: datetime
    candidate_cutoff: datetime
    shortlist_log_cutoff: datetime
    audit_cutoff: datetime
    candidates_to_erase: int
    shortlist_logs_to_remove: int
    audit_events_to_remove: int
    candidate_ids: list[int] = []


class ShortlistAppearance(SQLModel):
    at: datetime
    vacancy_id: int
    vacancy_title: str
    model_version: str
    rank: int
    score: float
    of_eligible: int


class AccessRecord(SQLModel):
    at: datetime
    username: str
    role: str
    action: str


class CandidateDataExport(SQLModel):
    """Everything srmatch holds about one candidate, as JSON (and as a printable page)."""

    generated_at: datetime
    candidate: dict[str, Any]
    referrals: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    durability_checks: list[dict[str, Any]]
    shortlists: list[ShortlistAppearance]
    accesses: list[AccessRecord]
    explanation: str


class ChangeOption(SQLModel):
    """One thing that would change the outcome for a candidate and vacancy."""

    kind: str  # skill | licence | hours | distance | availability | language | education | rule
    text: str


class CandidateExplanation(SQLModel):
    """A plain-language explanation of one candidate's place for one vacancy."""

    candidate_id: int
    vacancy_id: int
    vacancy_title: str
    as_of: date
    shortlisted: bool
    rank: int | None
    top: int
    eligible: bool
    reasons_for: list[str]
    reasons_against: list[str]
    rules_failed: list[str]
    what_would_change: list[ChangeOption]
