"""One validation per field (issue 13, findings 3, 4, 8, 9 and 13).

- Create and Update models give each field the Base model's type and bounds, and what a Create
  or Update model accepts validates in the Public model (nothing stored that cannot be read).
- The BSN guard covers every free-text field, after NFKC normalisation.
- Strings and lists are capped, NUL characters and NaN refused, ``gender`` is a closed vocabulary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from matcher import vocab
from models.candidates import CandidateCreate, CandidatePublic, CandidateUpdate
from models.contracts import ContractCreate, ContractPublic, ContractUpdate
from models.types import MAX_INT32, MAX_ITEM, MAX_ITEMS, Gender
from models.vacancies import VacancyCreate, VacancyPublic, VacancyStatus, VacancyUpdate

BSN = "111222333"  # passes the elfproef
FULL_WIDTH_BSN = "１１１２２２３３３"

CANDIDATE = {"ref": "CL-1", "postcode": "3511AB", "benefit": "participatiewet"}
VACANCY = {"ref": "V-1", "title": "Magazijnmedewerker", "postcode": "3542AA", "hours_per_week": 36}
CONTRACT = {"ref": "C-1", "value_cents": 100_000, "contractor": "Bouw BV"}


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value.errors()


# --- the BSN guard on every free-text field (finding 3) ---------------------------------

FREE_TEXT_FIELDS = [
    (CandidateCreate, CANDIDATE, "ref", "{}"),
    (CandidateCreate, CANDIDATE, "education", "mbo 2, {}"),
    (CandidateCreate, CANDIDATE, "dutch_level", "B1 {}"),
    (CandidateCreate, CANDIDATE, "skills", ["heftruck", "bsn {}"]),
    (CandidateCreate, CANDIDATE, "occupations", ["{}"]),
    (CandidateUpdate, {}, "skills", ["{}"]),
    (CandidateUpdate, {}, "education", "{}"),
    (VacancyCreate, VACANCY, "title", "Lasser {}"),
    (VacancyCreate, VACANCY, "description", "Bel de klant met bsn {} terug"),
    (VacancyCreate, VACANCY, "required_skills", ["{}"]),
    (VacancyUpdate, {}, "description", "{}"),
    (ContractCreate, CONTRACT, "title", "Onderhoud {}"),
    (ContractCreate, CONTRACT, "ref", "{}"),
    (ContractUpdate, {}, "title", "{}"),
]


@pytest.mark.parametrize("bsn", [BSN, "111.222.333", FULL_WIDTH_BSN])
@pytest.mark.parametrize(("model", "base", "field", "template"), FREE_TEXT_FIELDS)
def test_a_bsn_in_any_free_text_field_is_refused(
    model: type[BaseModel], base: dict[str, Any], field: str, template: Any, bsn: str
) -> None:
    value = (
        [t.format(bsn) for t in template] if isinstance(template, list) else template.format(bsn)
    )
    errors = _errors(model, {**base, field: value})
    assert errors[0]["loc"][0] == field
    assert "BSN" in errors[0]["msg"]


def test_text_without_a_bsn_passes() -> None:
    # dates, postcodes, phone-like short numbers and an 8-digit KvK as contractor are fine
    CandidateCreate.model_validate({**CANDIDATE, "skills": ["VCA 01-03-2026", "3511 AB"]})
    ContractCreate.model_validate({**CONTRACT, "contractor": "12345672"})


# --- one definition per field (finding 4) -----------------------------------------------


def _constraints(field: Any) -> list[Any]:
    """A field's validation metadata (bounds, validators), without SQLModel's column hints."""
    return [m for m in field.metadata if type(m).__name__ != "FieldInfoMetadata"]


@pytest.mark.parametrize(
    ("base", "update", "exempt"),
    [
        (CandidateCreate, CandidateUpdate, set()),
        (VacancyCreate, VacancyUpdate, set()),
        (ContractCreate, ContractUpdate, set()),
    ],
)
def test_update_fields_have_the_create_fields_bounds(
    base: type[BaseModel], update: type[BaseModel], exempt: set[str]
) -> None:
    for name, field in update.model_fields.items():
        if name in exempt or name not in base.model_fields:
            continue
        assert _constraints(field) == _constraints(base.model_fields[name]), name
        # a field the Create model requires a value for is not nullable in Update
        want_schema = base.model_json_schema()["properties"][name]
        got_schema = update.model_json_schema()["properties"][name]
        want_null = "anyOf" in want_schema and {"type": "null"} in want_schema["anyOf"]
        got_null = "anyOf" in got_schema and {"type": "null"} in got_schema["anyOf"]
        assert got_null == want_null, f"{update.__name__}.{name}: nullable={got_null}"


def test_patch_with_null_for_a_not_null_field_is_refused() -> None:
    for field in ("skills", "occupations", "postcode", "hours_per_week", "max_travel_km"):
        errors = _errors(CandidateUpdate, {field: None})
        assert errors[0]["loc"] == (field,)
    for field in ("title", "required_skills", "positions"):
        assert _errors(VacancyUpdate, {field: None})[0]["loc"] == (field,)
    assert CandidateUpdate.model_validate({}).model_dump(exclude_unset=True) == {}


@pytest.mark.parametrize(
    ("model", "base", "field", "value"),
    [
        (CandidateCreate, CANDIDATE, "max_travel_km", 0),
        (CandidateCreate, CANDIDATE, "max_travel_km", 400),
        (CandidateCreate, CANDIDATE, "hours_per_week", float("nan")),
        (CandidateCreate, CANDIDATE, "hours_per_week", float("inf")),
        (VacancyCreate, VACANCY, "positions", 5_000_000_000),
        (VacancyCreate, VACANCY, "title", "x" * 1000),
        (ContractCreate, CONTRACT, "title", "x" * 1000),
        (ContractCreate, CONTRACT, "sr_percentage", float("nan")),
        (VacancyCreate, VACANCY, "contract_id", 2**63),
        (CandidateCreate, CANDIDATE, "coach_id", MAX_INT32 + 1),
    ],
)
def test_values_the_responses_refuse_are_refused_on_the_way_in(
    model: type[BaseModel], base: dict[str, Any], field: str, value: Any
) -> None:
    assert _errors(model, {**base, field: value})[0]["loc"][0] == field


_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
_items = st.lists(st.text(min_size=1, max_size=MAX_ITEM), max_size=MAX_ITEMS)
_day = st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def _accepted(model: type[BaseModel], data: dict[str, Any]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    ref=_text,
    postcode=_text,
    skills=_items,
    occupations=_items,
    education=st.none() | _text,
    hours=st.floats(allow_nan=True, allow_infinity=True),
    km=st.floats(allow_nan=True, allow_infinity=True),
    ladder=st.none() | st.integers(),
    available=st.none() | _day,
)
def test_every_accepted_candidate_reads_back(
    ref: str,
    postcode: str,
    skills: list[str],
    occupations: list[str],
    education: str | None,
    hours: float,
    km: float,
    ladder: int | None,
    available: dt.date | None,
) -> None:
    body = {
        "ref": ref,
        "postcode": postcode,
        "benefit": "participatiewet",
        "skills": skills,
        "occupations": occupations,
        "education": education,
        "hours_per_week": hours,
        "max_travel_km": km,
        "ladder_step": ladder,
        "available_from": available,
    }
    created = _accepted(CandidateCreate, body)
    if created is None:
        return
    stored = {
        **created.model_dump(exclude={"birth_year", "gender", "coach_id"}),
        "id": 1,
        "municipality_id": 1,
        "coach_id": 1,
        "active": True,
        "pc4": "3511",
        "education_level": None,
        "dutch_level_ord": None,
        "skills_norm": [],
        "occupations_norm": [],
        "unknown_terms": [],
        "updated_at": dt.datetime.now(dt.UTC),
        "version": 1,
    }
    CandidatePublic.model_validate(stored)  # raises if a stored value cannot be read back


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_text,
    description=st.none() | _text,
    required=_items,
    hours=st.floats(allow_nan=True, allow_infinity=True),
    positions=st.integers(),
)
def test_every_accepted_vacancy_reads_back(
    title: str, description: str | None, required: list[str], hours: float, positions: int
) -> None:
    body = {
        **VACANCY,
        "title": title,
        "description": description,
        "required_skills": required,
        "hours_per_week": hours,
        "positions": positions,
    }
    created = _accepted(VacancyCreate, body)
    if created is None:
        return
    stored = {
        **created.model_dump(),
        "id": 1,
        "contractor_id": 1,
        "municipality_id": None,
        "status": VacancyStatus.open,
        "occupation_norm": None,
        "required_norm": [],
        "optional_norm": [],
        "unknown_terms": [],
        "updated_at": dt.datetime.now(dt.UTC),
        "version": 1,
    }
    for name, field in VacancyPublic.model_fields.items():  # fields other helpers add
        if name not in stored and not field.is_required():
            continue
        stored.setdefault(name, None)
    VacancyPublic.model_validate(stored)


@settings(max_examples=100)
@given(
    value=st.integers(),
    pct=st.floats(allow_nan=True, allow_infinity=True),
    title=st.none() | _text,
    start=st.none() | _day,
    end=st.none() | _day,
)
def test_every_accepted_contract_reads_back(
    value: int, pct: float, title: str | None, start: dt.date | None, end: dt.date | None
) -> None:
    body = {
        **CONTRACT,
        "value_cents": value,
        "sr_percentage": pct,
        "title": title,
        "start_date": start,
        "end_date": end,
    }
    created = _accepted(ContractCreate, body)
    if created is None:
        return
    assert start is None or end is None or end >= start
    stored = {
        **created.model_dump(exclude={"contractor"}),
        "id": 1,
        "contractor_id": 1,
        "municipality_id": 1,
        "version": 1,
    }
    ContractPublic.model_validate(stored)


# --- contracts a report can value (finding 5) ------------------------------------------


def test_a_contract_names_a_known_sr_table_and_ends_after_it_starts() -> None:
    errors = _errors(ContractCreate, {**CONTRACT, "sr_table": "atlantis"})
    assert errors[0]["loc"] == ("sr_table",) and "nationaal" in errors[0]["msg"]
    errors = _errors(
        ContractCreate, {**CONTRACT, "start_date": "2026-03-01", "end_date": "2026-02-01"}
    )
    assert errors[0]["loc"] == ("end_date",)
    assert _errors(ContractUpdate, {"sr_table": "atlantis"})[0]["loc"] == ("sr_table",)
    assert _errors(ContractCreate, {**CONTRACT, "pso_trede": "trede_9"})[0]["loc"] == ("pso_trede",)


# --- caps, NUL, vocabularies (findings 8, 9, 13) ----------------------------------------


def test_a_megabyte_skill_and_too_many_skills_are_refused() -> None:
    errors = _errors(CandidateCreate, {**CANDIDATE, "skills": ["x" * 1_000_000]})
    assert errors[0]["type"] == "string_too_long"
    errors = _errors(CandidateCreate, {**CANDIDATE, "skills": ["lassen"] * (MAX_ITEMS + 1)})
    assert errors[0]["type"] == "too_long"


@pytest.mark.parametrize(
    ("model", "base", "field", "value"),
    [
        (CandidateCreate, CANDIDATE, "ref", "CL\x001"),
        (CandidateCreate, CANDIDATE, "skills", ["hef\x00truck"]),
        (CandidateCreate, CANDIDATE, "target_groups", ["\x00"]),
        (VacancyCreate, VACANCY, "title", "\x00"),
        (ContractCreate, CONTRACT, "contractor", "Bouw\x00"),
    ],
)
def test_nul_characters_are_refused(
    model: type[BaseModel], base: dict[str, Any], field: str, value: Any
) -> None:
    errors = _errors(model, {**base, field: value})
    assert errors[0]["loc"][0] == field and "NUL" in errors[0]["msg"]


def test_gender_is_a_closed_vocabulary() -> None:
    for g in vocab.GENDERS:
        CandidateCreate.model_validate({**CANDIDATE, "gender": g})
    errors = _errors(CandidateCreate, {**CANDIDATE, "gender": "q"})
    assert errors[0]["loc"] == ("gender",) and "'m', 'v' or 'x'" in errors[0]["msg"]
    assert get_args(Gender) == vocab.GENDERS
    assert CandidateCreate.model_json_schema()["properties"]["gender"]["anyOf"][0]["enum"] == [
        "m",
        "v",
        "x",
    ]
