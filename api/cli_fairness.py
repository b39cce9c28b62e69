"""``srmatch audit fairness``, ``srmatch model card`` and ``srmatch model override-fairness``:
responsible matching from the command line (issue 14).

Each command calls one use case (``api.services.fairness``, ``api.services.model_card``) in a
unit of work of its own; the audit trail names the operating-system user as the actor.
"""

from __future__ import annotations

import argparse
from typing import Any


def _float_floor(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"floor {text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"floor {text!r} must be in (0, 1]")
    return value


def _print_audit(audit: Any) -> None:
    if not audit.data:
        print("no audited shortlists yet (shortlists served since the audit counts groups)")
        return
    for v in audit.versions:
        ratio = "-" if v.min_ratio is None else f"{v.min_ratio:.3f}"
        print(
            f"model {v.model_version}: {v.shortlists} shortlists, min ratio {ratio}, "
            f"{v.flagged} group(s) below {audit.floor:.2f}, "
            f"set aside {v.set_aside}, added {v.added}"
        )
        print(
            f"  {'dimension':<13} {'group':<33} {'eligible':>8} {'top':>6} "
            f"{'rate':>6} {'95% CI':>13} {'ratio':>6} {'prop.':>5} {'hired':>5}  flag"
        )
        for r in audit.data:
            if r.model_version != v.model_version:
                continue
            rate = "-" if r.selection_rate is None else f"{r.selection_rate:.3f}"
            ci = (
                "-"
                if r.selection_low is None or r.selection_high is None
                else f"{r.selection_low:.3f}-{r.selection_high:.3f}"
            )
            ratio = "-" if r.ratio is None else f"{r.ratio:.3f}"
            flag = ("BELOW" + ("" if r.conclusive else " (uncertain)") if r.flagged else "") + (
                " small" if r.small else ""
            )
            print(
                f"  {r.dimension:<13} {r.group:<33} {r.eligible:>8} {r.top:>6} {rate:>6} "
                f"{ci:>13} {ratio:>6} {r.proposed:>5} {r.hired:>5}  {flag}"
            )


def cmd_audit_fairness(args: argparse.Namespace) -> int:
    from api.cli import EXIT_OK, _checked_engine, emit_json
    from api.config import get_settings
    from api.services.fairness import fairness_audit
    from models.db import session_scope

    floor = args.floor if args.floor is not None else get_settings().fairness_floor
    with session_scope(_checked_engine()) as session:
        audit = fairness_audit(session=session, actor=None, model_version=args.model, floor=floor)
    if args.json:
        emit_json(audit)
    else:
        _print_audit(audit)
    return EXIT_OK


def cmd_model_card(args: argparse.Namespace) -> int:
    from api.cli import EXIT_OK, _checked_engine, emit_json
    from api.config import get_settings
    from api.services.model_card import model_card
    from models.db import session_scope

    with session_scope(_checked_engine()) as session:
        card = model_card(session=session, version=args.version, settings=get_settings())
    if args.json:
        emit_json({"card": card.card, "register": card.register_entry})
    else:
        print(card.markdown)
    return EXIT_OK


def cmd_model_override(args: argparse.Namespace) -> int:
    from api.cli import EXIT_OK, _checked_engine, emit_json
    from api.services.fairness import override_fairness
    from models.db import session_scope

    with session_scope(_checked_engine()) as session:
        row = override_fairness(
            session=session, actor=None, version=args.version, reason=args.reason
        )
        out = {
            "version": row.version,
            "accepted": row.accepted,
            "fairness_override": row.fairness_override,
            "fairness_override_by": row.fairness_override_by,
        }
    if args.json:
        emit_json(out)
    else:
        print(f"model {out['version']} will be served; override recorded: {args.reason}")
    return EXIT_OK


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` and ``model`` command groups to ``srmatch``."""
    a = sub.add_parser("audit", help="audits of the ranking", description="audits of the ranking")
    asub = a.add_subparsers(dest="audit_command", required=True, parser_class=parser_class)
    what = (
        "fairness audit: per group, top-10 reach against the eligible share, proposal and hire "
        "rates, coaches' overrides; flags ratios below the floor"
    )
    f = asub.add_parser("fairness", help=what, description=what)
    f.add_argument("--model", metavar="VERSION", help="one model version (or 'baseline')")
    f.add_argument(
        "--floor", type=_float_floor, default=None, help="flag ratios below this (default: config)"
    )
    f.add_argument("--json", action="store_true", help="machine-readable output")
    f.set_defaults(fn=cmd_audit_fairness)

    m = sub.add_parser("model", help="ranker versions", description="ranker versions")
    msub = m.add_subparsers(dest="model_command", required=True, parser_class=parser_class)
    what = "the model card (Markdown) or, with --json, the card and the algorithm-register entry"
    c = msub.add_parser("card", help=what, description=what)
    c.add_argument("version")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(fn=cmd_model_card)
    what = "serve a version the fairness gate held back, recording the reason (audited)"
    o = msub.add_parser("override-fairness", help=what, description=what)
    o.add_argument("version")
    o.add_argument("reason")
    o.add_argument("--json", action="store_true", help="machine-readable output")
    o.set_defaults(fn=cmd_model_override)
