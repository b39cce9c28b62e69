"""Responsible matching at service level, on SQLite and PostgreSQL (issue 14): served shortlists
log group counts, the audit flags the group a biased ranker pushes down, coaches' overrides are
logged next to the served shortlist and show in the audit and the funnel, and the fairness
gate's override is an admin's recorded decision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.fairness import (
    fairness_audit,
    list_oversight,
    override_fairness,
    record_oversight,
)
from api.services.matching import MatchingService, shortlist_for
from api.services.profiles import concept_dicts
from api.services.reports import matching_success
from matcher.features import COL
from matcher.normalize import get_normalizer
from matcher.ranker import BaselineScorer
from models import AuditEvent, ModelVersion, OversightDecision, ShortlistLog
from models.candidates import Candidate
from models.fairness import OversightCreate
from models.organisations import Role, User
from models.vacancies import Vacancy
from tests.api.conftest import (
    api_settings,
    make_candidate,
    make_municipality,
    make_user,
    make_vacancy,
)

BIASED = "biased-1"


class PushDown:
    """A deliberately biased ranker: the baseline minus a penalty for ladder steps 1-2 (every
    Wajong recipient below stands on step 2, so the Wajong group is pushed down)."""

    def score_features(self, F: np.ndarray) -> np.ndarray:
        base = BaselineScorer().score_features(F)
        step = F[:, COL["ladder_step"]]
        return np.where((step > 0) & (step <= 2), base - 0.5, base)


@dataclass
class Town:
    coach: User
    other_coach: User
    officer: User
    foreign_officer: User
    admin: User
    candidates: list[Candidate]
    vacancies: list[Vacancy]
    service: MatchingService


def _town(session: Session, engine: Engine, *, n: int = 156, n_vacancies: int = 4) -> Town:
    """``n`` candidates, a third each on Wajong (all on ladder step 2), WW and bijstand; groups
    need 50 distinct people to count (matcher.fairness.MIN_PEOPLE)."""
    muni = make_municipality(session)
    coach = make_user(session, role=Role.coach, municipality=muni)
    other = make_user(session, role=Role.coach, municipality=muni)
    officer = make_user(session, role=Role.sr_officer, municipality=muni)
    foreign = make_user(session, role=Role.sr_officer)
    admin = make_user(session, role=Role.admin)
    rng = np.random.default_rng(5)
    norm = get_normalizer().profile(["heftruck", "magazijn"], ["magazijnmedewerker"])
    cands = []
    for i in range(n):
        benefit = ("wajong", "ww", "participatiewet")[i % 3]
        cands.append(
            make_candidate(
                session,
                municipality_id=muni.id,
                coach_id=coach.id if i % 6 else other.id,
                benefit=benefit,
                ladder_step=2 if benefit == "wajong" else 5,
                lat=52.09 + float(rng.normal(0, 0.01)),
                lon=5.12 + float(rng.normal(0, 0.01)),
                birth_year=int(rng.integers(1960, 2004)),
                gender=("m", "v")[i % 2],
                skills_norm=concept_dicts(norm.skills),
                occupations_norm=concept_dicts(norm.occupations),
            )
        )
    vacs = [make_vacancy(session, municipality_id=muni.id) for _ in range(n_vacancies)]
    session.add(ModelVersion(version=BIASED, status="trained", accepted=False))
    session.commit()
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)
    service.scorer, service.model_version = PushDown(), BIASED  # type: ignore[assignment]
    return Town(coach, other, officer, foreign, admin, cands, vacs, service)


def _serve(session: Session, town: Town) -> None:
    for v in town.vacancies:
        assert v.id is not None
        shortlist_for(
            session=session, actor=town.coach, vacancy_id=v.id, matching=town.service, top=10
        )
    session.commit()


def test_the_audit_flags_the_group_a_biased_ranker_pushes_down(
    session: Session, engine: Engine
) -> None:
    town = _town(session, engine)
    _serve(session, town)
    logs = list(session.exec(select(ShortlistLog)))
    assert len(logs) == len(town.vacancies)
    for log in logs:  # the denominators travel with every served shortlist
        assert sum(log.group_counts["eligible"]["benefit"].values()) == log.n_eligible
        assert sum(log.group_counts["top"]["benefit"].values()) == min(10, log.n_eligible)

    audit = fairness_audit(session=session, actor=town.officer, model_version=BIASED)
    rows = {(r.dimension, r.group): r for r in audit.data}
    wajong = rows[("benefit", "wajong")]
    assert wajong.top == 0 and wajong.eligible == 52 * len(town.vacancies)
    assert wajong.people == 52 and not wajong.small
    assert wajong.flagged and wajong.conclusive and wajong.ratio == 0.0
    assert not rows[("benefit", "ww")].flagged or not rows[("benefit", "participatiewet")].flagged
    assert rows[("ladder_step", "2")].flagged
    # every group with its counts, audit-only attributes included (counted, never shown per
    # person)
    assert {g for d, g in rows if d == "benefit"} == {"wajong", "ww", "participatiewet"}
    assert sum(r.eligible for r in audit.data if r.dimension == "gender") == 156 * 4
    [version] = audit.versions
    assert version.model_version == BIASED and version.shortlists == 4
    assert version.min_ratio == 0.0 and version.flagged >= 1
    # an officer of another municipality sees none of these shortlists
    assert fairness_audit(session=session, actor=town.foreign_officer).count == 0
    with pytest.raises(ForbiddenError):
        fairness_audit(session=session, actor=town.coach)
    with pytest.raises(NotFoundError):
        fairness_audit(session=session, actor=town.admin, model_version="v-nope")
    read = session.exec(select(AuditEvent).where(AuditEvent.action == "fairness.audit")).all()
    assert len(read) == 2  # every answered read of the audit is on the trail


def test_overrides_are_logged_next_to_the_served_shortlist_and_counted(
    session: Session, engine: Engine
) -> None:
    town = _town(session, engine, n_vacancies=1)
    vac = town.vacancies[0]
    assert vac.id is not None
    own = [c for c in town.candidates if c.coach_id == town.coach.id]
    with pytest.raises(ConflictError, match="no shortlist was served"):
        record_oversight(
            session=session,
            actor=town.coach,
            vacancy_id=vac.id,
            body=OversightCreate(candidate_id=own[0].id, kind="added", reason="better_fit_known"),
        )
    _serve(session, town)
    log = session.exec(select(ShortlistLog)).one()
    shown = [int(e[0]) for e in log.entries]
    ranked = next(c for c in own if c.id in shown)
    unseen = next(c for c in own if c.id not in shown)
    set_aside = record_oversight(
        session=session,
        actor=town.coach,
        vacancy_id=vac.id,
        body=OversightCreate(
            candidate_id=ranked.id, kind="set_aside", reason="not_available", note="ziek"
        ),
    )
    added = record_oversight(
        session=session,
        actor=town.coach,
        vacancy_id=vac.id,
        body=OversightCreate(candidate_id=unseen.id, kind="added", reason="skill_not_in_profile"),
    )
    session.commit()
    assert set_aside.shortlist_log_id == log.id == added.shortlist_log_id
    assert set_aside.rank == shown.index(ranked.id) + 1 and added.rank is None
    assert set_aside.model_version == BIASED

    bad = [
        ({"candidate_id": unseen.id, "kind": "set_aside", "reason": "not_available"}, FieldError),
        ({"candidate_id": ranked.id, "kind": "added", "reason": "not_available"}, FieldError),
        ({"candidate_id": ranked.id, "kind": "set_aside", "reason": "bored"}, FieldError),
        ({"candidate_id": ranked.id, "kind": "maybe", "reason": "other"}, FieldError),
        ({"candidate_id": ranked.id, "kind": "set_aside", "reason": "other"}, FieldError),
    ]
    for body, error in bad:
        with pytest.raises(error):
            record_oversight(
                session=session,
                actor=town.coach,
                vacancy_id=vac.id,
                body=OversightCreate.model_validate(body),
            )
    with pytest.raises(FieldError, match="allowed: .*not_available"):
        record_oversight(
            session=session,
            actor=town.coach,
            vacancy_id=vac.id,
            body=OversightCreate(candidate_id=ranked.id, kind="set_aside", reason="bored"),
        )
    held_by_other = next(c for c in town.candidates if c.coach_id == town.other_coach.id)
    with pytest.raises(ForbiddenError):
        record_oversight(
            session=session,
            actor=town.coach,
            vacancy_id=vac.id,
            body=OversightCreate(candidate_id=held_by_other.id, kind="added", reason="other"),
        )
    foreign_vac = make_vacancy(session, municipality_id=make_municipality(session).id)
    assert foreign_vac.id is not None
    with pytest.raises(NotFoundError):
        record_oversight(
            session=session,
            actor=town.coach,
            vacancy_id=foreign_vac.id,
            body=OversightCreate(candidate_id=unseen.id, kind="added", reason="other", note="x"),
        )
    session.rollback()
    assert len(session.exec(select(OversightDecision)).all()) == 2

    listed = list_oversight(session=session, actor=town.coach, vacancy_id=vac.id)
    assert [d.kind for d in listed.data] == ["added", "set_aside"]
    assert list_oversight(session=session, actor=town.other_coach, vacancy_id=vac.id).count == 0

    audit = fairness_audit(session=session, actor=town.officer)
    [version] = audit.versions
    assert (version.set_aside, version.added) == (1, 1)
    by_group = {(r.dimension, r.group): r for r in audit.data}
    assert by_group[("benefit", ranked.benefit)].set_aside == 1
    assert by_group[("benefit", unseen.benefit)].added == 1
    funnel = {
        r.model_version: r for r in matching_success(session, municipality_id=vac.municipality_id)
    }  # type: ignore[arg-type]
    assert (funnel[BIASED].set_aside, funnel[BIASED].added) == (1, 1)
    trail = session.exec(
        select(AuditEvent.action, AuditEvent.candidate_id).where(
            AuditEvent.action.in_(["oversight.set_aside", "oversight.added"])  # type: ignore[attr-defined]
        )
    ).all()
    assert sorted(trail) == sorted(
        [("oversight.set_aside", ranked.id), ("oversight.added", unseen.id)]
    )


def test_only_an_admin_overrides_a_gated_version_and_the_trail_keeps_the_reason(
    session: Session,
) -> None:
    admin = make_user(session, role=Role.admin)
    officer = make_user(session, role=Role.sr_officer)
    session.add(ModelVersion(version="v-gated", status="gated", accepted=False))
    session.add(ModelVersion(version="v-worse", status="rejected", accepted=False))
    session.commit()
    with pytest.raises(ForbiddenError):
        override_fairness(session=session, actor=officer, version="v-gated", reason="x" * 20)
    with pytest.raises(FieldError, match="reason"):
        override_fairness(session=session, actor=admin, version="v-gated", reason="ok")
    with pytest.raises(ConflictError, match="'rejected'"):
        override_fairness(session=session, actor=admin, version="v-worse", reason="x" * 20)
    with pytest.raises(NotFoundError):
        override_fairness(session=session, actor=admin, version="v-none", reason="x" * 20)
    reason = "SR team reviewed the ladder-step gap; coaches check steps 1-3 by hand"
    row = override_fairness(session=session, actor=admin, version="v-gated", reason=reason)
    session.commit()
    assert row.accepted and row.status == "trained"
    assert (row.fairness_override, row.fairness_override_by) == (reason, admin.username)
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "model.fairness_override")
    ).one()
    assert (event.object_id, event.detail, event.user_id) == ("v-gated", reason, admin.id)
