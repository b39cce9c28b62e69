"""Shapes of "what would open doors": gains for one candidate, gaps among a pool's near misses."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class DoorPublic(SQLModel):
    """One skill, certificate or licence and what gaining it would open."""

    kind: str = Field(description="skill, certificate or licence")
    id: str = Field(description="taxonomy skill id or driving licence category")
    label: str
    vacancies: int = Field(description="vacancies in reach where the gain closes a gap")
    top: int = Field(description="vacancies in reach where the candidate would newly be top 10")
    vacancy_ids: list[int] = []
    top_vacancy_ids: list[int] = []


class DoorsPublic(SQLModel):
    candidate_id: int
    model_version: str | None
    #: how many open vacancies in reach were considered
    vacancies_in_reach: int
    top: int = Field(description="'in the top' means in the first this many of a shortlist")
    data: list[DoorPublic]


class GapPublic(SQLModel):
    """A certificate (or licence, skill) missing among near misses."""

    kind: str
    id: str
    label: str
    candidates: int = Field(description="distinct candidates it holds back")
    vacancies: int = Field(description="distinct vacancies where it holds someone back")


class GapsPublic(SQLModel):
    municipality_id: int
    vacancies: int = Field(description="open vacancies considered")
    max_missing: int
    data: list[GapPublic]
