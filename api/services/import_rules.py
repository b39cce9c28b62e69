"""The API's rules, applied to every row of an import (issue 13, findings 4 and 6).

An import is not a back door: each row is checked with

- the same **field validation** as the API's bodies — the shared schemas of ``models``
  (``CandidateCreate``, ``ContractCreate``, ``VacancyCreate``, ``ReferralTransition``,
  ``PlacementBase``), so a file cannot store a value the API would refuse or that a response
  model could not read back (``max_travel_km``, ``positions``, title lengths, BSNs, ...);
- the same **authorisation** as the API's routes (``api.services.access``): ``held_by`` (a
  coach changes only the candidates they hold, and moves only their referrals) and
  ``vacancy_scope`` / ``contract_scope`` (a vacancy or contract of the user's own municipality
  or contractor).

Each check raises ``FieldError(column, value, reason)`` with the file's column name; the
importer turns it into that row's error.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError, create_model
from sqlmodel import Session, SQLModel, col, select

from api.services.access import contract_scope, held_by, vacancy_scope
from api.services.errors import FieldError
from matcher.interchange import shown
from models import Candidate, Contract, Role, User, Vacancy
from models.candidates import CandidateCreate
from models.contracts import ContractCreate
from models.placements import PlacementBase
from models.referrals import ReferralTransition
from models.vacancies import VacancyCreate

#: the file column of each schema field whose name differs
_COLUMN_OF = {"ref": "candidate_ref", "value_cents": "value_eur", "contract_id": "contract_ref"}


def _validate(model: type[BaseModel], values: Mapping[str, Any], ref_column: str) -> None:
    """Validate ``values`` with the API's schema; the first error becomes a FieldError."""
    try:
        schema_validator(model).validate_python(dict(values))
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=True):
            loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
            if not loc or loc[0] not in values:
                continue  # a rule about fields the file does not carry
            field = loc[0]
            column = ref_column if field == "ref" else _COLUMN_OF.get(field, field)
            value = values[field]
            if field == "value_cents" and isinstance(value, int):
                value = value / 100
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
            raise FieldError(column, shown(str(value)), msg) from None
        raise FieldError("", "", "row is not valid") from None


@functools.cache
def schema_validator(model: type[BaseModel]) -> Any:
    """The checks of ``model``'s fields, run once per row.

    A SQLModel class has an ``__init__`` of its own, which pydantic-core calls after checking
    the fields, and which checks them all a second time; a model built from the same fields
    without the class checks them once (half the cost of a large import's row checks). A schema
    with validators of its own (``field_validator``, ``model_validator``) keeps its class.
    """
    deco = model.__pydantic_decorators__
    own_checks = deco.validators or deco.field_validators or deco.root_validators
    if not issubclass(model, SQLModel) or own_checks or deco.model_validators:
        return model.__pydantic_validator__
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in model.model_fields.items()
    }
    return create_model(f"{model.__name__}Check", **fields).__pydantic_validator__


@functools.cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    # the schema's field names, read once: ``model_fields`` is a computed property, and a
    # large import asks for it once per value of every row
    return frozenset(model.model_fields)


def validate_candidate(rec: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """A candidates row, as ``POST /coach/candidates`` would check it."""
    fields = _fields(CandidateCreate)
    data = {k: v for k, v in values.items() if k in fields}
    data.pop("coach_id", None)  # the file names coaches by user name, checked by the importer
    data["ref"] = rec["candidate_ref"]
    _validate(CandidateCreate, data, "candidate_ref")


def validate_contract(rec: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """A contracts row, as ``POST /sr-officer/contracts`` would check it."""
    fields = _fields(ContractCreate)
    data = {k: v for k, v in values.items() if k in fields}
    data["ref"], data["contractor"] = rec["contract_ref"], rec["contractor"]
    _validate(ContractCreate, data, "contract_ref")


def validate_vacancy(rec: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """A vacancies row, as ``POST /contractor/vacancies`` would check it."""
    fields = _fields(VacancyCreate)
    data = {k: v for k, v in values.items() if k in fields}
    data.pop("contract_id", None)
    data["ref"] = rec["vacancy_ref"]
    _validate(VacancyCreate, data, "vacancy_ref")


def validate_outcome(rec: Mapping[str, Any]) -> None:
    """An outcomes row, as a referral transition would be checked."""
    data = {"status": rec["status"], "date": rec["date"], "reason": rec.get("reason") or None}
    _validate(ReferralTransition, data, "candidate_ref")


def validate_placement(rec: Mapping[str, Any]) -> None:
    """A placements row, as a hire's placement would be checked."""
    data = {
        "start_date": rec["start_date"],
        "end_date": rec.get("end_date"),
        "hours_per_week": rec["hours_per_week"],
        "kind": rec.get("kind") or "arbeidsovereenkomst",
        "permanent": bool(rec.get("permanent")),
    }
    _validate(PlacementBase, data, "candidate_ref")


# --- authorisation ---------------------------------------------------------------------------


def _confined(actor: User | None) -> bool:
    """Coaches and SR officers work within their municipality (admins and operators do not)."""
    return actor is not None and actor.role in (Role.coach, Role.sr_officer)


def check_coach_active(rec: Mapping[str, Any], coach: User | None) -> None:
    """A file hands candidates only to an active coach (``_check_coach_id`` of the API)."""
    if coach is not None and not coach.active:
        raise FieldError("coach", rec.get("coach"), "is not an active coach")


def check_candidate_holder(actor: User | None, rec: Mapping[str, Any], stored: Candidate) -> None:
    """A coach's file changes only candidates that coach holds (``held_by``), as the API's
    ``PATCH /coach/candidates/{id}`` does."""
    if actor is None or actor.role != Role.coach:
        return
    if not held_by(actor, stored):
        raise FieldError(
            "candidate_ref",
            rec["candidate_ref"],
            "is held by another coach: only the coach who holds a candidate may change it",
        )


def visible_vacancy_ids(session: Session, actor: User | None, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` the actor may see through the API (``vacancy_scope``)."""
    wanted = sorted({i for i in ids if i is not None})
    if not _confined(actor):
        return set(wanted)
    assert actor is not None
    out: set[int] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found = session.exec(
            select(Vacancy.id).where(col(Vacancy.id).in_(chunk), vacancy_scope(actor))
        ).all()
        out |= {v for v in found if v is not None}
    return out


def check_pair(
    actor: User | None,
    rec: Mapping[str, Any],
    cand: Candidate,
    vac: Vacancy,
    visible_vacancies: set[int],
) -> None:
    """An outcomes or placements row: a coach moves only referrals of candidates they hold,
    and nobody refers to, or places on, a vacancy outside their reach."""
    if actor is not None and actor.role == Role.coach and not held_by(actor, cand):
        raise FieldError(
            "candidate_ref",
            rec["candidate_ref"],
            "is held by another coach: only the coach who holds a candidate may move its referrals",
        )
    if _confined(actor) and vac.id not in visible_vacancies:
        raise FieldError(
            "vacancy_ref",
            rec["vacancy_ref"],
            "is a vacancy of another municipality: you may only refer to or place on vacancies "
            "you can see",
        )


def own_contract_ids(session: Session, actor: User | None) -> set[int] | None:
    """The contracts a confined actor may use (``contract_scope``); None: no confinement."""
    if actor is None or actor.role not in (Role.sr_officer, Role.contractor):
        return None
    return {i for i in session.exec(select(Contract.id).where(contract_scope(actor))) if i}


def check_vacancy_scope(
    actor: User | None,
    rec: Mapping[str, Any],
    contract: Contract | None,
    stored: Vacancy | None,
    own_contracts: set[int] | None,
) -> None:
    """An SR officer's vacancies file writes only into their municipality: the contract named
    must be one of theirs, and an existing vacancy must be one they can see."""
    if actor is None or actor.role != Role.sr_officer:
        return
    if contract is not None and own_contracts is not None and contract.id not in own_contracts:
        raise FieldError(
            "contract_ref", rec["contract_ref"], "is a contract of another municipality"
        )
    if stored is not None:
        mine = stored.municipality_id == actor.municipality_id or (
            own_contracts is not None and stored.contract_id in own_contracts
        )
        if not mine:
            raise FieldError(
                "vacancy_ref", rec["vacancy_ref"], "is a vacancy of another municipality"
            )


__all__ = [
    "check_candidate_holder",
    "check_coach_active",
    "check_pair",
    "check_vacancy_scope",
    "own_contract_ids",
    "validate_candidate",
    "validate_contract",
    "validate_outcome",
    "validate_placement",
    "validate_vacancy",
    "visible_vacancy_ids",
]
