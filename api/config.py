"""Settings from the environment (prefix ``SRMATCH_``), with defaults that run the demo as-is."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the signing secret used only in demo mode; the server refuses to start with it otherwise
DEMO_SECRET = "demo-secret-change-me-demo-secret-change-me"


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``SRMATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SRMATCH_", env_file=None, extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/srmatch.db",
        description="SQLAlchemy URL; sqlite:///path or postgresql+psycopg://user@host/db",
    )
    model_dir: Path = Field(default=Path("var/models"), description="where ranker files live")
    secret_key: str = Field(default=DEMO_SECRET, description="JWT signing secret")
    demo_mode: bool = Field(default=False, description="allow the demo secret and demo log-ins")
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_hours: int = Field(default=12, ge=1, le=24 * 30)
    max_upload_mb: float = Field(default=20.0, gt=0)
    # responsible matching (issue 14): the deploy gate and the model card's contact
    fairness_floor: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="a new ranker whose top-10 ratio for any group falls below this on the "
        "hold-out is not served without an admin's override",
    )
    organisation: str = Field(
        default="Gemeente Demo (srmatch demo)",
        description="the organisation named in the model card and algorithm-register entry",
    )
    algorithm_contact: str = Field(
        default="algoritmes@example.nl",
        description="contact for questions about the ranker (model card, algorithm register)",
    )
    index_refresh_seconds: float = Field(default=1.0, gt=0, le=60)
    index_dir: str = Field(
        default="var/index",
        description="where the candidate index snapshot lives (a server starts from it and "
        "reads only the changes since); empty: always build the index from the database",
    )
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    login_delay_seconds: float = Field(
        default=0.25, ge=0, le=5, description="pause after a failed log-in; doubles per failure"
    )
    # retention (issue 14): `srmatch retention run` erases and removes what is older than these
    retention_candidate_days: int = Field(
        default=730, ge=30, description="erase candidates with no activity for this many days"
    )
    retention_shortlist_log_days: int = Field(
        default=365, ge=183, description="keep the shortlist log this long (AI Act: 6 months+)"
    )
    retention_audit_days: int = Field(
        default=730, ge=183, description="keep audit events this long (AI Act: 6 months+)"
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
