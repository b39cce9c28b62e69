"""Shapes of shortlists and vacancy matches: scores always travel with their reasons."""

from __future__ import annotations

from sqlmodel import SQLModel


class ShortlistEntryPublic(SQLModel):
    candidate_id: int
    candidate_ref: str
    rank: int
    score: float
    reasons: list[str]
    missing_skills: list[str]
    #: ``reasons`` split: what raised the score and what lowered it (missing skills among them)
    reasons_for: list[str] = []
    reasons_against: list[str] = []
    #: whether a hire would count for SR under the vacancy's eligibility rules
    counts_for_sr: bool | None = None
    #: what a one-year hire at the vacancy's hours would credit under the contract's table
    #: (None: the vacancy has no contract), and the block that values it
    sr_value_per_year_eur: float | None = None
    sr_block: str | None = None
    #: who holds the candidate (their coach) and whether that is the asking coach
    coach_id: int | None = None
    coach_name: str | None = None
    held_by_me: bool | None = None
    #: whether the candidate shares data with contractors (a proposal needs it)
    consent_share: bool | None = None
    #: whether the asking coach can propose the candidate for this vacancy now, else why not
    can_propose: bool | None = None
    cannot_propose_reason: str | None = None


class ExcludedPublic(SQLModel):
    candidate_id: int
    candidate_ref: str
    reasons: list[str]


class ShortlistPublic(SQLModel):
    vacancy_id: int
    vacancy_ref: str
    model_version: str | None
    entries: list[ShortlistEntryPublic]
    excluded: list[ExcludedPublic] = []


class VacancyMatchPublic(SQLModel):
    vacancy_id: int
    vacancy_ref: str
    title: str
    rank: int
    score: float
    reasons: list[str]
    missing_skills: list[str]
    reasons_for: list[str] = []
    reasons_against: list[str] = []


class VacancyMatchesPublic(SQLModel):
    candidate_id: int
    model_version: str | None
    entries: list[VacancyMatchPublic]
    #: whether the asking coach can propose this candidate at all, else why not (who holds
    #: them, consent to share data): the same answer as a shortlist entry's
    can_propose: bool | None = None
    cannot_propose_reason: str | None = None
    consent_share: bool | None = None
    held_by_me: bool | None = None
