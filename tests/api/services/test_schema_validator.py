"""import_rules.schema_validator checks a row as the schema's own class does: the same rows
accepted, the same errors (field, message, kind) for the others."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from api.services.import_rules import schema_validator
from models.candidates import CandidateCreate
from models.contracts import ContractCreate

_text = st.text(max_size=30) | st.sampled_from(["", "123456782", "3511 AB", "a" * 250, "x\x00y"])
_number = st.none() | st.integers(-10, 10**10) | st.floats(allow_nan=True, allow_infinity=True)


def _outcome(check: Any) -> tuple[bool, list[tuple[Any, ...]]]:
    try:
        check()
    except ValidationError as exc:
        return False, [(e["loc"], e["msg"], e["type"]) for e in exc.errors(include_url=False)]
    return True, []


def _same(model: type[BaseModel], body: dict[str, Any]) -> None:
    mine = _outcome(lambda: schema_validator(model).validate_python(dict(body)))
    theirs = _outcome(lambda: model.model_validate(dict(body)))
    assert mine == theirs


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    ref=_text,
    postcode=_text,
    benefit=_text,
    skills=st.lists(_text, max_size=4) | st.none() | _text,
    hours=_number,
    km=_number,
    ladder=_number,
    birth_year=_number,
    gender=st.none() | st.sampled_from(["m", "v", "x", "y", ""]),
    consent=st.none() | st.booleans() | _text,
    available=st.none() | st.dates() | _text,
)
def test_a_candidate_row_is_judged_as_the_schema_judges_it(**row: Any) -> None:
    body = {
        "ref": row["ref"],
        "postcode": row["postcode"],
        "benefit": row["benefit"],
        "skills": row["skills"],
        "hours_per_week": row["hours"],
        "max_travel_km": row["km"],
        "ladder_step": row["ladder"],
        "birth_year": row["birth_year"],
        "gender": row["gender"],
        "consent_share": row["consent"],
        "available_from": row["available"],
    }
    _same(CandidateCreate, {k: v for k, v in body.items() if v is not None or k == "skills"})


def test_a_schema_with_validators_of_its_own_keeps_its_class() -> None:
    assert schema_validator(ContractCreate) is ContractCreate.__pydantic_validator__
    assert schema_validator(CandidateCreate) is not CandidateCreate.__pydantic_validator__
