"""An import's errors, grouped: one line per distinct problem with its count, row ranges and a
hint, instead of 3,000 near-identical lines (issue 11); the row-by-row detail stays, capped
(issue 13, finding 8: a 113 KiB file once gave a 166 MB error body).

``summarise(report)`` fills ``report.problems`` and ``report.error_count`` and keeps the first
``MAX_ROW_ERRORS`` row errors (file order) for the import page's row report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from api.services.importer import ImportReport, ProblemPublic, RowErrorPublic
from matcher.interchange import BSN_REASON

#: row errors kept for the row-by-row report (the page and ``--json``); the rest are counted
MAX_ROW_ERRORS = 500
#: distinct problems listed; the rest are summed up in one last line
MAX_PROBLEMS = 50
#: a problem with more distinct values than this is one line with examples
MAX_VALUES_PER_PROBLEM = 5
#: rows named per problem line before "..."
MAX_RANGES = 8

#: (column, words in the reason) -> what to do about it
_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        "coach",
        "is not the user name of a coach",
        "create the coaches first with `srmatch users import coaches.csv`",
    ),
    ("coach", "is not an active coach", "activate the coach, or name an active one"),
    (
        "contract_ref",
        "no contract with this reference",
        "import the contracts first (`srmatch import contracts FILE`)",
    ),
    (
        "candidate_ref",
        "no candidate with this reference",
        "import the candidates first (`srmatch import candidates FILE`)",
    ),
    (
        "vacancy_ref",
        "no vacancy with this reference",
        "import the vacancies first (`srmatch import vacancies FILE`)",
    ),
    ("", BSN_REASON, "remove the BSN; use the municipality's own client reference"),
    ("", "is held by another coach", "leave these rows to the coach who holds the candidate"),
    ("", "another municipality", "import only your own municipality's rows"),
    ("", "duplicate key", "keep one row per key"),
    ("", "is too long", "shorten the value"),
    ("", "is required and may not be empty", "fill in the column"),
    ("", "row has", "check the row for a stray delimiter or a missing quote"),
)


def _hint(column: str, reason: str) -> str | None:
    for col, words, hint in _HINTS:
        if (not col or col == column) and words in reason:
            return hint
    return None


def row_ranges(rows: Iterable[int], limit: int = MAX_RANGES) -> str:
    """``[2, 3, 4, 7]`` -> ``"2-4, 7"``; more than ``limit`` ranges end in ``...``.

    >>> row_ranges([2, 3, 4, 7, 9, 10]), row_ranges(range(2, 40, 2), limit=3)
    ('2-4, 7, 9-10', '2, 4, 6, ...')
    """
    ordered = sorted(set(rows))
    ranges: list[str] = []
    start = prev = None
    for r in ordered:
        if prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            ranges.append(f"{start}-{prev}" if prev != start else str(start))
        start = prev = r
    if start is not None:
        ranges.append(f"{start}-{prev}" if prev != start else str(start))
    if len(ranges) > limit:
        return ", ".join(ranges[:limit]) + ", ..."
    return ", ".join(ranges)


def _template(e: RowErrorPublic) -> str:
    """The reason with the row's own value taken out, so equal problems group together."""
    reason = e.reason
    if e.value:
        reason = reason.replace(f"'{e.value}'", "'...'").replace(e.value, "...")
    return re.sub(r"already on row \d+", "already on an earlier row", reason)


def _line(column: str, reason: str, value: str, examples: list[str]) -> str:
    """The problem without its rows: the column, the shared value and the reason."""
    if value and value not in reason:
        head = f"'{value}' {reason}"
    else:
        head = reason
    if column and not head.startswith(column):
        head = f"{column} {head}" if head.startswith("'") else f"{column}: {head}"
    if examples:
        shown = ", ".join(f"'{x}'" for x in examples[:3])
        head += f" ({len(examples)} different values, e.g. {shown})"
    return head


def problems_of(errors: list[RowErrorPublic]) -> list[ProblemPublic]:
    """One ProblemPublic per distinct (column, reason, value); a reason with many different
    values (a bad postcode on every row) becomes one problem with examples. Biggest first."""
    by_value: dict[tuple[str, str], dict[str, list[RowErrorPublic]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in errors:
        by_value[(e.column, _template(e))][e.value].append(e)
    out: list[ProblemPublic] = []
    for (column, template), values in by_value.items():
        if len(values) > MAX_VALUES_PER_PROBLEM:
            rows = [e.row for errs in values.values() for e in errs]
            examples = sorted(values, key=lambda v: -len(values[v]))
            first = next(iter(values.values()))[0]
            reason = template if len(values) > 1 else first.reason
            out.append(_problem(column, reason, "", [x for x in examples if x], rows))
            continue
        for value, errs in values.items():
            out.append(_problem(column, errs[0].reason, value, [], [e.row for e in errs]))
    out.sort(key=lambda p: (-p.count, p.column, p.reason))
    if len(out) > MAX_PROBLEMS:
        rest = out[MAX_PROBLEMS - 1 :]
        rows_left = sum(p.count for p in rest)
        out = out[: MAX_PROBLEMS - 1]
        out.append(
            ProblemPublic(
                column="",
                reason="more problems",
                count=rows_left,
                rows="",
                message=f"... and {len(rest)} more problems in {rows_left} rows",
            )
        )
    return out


def _problem(
    column: str, reason: str, value: str, examples: list[str], rows: list[int]
) -> ProblemPublic:
    hint = _hint(column, reason)
    count = len(set(rows))
    where = row_ranges(rows)
    rows_text = f"row {where}" if count == 1 else f"rows {where}, {count} rows"
    message = f"{_line(column, reason, value, examples)}: {rows_text}"
    if hint:
        message += f"; {hint}"
    return ProblemPublic(
        column=column,
        reason=reason,
        value=value,
        examples=examples[:3],
        count=count,
        rows=where,
        hint=hint,
        message=message,
    )


def summarise(report: ImportReport) -> ImportReport:
    """Group the report's errors into ``problems`` and cap the row detail (in place)."""
    errors = sorted(report.errors, key=lambda e: (e.row, e.column))
    report.error_count = len(errors)
    report.problems = problems_of(errors)
    report.errors = errors[:MAX_ROW_ERRORS]
    if len(errors) > MAX_ROW_ERRORS:
        report.warnings.append(
            f"the row report shows the first {MAX_ROW_ERRORS} of {len(errors)} errors; "
            "the problems list counts them all"
        )
    return report


__all__ = ["MAX_ROW_ERRORS", "problems_of", "row_ranges", "summarise"]
