"""``srmatch candidate export|erase`` and ``srmatch retention run``: privacy rights from the
command line, for the operator who handles a person's request or schedules the retention job.

Each command calls the one use case in ``api.services.privacy`` and commits; the audit trail
names the operating-system user as the actor.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Add = Callable[..., argparse.ArgumentParser]


def cmd_candidate_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from api.cli import EXIT_OK, _checked_engine, emit_json
    from api.services import privacy
    from api.web.privacy import render_privacy_export

    with Session(_checked_engine()) as session:
        cid = privacy.candidate_id_for_ref(session, args.ref)
        data = privacy.export_candidate(
            session=session, actor=None, candidate_id=cid, request_id=None
        )
        session.commit()  # the export is audited
    if args.html:
        Path(args.html).write_text(render_privacy_export(data, lang=args.lang), encoding="utf-8")
    if args.json or not args.html:
        emit_json(data)
    else:
        n_lists, n_reads = len(data.shortlists), len(data.accesses)
        print(f"wrote {args.html}: {n_lists} shortlists, {n_reads} accesses")
    return EXIT_OK


def cmd_candidate_erase(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from api.cli import EXIT_OK, CliError, _checked_engine, emit_json
    from api.services import privacy

    if not args.yes:
        raise CliError("erasure cannot be undone: add --yes to erase " + args.ref)
    with Session(_checked_engine()) as session:
        cid = privacy.candidate_id_for_ref(session, args.ref)
        result = privacy.erase_candidate(
            session=session, actor=None, candidate_id=cid, request_id=None
        )
        session.commit()
    if args.json:
        emit_json(result)
    else:
        print(f"erased candidate {result.candidate_id}; SR history kept as {result.pseudonym}")
    return EXIT_OK


def cmd_retention_run(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from api.cli import EXIT_OK, _checked_engine, emit_json
    from api.config import get_settings
    from api.services import privacy

    with Session(_checked_engine()) as session:
        plan = privacy.run_retention(
            session=session, settings=get_settings(), actor=None, apply=args.apply
        )
        if args.apply:
            session.commit()
    if args.json:
        emit_json(plan)
        return EXIT_OK
    verb = "would erase" if plan.dry_run else "erased"
    print(
        f"{verb} {plan.candidates_to_erase} candidates inactive since "
        f"{plan.candidate_cutoff:%Y-%m-%d}; "
        f"{'would remove' if plan.dry_run else 'removed'} {plan.shortlist_logs_to_remove} "
        f"shortlist-log entries before {plan.shortlist_log_cutoff:%Y-%m-%d} and "
        f"{plan.audit_events_to_remove} audit events before {plan.audit_cutoff:%Y-%m-%d}"
    )
    if plan.dry_run:
        print("dry run: nothing changed (add --apply to carry it out)", file=sys.stderr)
    return EXIT_OK


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the ``candidate`` and ``retention`` command groups to ``srmatch``."""
    c = sub.add_parser("candidate", help="a person's rights", description="a person's rights")
    cs = c.add_subparsers(dest="candidate_command", required=True, parser_class=parser_class)
    what = "everything held about one candidate (right of access)"
    ex = cs.add_parser("export", help=what, description=what)
    ex.add_argument("ref", help="the candidate's reference")
    ex.add_argument("--html", metavar="FILE", help="also write a printable page to FILE")
    ex.add_argument("--lang", choices=["nl", "en"], default="nl")
    ex.add_argument("--json", action="store_true", help="machine-readable output")
    ex.set_defaults(fn=cmd_candidate_export)
    what = "erase one candidate's personal data (right to erasure); SR totals stay"
    er = cs.add_parser("erase", help=what, description=what)
    er.add_argument("ref", help="the candidate's reference")
    er.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
    er.add_argument("--json", action="store_true", help="machine-readable output")
    er.set_defaults(fn=cmd_candidate_erase)

    r = sub.add_parser("retention", help="retention of personal data and logs")
    rs = r.add_subparsers(dest="retention_command", required=True, parser_class=parser_class)
    what = "erase inactive candidates and remove old log entries (dry run unless --apply)"
    run = rs.add_parser("run", help=what, description=what)
    run.add_argument("--apply", action="store_true", help="carry it out (default: dry run)")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(fn=cmd_retention_run)
