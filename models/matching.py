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


class VacancyMatchesPublic(SQLModel):
    candidate_id: int
    model_version: str | None
    entries: list[VacancyMatchPublic]
