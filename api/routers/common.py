"""Route families that several user groups share, added to each group's router by one builder.

The same use case answered for several roles (a referral read by a coach and by an SR officer,
a durability check recorded by a coach and by a contractor, a file imported or exported by
coaches, contractors and SR officers) is one route definition here, not a copy per router. The
service it calls scopes and audits by the actor's role; the builder only fixes which role may
call it and which file kinds that role may use.

No ``from __future__ import annotations`` here: the endpoints are defined inside the builders,
and FastAPI must see their parameter types as objects, not as names to look up.
"""

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Response as HttpResponse
from fastapi import status as http
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import RequestId, SessionDep, SettingsDep, require_role, send_etag
from api.errors import AUTHED, R404, R409, R413, R422, ValidationErrorMessage, responses
from api.routers import FILE_RESPONSES, Limit, Offset, read_upload, run_export, run_import
from api.services import contracts, durability, referrals, vacancies
from api.services.files import ExportDialect, ExportFormat
from api.services.importer import ImportReport
from models.contracts import Contract, ContractPublic, ContractsPublic
from models.organisations import Role, User
from models.placements import DurabilityCheckCreate, PlacementEnd, PlacementEndPublic
from models.referrals import ReferralPublic, ReferralsPublic
from models.sr_reports import DurabilityCheckPublic
from models.vacancies import VacanciesPublic, VacancyPublic, VacancyStatus

#: the ``today`` query parameter of the due-checks lists
DueOn = Annotated[dt.date | None, Query(description="the day to list for (default today)")]
#: the answer when a second record for a milestone replaced the first
R200_UPDATED: dict[int | str, dict[str, Any]] = {
    200: {"model": DurabilityCheckPublic, "description": "The milestone's check was updated"}
}


def add_referral_reads(router: APIRouter, role: Role, *, whose: str) -> None:
    """``GET /referrals`` and ``GET /referrals/{id}`` for ``role`` (``whose`` names the scope)."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.get(
        "/referrals",
        response_model=ReferralsPublic,
        responses=responses(AUTHED, R422),
        description=f"Referrals of {whose} (one audit event per candidate).",
    )
    def list_referrals(
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
        limit: Limit = 20,
        offset: Offset = 0,
        status: str | None = None,
        vacancy_id: int | None = None,
        candidate_id: int | None = None,
    ) -> ReferralsPublic:
        return referrals.list_referrals(
            session=session,
            actor=user,
            request_id=request_id,
            limit=limit,
            offset=offset,
            status=status,
            vacancy_id=vacancy_id,
            candidate_id=candidate_id,
        )

    @router.get(
        "/referrals/{referral_id}",
        response_model=ReferralPublic,
        responses=responses(AUTHED, R404),
        description=f"One referral of {whose}, with its history; the ETag is its version.",
    )
    def read_referral(
        referral_id: int,
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
        response: Response,
    ) -> ReferralPublic:
        found = referrals.read_referral(
            session=session, actor=user, referral_id=referral_id, request_id=request_id
        )
        send_etag(response, found)
        return found


def add_durability_checks(
    router: APIRouter,
    role: Role,
    *,
    whose: str,
    list_due: Callable[..., BaseModel],
    due_model: type[BaseModel],
) -> None:
    """``GET /placements/checks-due`` (through ``list_due``, answering ``due_model``) and
    ``POST /placements/{id}/checks`` for ``role``: the 3/6/12-month follow-ups."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.get(
        "/placements/checks-due",
        response_model=due_model,
        responses=responses(AUTHED, R422),
        description=f"3/6/12-month follow-ups due and not recorded for placements of {whose}.",
    )
    def checks_due(
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
        limit: Limit = 20,
        offset: Offset = 0,
        today: DueOn = None,
    ) -> BaseModel:
        return list_due(
            session=session,
            actor=user,
            request_id=request_id,
            limit=limit,
            offset=offset,
            today=today,
        )

    @router.post(
        "/placements/{placement_id:int}/checks",
        response_model=DurabilityCheckPublic,
        status_code=http.HTTP_201_CREATED,
        responses=responses(R200_UPDATED, AUTHED, R404, R422),
        description=f"Record the 3/6/12-month follow-up of a placement of {whose} "
        "(201; 200 when it replaces an earlier one).",
    )
    def record_check(
        placement_id: int,
        body: DurabilityCheckCreate,
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
        response: HttpResponse,
    ) -> DurabilityCheckPublic:
        check, created = durability.record_check(
            session=session,
            actor=user,
            placement_id=placement_id,
            body=body,
            request_id=request_id,
        )
        if not created:
            response.status_code = http.HTTP_200_OK
        return check

    @router.patch(
        "/placements/{placement_id:int}",
        response_model=PlacementEndPublic,
        responses=responses(AUTHED, R404, R422),
        description=f"Record when a placement of {whose} ended (null: it runs on); durability "
        "counts it: a placement that ended before a milestone is not durable there.",
    )
    def end_placement(
        placement_id: int,
        body: PlacementEnd,
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
    ) -> PlacementEndPublic:
        return durability.end_placement(
            session=session,
            actor=user,
            placement_id=placement_id,
            body=body,
            request_id=request_id,
        )


class ImportRefusedMessage(BaseModel):
    """A 422 for a file with invalid rows: the row-level report (nothing was committed)."""

    detail: ImportReport


R422_IMPORT: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ValidationErrorMessage | ImportRefusedMessage,
        "description": "Bad input (`loc` names the field), or a file with invalid rows: its "
        "row-level report",
    }
}


def add_file_routes(
    router: APIRouter,
    role: Role,
    *,
    import_kinds: type[StrEnum],
    export_kinds: type[StrEnum],
    scope: str,
) -> None:
    """``POST /imports/{kind}`` and ``GET /exports/{kind}`` for ``role``, limited to its kinds
    (``scope`` says where the data goes or comes from)."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.post(
        "/imports/{kind}",
        response_model=ImportReport,
        # a refused file answers 422 with its row report; a bad request 422 in FastAPI's shape
        responses=responses(AUTHED, R409, R413, R422_IMPORT),
        description=f"Import a data-contract file into {scope} (row-level report); "
        "all or nothing unless `partial`.",
    )
    def import_upload(
        kind: import_kinds,  # type: ignore[valid-type]
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        user: Actor,
        request_id: RequestId,
        file: Annotated[UploadFile, File(description="CSV or XLSX in the data-contract format")],
        partial: Annotated[bool, Form()] = False,
    ) -> ImportReport:
        return run_import(
            session,
            kind=str(kind),
            data=read_upload(request, file, settings),
            filename=file.filename or "upload",
            actor=user,
            partial=partial,
            request_id=request_id,
        )

    @router.get(
        "/exports/{kind}",
        response_class=Response,
        responses=responses(FILE_RESPONSES, AUTHED, R422),
        description=f"Download {scope}'s data of one kind as CSV or XLSX.",
    )
    def export_download(
        kind: export_kinds,  # type: ignore[valid-type]
        session: SessionDep,
        user: Actor,
        request_id: RequestId,
        format: ExportFormat = ExportFormat.csv,
        dialect: ExportDialect = ExportDialect.en,
    ) -> Response:
        return run_export(
            session,
            kind=str(kind),
            fmt=format,
            actor=user,
            request_id=request_id,
            dialect=dialect,
        )


def add_vacancy_reads(
    router: APIRouter, role: Role, *, whose: str, default_status: VacancyStatus | None = None
) -> None:
    """``GET /vacancies`` and ``GET /vacancies/{id}`` for ``role``, scoped by the service."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.get(
        "/vacancies",
        response_model=VacanciesPublic,
        responses=responses(AUTHED, R422),
        description=f"{whose.capitalize()}, oldest first.",
    )
    def list_vacancies(
        session: SessionDep,
        user: Actor,
        limit: Limit = 20,
        offset: Offset = 0,
        status: VacancyStatus | None = default_status,
        contract_id: int | None = None,
        contractor_id: int | None = None,
    ) -> VacanciesPublic:
        return vacancies.list_vacancies(
            session=session,
            actor=user,
            status=status,
            contract_id=contract_id,
            contractor_id=contractor_id,
            limit=limit,
            offset=offset,
        )

    @router.get(
        "/vacancies/{vacancy_id}",
        response_model=VacancyPublic,
        responses=responses(AUTHED, R404),
        description=f"One of {whose}; the ETag is its version.",
    )
    def read_vacancy(
        vacancy_id: int, session: SessionDep, user: Actor, response: Response
    ) -> VacancyPublic:
        found = vacancies.read_vacancy_public(session=session, actor=user, vacancy_id=vacancy_id)
        send_etag(response, found)
        return found


def add_contract_reads(router: APIRouter, role: Role, *, whose: str) -> None:
    """``GET /contracts`` and ``GET /contracts/{id}`` for ``role``, scoped by the service."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.get(
        "/contracts",
        response_model=ContractsPublic,
        responses=responses(AUTHED, R422),
        description=f"{whose.capitalize()}, oldest first.",
    )
    def list_contracts(
        session: SessionDep,
        user: Actor,
        limit: Limit = 20,
        offset: Offset = 0,
        contractor_id: int | None = None,
    ) -> ContractsPublic:
        return contracts.list_contracts(
            session=session, actor=user, contractor_id=contractor_id, limit=limit, offset=offset
        )

    @router.get(
        "/contracts/{contract_id}",
        response_model=ContractPublic,
        responses=responses(AUTHED, R404),
        description=f"One of {whose}; the ETag is its version.",
    )
    def read_contract(
        contract_id: int, session: SessionDep, user: Actor, response: Response
    ) -> Contract:
        found = contracts.read_contract(session=session, actor=user, contract_id=contract_id)
        send_etag(response, found)
        return found
