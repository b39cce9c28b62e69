"""``record_many``: one event per distinct candidate, in the caller's transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.audit import record_many
from models.audit import AuditEvent
from tests.api.conftest import make_world


def _events(session: Session) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.request_id == "many-1").order_by(col(AuditEvent.id))
        ).all()
    )


def test_record_many_writes_distinct_candidates_in_order_and_rolls_back_with_the_caller(
    session: Session,
) -> None:
    coach = make_world(session).a.coach
    n = record_many(
        session,
        user=coach,
        action="candidate.shortlist",
        candidate_ids=[3, None, 1, 3],
        request_id="many-1",
        object_type="vacancy",
        object_id=7,
    )
    assert n == 2
    seen = [(e.candidate_id, e.user_id, e.username, e.role, e.object_id) for e in _events(session)]
    assert seen == [
        (3, coach.id, coach.username, "coach", "7"),
        (1, coach.id, coach.username, "coach", "7"),
    ]
    session.rollback()  # the caller's work failed: its audit rows go with it
    assert _events(session) == []
    assert record_many(session, user=None, action="x", candidate_ids=[], request_id=None) == 0
