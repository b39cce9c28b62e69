"""Protected attributes a municipality records for the fairness audit only (issue 14).

Birth year and gender are kept apart from the candidate's profile, in their own table, one row
per candidate that has either: never a model feature (``matcher.features`` has no such column
and the matching index never loads them), never in a coach's response, page or export file.
They are read only

- by the fairness audit, which counts them per age band and gender (never shown per person);
- by the person's right-of-access export (``api.services.privacy.export_candidate``);
- by the command line's full export (the operator's backup and round trip).

A coach may still record them when creating or editing a candidate (``CandidateCreate`` /
``CandidateUpdate``), and a candidates file may carry them; erasure deletes the row.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

#: the columns of this table that a candidates file and the candidate schemas carry
AUDIT_ONLY_FIELDS: tuple[str, ...] = ("birth_year", "gender")


class AuditAttributes(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", unique=True, index=True)
    birth_year: int | None = None
    gender: str | None = Field(default=None, max_length=1)
