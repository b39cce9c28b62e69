"""protected attributes kept apart from the profile

Birth year and gender, recorded for the fairness audit only, move from ``candidate`` to their
own table ``auditattributes`` (one row per candidate that has either), so the profile, the
matching index and every coach's read leave them out and access is decided in one place.
Existing values are copied over before the columns are dropped; the downgrade copies them back.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auditattributes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditattributes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auditattributes_candidate_id"), ["candidate_id"], unique=True
        )
    op.execute(
        "INSERT INTO auditattributes (candidate_id, birth_year, gender) "
        "SELECT id, birth_year, gender FROM candidate "
        "WHERE birth_year IS NOT NULL OR gender IS NOT NULL"
    )
    # a plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL): a batch copy of ``candidate`` would
    # drop and recreate the table, which SQLite's foreign keys refuse once rows refer to it
    for column in ("gender", "birth_year"):
        op.execute(f"ALTER TABLE candidate DROP COLUMN {column}")


def downgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True)
        )
    held = "FROM auditattributes a WHERE a.candidate_id = candidate.id"
    op.execute(
        f"UPDATE candidate SET birth_year = (SELECT a.birth_year {held}), "
        f"gender = (SELECT a.gender {held}) "
        "WHERE id IN (SELECT candidate_id FROM auditattributes)"
    )
    with op.batch_alter_table("auditattributes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditattributes_candidate_id"))
    op.drop_table("auditattributes")
