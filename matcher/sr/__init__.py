"""SR measurement: what the social return of a contract is worth, and what came of the matching.

A contractor who wins a tender owes social return (SR): a share of the contract value spent on
work for people with a distance to the labour market. This package answers the SR officer's
questions with pure functions on dataclasses and pandas frames; the API, the database and
``srmatch report`` adapt them. Nothing here reads a database or a clock: every function takes
the report date (``as_of`` / ``today``).

:mod:`matcher.sr.tables`
    The regional building-block tables (bouwblokkenmethode): versioned, validated JSON data.
:mod:`matcher.sr.valuation`
    What a placement is worth under a table, day by day, with a trace line per credited euro.
:mod:`matcher.sr.progress`
    Per contract: the obligation, realised to date, forecast, status, shortfall, penalty and the
    report rows (summary and trace).
:mod:`matcher.sr.lifecycle`
    When a contract's status is final (met / not_met) and when a vacancy is open or closed.
:mod:`matcher.sr.durability`
    Follow-up checks at 3, 6 and 12 months, the shares still employed / off benefits, and the
    carousel (people cycling through short placements).
:mod:`matcher.sr.reach`
    Who is reached, per ladder step, benefit and target group, against the pool (creaming).
:mod:`matcher.sr.funnel`
    Matching success per model version: how far shortlisted pairs got.

Examples
--------
>>> from datetime import date
>>> from matcher.sr import ContractInput, PlacementInput, contract_report, table_for_contract
>>> c = ContractInput("C-1", 400_000, start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
>>> p = PlacementInput("p1", "k1", date(2025, 1, 1), None, 36, benefit="participatiewet")
>>> contract_report(c, [p], table_for_contract(c), as_of=date(2025, 6, 30)).status
'on_track'
"""

from matcher.sr.dates import add_months
from matcher.sr.durability import (
    CHECK_MONTHS,
    CarouselFlag,
    DueCheck,
    DurabilityCheck,
    DurabilityShare,
    carousel_flags,
    due_checks,
    durability_shares,
    durable_at,
    is_short,
)
from matcher.sr.funnel import FUNNEL_STAGES, matching_funnel
from matcher.sr.lifecycle import (
    CLOSED_REASONS,
    CONTRACT_STATUSES,
    VacancyState,
    contract_ended,
    contract_status,
    vacancy_state,
)
from matcher.sr.progress import (
    STATUSES,
    TRACE_COLUMNS,
    ContractInput,
    ContractReport,
    Obligation,
    contract_obligation,
    contract_report,
    report_summary_row,
    report_trace_rows,
    reports_to_sheets,
    table_for_contract,
)
from matcher.sr.reach import REACH_COLUMNS, reach
from matcher.sr.tables import (
    PSO_LEVELS,
    TABLES_DIR,
    SrTable,
    TableInfo,
    available_tables,
    load_all,
    load_table,
    load_table_file,
    validate_table,
)
from matcher.sr.valuation import (
    PlacementInput,
    SkippedPlacement,
    Valuation,
    ValuationLine,
    value_placement,
    value_placements,
)

__all__ = [
    "CHECK_MONTHS",
    "CLOSED_REASONS",
    "CONTRACT_STATUSES",
    "VacancyState",
    "contract_ended",
    "contract_status",
    "vacancy_state",
    "FUNNEL_STAGES",
    "PSO_LEVELS",
    "REACH_COLUMNS",
    "STATUSES",
    "TABLES_DIR",
    "TRACE_COLUMNS",
    "CarouselFlag",
    "ContractInput",
    "ContractReport",
    "DueCheck",
    "DurabilityCheck",
    "DurabilityShare",
    "Obligation",
    "PlacementInput",
    "SkippedPlacement",
    "SrTable",
    "TableInfo",
    "Valuation",
    "ValuationLine",
    "add_months",
    "available_tables",
    "carousel_flags",
    "contract_obligation",
    "contract_report",
    "due_checks",
    "durable_at",
    "durability_shares",
    "is_short",
    "load_all",
    "load_table",
    "load_table_file",
    "matching_funnel",
    "reach",
    "report_summary_row",
    "report_trace_rows",
    "reports_to_sheets",
    "table_for_contract",
    "validate_table",
    "value_placement",
    "value_placements",
]
