"""life cycle: vacancy status, contract edits, placement ends

A vacancy records why it is closed (``closed_reason``: filled, withdrawn) and since when
(``closed_on``); a vacancy whose contract ended is closed on read, not stored. Vacancies closed
before this revision were closed by their contractor: they become ``withdrawn``.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    op.execute("UPDATE vacancy SET closed_reason = 'withdrawn' WHERE status = 'closed'")


def downgrade() -> None:
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_column("closed_on")
        batch_op.drop_column("closed_reason")
