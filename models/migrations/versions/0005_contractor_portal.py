"""contractor portal: SR efforts, proposal requests

Contractors report SR efforts other than placements (``sreffort``: social purchasing, PSO,
training, volunteer work with evidence, an uploaded file in ``sreffortevidence``; an SR
officer approves or rejects them), search
anonymous consenting candidates (``candidatesearch``: an opaque token and per-search handles)
and ask a candidate's coach to propose one (``proposalrequest``).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TS = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "sreffort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("contractor_id", sa.Integer(), nullable=False),
        sa.Column("kind", _STR(length=30), nullable=False),
        sa.Column("description", _STR(length=1000), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("pso_level", _STR(length=20), nullable=True),
        sa.Column("evidence_ref", _STR(length=200), nullable=True),
        sa.Column("evidence_name", _STR(length=200), nullable=True),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", _TS(), nullable=True),
        sa.Column("decision_reason", _STR(length=1000), nullable=True),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("updated_at", _TS(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["contractor_id"], ["contractor.id"]),
        sa.ForeignKeyConstraint(["reported_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sreffort", schema=None) as batch_op:
        for column in ("contract_id", "contractor_id", "status", "updated_at"):
            batch_op.create_index(batch_op.f(f"ix_sreffort_{column}"), [column], unique=False)

    op.create_table(
        "sreffortevidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effort_id", sa.Integer(), nullable=False),
        sa.Column("filename", _STR(length=200), nullable=False),
        sa.Column("media_type", _STR(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", _STR(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", _TS(), nullable=False),
        sa.ForeignKeyConstraint(["effort_id"], ["sreffort.id"]),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sreffortevidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sreffortevidence_effort_id"), ["effort_id"], unique=True
        )

    op.create_table(
        "candidatesearch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", _STR(length=64), nullable=False),
        sa.Column("contractor_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("handles", sa.JSON(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("expires_at", _TS(), nullable=False),
        sa.ForeignKeyConstraint(["contractor_id"], ["contractor.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("candidatesearch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidatesearch_token"), ["token"], unique=True)
        for column in ("contractor_id", "vacancy_id"):
            batch_op.create_index(
                batch_op.f(f"ix_candidatesearch_{column}"), [column], unique=False
            )

    op.create_table(
        "proposalrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contractor_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("handle", _STR(length=40), nullable=False),
        sa.Column("message", _STR(length=1000), nullable=True),
        sa.Column("status", _STR(length=20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", _TS(), nullable=True),
        sa.Column("decline_reason", _STR(length=1000), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("updated_at", _TS(), nullable=False),
        sa.ForeignKeyConstraint(["contractor_id"], ["contractor.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"]),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposalrequest", schema=None) as batch_op:
        for column in ("contractor_id", "vacancy_id", "candidate_id", "status", "updated_at"):
            batch_op.create_index(
                batch_op.f(f"ix_proposalrequest_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("proposalrequest")
    op.drop_table("candidatesearch")
    op.drop_table("sreffortevidence")
    op.drop_table("sreffort")
