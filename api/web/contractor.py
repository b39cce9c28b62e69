"""Contractor pages: the firm's own contracts with their SR progress."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response

from api.deps import SessionDep
from api.services import reports
from api.web.charts import euro, percent
from api.web.i18n import translator
from api.web.render import lang_of, render
from api.web.session import ContractorPage
from api.web.sr_officer import OBLIGATION, REALISED, progress_chart, progress_rows
from models.organisations import Contractor

router = APIRouter(prefix="/contractor")


@router.get("/contracts")
def contracts(request: Request, session: SessionDep, user: ContractorPage) -> Response:
    """The contractor's contracts: obligation, realised, forecast and status, as a chart."""
    t = translator(lang_of(request))
    today = date.today()
    firm = session.get(Contractor, user.contractor_id)
    assert firm is not None  # page_role checked the user has one
    found = reports.contracts_in_scope(session, scope="contractor", name=firm.name)
    rows = progress_rows(
        reports.summaries(
            reports.build_contract_report(session, contract=c, as_of=today) for c in found
        )
    )
    return render(
        request,
        "contractor/contracts.html",
        {
            "today": today,
            "firm": firm,
            "progress": rows,
            "contracts": found,
            "progress_chart": progress_chart(rows, t) if rows else None,
            "colours": {"obligation": OBLIGATION, "realised": REALISED},
            "euro": euro,
            "percent": percent,
        },
    )
