"""workflows: consent records, introductions, contractor actions on referrals

Consent to be introduced is recorded per referral (``referralconsent``: who, when, how); referral
events carry an ``action`` (a status change or e.g. a contractor's introduction request) and a
rejection's ``reason_code``; ``referral.counts_for_sr`` and ``distance_km`` are fixed when the
proposal is made.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referralconsent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("referralconsent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referralconsent_referral_id"), ["referral_id"], unique=False
        )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counts_for_sr", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("distance_km", sa.Float(), nullable=True))
    with op.batch_alter_table("referralevent", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "action",
                sqlmodel.sql.sqltypes.AutoString(length=30),
                nullable=False,
                server_default="status",
            )
        )
        batch_op.add_column(
            sa.Column("reason_code", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True)
        )
        batch_op.drop_constraint("uq_referral_event", type_="unique")
        batch_op.create_unique_constraint(
            "uq_referral_event", ["referral_id", "status", "date", "action"]
        )
    # referrals made before: the distance and the answer under the contract's rule, as they
    # stand now (whole kilometres, as disclosure shows them)
    from matcher.geo import haversine_km

    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT r.id, c.lat, c.lon, v.lat, v.lon FROM referral r"
            " JOIN candidate c ON c.id = r.candidate_id JOIN vacancy v ON v.id = r.vacancy_id"
        )
    ).all()
    updates = [
        {"id": rid, "d": float(round(float(haversine_km(clat, clon, vlat, vlon))))}
        for rid, clat, clon, vlat, vlon in rows
    ]
    if updates:
        conn.execute(sa.text("UPDATE referral SET distance_km = :d WHERE id = :id"), updates)
    op.execute(
        "UPDATE referral SET counts_for_sr = ("
        " SELECT CASE WHEN v.contract_id IS NOT NULL AND c.benefit <> 'none'"
        " THEN TRUE ELSE FALSE END"
        " FROM candidate c, vacancy v"
        " WHERE c.id = referral.candidate_id AND v.id = referral.vacancy_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("referralevent", schema=None) as batch_op:
        batch_op.drop_constraint("uq_referral_event", type_="unique")
        batch_op.create_unique_constraint("uq_referral_event", ["referral_id", "status", "date"])
        batch_op.drop_column("reason_code")
        batch_op.drop_column("action")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("distance_km")
        batch_op.drop_column("counts_for_sr")
    with op.batch_alter_table("referralconsent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referralconsent_referral_id"))
    op.drop_table("referralconsent")
