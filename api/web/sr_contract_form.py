"""SR officer pages: the contract form on a contract's page (value, percentage, dates, SR
table, category, social purchasing, PSO).

Saving calls ``services.contracts.update_contract``, the use case of
``PATCH /api/v1/sr-officer/contracts/{id}`` (validated on the merged state, audited with before
and after). A refused change re-renders the contract page with the message next to its field
and the input kept; the request's unit of work rolls back (``PageAnswer``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import RequestId, SessionDep
from api.services import contracts, reports
from api.services.errors import FieldError, StaleVersionError
from api.web.charts import euro, percent
from api.web.forms import PageAnswer, form_version
from api.web.i18n import translator
from api.web.render import lang_of, redirect, render
from api.web.session import CsrfChecked, SrOfficerPage
from matcher.dates import parse_date
from matcher.sr import PSO_LEVELS, available_tables
from matcher.vocab import CONTRACT_CATEGORIES
from models.contracts import Contract, ContractUpdate
from models.organisations import User

router = APIRouter(prefix="/sr-officer")

#: the form's fields, as typed; money in euros (the API takes cents)
FIELDS: tuple[str, ...] = (
    "value_eur",
    "sr_percentage",
    "start_date",
    "end_date",
    "sr_table",
    "category",
    "social_purchasing_eur",
    "pso_trede",
)
_CENTS_OF = {"value_eur": "value_cents", "social_purchasing_eur": "social_purchasing_cents"}
_FIELD_OF = {v: k for k, v in _CENTS_OF.items()}
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_euros(text: str) -> Decimal:
    """An amount as people type it: ``1250000``, ``1.250.000,50``, ``1250000.50``, ``€ 12,5``.

    >>> parse_euros("1.250.000,50"), parse_euros("€ 12,5"), parse_euros("1250000.5")
    (Decimal('1250000.50'), Decimal('12.50'), Decimal('1250000.50'))
    >>> parse_euros("12.500")  # dots in groups of three are thousands, as Dutch writes them
    Decimal('12500.00')
    """
    raw = re.sub(r"[\s€]", "", text)
    if "," in raw or _GROUPED.fullmatch(raw):  # Dutch: dots group thousands, comma decimals
        raw = raw.replace(".", "").replace(",", ".")
    try:
        value = Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not an amount in euros (e.g. 1.250.000,00)") from exc
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount in euros (e.g. 1.250.000,00)")
    return value


def form_values(contract: Contract) -> dict[str, str]:
    """A stored contract as the form shows it (euros with a decimal comma, dd-mm-jjjj dates)."""

    def money(cents: int) -> str:
        return f"{Decimal(cents) / 100:.2f}".replace(".", ",")

    def day(d: dt.date | None) -> str:
        return d.strftime("%d-%m-%Y") if d else ""

    return {
        "value_eur": money(contract.value_cents),
        "sr_percentage": f"{contract.sr_percentage:g}",
        "start_date": day(contract.start_date),
        "end_date": day(contract.end_date),
        "sr_table": contract.sr_table,
        "category": contract.category or "",
        "social_purchasing_eur": money(contract.social_purchasing_cents),
        "pso_trede": contract.pso_trede or "",
    }


def parse_form(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's text as ContractUpdate fields, and a message per field that does not parse."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        text = values.get(name, "").strip()
        try:
            if name in _CENTS_OF:
                if not text:
                    raise ValueError("required")
                data[_CENTS_OF[name]] = int(parse_euros(text) * 100)
            elif name == "sr_percentage":
                if not text:
                    raise ValueError("required")
                data[name] = float(parse_euros(text))
            elif name in ("start_date", "end_date"):
                data[name] = parse_date(text) if text else None
            elif name in ("category", "pso_trede"):
                data[name] = text or None
            else:
                data[name] = text
        except ValueError as exc:
            errors[name] = str(exc)
    return data, errors


def form_context(
    contract: Contract,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    """What the contract page needs to draw the form."""
    return {
        "contract": contract,
        "form": values if values is not None else form_values(contract),
        "form_errors": errors or {},
        "form_saved": saved,
        "tables": sorted({t.name for t in available_tables()}),
        "categories": CONTRACT_CATEGORIES,
        "pso_levels": PSO_LEVELS,
    }


def _page(
    request: Request,
    session: Session,
    user: User,
    contract: Contract,
    *,
    request_id: str | None,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    report = reports.read_contract_report(
        session=session, actor=user, contract_id=contract.id or 0, request_id=request_id
    )
    return render(
        request,
        "sr_officer/contract.html",
        {
            "r": report,
            "as_of": None,
            "euro": euro,
            "percent": percent,
            **form_context(contract, values=values, errors=errors),
        },
        status_code=422,
    )


@router.post("/contracts/{contract_id}", dependencies=[CsrfChecked])
async def save_contract(
    request: Request,
    contract_id: int,
    session: SessionDep,
    user: SrOfficerPage,
    request_id: RequestId,
) -> Response:
    """Save the contract form (``services.contracts.update_contract``, audited)."""
    contract = contracts.read_contract(session=session, actor=user, contract_id=contract_id)
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FIELDS}
    data, errors = parse_form(values)
    try:
        if errors:
            raise FieldError("_form", None, "")
        try:
            body = ContractUpdate.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "_form"
            raise FieldError(name, first.get("input"), first["msg"]) from exc
        contracts.update_contract(
            session=session,
            actor=user,
            contract_id=contract_id,
            changes=body,
            request_id=request_id,
            source="page",
            expected_version=form_version(form.get("version")),
        )
    except FieldError as exc:
        if isinstance(exc, StaleVersionError):  # someone else saved since the form was drawn
            t = translator(lang_of(request))
            errors = {"_form": t("errors.stale", expected=exc.expected, current=exc.current)}
        elif not errors:
            name = _FIELD_OF.get(exc.field, exc.field)
            errors = {name if name in FIELDS else "_form": exc.message}
        session.rollback()  # the form shows the stored contract's report, not the refused one
        page = _page(
            request,
            session,
            user,
            contracts.read_contract(session=session, actor=user, contract_id=contract_id),
            request_id=request_id,
            values=values,
            errors=errors,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/sr-officer/contracts/{contract.id}?saved=1")
