"""security: token revocation and log-in throttle

- ``user.token_version``: carried by every token; log-out and a new password raise it, so the
  user's older access and refresh tokens stop working.
- ``refreshtoken``: each refresh token issued, usable once (rotation); a reused one revokes its
  family.
- ``loginthrottle``: log-in attempts per user name, per client address and per pair of both,
  counted before the password is checked (so parallel guesses cannot pass the limit), with a
  growing pause instead of a lock-out anyone could cause for someone else.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "refreshtoken",
        sa.Column("jti", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("family", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("jti"),
    )
    with op.batch_alter_table("refreshtoken", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refreshtoken_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refreshtoken_family"), ["family"], unique=False)
    op.create_table(
        "loginthrottle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("pauses", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("loginthrottle")
    with op.batch_alter_table("refreshtoken", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refreshtoken_family"))
        batch_op.drop_index(batch_op.f("ix_refreshtoken_user_id"))
    op.drop_table("refreshtoken")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("token_version")
