"""SQLModel tables and API schemas, a family per entity; Alembic migrations in ``migrations/``.

Importing this package registers every table on ``SQLModel.metadata``.
"""

from models.audit import AuditEvent
from models.audit_attributes import AuditAttributes
from models.candidates import Candidate
from models.changes import DatabaseInstance
from models.contracts import Contract
from models.efforts import SrEffort, SrEffortEvidence
from models.fairness import OversightDecision
from models.model_versions import ModelVersion
from models.organisations import ApiKey, Contractor, Municipality, Role, User
from models.placements import DurabilityCheck, Placement
from models.portal import CandidateSearch, ProposalRequest
from models.privacy import RetentionGate
from models.referrals import Referral, ReferralConsent, ReferralEvent
from models.shortlist_log import ShortlistLog
from models.vacancies import Vacancy, VacancyStatus

__all__ = [
    "ApiKey",
    "AuditAttributes",
    "AuditEvent",
    "Candidate",
    "CandidateSearch",
    "Contract",
    "Contractor",
    "DatabaseInstance",
    "DurabilityCheck",
    "ModelVersion",
    "OversightDecision",
    "Municipality",
    "Placement",
    "ProposalRequest",
    "Referral",
    "ReferralConsent",
    "ReferralEvent",
    "RetentionGate",
    "Role",
    "ShortlistLog",
    "SrEffort",
    "SrEffortEvidence",
    "User",
    "Vacancy",
    "VacancyStatus",
]
