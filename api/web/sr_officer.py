"""SR officer pages: the dashboard with realised against obligation per contract and reach."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from api.deps import OptionalMatchingDep, SessionDep
from api.services import dashboard as figures
from api.services import reports
from api.services.opportunities import near_miss_certificates
from api.web.charts import Row, Series, column_chart, euro, hbar_chart, percent
from api.web.i18n import translator
from api.web.render import lang_of, render
from api.web.session import SrOfficerPage
from models.organisations import Municipality, User
from models.sr_reports import DurabilitySharePublic, MatchingSuccessRowPublic, ReachRowPublic

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


#: the funnel's stages as the measurement names them, with their colours (each >= 4.5:1)
FUNNEL = (
    ("shortlisted", "#5f6b7a"),
    ("proposed", "#0b5394"),
    ("introduced", "#6a3d9a"),
    ("interviewed", "#8a4b08"),
    ("hired", "#1e6b35"),
)
EMPLOYED = "#1e6b35"
OFF_BENEFIT = "#0b5394"
DURABLE = "#6a3d9a"


def placements_chart(points: list[tuple[str, int]], t: Any) -> Any:
    """Placements started per month, as SVG columns (one label every third month)."""
    return column_chart(
        chart_id="placements",
        title=t("dashboard.placements"),
        description=t("dashboard.placements_desc"),
        series=Series(t("dashboard.placements_series"), REALISED),
        points=[(label, float(n)) for label, n in points],
        fmt=lambda v: f"{v:g}",
        label_every=3,
    )


def durability_chart(shares: list[DurabilitySharePublic], t: Any) -> Any:
    """Per milestone: the share of checked placements still employed and off benefits, and of
    the placements whose fate is known (end dates and checks) the share that lasted to it."""
    return hbar_chart(
        chart_id="durability",
        title=t("dashboard.durability"),
        description=t("dashboard.durability_desc"),
        series=[
            Series(t("dashboard.durability.employed"), EMPLOYED),
            Series(t("dashboard.durability.off_benefit"), OFF_BENEFIT),
            Series(t("dashboard.durability.durable"), DURABLE),
        ],
        rows=[
            Row(
                t("dashboard.durability.months", n=s.months),
                (s.share_still_employed, s.share_off_benefit, s.share_durable),
            )
            for s in shares
        ],
        fmt=percent,
        max_value=1.0,
    )


def funnel_chart(rows: list[MatchingSuccessRowPublic], t: Any) -> Any:
    """Per model version: shortlisted, proposed, introduced, interviewed and hired pairs."""
    return hbar_chart(
        chart_id="funnel",
        title=t("dashboard.funnel"),
        description=t("dashboard.funnel_desc"),
        series=[Series(t(f"dashboard.funnel.{stage}"), colour) for stage, colour in FUNNEL],
        rows=[
            Row(r.model_version, tuple(float(getattr(r, stage)) for stage, _ in FUNNEL))
            for r in rows
        ],
        fmt=lambda v: f"{v:.0f}",
    )


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
def dashboard(
    request: Request, session: SessionDep, user: SrOfficerPage, matching: OptionalMatchingDep
) -> Response:
    """Realised against obligation per contract, and reach by ladder step, benefit and group."""
    t = translator(lang_of(request))
    today = date.today()
    progress = progress_rows(municipality_summaries(session, user, today))
    assert user.municipality_id is not None  # page_role checked the officer has one
    # the figures over the whole pool are cached until the data under them changes
    stamp = figures.data_stamp(session)
    muni = user.municipality_id
    reach = figures.reach(session, municipality_id=muni, today=today, stamp=stamp)
    per_month = figures.placements_per_month(
        session, municipality_id=muni, today=today, stamp=stamp
    )
    shares = figures.durability_milestones(session, municipality_id=muni, today=today, stamp=stamp)
    funnel = figures.funnel(session, municipality_id=muni, stamp=stamp)
    # the certificates most often missing among near misses (once the index is loaded)
    gaps = (
        near_miss_certificates(
            session=session, actor=user, matching=matching, lang=lang_of(request)
        )
        if matching is not None and matching.ready
        else None
    )
    return render(
        request,
        "sr_officer/dashboard.html",
        {
            "today": today,
            "progress": progress,
            "progress_chart": progress_chart(progress, t) if progress else None,
            "reach": reach_charts(reach, t),
            "per_month": per_month,
            "placements_chart": placements_chart(per_month, t)
            if any(n for _, n in per_month)
            else None,
            "durability": shares,
            "durability_chart": durability_chart(shares, t)
            if any(s.checked for s in shares)
            else None,
            "funnel": funnel,
            "funnel_chart": funnel_chart(funnel, t) if funnel else None,
            "funnel_stages": FUNNEL,
            "gaps": gaps,
            "colours": {
                "obligation": OBLIGATION,
                "realised": REALISED,
                "pool": POOL,
                "placed": PLACED,
                "employed": EMPLOYED,
                "off_benefit": OFF_BENEFIT,
                "durable": DURABLE,
            },
            "euro": euro,
            "percent": percent,
        },
    )
