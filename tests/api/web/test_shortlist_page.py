"""The coach's shortlist page: what it shows, who may open it, and that it is audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.config import Settings
from api.main import create_app
from models.audit import AuditEvent
from models.referrals import Referral
from tests.api.conftest import make_candidate, make_world
from tests.api.web.conftest import csrf_from, log_in


@contextmanager
def started(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """A client whose matching index was built from what the test already stored."""
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def test_a_coach_sees_the_shortlist_with_score_reasons_and_consent(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a = world.a
    other = make_candidate(
        session,
        municipality_id=a.municipality.id,
        coach_id=a.other_coach.id,
        ref="SL-OTHER",
        consent_share=False,
    )
    with started(engine, settings) as web:
        log_in(web, a.coach)
        page = web.get(f"/coach/vacancies/{a.free_vacancy.id}/shortlist")
        assert page.status_code == 200, page.text
        html = page.text
        assert a.candidate.ref in html and other.ref in html
        assert world.b.candidate.ref not in html  # another municipality's candidate
        assert 'class="bar" data-value="' in html and 'role="img"' in html
        assert '<ul class="reasons pro"><li>vacature vraagt' in html  # every score has reasons
        assert "Begeleid door" in html and "niet gegeven" in html and ">u<" in html
        events = session.exec(
            select(AuditEvent.candidate_id).where(
                AuditEvent.request_id == page.headers["x-request-id"],
                AuditEvent.action == "candidate.shortlist",
            )
        ).all()
        assert {a.candidate.id, other.id} <= set(events)


def test_who_was_left_out_is_shown_on_request(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    far = make_candidate(
        session,
        municipality_id=world.a.municipality.id,
        ref="SL-FAR",
        lat=53.2,
        lon=6.56,  # Groningen, far beyond 25 km
        pc4="9711",
        postcode="9711AA",
    )
    with started(engine, settings) as web:
        log_in(web, world.a.coach)
        plain = web.get(f"/coach/vacancies/{world.a.free_vacancy.id}/shortlist").text
        assert far.ref not in plain
        page = web.get(
            f"/coach/vacancies/{world.a.free_vacancy.id}/shortlist", params={"excluded": "true"}
        )
        assert page.status_code == 200
        assert far.ref in page.text and "Afgevallen kandidaten" in page.text


def test_another_municipalitys_vacancy_is_not_found(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    with started(engine, settings) as web:
        log_in(web, world.a.coach)
        foreign = web.get(f"/coach/vacancies/{world.b.free_vacancy.id}/shortlist")
        assert foreign.status_code == 404
        assert world.b.candidate.ref not in foreign.text
        web.cookies.clear()
        log_in(web, world.a.contractor_user)
        assert web.get(f"/coach/vacancies/{world.a.free_vacancy.id}/shortlist").status_code == 403


def _referrals(session: Session, candidate_id: int | None, vacancy_id: int | None) -> list[int]:
    # a session of its own, closed at once: the app shares the connection (SQLite in memory)
    with Session(session.get_bind()) as own:
        return [
            r.id or 0
            for r in own.exec(
                select(Referral).where(
                    Referral.candidate_id == candidate_id, Referral.vacancy_id == vacancy_id
                )
            )
        ]


def test_a_coach_proposes_from_the_shortlist(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a = world.a
    url = f"/coach/vacancies/{a.free_vacancy.id}/shortlist"
    with started(engine, settings) as web:
        log_in(web, a.coach)
        page = web.get(url)
        assert f"{a.candidate.ref} voorstellen" in page.text
        form = {"candidate_id": str(a.candidate.id), "shortlist_rank": "1"}
        assert web.post(url, data=form).status_code == 403  # no CSRF token: nothing changes
        assert _referrals(session, a.candidate.id, a.free_vacancy.id) == []
        answer = web.post(url, data={**form, "csrf_token": csrf_from(page.text)})
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{url}?proposed={a.candidate.id}"
        assert len(_referrals(session, a.candidate.id, a.free_vacancy.id)) == 1
        after = web.get(answer.headers["location"])
        assert f"{a.candidate.ref} is voorgesteld" in after.text
        assert f"{a.candidate.ref} voorstellen" not in after.text  # in progress: off the list
        again = web.post(url, data={**form, "csrf_token": csrf_from(page.text)})
        assert again.status_code == 409 and "is al voorgesteld voor vacature" in again.text


def test_another_coachs_candidate_cannot_be_proposed(
    engine: Engine, settings: Settings, session: Session
) -> None:
    world = make_world(session)
    a = world.a
    theirs = make_candidate(
        session, municipality_id=a.municipality.id, coach_id=a.other_coach.id, ref="SL-THEIRS"
    )
    url = f"/coach/vacancies/{a.free_vacancy.id}/shortlist"
    with started(engine, settings) as web:
        log_in(web, a.coach)
        page = web.get(url)
        assert f'disabled aria-describedby="why-{theirs.id}"' in page.text
        assert "Alleen de jobcoach die deze kandidaat begeleidt" in page.text
        answer = web.post(
            url, data={"candidate_id": str(theirs.id), "csrf_token": csrf_from(page.text)}
        )
        assert answer.status_code == 403
        assert _referrals(session, theirs.id, a.free_vacancy.id) == []


def test_the_shortlist_shows_sr_value_reasons_for_and_against_and_why_propose_is_disabled(
    engine: Engine, settings: Settings, session: Session
) -> None:
    from datetime import date

    from api.services.sr_value import contract_table
    from matcher.sr.hire import hire_value
    from tests.api.conftest import make_vacancy

    world = make_world(session)
    a = world.a
    vacancy = make_vacancy(
        session,
        contractor_id=a.contractor.id,
        contract_id=a.contract.id,
        municipality_id=a.municipality.id,
        required_skills=["heftruck", "VCA"],
        hours_per_week=24.0,
    )
    shy = make_candidate(
        session,
        municipality_id=a.municipality.id,
        coach_id=a.coach.id,
        ref="SL-SHY",
        consent_share=False,
    )
    outside = make_candidate(
        session,
        municipality_id=a.municipality.id,
        coach_id=a.coach.id,
        ref="SL-NONE",
        benefit="none",
    )
    make_candidate(  # 17 km away and wanting fewer hours: that speaks against
        session,
        municipality_id=a.municipality.id,
        coach_id=a.coach.id,
        ref="SL-FARISH",
        lat=52.25,
        lon=5.05,
        hours_per_week=12.0,
    )
    table = contract_table(session, vacancy)
    assert table is not None
    expected = hire_value(
        table, hours_per_week=24.0, benefit=a.candidate.benefit, start=date.today()
    )
    assert expected.per_year_eur > 0
    session.commit()  # end the read transaction: the app shares this in-memory database
    with started(engine, settings) as web:
        log_in(web, a.coach)
        page = web.get(f"/coach/vacancies/{vacancy.id}/shortlist", params={"excluded": "true"})
        assert page.status_code == 200, page.text
        html = page.text
        assert "Wat ervoor pleit" in html and "Wat ertegen pleit" in html
        assert '<ul class="reasons con">' in html
        assert f'class="sr-value" data-value="{float(expected.per_year_eur)}"' in html
        assert "per jaar" in html and "Telt mee voor SR" in html
        # no consent: the propose button is disabled and says why
        assert f'disabled aria-describedby="why-{shy.id}"' in html
        assert "toestemming heeft gegeven" in html
        # a benefit that does not count for SR fails the hard rule: left out, with the rule
        assert outside.ref in html.split('id="excluded-title"')[1]
