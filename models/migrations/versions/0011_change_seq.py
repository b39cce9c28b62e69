"""change sequence on candidates and vacancies

Every insert and update of a candidate or a vacancy gets a number from one increasing sequence,
set by a trigger in the database, so it holds whatever wrote the row (the ORM, the importer's
bulk statements, plain SQL). The matching index of every server process asks for the rows above
the last number it saw (``api.services.changes``) instead of polling ``updated_at`` over a
look-back window, which after a bulk import fetched every row every second.

- PostgreSQL: a sequence ``srmatch_change_seq`` and a BEFORE INSERT OR UPDATE trigger. The
  trigger makes sure the writing transaction has its transaction id before it takes a number,
  which is what lets a reader tell, from its snapshot, which numbers may still be committed.
  A statement that writes a model version also takes a number, so one look at the sequence
  tells an idle server that nothing changed.
- SQLite: writers are serialised, so AFTER INSERT / AFTER UPDATE triggers set the row's number
  to the table's highest plus one (an index lookup). An idle server asks SQLite's
  ``data_version`` instead, which changes when another connection commits.

Existing rows are numbered in id order. A one-row table ``databaseinstance`` holds a random
token naming this database: a persisted index snapshot is only used for the database it
was read from (``models.changes``).

Revision ID: 0011
Revises: 0010
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("candidate", "vacancy")


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "databaseinstance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(f"INSERT INTO databaseinstance (id, token) VALUES (1, '{uuid.uuid4().hex}')")
    if pg:
        op.execute("CREATE SEQUENCE srmatch_change_seq AS bigint")
    for table in TABLES:
        op.add_column(table, sa.Column("change_seq", sa.BigInteger(), nullable=True))
        op.create_index(f"ix_{table}_change_seq", table, ["change_seq"], unique=False)
        if pg:
            op.execute(
                f"UPDATE {table} SET change_seq = n.seq FROM "
                f"(SELECT id, nextval('srmatch_change_seq') AS seq FROM {table} ORDER BY id) n "
                f"WHERE {table}.id = n.id"
            )
        else:
            op.execute(f"UPDATE {table} SET change_seq = id")
    if pg:
        op.execute(
            """
            CREATE FUNCTION srmatch_stamp_change() RETURNS trigger AS $$
            BEGIN
                -- the transaction id first: a reader that sees this transaction in progress
                -- knows any number it took may still appear (api.services.changes)
                PERFORM pg_current_xact_id();
                NEW.change_seq := nextval('srmatch_change_seq');
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_change_seq BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION srmatch_stamp_change()"
            )
        op.execute(
            """
            CREATE FUNCTION srmatch_signal_change() RETURNS trigger AS $$
            BEGIN
                PERFORM nextval('srmatch_change_seq');
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER modelversion_change_seq AFTER INSERT OR UPDATE ON modelversion "
            "FOR EACH STATEMENT EXECUTE FUNCTION srmatch_signal_change()"
        )
        return
    for table in TABLES:
        stamp = (
            f"UPDATE {table} SET change_seq = "
            f"(SELECT coalesce(max(change_seq), 0) + 1 FROM {table}) WHERE id = NEW.id;"
        )
        op.execute(
            f"CREATE TRIGGER {table}_change_seq_insert AFTER INSERT ON {table} BEGIN {stamp} END"
        )
        # the WHEN keeps the trigger's own update from stamping again
        op.execute(
            f"CREATE TRIGGER {table}_change_seq_update AFTER UPDATE ON {table} "
            f"WHEN NEW.change_seq IS OLD.change_seq BEGIN {stamp} END"
        )


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if pg:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_change_seq ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_change_seq_insert")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_change_seq_update")
        op.drop_index(f"ix_{table}_change_seq", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN change_seq")
    if pg:
        op.execute("DROP TRIGGER IF EXISTS modelversion_change_seq ON modelversion")
        op.execute("DROP FUNCTION IF EXISTS srmatch_signal_change()")
        op.execute("DROP FUNCTION IF EXISTS srmatch_stamp_change()")
        op.execute("DROP SEQUENCE IF EXISTS srmatch_change_seq")
    op.drop_table("databaseinstance")
