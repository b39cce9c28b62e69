"""concurrency and integrity: version columns, BIGINT money, audit guards

- ``version`` on candidate, vacancy, contract and referral: SQLAlchemy's version counter
  (optimistic locking, the ETag of single-object reads, If-Match on writes).
- Money in BIGINT cents: a 32-bit INTEGER stopped at EUR 21,474,836.47 on PostgreSQL.
- ``TRUNCATE auditevent`` refused on PostgreSQL, next to the UPDATE/DELETE guard of 0001
  (SQLite has no TRUNCATE; its DELETE guard already covers ``DELETE FROM auditevent``).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("candidate", "vacancy", "contract", "referral")
MONEY = (("contract", "value_cents"), ("contract", "social_purchasing_cents"))


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        for _, column in MONEY:
            batch_op.alter_column(
                column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
            )
    if op.get_bind().dialect.name == "postgresql":
        # the function of 0001 raises for any operation; a statement-level trigger for TRUNCATE
        op.execute(
            "CREATE TRIGGER auditevent_no_truncate BEFORE TRUNCATE ON auditevent "
            "FOR EACH STATEMENT EXECUTE FUNCTION srmatch_audit_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_truncate ON auditevent")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        for _, column in MONEY:
            batch_op.alter_column(
                column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
            )
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
