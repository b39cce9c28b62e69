"""Optimistic locking (issue 13): single-object reads carry an ETag (the version), writes honour
If-Match (412 when stale), edit pages refuse a form saved over a newer version, and a lost
race at write time is a 409 naming the clash. Before: no version, no ETag, If-Match ignored.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from api.config import Settings
from api.services.errors import StaleVersionError, check_version
from models.candidates import Candidate
from models.db import describe_conflict
from models.vacancies import Vacancy
from tests.api.conftest import auth, make_world


def test_candidate_read_sends_its_version_and_a_stale_if_match_is_refused(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    h = auth(w.a.coach, settings)
    url = f"/api/v1/coach/candidates/{w.a.candidate.id}"
    first = client.get(url, headers=h)
    assert first.status_code == 200
    assert first.headers["etag"] == '"1"'
    assert first.json()["version"] == 1

    ok = client.patch(url, json={"hours_per_week": 20}, headers={**h, "If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == '"2"' and ok.json()["version"] == 2

    stale = client.patch(url, json={"hours_per_week": 12}, headers={**h, "If-Match": '"1"'})
    assert stale.status_code == 412, stale.text
    assert "changed by someone else" in stale.json()["detail"]
    assert "version 1" in stale.json()["detail"] and "now at 2" in stale.json()["detail"]

    weak = client.patch(url, json={"hours_per_week": 16}, headers={**h, "If-Match": 'W/"2"'})
    assert weak.status_code == 200 and weak.json()["version"] == 3

    garbage = client.patch(url, json={"hours_per_week": 8}, headers={**h, "If-Match": "abc"})
    assert garbage.status_code == 412 and "not an ETag" in garbage.json()["detail"]

    # no precondition: the last writer wins (documented on the route)
    blind = client.patch(url, json={"hours_per_week": 24}, headers=h)
    assert blind.status_code == 200 and blind.json()["version"] == 4
    assert (
        client.patch(url, json={"max_travel_km": 10}, headers={**h, "If-Match": "*"}).json()[
            "version"
        ]
        == 5
    )
    final = client.get(url, headers=h).json()
    assert final["hours_per_week"] == 24 and final["max_travel_km"] == 10


def test_vacancy_contract_and_referral_reads_carry_etags_and_writes_check_them(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    contractor, coach, sr = (auth(u, settings) for u in (w.a.contractor_user, w.a.coach,
                                                           w.a.sr_officer))  # fmt: skip
    vac_url = f"/api/v1/contractor/vacancies/{w.a.vacancy.id}"
    assert client.get(vac_url, headers=contractor).headers["etag"] == '"1"'
    stale = client.patch(vac_url, json={"positions": 2}, headers={**contractor, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert client.get(vac_url, headers=contractor).json()["positions"] == 1  # nothing written
    ok = client.patch(vac_url, json={"positions": 2}, headers={**contractor, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'

    contract = client.get(f"/api/v1/sr-officer/contracts/{w.a.contract.id}", headers=sr)
    assert contract.status_code == 200 and contract.headers["etag"] == '"1"'
    assert contract.json()["version"] == 1

    ref_url = f"/api/v1/coach/referrals/{w.a.referral.id}"
    read = client.get(ref_url, headers=coach)
    assert read.headers["etag"] == '"1"' and read.json()["version"] == 1
    move = {"status": "withdrawn", "reason": "found other work"}
    refused = client.post(ref_url + "/transitions", json=move, headers={**coach, "If-Match": '"5"'})
    assert refused.status_code == 412, refused.text
    assert client.get(ref_url, headers=coach).json()["status"] == "introduced"


def test_a_page_edit_over_a_stale_form_is_refused_with_a_clear_message(
    engine: Engine, session: Session, settings: Settings
) -> None:
    from api.services import candidates as service
    from models.candidates import CandidateUpdate

    w = make_world(session)
    cand_id = w.a.candidate.id
    assert cand_id is not None
    # the form was opened at version 1, then someone else saved (version 2)
    service.update_candidate(
        session=session,
        actor=w.a.coach,
        candidate_id=cand_id,
        changes=CandidateUpdate(hours_per_week=30),
        request_id=None,
    )
    session.commit()
    with pytest.raises(StaleVersionError) as err:
        service.update_candidate(
            session=session,
            actor=w.a.coach,
            candidate_id=cand_id,
            changes=CandidateUpdate(hours_per_week=10),
            request_id=None,
            expected_version=1,
        )
    session.rollback()
    assert (err.value.expected, err.value.current) == (1, 2)
    session.expire_all()
    stored = session.get(Candidate, cand_id)
    assert stored is not None and stored.hours_per_week == 30


def test_check_version_without_a_precondition_lets_the_write_through() -> None:
    vac = Vacancy(ref="V", title="t", postcode="3511AA", hours_per_week=1, pc4="3511", lat=0,
                  lon=0, contractor_id=1, version=4)  # fmt: skip
    check_version("vacancy", vac, None)
    check_version("vacancy", vac, 4)
    with pytest.raises(StaleVersionError, match="now at 4"):
        check_version("vacancy", vac, 3)


def test_a_unique_key_race_is_described_with_its_constraint(engine: Engine) -> None:
    with Session(engine) as s:
        w = make_world(s)
        with pytest.raises(IntegrityError) as err:
            s.execute(
                text("INSERT INTO referral (candidate_id, vacancy_id, status, status_date, "
                     "introduced_with_consent, created_at, updated_at) VALUES "
                     "(:c, :v, 'proposed', CURRENT_DATE, false, CURRENT_TIMESTAMP, "
                     "CURRENT_TIMESTAMP)"),
                {"c": w.a.candidate.id, "v": w.a.vacancy.id},
            )  # fmt: skip
        s.rollback()
    message = describe_conflict(err.value)
    assert re.search(r"uq_referral_pair|referral\.candidate_id, referral\.vacancy_id", message)
    assert "try again" in message
    assert "read it again" in describe_conflict(StaleDataError("x"))


def test_a_contract_patch_honours_if_match(
    client: TestClient, session: Session, settings: Settings
) -> None:
    w = make_world(session)
    sr = auth(w.a.sr_officer, settings)
    url = f"/api/v1/sr-officer/contracts/{w.a.contract.id}"
    etag = client.get(url, headers=sr).headers["etag"]
    ok = client.patch(url, json={"sr_percentage": 6}, headers={**sr, "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] == f'"{ok.json()["version"]}"' != etag
    stale = client.patch(url, json={"sr_percentage": 7}, headers={**sr, "If-Match": etag})
    assert stale.status_code == 412, stale.text
    assert client.get(url, headers=sr).json()["sr_percentage"] == 6
