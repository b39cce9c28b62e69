"""Contracts and the one rule naming a contractor: "contractor name (or KvK number)".

An SR officer's contract form and a contracts file resolve a contractor through the same
function, so the same words find the same company either way.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from api.services.contracts import find_contractor, find_or_create_contractor
from api.services.errors import FieldError
from models.contracts import Contract
from models.organisations import Contractor, Role
from tests.api.conftest import api_settings, auth, make_contractor, make_user, make_world


def _contractors(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Contractor)).one()


def test_a_kvk_number_matches_the_kvk_and_anything_else_the_name_in_any_case(
    session: Session,
) -> None:
    bouw = make_contractor(session, name="Bouw BV", kvk="12345678")
    numbered = make_contractor(session, name="87654321 Holding", kvk=None)
    assert find_contractor(session=session, name_or_kvk="Bouw BV") == bouw
    assert find_contractor(session=session, name_or_kvk="  bOUW bv ") == bouw
    assert find_contractor(session=session, name_or_kvk="12345678") == bouw
    assert find_contractor(session=session, name_or_kvk="87654321 Holding") == numbered
    # eight digits are a KvK number: the name is not searched for it
    assert find_contractor(session=session, name_or_kvk="87654321") is None
    assert find_contractor(session=session, name_or_kvk="Bouw") is None
    assert find_contractor(session=session, name_or_kvk="1234567") is None  # seven digits: a name


def test_find_or_create_makes_one_company_and_a_contractor_user_makes_none(
    session: Session,
) -> None:
    before = _contractors(session)
    new = find_or_create_contractor(session=session, actor=None, name_or_kvk="Nieuw BV ")
    assert (new.name, new.kvk) == ("Nieuw BV", None) and new.id is not None
    assert find_or_create_contractor(session=session, actor=None, name_or_kvk="NIEUW bv") == new
    by_kvk = find_or_create_contractor(session=session, actor=None, name_or_kvk="11223344")
    assert (by_kvk.name, by_kvk.kvk) == ("11223344", "11223344")
    assert _contractors(session) == before + 2

    firm = make_contractor(session, name="Eigen BV")
    user = make_user(session, role=Role.contractor, contractor=firm)
    with pytest.raises(FieldError) as err:
        find_or_create_contractor(session=session, actor=user, name_or_kvk="Ander BV")
    assert err.value.field == "contractor" and err.value.value == "Ander BV"
    assert find_or_create_contractor(session=session, actor=user, name_or_kvk="eigen bv") == firm
    with pytest.raises(FieldError):
        find_or_create_contractor(session=session, actor=None, name_or_kvk="   ")


def test_the_contract_form_and_a_contracts_file_resolve_the_same_contractor(
    client: TestClient, session: Session
) -> None:
    w = make_world(session)
    known = w.a.contractor
    known.kvk = "12345678"
    session.add(known)
    session.commit()
    sr = auth(w.a.sr_officer, api_settings())
    muni = w.a.municipality.name
    before = _contractors(session)
    session.commit()  # one in-memory SQLite connection: end this session's read before requests

    def create(ref: str, contractor: str) -> int:
        body = {"ref": ref, "contractor": contractor, "value_cents": 10_000_000}
        r = client.post("/api/v1/sr-officer/contracts", json=body, headers=sr)
        assert r.status_code == 201, r.text
        return int(r.json()["contractor_id"])

    # through the API: another spelling of the name, and the KvK number
    assert create("F-1", known.name.upper()) == known.id
    assert create("F-2", "12345678") == known.id
    new_by_name = create("F-3", "Nieuw Bouw BV")
    new_by_kvk = create("F-4", "87654321")

    # through a contracts file: the same words find the same companies
    csv = (
        "contract_ref,contractor,municipality,value_eur\n"
        f"I-1,{known.name.lower()},{muni},100000\n"
        f"I-2,12345678,{muni},100000\n"
        f"I-3,nieuw bouw bv,{muni},100000\n"
        f"I-4,87654321,{muni},100000\n"
    )
    r = client.post(
        "/api/v1/sr-officer/imports/contracts", files={"file": ("c.csv", csv)}, headers=sr
    )
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 4
    session.expire_all()
    by_ref = {
        c.ref: c.contractor_id
        for c in session.exec(select(Contract).where(Contract.ref.startswith("I-"))).all()  # type: ignore[attr-defined]
    }
    assert by_ref == {"I-1": known.id, "I-2": known.id, "I-3": new_by_name, "I-4": new_by_kvk}
    assert _contractors(session) == before + 2
    kvk_firm = session.get(Contractor, new_by_kvk)
    assert kvk_firm is not None and kvk_firm.kvk == "87654321"
    session.commit()

    # a duplicate reference clashes (409), whichever way the contractor is named
    r = client.post(
        "/api/v1/sr-officer/contracts",
        json={"ref": "I-1", "contractor": "12345678", "value_cents": 1},
        headers=sr,
    )
    assert r.status_code == 409 and "I-1" in r.json()["detail"]
