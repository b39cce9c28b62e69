"""SQLModel tables and API schemas, a family per entity; Alembic migrations in ``migrations/``.

Importing this package registers every table on ``SQLModel.metadata``.
"""

from models.audit import AuditEvent
from models.candidates import Candidate
from models.contracts import Contract
from models.model_versions import ModelVersion
from models.organisations import ApiKey, Contractor, Municipality, Role, User
from models.placements import DurabilityCheck, Placement
from models.privacy import RetentionGate
from models.referrals import Referral, ReferralConsent, ReferralEvent
from models.shortlist_log import ShortlistLog
from models.vacancies import Vacancy, VacancyStatus

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Candidate",
    "Contract",
    "Contractor",
    "DurabilityCheck",
    "ModelVersion",
    "Municipality",
    "Placement",
    "Referral",
    "ReferralConsent",
    "ReferralEvent",
    "RetentionGate",
    "Role",
    "ShortlistLog",
    "User",
    "Vacancy",
    "VacancyStatus",
]
