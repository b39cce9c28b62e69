"""Which candidates and vacancies changed since the last look: the matching index's change feed.

Every write of a candidate or vacancy row stamps it with the next number of one increasing
sequence (``change_seq``, set by a database trigger: migration 0011). ``ChangeFeed.poll``
returns the ids of the rows stamped since the previous poll. An idle database answers with
empty index range scans; a change costs work for the changed rows only.

The one subtlety is a transaction that took its number before another but commits after it.
On SQLite writers are serialised, so numbers are committed in order and the feed simply moves
past the highest number it has read. On PostgreSQL writers run side by side, so the feed moves
its floor (``low``: every row stamped at or below it has been read) only as far as it can prove:

1. read the sequence's last value ``S``, then take a snapshot (``pg_current_snapshot()``);
2. every number up to ``S`` was taken by a transaction that already had its transaction id (the
   trigger makes sure of that), so that transaction is either finished, and its rows visible to
   the next statement, or listed as in progress in the snapshot;
3. read the rows stamped above ``low``, skipping those already read at the same number;
4. ``S`` becomes the new floor once every transaction listed in step 2 has finished, which a
   later poll's snapshot tells. Until then the rows between the floor and the newest number
   are read again each poll (and skipped): bounded by what was written meanwhile.

Nothing here takes a lock, so no writer ever waits for the index.

Between polls, ``ChangeProbe`` tells whether there can be anything to poll for, with one tiny
statement on a connection it keeps: the sequence's last value on PostgreSQL (writes of model
versions take a number too), ``PRAGMA data_version`` on SQLite (it changes whenever another
connection commits). An idle server runs that statement once a second and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session

#: the tables followed, by their SQL names
TABLES = ("candidate", "vacancy")


@dataclass(frozen=True)
class Snapshot:
    """A PostgreSQL snapshot: transactions from ``xmax`` on, or listed in ``xip``, are not
    finished as seen from it."""

    xmin: int
    xmax: int
    xip: frozenset[int]

    @classmethod
    def parse(cls, value: str) -> Snapshot:
        """``pg_current_snapshot()`` as text: ``xmin:xmax:xip,...``.

        Examples
        --------
        >>> Snapshot.parse("10:14:10,12")
        Snapshot(xmin=10, xmax=14, xip=frozenset({10, 12}))
        """
        xmin, xmax, xip = value.split(":")
        return cls(int(xmin), int(xmax), frozenset(int(x) for x in xip.split(",") if x))

    def finished(self, xids: Iterable[int]) -> bool:
        """Whether every one of ``xids`` had finished (committed or rolled back) when this
        snapshot was taken.

        >>> Snapshot.parse("10:14:10,12").finished([11, 13])
        True
        >>> Snapshot.parse("10:14:10,12").finished([12])
        False
        """
        return all(x < self.xmax and x not in self.xip for x in xids)


@dataclass
class ChangeFeed:
    """Ids of candidates and vacancies written since the previous ``poll`` (see the module
    docstring). A fresh feed (``low`` 0) returns every row once: that is the cold start.
    ``low`` can be set from a persisted index snapshot to resume from there."""

    low: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    #: rows read above ``low``, with the number they were read at (PostgreSQL only)
    _read: dict[str, dict[int, int]] = field(default_factory=lambda: {t: {} for t in TABLES})
    #: (sequence value, transactions in progress) of earlier polls, oldest first (PostgreSQL)
    _marks: list[tuple[int, frozenset[int]]] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        """Whether an earlier poll saw writers in progress whose rows may still appear (poll
        again even if the probe says nothing changed)."""
        return bool(self._marks)

    @property
    def position(self) -> int:
        """One number below which everything has been read (what a snapshot records)."""
        return min(self.low.values())

    def poll(self, session: Session) -> dict[str, list[int]]:
        """Ids per table changed since the previous poll (a row changed twice appears once)."""
        if session.get_bind().dialect.name != "postgresql":
            return {t: self._poll_serialised(session, t) for t in TABLES}
        last = database_position(session)  # the sequence's last value
        snap = Snapshot.parse(
            session.exec(text("SELECT pg_current_snapshot()::text")).scalar_one()  # type: ignore[call-overload]
        )
        # floors proven by this snapshot: marks whose in-progress transactions have all ended
        floor = None
        while self._marks and snap.finished(self._marks[0][1]):
            floor = self._marks.pop(0)[0]
        out = {t: self._read_above(session, t) for t in TABLES}
        if not snap.xip:  # nothing that could still hold a number is open: all is read
            floor = int(last)
            self._marks.clear()
        else:
            self._marks.append((int(last), snap.xip))
        if floor is not None:
            for t in TABLES:
                self.low[t] = max(self.low[t], floor)
                self._read[t] = {i: s for i, s in self._read[t].items() if s > self.low[t]}
        return out

    def _rows_above(self, session: Session, table: str) -> list[tuple[int, int]]:
        """(id, change number) of the rows numbered above the floor (an index range scan)."""
        rows = session.exec(  # type: ignore[call-overload]
            text(f"SELECT id, change_seq FROM {table} WHERE change_seq > :low"),
            params={"low": self.low[table]},
        ).all()
        return [(int(i), int(seq)) for i, seq in rows]

    def _read_above(self, session: Session, table: str) -> list[int]:
        rows = self._rows_above(session, table)
        seen = self._read[table]
        out = []
        for row_id, seq in rows:
            if seen.get(row_id) != seq:
                seen[row_id] = seq
                out.append(row_id)
        return out

    def _poll_serialised(self, session: Session, table: str) -> list[int]:
        rows = self._rows_above(session, table)
        if rows:
            self.low[table] = max(seq for _, seq in rows)
        return [i for i, _ in rows]


def database_position(session: Session) -> int:
    """The highest change number the database has handed out to a candidate row (what an
    index snapshot's position is compared with): on PostgreSQL the sequence's last value
    (vacancies and model versions take numbers from it too, so a snapshot may stand above
    every candidate row), on SQLite the highest candidate row number. A snapshot beyond it
    belongs to a later state of the database: one restored from an older backup."""
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM srmatch_change_seq"
    else:
        sql = "SELECT coalesce(max(change_seq), 0) FROM candidate"
    return int(session.exec(text(sql)).scalar_one())  # type: ignore[call-overload]


class ChangeProbe:
    """Whether the followed tables (or the model versions) may have changed since the last
    call, at the cost of one tiny statement (see the module docstring). The first call, and any
    call after an error, answers True: when in doubt, poll."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Any = None
        self._last: object = None

    def changed(self) -> bool:
        """True when a poll may find something."""
        pg = self.engine.dialect.name == "postgresql"
        try:
            if self._conn is None:
                self._conn = self.engine.raw_connection()
            cur = self._conn.cursor()
            try:
                if pg:
                    cur.execute("SELECT last_value, is_called FROM srmatch_change_seq")
                else:
                    cur.execute("PRAGMA data_version")
                value = tuple(cur.fetchone() or ())
            finally:
                cur.close()
            self._conn.rollback()  # hold no snapshot between calls
        except Exception:
            self.reset()
            return True
        if value != self._last:
            self._last = value
            return True
        return False

    def reset(self) -> None:
        """Forget the last value (the next call answers True) and the connection."""
        self._last = None
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # a broken connection: nothing to give back
                pass
            self._conn = None
