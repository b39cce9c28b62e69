"""responsible matching: oversight decisions, group counts per shortlist, the deploy gate

- ``oversightdecision``: a coach's set-aside or added candidate, with a reason, next to the
  shortlist that was served (``shortlist_log_id``).
- ``shortlistlog.group_counts``: group counts of the eligible candidates and of the top 10 of
  each served shortlist, the fairness audit's denominators.
- ``modelversion``: training metadata for the model card, the hold-out fairness audit of the
  model and the baseline, the gate's verdict and an admin's recorded override.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oversightdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("shortlist_log_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["shortlist_log_id"], ["shortlistlog.id"]),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancy.id"]),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("oversightdecision", schema=None) as batch_op:
        for column in ("at", "shortlist_log_id", "vacancy_id", "candidate_id", "user_id",
                       "model_version"):
            batch_op.create_index(
                batch_op.f(f"ix_oversightdecision_{column}"), [column], unique=False
            )
    with op.batch_alter_table("shortlistlog", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("group_counts", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("modelversion", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("training_meta", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.add_column(sa.Column("fairness", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("fairness_passed", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "fairness_override", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "fairness_override_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("fairness_override_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("modelversion", schema=None) as batch_op:
        for column in (
            "fairness_override_at",
            "fairness_override_by",
            "fairness_override",
            "fairness_passed",
            "fairness",
            "training_meta",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("shortlistlog", schema=None) as batch_op:
        batch_op.drop_column("group_counts")
    with op.batch_alter_table("oversightdecision", schema=None) as batch_op:
        for column in ("model_version", "user_id", "candidate_id", "vacancy_id",
                       "shortlist_log_id", "at"):
            batch_op.drop_index(batch_op.f(f"ix_oversightdecision_{column}"))
    op.drop_table("oversightdecision")
