"""Contracts: an SR officer enters awarded contracts of their municipality; SR officers and
contractor users list and read the contracts they may see (``api.deps.contract_scope``).

Also the one rule that names a contractor by "contractor name (or KvK number)", as the data
contract puts it: ``find_contractor`` / ``find_or_create_contractor``. The contract route, the
importer and the reports use it. Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from api.deps import contract_scope, get_contract_for
from api.services.errors import ConflictError, FieldError, ForbiddenError
from models.contracts import Contract, ContractCreate, ContractPublic, ContractsPublic
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
