"""What would open doors: for a coach's candidate, and per municipality for the SR team.

Both run on the serving index and scorer of ``MatchingService`` (the same as the shortlists)
through :mod:`matcher.opportunities`, restricted to the open vacancies the actor can act on
(``matching.vacancies_in_reach``) and, for the competition, to the candidates the actor may see
on a shortlist. Reading one candidate's gains is an access to their data: audited.
"""

from __future__ import annotations

from sqlmodel import Session

from api.audit import record
from api.services.access import get_candidate_for
from api.services.dashboard import cached
from api.services.errors import ForbiddenError
from api.services.matching import MatchingService, vacancies_in_reach
from api.services.profiles import candidate_profile
from matcher.opportunities import near_miss_gaps, open_doors, top_scores
from matcher.profiles import VacancyProfile
from models.opportunities import DoorPublic, DoorsPublic, GapPublic, GapsPublic
from models.organisations import Role, User

TOP = 10


def _profiles(matching: MatchingService, ids: list[int]) -> list[VacancyProfile]:
    wanted = set(ids)
    return [v for v in matching.vacancies.profiles() if v.id in wanted]


def doors_for_candidate(
    *,
    session: Session,
    actor: User,
    candidate_id: int,
    matching: MatchingService,
    limit: int = 5,
    lang: str = "nl",
    request_id: str | None = None,
    audit: bool = True,
) -> DoorsPublic:
    """The few skills, certificates or licences whose gain would make the candidate eligible
    for, or rank in the top 10 of, the most open vacancies in reach. NotFoundError for a
    candidate out of reach; audited (``audit=False`` for a caller that already audited this
    request's read of the candidate, e.g. the candidate page)."""

    cand = get_candidate_for(session=session, user=actor, candidate_id=candidate_id)
    assert cand.id is not None
    vacancies = _profiles(matching, vacancies_in_reach(session, actor))
    with matching._lock:  # the scorer and the index as one consistent pair
        scorer, version = matching.scorer, matching.version_label
    pool, municipality = matching.visible_scope(actor)
    # what the pool scores does not depend on the candidate: kept while index and model stay
    pool_top = cached(
        ("doors_pool", id(matching), actor.municipality_id, tuple(v.id for v in vacancies)),
        (matching.candidates.version, matching.vacancies.version, version, id(scorer)),
        lambda: top_scores(
            matching.candidates,
            vacancies,
            scorer=scorer,
            pool_ids=pool,
            municipality_id=municipality,
            top=TOP,
        ),
    )
    doors = open_doors(
        matching.candidates,
        candidate_profile(cand),
        vacancies,
        scorer=scorer,
        pool_ids=pool,
        municipality_id=municipality,
        top=TOP,
        limit=limit,
        taxonomy=matching.taxonomy,
        lang=lang,
        pool_top=pool_top,
    )
    if audit:
        record(
            session,
            user=actor,
            action="candidate.doors",
            candidate_id=cand.id,
            request_id=request_id,
            detail=f"{len(vacancies)} vacancies in reach",
        )
    return DoorsPublic(
        candidate_id=cand.id,
        model_version=version,
        vacancies_in_reach=len(vacancies),
        top=TOP,
        data=[
            DoorPublic(
                kind=d.kind,
                id=d.id,
                label=d.label,
                vacancies=d.vacancies,
                top=d.top,
                vacancy_ids=list(d.vacancy_ids),
                top_vacancy_ids=list(d.top_vacancy_ids),
            )
            for d in doors
        ],
    )


def near_miss_certificates(
    *,
    session: Session,
    actor: User,
    matching: MatchingService,
    max_missing: int = 1,
    limit: int = 10,
    lang: str = "nl",
) -> GapsPublic:
    """Per municipality: the certificates and licences most often missing among near-miss
    candidates (eligible but for the licence, or missing at most ``max_missing`` required
    skills) of its open vacancies. Aggregates: no candidate is named, nothing is audited."""
    if actor.role not in (Role.sr_officer, Role.coach) or actor.municipality_id is None:
        raise ForbiddenError("near misses are for a municipality's SR officers and coaches")
    ids = vacancies_in_reach(session, actor)
    vacancies = _profiles(matching, ids)
    pool, municipality = matching.visible_scope(actor)
    # the same index and vacancies give the same gaps: computed again when either changes
    gaps = cached(
        ("near_misses", id(matching), actor.municipality_id, max_missing, limit, lang),
        (matching.candidates.version, matching.vacancies.version, tuple(ids)),
        lambda: near_miss_gaps(
            matching.candidates,
            vacancies,
            candidate_ids=pool,
            municipality_id=municipality,
            max_missing=max_missing,
            limit=limit,
            taxonomy=matching.taxonomy,
            lang=lang,
        ),
    )
    return GapsPublic(
        municipality_id=actor.municipality_id,
        vacancies=len(vacancies),
        max_missing=max_missing,
        data=[
            GapPublic(
                kind=g.kind, id=g.id, label=g.label, candidates=g.candidates, vacancies=g.vacancies
            )
            for g in gaps
        ],
    )
