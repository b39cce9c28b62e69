"""The ``srmatch`` command line: serve, migrate, load data, train, shortlist, report.

Every command has ``--help``; machine output comes with ``--json``; the exit code is 0 only on
success; an error is one line on stderr (``srmatch: error: ...``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher import interchange

if TYPE_CHECKING:  # imported lazily at run time, so ``--help`` stays fast
    from sqlmodel import Session

    from api.services.importer import ImportReport
    from models import User

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INVALID = 0, 1, 2, 3


class CliError(Exception):
    """An error to print as one line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def emit_json(payload: Any) -> None:
    """Machine output on stdout."""
    json.dump(payload, sys.stdout, default=_json_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _engine() -> Any:
    from api.config import get_settings
    from models.db import create_db_engine

    return create_db_engine(get_settings().database_url)


def _checked_engine() -> Any:
    from models.db import SchemaOutdatedError, check_schema

    engine = _engine()
    try:
        check_schema(engine)
    except SchemaOutdatedError as exc:
        raise CliError(str(exc)) from exc
    return engine


# -- serve ------------------------------------------------------------------------------------


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging set-up plus srmatch's own loggers (the access log among them)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["srmatch"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.config import get_settings

    settings = get_settings()  # a bad setting fails here, in one line, before any worker starts
    if args.print_demo_logins:
        from api.services.demo import demo_logins

        print(f"srmatch on http://{args.host}:{args.port}  (API docs: /docs)")
        print("demo log-ins (user name / password):")
        for role, user, password in demo_logins():
            print(f"  {role:<11} {user:<18} {password}")
        sys.stdout.flush()
    # uvicorn's access line holds the full path and query (``?ref=``...): srmatch logs its own,
    # by route template only (api.main)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "proxy_headers": False,
        "access_log": False,
        "log_config": _log_config(args.log_level),
    }
    if args.workers > 1:
        # each worker process builds its own app, index and ranker; they stay in step through
        # the database (see api.services.matching)
        from api.workers import run_workers

        config = uvicorn.Config(
            "api.main:create_app", factory=True, workers=args.workers, **options
        )
        run_workers(config)
        return EXIT_OK
    # one process: build the app here (with workers, this process only supervises them and
    # never imports the app: each worker does, so they start sooner)
    from api.main import create_app

    uvicorn.run(create_app(settings), **options)
    return EXIT_OK


# -- db ---------------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from models.db import current_revision, upgrade

    engine = _engine()
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if args.json:
        emit_json({"from": before, "to": after})
    else:
        print(f"database schema: {before or 'empty'} -> {after}")
    return EXIT_OK


def cmd_db_current(args: argparse.Namespace) -> int:
    from models.db import current_revision, head_revision

    engine = _engine()
    cur, head = current_revision(engine), head_revision()
    if args.json:
        emit_json({"current": cur, "head": head, "up_to_date": cur == head})
    else:
        hint = "" if cur == head else " (run 'srmatch db upgrade')"
        print(f"current {cur or 'empty'}, newest {head}{hint}")
    return EXIT_OK if cur == head else EXIT_ERROR


# -- demo -------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from api.services.demo import load_demo

    engine = _checked_engine()
    result = load_demo(engine, directory=args.dir, if_empty=args.if_empty)
    if args.json:
        emit_json(result)
    elif result.get("skipped"):
        print("demo world: database already holds data, nothing loaded")
    else:
        counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
        print(f"demo world loaded: {counts}")
    return EXIT_OK


# -- import / export --------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from api.services.files import ImportRejected, import_file
    from models.db import session_scope

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"file not found: {path}")
    engine = _checked_engine()
    try:
        with session_scope(engine) as session:
            report = import_file(
                session=session,
                actor=_actor(session, args.as_user),
                kind=args.kind,
                data=path.read_bytes(),
                filename=path.name,
                partial=args.partial,
                request_id=None,
                progress=not args.json,
            )
    except ImportRejected as exc:  # nothing written: show the row report, exit 3
        report = exc.report
    if args.json:
        emit_json(report)
    else:
        _print_report(report)
    if report.errors and not report.committed:
        print(
            f"srmatch: error: {report.error_count} error(s) in {path.name} "
            f"({len(report.problems)} distinct); nothing was imported "
            "(use --partial to import the valid rows)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if report.errors:
        return EXIT_INVALID
    return EXIT_OK


def _print_report(report: ImportReport) -> None:
    """The counts, then one line per distinct problem (count, rows, hint), not one per row."""
    state = "imported" if report.committed else "NOT imported"
    print(f"{report.kind}: {state} - {report.rows} rows: {report.counts}")
    for w in report.warnings:
        print(f"warning: {w}")
    for p in report.problems:
        print(f"  {p.message}", file=sys.stderr)


def _actor(session: Session, username: str | None) -> User | None:
    """The user named by ``--as``; None (the operator, with every right) without it."""
    if not username:
        return None
    from sqlmodel import select

    from models import User

    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise CliError(f"--as: no user named {username!r}")
    return user


def cmd_export(args: argparse.Namespace) -> int:
    from api.services.files import export_file
    from models.db import session_scope

    out = Path(args.out)
    fmt = args.format or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    engine = _checked_engine()
    with session_scope(engine) as session:
        export = export_file(
            session=session,
            actor=_actor(session, args.as_user),
            kind=args.kind,
            fmt=fmt,
            request_id=None,
            dialect=args.dialect,
        )
    data = export.content
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    if args.json:
        emit_json(
            {
                "kind": args.kind,
                "format": fmt,
                "dialect": args.dialect,
                "out": str(out),
                "bytes": len(data),
            }
        )
    else:
        print(f"wrote {out} ({fmt}, {args.dialect}, {len(data)} bytes)")
    return EXIT_OK


# -- users ------------------------------------------------------------------------------------


def cmd_users_create(args: argparse.Namespace) -> int:
    from api.services.users import create_user_named
    from models.db import session_scope

    password = args.password or os.environ.get("SRMATCH_NEW_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CliError("no password: use --password, SRMATCH_NEW_PASSWORD or a terminal")
        password = getpass.getpass("password: ")
    engine = _checked_engine()
    with session_scope(engine) as session:
        user = create_user_named(
            session=session,
            username=args.username,
            password=password,
            role=args.role,
            full_name=args.full_name or "",
            municipality=args.municipality,
            contractor=args.contractor,
        )
        payload = {"id": user.id, "username": user.username, "role": user.role}
    if args.json:
        emit_json(payload)
    else:
        print(f"created {payload['role']} {payload['username']} (id {payload['id']})")
    return EXIT_OK


def cmd_users_import(args: argparse.Namespace) -> int:
    """Create the users of a CSV/XLSX file in one transaction; print each one-time password."""
    from api.services.user_import import UsersImportRejected, import_users
    from models.db import session_scope

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"file not found: {path}")
    engine = _checked_engine()
    try:
        with session_scope(engine) as session:
            result = import_users(session=session, data=path.read_bytes(), filename=path.name)
    except UsersImportRejected as exc:
        if args.json:
            emit_json(
                {
                    "created": [],
                    "error_count": exc.error_count,
                    "problems": exc.problems,
                    "errors": exc.errors,
                }
            )
        else:
            for p in exc.problems:
                print(f"  {p.message}", file=sys.stderr)
        print(f"srmatch: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        emit_json({"created": result.created, "unknown_columns": result.unknown_columns})
        return EXIT_OK
    if result.unknown_columns:
        print("warning: unknown columns ignored: " + ", ".join(result.unknown_columns))
    n = len(result.created)
    print(f"created {n} user(s); one-time passwords (shown once, pass them on safely):")
    for u in result.created:
        where = f" ({u.organisation})" if u.organisation else ""
        mail = f" <{u.email}>" if u.email else ""
        print(f"  {u.username:<24} {u.role:<11} {u.password}  {u.full_name}{mail}{where}")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from api.services.users import list_users
    from models.db import session_scope

    engine = _checked_engine()
    with session_scope(engine) as session:
        page = list_users(session=session, limit=None, offset=0)
    users = [
        {"id": u.id, "username": u.username, "role": u.role, "active": u.active}
        for u in sorted(page.data, key=lambda u: u.username)
    ]
    if args.json:
        emit_json(users)
    else:
        for u in users:
            state = "" if u["active"] else "inactive"
            print(f"{u['id']:>5}  {u['username']:<24} {u['role']:<11} {state}")
    return EXIT_OK


# -- normalize --------------------------------------------------------------------------------


def cmd_normalize(args: argparse.Namespace) -> int:
    from api.services.normalization import explain

    results = [explain(args.what, text) for text in args.text]
    if args.json:
        emit_json(results)
    else:
        for r in results:
            print(r["summary"])
    failed = [r for r in results if not r.get("ok")]
    return EXIT_INVALID if failed else EXIT_OK


# -- train / shortlist / report -----------------------------------------------------------------


def cmd_train(args: argparse.Namespace) -> int:
    from api.config import get_settings
    from api.services.training import train_model

    engine = _checked_engine()
    outcome = train_model(
        engine,
        settings=get_settings(),
        if_stale=args.if_stale,
        cutoff=args.cutoff,
        seed=args.seed,
        override_fairness=args.override_fairness,
    )
    if args.json:
        emit_json(outcome)
    else:
        print(outcome["summary"])
    ok = {"accepted", "up_to_date", "rejected", "gated"}
    return EXIT_OK if outcome["status"] in ok else EXIT_ERROR


def cmd_shortlist(args: argparse.Namespace) -> int:
    from api.config import get_settings
    from api.services.matching import cli_shortlist
    from models.db import session_scope

    if bool(args.vacancy_ref) == bool(args.all):
        raise CliError("give a VACANCY_REF or --all (not both)", EXIT_USAGE)
    if args.all and not args.json:
        raise CliError("shortlist --all writes JSON: add --json", EXIT_USAGE)
    engine = _checked_engine()
    with session_scope(engine) as session:  # commits the audit of what the operator saw
        result = cli_shortlist(
            session=session,
            engine=engine,
            settings=get_settings(),
            vacancy_ref=args.vacancy_ref,
            all_open=args.all,
            top=args.top,
            explain_excluded=args.explain_excluded,
            lang=args.lang,
        )
    if args.json:
        emit_json(result)
    else:
        _print_shortlist(result)
    return EXIT_OK


def cmd_index_build(args: argparse.Namespace) -> int:
    from api.config import get_settings
    from api.services.matching import build_index_snapshot

    result = build_index_snapshot(engine=_checked_engine(), settings=get_settings(), full=args.full)
    if args.json:
        emit_json(result)
    else:
        print(
            f"index snapshot of {result['candidates']:,} candidates at change "
            f"{result['change_seq']} in {result['directory']} (read from {result['read_from']} "
            f"in {result['read_seconds']} s, written in {result['write_seconds']} s)"
        )
    return EXIT_OK


def _print_shortlist(result: dict[str, Any]) -> None:
    for sl in result["shortlists"]:
        print(f"{sl['vacancy_ref']}: {sl['title']}  (model {sl['model_version'] or 'baseline'})")
        for e in sl["entries"]:
            reasons = "; ".join(e["reasons"])
            print(f"  {e['rank']:>3}. {e['candidate_ref']:<14} {e['score']:.3f}  {reasons}")
        for x in sl.get("excluded", []):
            print(f"   -  {x['candidate_ref']:<14} left out: " + "; ".join(x["reasons"]))


def cmd_report(args: argparse.Namespace) -> int:
    from api.services.reports import report_file
    from models.db import session_scope

    engine = _checked_engine()
    with session_scope(engine) as session:  # the SR officer's download, as the operator
        report = report_file(
            session=session,
            actor=None,
            scope=args.scope,
            name=args.name,
            fmt=args.format,
            as_of=args.as_of,
            request_id=None,
        )
    data, text = report.content, report.text
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out} ({args.format}, {len(data)} bytes)")
    elif args.format == "xlsx":
        raise CliError("an xlsx report needs --out FILE", EXIT_USAGE)
    else:
        sys.stdout.write(text)
    return EXIT_OK


# -- parser -----------------------------------------------------------------------------------


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from exc


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError(f"{n} is out of range 1..1000")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="srmatch", description="Social Return matching engine")
    p.add_argument("--version", action="version", version="srmatch 0.1.0")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(
        name: str, fn: Callable[[argparse.Namespace], int], help: str, json_flag: bool = True
    ) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="machine-readable output")
        sp.set_defaults(fn=fn)
        return sp

    s = add("serve", cmd_serve, "serve the API and web pages", json_flag=False)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=_positive_int, default=1, help="server processes")
    levels = ["critical", "error", "warning", "info", "debug"]
    s.add_argument("--log-level", default="info", choices=levels)
    s.add_argument("--print-demo-logins", action="store_true", help="print the demo users' log-ins")

    db = sub.add_parser("db", help="database schema", description="database schema")
    dbs = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    up = dbs.add_parser("upgrade", help="apply all migrations", description="apply all migrations")
    up.add_argument("--json", action="store_true", help="machine-readable output")
    up.set_defaults(fn=cmd_db_upgrade)
    what = "show the schema version"
    cur = dbs.add_parser("current", help=what, description=what)
    cur.add_argument("--json", action="store_true", help="machine-readable output")
    cur.set_defaults(fn=cmd_db_current)

    ix = sub.add_parser("index", help="the matching index", description="the matching index")
    ixs = ix.add_subparsers(dest="index_command", required=True, parser_class=_Parser)
    what = "write the index snapshot servers start from (after a large import, for example)"
    ib = ixs.add_parser("build", help=what, description=what)
    ib.add_argument("--json", action="store_true", help="machine-readable output")
    ib.add_argument("--full", action="store_true", help="read every candidate, not the changes")
    ib.set_defaults(fn=cmd_index_build)

    d = add("demo", cmd_demo, "load the demo world (users, contracts, candidates, outcomes)")
    d.add_argument("--dir", type=Path, default=None, help="folder with the demo CSV files")
    d.add_argument("--if-empty", action="store_true", help="skip when the database holds data")

    i = add("import", cmd_import, "import a data-contract file (CSV or XLSX)")
    i.add_argument("kind", choices=interchange.KINDS)
    i.add_argument("file")
    i.add_argument("--partial", action="store_true", help="import the valid rows, report the rest")
    i.add_argument("--as", dest="as_user", metavar="USER", help="import with this user's rights")

    e = add("export", cmd_export, "export a data-contract file (CSV or XLSX)")
    e.add_argument("kind", choices=interchange.KINDS)
    e.add_argument("--out", required=True, help="file to write (.csv or .xlsx)")
    e.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file name")
    e.add_argument("--as", dest="as_user", metavar="USER", help="export what this user may see")
    e.add_argument(
        "--dialect",
        choices=["en", "nl"],
        default="en",
        help="en: the standard format (',', ISO dates); nl: Dutch Excel (';', decimal commas, "
        "Dutch headers, dd-mm-jjjj dates, UTF-8 with BOM)",
    )

    u = sub.add_parser("users", help="manage users", description="manage users")
    us = u.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    uc = us.add_parser("create", help="create a user", description="create a user")
    uc.add_argument("username")
    uc.add_argument("--role", required=True, choices=["coach", "contractor", "sr_officer", "admin"])
    uc.add_argument("--municipality", help="for coaches and SR officers")
    uc.add_argument("--contractor", help="for contractor users: the company name or KvK number")
    uc.add_argument("--full-name")
    uc.add_argument("--password", help="else SRMATCH_NEW_PASSWORD or a prompt")
    uc.add_argument("--json", action="store_true", help="machine-readable output")
    uc.set_defaults(fn=cmd_users_create)
    what = "create users from a CSV/XLSX file (username, role, municipality or contractor, "
    what += "full_name, email), all or none; prints a one-time password per user"
    ui = us.add_parser("import", help=what, description=what)
    ui.add_argument("file")
    ui.add_argument("--json", action="store_true", help="machine-readable output")
    ui.set_defaults(fn=cmd_users_import)
    ul = us.add_parser("list", help="list users", description="list users")
    ul.add_argument("--json", action="store_true", help="machine-readable output")
    ul.set_defaults(fn=cmd_users_list)

    n = add("normalize", cmd_normalize, "show how the engine reads free text")
    n.add_argument("what", choices=["skill", "title", "education", "language", "postcode"])
    n.add_argument("text", nargs="+")

    t = add("train", cmd_train, "train the ranker on recorded outcomes and evaluate it")
    t.add_argument(
        "--if-stale", action="store_true", help="skip if no outcome is newer than the model"
    )
    t.add_argument(
        "--cutoff",
        type=_iso_date,
        help="hold out pairs proposed from this date (default: last 25%%)",
    )
    t.add_argument("--seed", type=int, default=7)
    t.add_argument(
        "--override-fairness",
        metavar="REASON",
        default=None,
        help="serve the model even if the fairness gate holds it back; the reason is recorded "
        "with the model version and in the audit trail",
    )

    sl = add("shortlist", cmd_shortlist, "rank candidates for a vacancy (or for every open one)")
    sl.add_argument("vacancy_ref", nargs="?")
    sl.add_argument("--all", action="store_true", help="every open vacancy (needs --json)")
    sl.add_argument("--top", type=_positive_int, default=10)
    sl.add_argument("--explain-excluded", action="store_true", help="list who was left out and why")
    sl.add_argument("--lang", choices=["nl", "en"], default="nl")

    from api import cli_fairness

    cli_fairness.register(sub, _Parser)

    from api import cli_privacy

    cli_privacy.register(sub, _Parser)

    r = add("report", cmd_report, "SR realisation report", json_flag=False)
    r.add_argument("scope", choices=["contract", "contractor", "region"])
    r.add_argument("name", help="contract ref, contractor name, or municipality/region name")
    r.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    r.add_argument("--out", help="write to this file (required for xlsx)")
    r.add_argument("--as-of", type=_iso_date, default=None, help="report date (default today)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``srmatch`` command."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.fn(args))
    except CliError as exc:
        print(f"srmatch: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("srmatch: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line, never a traceback, for any failure we name
        from sqlalchemy.exc import SQLAlchemyError

        from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError

        named = (FieldError, NotFoundError, ConflictError, ForbiddenError)
        if isinstance(exc, named + (ValueError, LookupError, OSError)):
            print(f"srmatch: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(exc, SQLAlchemyError):  # the database refused: say so in one line
            first = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
            print(f"srmatch: error: the database refused: {first}", file=sys.stderr)
            return EXIT_ERROR
        raise


if __name__ == "__main__":
    raise SystemExit(main())
