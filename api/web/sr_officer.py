"""SR officer pages: the dashboard with realised against obligation per contract and reach."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.services import reports
from api.web.charts import Row, Series, euro, hbar_chart, percent
from api.web.i18n import translator
from api.web.render import lang_of, render
from api.web.session import SrOfficerPage
from models.organisations import Municipality, User
from models.sr_reports import ReachRowPublic

router = APIRouter(prefix="/sr-officer")

OBLIGATION = "#5f6b7a"  # 5.4:1 on white
REALISED = "#0b5394"  # 7.4:1 on white
POOL = "#5f6b7a"
PLACED = "#1e6b35"  # 6.6:1 on white
#: the reach dimensions as the measurement names them, with their message keys
REACH_DIMENSIONS = (
    ("ladder_step", "dashboard.reach.ladder_step"),
    ("benefit", "dashboard.reach.benefit"),
    ("target_groups", "dashboard.reach.target_group"),
)


def progress_rows(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contracts with an SR obligation, largest obligation first."""
    rows = [s for s in summaries if s.get("obligation_applies")]
    return sorted(rows, key=lambda s: (-float(s["obligation_eur"]), str(s["contract_ref"])))


def progress_chart(rows: list[dict[str, Any]], t: Any, chart_id: str = "progress") -> Any:
    """Realised against obligation per contract, as an SVG bar chart."""
    return hbar_chart(
        chart_id=chart_id,
        title=t("dashboard.progress"),
        description=t("dashboard.progress_desc"),
        series=[
            Series(t("dashboard.obligation"), OBLIGATION),
            Series(t("dashboard.realised"), REALISED),
        ],
        rows=[
            Row(str(r["contract_ref"]), (float(r["obligation_eur"]), float(r["realised_eur"])))
            for r in rows
        ],
        fmt=euro,
    )


def reach_charts(rows: list[ReachRowPublic], t: Any) -> list[dict[str, Any]]:
    """One chart per dimension: each group's share of the pool against its share of those placed."""
    out = []
    for dimension, key in REACH_DIMENSIONS:
        group = [r for r in rows if r.dimension == dimension]
        if not group:
            continue
        chart = hbar_chart(
            chart_id=f"reach-{dimension}",
            title=t(key),
            description=t("dashboard.reach_desc"),
            series=[
                Series(t("dashboard.reach.pool_share"), POOL),
                Series(t("dashboard.reach.placed_share"), PLACED),
            ],
            rows=[Row(r.value, (r.pool_share, r.placed_share)) for r in group],
            fmt=percent,
            width=460,
            label_width=170,
        )
        out.append({"dimension": dimension, "title": t(key), "chart": chart, "rows": group})
    return out


def municipality_summaries(session: Session, user: User, as_of: date) -> list[dict[str, Any]]:
    """Where each contract of the officer's municipality stands (the SR report's summary rows)."""
    muni = session.get(Municipality, user.municipality_id)
    assert muni is not None  # page_role checked the officer has one
    contracts = reports.contracts_in_scope(
        session, scope="region", name=muni.name, municipality_id=user.municipality_id
    )
    return reports.summaries(
        reports.build_contract_report(session, contract=c, as_of=as_of) for c in contracts
    )


@router.get("/dashboard")
def dashboard(request: Request, session: SessionDep, user: SrOfficerPage) -> Response:
    """Realised against obligation per contract, and reach by ladder step, benefit and group."""
    t = translator(lang_of(request))
    today = date.today()
    progress = progress_rows(municipality_summaries(session, user, today))
    reach = reports.reach_overview(session, municipality_id=user.municipality_id, as_of=today)
    return render(
        request,
        "sr_officer/dashboard.html",
        {
            "today": today,
            "progress": progress,
            "progress_chart": progress_chart(progress, t) if progress else None,
            "reach": reach_charts(reach, t),
            "colours": {
                "obligation": OBLIGATION,
                "realised": REALISED,
                "pool": POOL,
                "placed": PLACED,
            },
            "euro": euro,
            "percent": percent,
        },
    )
