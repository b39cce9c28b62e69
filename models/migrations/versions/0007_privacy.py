"""privacy rights: erasure and retention

Revision ID: 0007
Revises: 0006

- ``candidate.erased_at``: when a candidate's personal data were erased (the row stays,
  pseudonymised, so SR reports keep their totals).
- ``retentiongate``: the audit trail's DELETE guard now lets the retention job remove events,
  and only events older than six months (EU AI Act art. 19), and only while the job's own
  transaction holds a gate row. UPDATE stays refused always.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: mirrors models.privacy.MIN_LOG_DAYS; a migration must not import application code
MIN_LOG_DAYS = 183
REFUSED = "the audit trail is append-only (the retention job may remove events older than 6 months)"


def upgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_candidate_erased_at"), ["erased_at"], unique=False)
    op.create_table(
        "retentiongate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditevent_append_only ON auditevent")
        op.execute(
            f"""
            CREATE FUNCTION srmatch_audit_retention_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE'
                   AND OLD.at < now() - interval '{MIN_LOG_DAYS} days'
                   AND EXISTS (SELECT 1 FROM retentiongate) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{REFUSED}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent "
            "FOR EACH ROW EXECUTE FUNCTION srmatch_audit_retention_only()"
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_delete")
        op.execute(
            "CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON auditevent "
            f"WHEN NOT (OLD.at < datetime('now', '-{MIN_LOG_DAYS} days') "
            "AND EXISTS (SELECT 1 FROM retentiongate)) "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditevent_append_only ON auditevent")
        op.execute("DROP FUNCTION IF EXISTS srmatch_audit_retention_only()")
        op.execute(
            "CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON auditevent "
            "FOR EACH ROW EXECUTE FUNCTION srmatch_audit_append_only()"
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_delete")
        op.execute(
            "CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
    op.drop_table("retentiongate")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_erased_at"))
        batch_op.drop_column("erased_at")
