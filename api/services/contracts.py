"""Contracts: an SR officer enters awarded contracts of their municipality; SR officers and
contractor users list and read the contracts they may see (``api.services.access.contract_scope``).

Also the one rule that names a contractor by "contractor name (or KvK number)", as the data
contract puts it: ``find_contractor`` / ``find_or_create_contractor``. The contract route, the
importer and the reports use it. Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from api.audit import record
from api.services.access import contract_scope, get_contract_for
from api.services.errors import ConflictError, FieldError, ForbiddenError, check_version
from matcher.sr import PSO_LEVELS, available_tables
from matcher.vocab import CONTRACT_CATEGORIES
from models.base import utcnow
from models.contracts import (
    Contract,
    ContractCreate,
    ContractPublic,
    ContractsPublic,
    ContractUpdate,
)
from models.db import lock_for_update
from models.organisations import Contractor, Role, User

KVK_DIGITS = 8


def is_kvk(value: str) -> bool:
    """True when ``value`` is a KvK (Chamber of Commerce) number: exactly eight digits."""
    return len(value) == KVK_DIGITS and value.isascii() and value.isdigit()


def find_contractor(*, session: Session, name_or_kvk: str) -> Contractor | None:
    """The contractor a data-contract ``contractor`` value names, or None.

    A KvK number (eight digits) matches the KvK; anything else the name, case-insensitively
    (``"bouw bv"`` is ``"Bouw BV"``). Surrounding spaces are ignored.
    """
    key = name_or_kvk.strip()
    if not key:
        return None
    if is_kvk(key):
        stmt = select(Contractor).where(col(Contractor.kvk) == key)
    else:
        stmt = select(Contractor).where(func.lower(col(Contractor.name)) == key.lower())
    return session.exec(stmt.order_by(col(Contractor.id))).first()


def find_or_create_contractor(
    *, session: Session, actor: User | None, name_or_kvk: str
) -> Contractor:
    """The contractor ``name_or_kvk`` names (see ``find_contractor``), created when unknown.

    A new contractor named by a KvK number gets that number as name and KvK. A contractor user
    may not bring a company into being (FieldError); SR officers, admins and the operator
    (``actor`` None) may. Flushes, so the contractor has an id; the caller commits.
    """
    key = name_or_kvk.strip()
    if not key:
        raise FieldError("contractor", name_or_kvk, "a contractor name or KvK number is required")
    found = find_contractor(session=session, name_or_kvk=key)
    if found is not None:
        return found
    if actor is not None and actor.role == Role.contractor:
        raise FieldError(
            "contractor", key, "unknown contractor; you may only name your own company"
        )
    # a company whose name is its KvK number, entered before without a KvK, is the same one
    same_name = session.exec(select(Contractor).where(col(Contractor.name) == key)).first()
    if same_name is not None:
        return same_name
    try:
        with session.begin_nested():
            contractor = Contractor(name=key, kvk=key if is_kvk(key) else None)
            session.add(contractor)
    except IntegrityError:  # created at the same moment by someone else: theirs counts
        again = find_contractor(session=session, name_or_kvk=key)
        if again is None:
            raise
        return again
    return contractor


def list_contracts(
    *,
    session: Session,
    actor: User,
    contractor_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> ContractsPublic:
    """One page (oldest first) of the contracts ``actor`` may see, optionally of one contractor."""
    where: list[Any] = [contract_scope(actor)]
    if contractor_id is not None:
        where.append(col(Contract.contractor_id) == contractor_id)
    count = session.exec(select(func.count()).select_from(Contract).where(*where)).one()
    rows = session.exec(
        select(Contract).where(*where).order_by(col(Contract.id)).offset(offset).limit(limit)
    ).all()
    return ContractsPublic(data=[ContractPublic.model_validate(c) for c in rows], count=int(count))


def read_contract(*, session: Session, actor: User, contract_id: int) -> Contract:
    """One contract ``actor`` may see, else NotFoundError."""
    return get_contract_for(session=session, user=actor, contract_id=contract_id)


def create_contract(*, session: Session, actor: User, body: ContractCreate) -> Contract:
    """Enter an awarded contract with its SR obligation for the SR officer's municipality.

    The contractor is found by name or KvK number, or created (``find_or_create_contractor``).
    ConflictError when the contract reference exists; flushes, the caller commits.
    """
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("only an SR officer of a municipality enters contracts")
    if session.exec(select(Contract.id).where(Contract.ref == body.ref)).first() is not None:
        raise ConflictError(f"contract_ref {body.ref!r} already exists")
    contractor = find_or_create_contractor(
        session=session, actor=actor, name_or_kvk=body.contractor
    )
    assert contractor.id is not None
    contract = Contract.model_validate(
        body.model_dump(exclude={"contractor"}),
        update={"contractor_id": contractor.id, "municipality_id": actor.municipality_id},
    )
    session.add(contract)
    session.flush()
    return contract


# --- changing a contract: one function for the route, the page and the contracts file ---------

#: what an SR officer may change on a contract (ContractUpdate); a file also moves the
#: contractor and the municipality it names
EDITABLE: tuple[str, ...] = tuple(ContractUpdate.model_fields)
FILE_ONLY: tuple[str, ...] = ("contractor_id", "municipality_id")


def _check_contract_values(contract: Contract, values: Mapping[str, Any]) -> None:
    """FieldError for a merged contract state that may not be stored (field, value, allowed)."""

    def merged(name: str) -> Any:
        return values[name] if name in values else getattr(contract, name)

    for required in ("value_cents", "sr_percentage", "sr_table", "social_purchasing_cents"):
        if required in values and values[required] is None:
            raise FieldError(required, None, "may not be empty")
    start, end = merged("start_date"), merged("end_date")
    if start is not None and end is not None and end < start:
        field = "end_date" if "end_date" in values else "start_date"
        raise FieldError(
            field,
            (end if field == "end_date" else start).isoformat(),
            f"the end date {end.isoformat()} must not be before the start date {start.isoformat()}",
        )
    table = merged("sr_table")
    tables = sorted({t.name for t in available_tables()})
    if table not in tables:
        raise FieldError("sr_table", table, f"unknown SR table; allowed: {', '.join(tables)}")
    category = merged("category")
    if category is not None and category not in CONTRACT_CATEGORIES:
        raise FieldError(
            "category", category, f"allowed: {', '.join(CONTRACT_CATEGORIES)} (or empty)"
        )
    pso = merged("pso_trede")
    if pso is not None and pso not in PSO_LEVELS:
        raise FieldError("pso_trede", pso, f"allowed: {', '.join(PSO_LEVELS)} (or empty)")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def apply_contract_update(
    *,
    session: Session,
    actor: User | None,
    contract: Contract,
    changes: Mapping[str, Any],
    request_id: str | None,
    source: str = "api",
) -> bool:
    """Validate and apply ``changes`` to ``contract``, audited with before and after.

    The one place a stored contract changes (the PATCH route, the contract page's form and a
    re-imported contracts file all come here), so a check added here holds for every path.
    ``changes`` holds column values (``EDITABLE``; a file also ``FILE_ONLY``); values equal to
    the stored ones are no change. FieldError names field, value and what is allowed. Returns
    whether anything changed; flushes, the caller commits.
    """
    allowed = set(EDITABLE) | set(FILE_ONLY)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise FieldError(
            unknown[0], changes[unknown[0]], f"not changeable; allowed: {', '.join(EDITABLE)}"
        )
    diff = {k: v for k, v in changes.items() if getattr(contract, k) != v}
    if not diff:
        return False
    _check_contract_values(contract, diff)
    before = {k: _plain(getattr(contract, k)) for k in diff}
    for k, v in diff.items():
        setattr(contract, k, v)
    contract.updated_at = utcnow()
    session.add(contract)
    session.flush()
    record(
        session,
        user=actor,
        action="contract.update",
        candidate_id=None,
        request_id=request_id,
        object_type="contract",
        object_id=contract.id,
        detail=json.dumps(
            {"source": source, "before": before, "after": {k: _plain(v) for k, v in diff.items()}},
            ensure_ascii=False,
            sort_keys=True,
        ),
    )
    return True


def update_contract(
    *,
    session: Session,
    actor: User,
    contract_id: int,
    changes: ContractUpdate,
    request_id: str | None = None,
    source: str = "api",
    expected_version: int | None = None,
) -> Contract:
    """An SR officer changes a contract of their municipality (only the fields sent); audited
    with before and after. NotFoundError for a contract out of reach, FieldError for a value
    that may not be stored (an end before the start, an unknown SR table, ...). The row is
    locked and re-read first; ``expected_version`` (If-Match, a form's version) refuses the
    change with StaleVersionError unless the contract is still at it (none: last writer wins)."""
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("only an SR officer of a municipality changes contracts")
    contract = get_contract_for(session=session, user=actor, contract_id=contract_id)
    lock_for_update(session, contract)
    check_version("contract", contract, expected_version)
    apply_contract_update(
        session=session,
        actor=actor,
        contract=contract,
        changes=changes.model_dump(exclude_unset=True),
        request_id=request_id,
        source=source,
    )
    session.flush()  # the new version now: the ETag of the answer, a lost race a 409 here
    return contract
