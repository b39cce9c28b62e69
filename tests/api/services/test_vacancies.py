"""Vacancy use cases: contractors post, edit and close their own; every role lists and reads
what it may see; the matching index hears of a change only once it is committed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from api.services import vacancies
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.matching import MatchingService
from models.organisations import Role
from models.vacancies import VacancyCreate, VacancyStatus, VacancyUpdate
from tests.api.conftest import api_settings, make_user, make_world


def _body(ref: str, **overrides: object) -> VacancyCreate:
    values: dict[str, object] = {
        "ref": ref,
        "title": "Orderpicker",
        "required_skills": ["heftruck"],
        "postcode": "3542 AA",
        "hours_per_week": 32.0,
        **overrides,
    }
    return VacancyCreate.model_validate(values)


def test_a_contractor_posts_a_normalised_vacancy_against_its_own_contract_only(
    session: Session,
) -> None:
    w = make_world(session)
    actor = w.a.contractor_user
    vac = vacancies.create_vacancy(
        session=session, actor=actor, body=_body("V-NEW", contract_id=w.a.contract.id)
    )
    session.commit()
    assert vac.id is not None and vac.contractor_id == w.a.contractor.id
    assert vac.municipality_id == w.a.contract.municipality_id
    assert vac.pc4 == "3542" and vac.lat != 0.0 and vac.required_norm

    with pytest.raises(ConflictError, match="V-NEW"):
        vacancies.create_vacancy(session=session, actor=actor, body=_body("V-NEW"))
    with pytest.raises(FieldError) as err:
        vacancies.create_vacancy(
            session=session, actor=actor, body=_body("V-2", contract_id=w.b.contract.id)
        )
    assert (err.value.field, err.value.value) == ("contract_id", w.b.contract.id)
    with pytest.raises(ForbiddenError):  # a coach sees vacancies but posts none
        vacancies.create_vacancy(session=session, actor=w.a.coach, body=_body("V-3"))


def test_only_the_owning_contractor_changes_or_closes_a_vacancy(session: Session) -> None:
    w = make_world(session)
    vid = w.a.vacancy.id
    assert vid is not None
    with pytest.raises(NotFoundError):  # another contractor cannot tell it exists
        vacancies.close_vacancy(session=session, actor=w.b.contractor_user, vacancy_id=vid)
    with pytest.raises(ForbiddenError):  # the coach of the municipality sees it, may not edit
        vacancies.update_vacancy(
            session=session,
            actor=w.a.coach,
            vacancy_id=vid,
            changes=VacancyUpdate(hours_per_week=20),
        )
    # a null for a field the table cannot leave empty never reaches the service (issue 13)
    with pytest.raises(ValidationError) as refused:
        VacancyUpdate.model_validate({"postcode": None})
    assert refused.value.errors()[0]["loc"] == ("postcode",)
    before = [c["id"] for c in w.a.vacancy.required_norm]
    changed = vacancies.update_vacancy(
        session=session,
        actor=w.a.contractor_user,
        vacancy_id=vid,
        changes=VacancyUpdate(required_skills=["schoonmaken"]),
    )
    after = [c["id"] for c in changed.required_norm]
    assert after and after != before and changed.required_skills == ["schoonmaken"]
    closed = vacancies.close_vacancy(session=session, actor=w.a.contractor_user, vacancy_id=vid)
    assert closed.status == VacancyStatus.closed


def test_lists_and_reads_are_scoped_by_role(session: Session) -> None:
    w = make_world(session)
    own, foreign = w.a.vacancy.id, w.b.vacancy.id
    assert own is not None and foreign is not None
    a_ids = {own, w.a.free_vacancy.id}
    for actor in (w.a.contractor_user, w.a.coach, w.a.sr_officer):
        page = vacancies.list_vacancies(session=session, actor=actor, limit=100)
        assert {v.id for v in page.data} == a_ids and page.count == 2
        assert vacancies.read_vacancy(session=session, actor=actor, vacancy_id=own)
        with pytest.raises(NotFoundError):
            vacancies.read_vacancy(session=session, actor=actor, vacancy_id=foreign)
    assert vacancies.list_vacancies(session=session, actor=w.admin).count == 0
    one = vacancies.list_vacancies(session=session, actor=w.a.sr_officer, limit=1, offset=1)
    assert [v.id for v in one.data] == [w.a.free_vacancy.id] and one.count == 2
    other = make_user(session, role=Role.contractor)
    assert vacancies.list_vacancies(session=session, actor=other).count == 0


def test_the_index_hears_of_a_change_after_the_commit_and_never_after_a_rollback(
    engine: Engine, session: Session
) -> None:
    w = make_world(session)
    service = MatchingService(engine=engine, settings=api_settings()).start(background=False)

    def indexed() -> set[int | None]:
        return {p.id for p in service.vacancies.profiles()}

    vac = vacancies.create_vacancy(
        session=session, actor=w.a.contractor_user, body=_body("V-LATER"), matching=service
    )
    session.rollback()
    assert vac.id not in indexed()

    vac = vacancies.create_vacancy(
        session=session, actor=w.a.contractor_user, body=_body("V-NOW"), matching=service
    )
    assert vac.id not in indexed()  # not committed yet: the index reads committed data
    session.commit()
    assert vac.id in indexed()

    assert vac.id is not None
    vacancies.close_vacancy(
        session=session, actor=w.a.contractor_user, vacancy_id=vac.id, matching=service
    )
    session.commit()
    assert vac.id not in indexed()
