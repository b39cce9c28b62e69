"""Load the demo world through the real import path: users first, then the five CSV files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.security import hash_password
from api.services.demo_lifecycle import load_lifecycle_demo
from api.services.demo_portal import load_portal_demo
from api.services.importer import import_file
from api.services.users import create_user_named
from models import Candidate, Contract, Contractor, Municipality, User

DEMO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
DEMO_PASSWORD = "srmatch-demo-2026"
IMPORT_ORDER = ("contracts", "candidates", "vacancies", "outcomes", "placements")


def _world(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "world.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def demo_logins(directory: Path | None = None) -> list[tuple[str, str, str]]:
    """One (role, user name, password) per role of the demo world."""
    world = _world(directory or DEMO_DIR)
    return [
        ("admin", "admin", DEMO_PASSWORD),
        ("coach", world["coaches"][0]["username"], DEMO_PASSWORD),
        ("sr_officer", world["sr_officers"][0]["username"], DEMO_PASSWORD),
        ("contractor", world["contractor_users"][0]["username"], DEMO_PASSWORD),
    ]


def database_is_empty(session: Session) -> bool:
    """True when no candidate, contract or user exists yet."""
    return not any(
        session.exec(select(func.count()).select_from(model)).one()
        for model in (Candidate, Contract, User)
    )


def load_demo(
    engine: Engine, *, directory: Path | None = None, if_empty: bool = False
) -> dict[str, Any]:
    """Create the demo organisations and users, then import the demo CSVs; one transaction each."""
    directory = directory or DEMO_DIR
    world = _world(directory)
    with Session(engine, expire_on_commit=False) as session:
        if not database_is_empty(session):
            if if_empty:
                return {"skipped": True, "counts": {}}
            raise ValueError("the database already holds data: the demo loads into an empty one")
        for m in world["municipalities"]:
            session.add(
                Municipality(name=m["name"], region=m.get("region"), sr_table=m["sr_table"])
            )
        for c in world["contractors"]:
            session.add(Contractor(name=c["name"], kvk=c.get("kvk")))
        session.flush()
        shared_hash = hash_password(DEMO_PASSWORD)  # one argon2 run, not one per demo user
        people = [("admin", {"username": "admin", "full_name": "Beheerder"})]
        people += [("coach", c) for c in world["coaches"]]
        people += [("sr_officer", c) for c in world["sr_officers"]]
        people += [("contractor", c) for c in world["contractor_users"]]
        for role, p in people:
            create_user_named(
                session=session,
                username=p["username"],
                password=DEMO_PASSWORD,
                role=role,
                full_name=p.get("full_name", ""),
                municipality=p.get("municipality"),
                contractor=p.get("contractor"),
                password_hash=shared_hash,
            )
        session.commit()
    counts: dict[str, int] = {}
    for kind in IMPORT_ORDER:
        path = directory / f"{kind}.csv"
        with Session(engine, expire_on_commit=False) as session:
            report = import_file(
                session, kind=kind, data=path.read_bytes(), filename=path.name, actor=None
            )
            session.commit()
        if not report.committed:
            first = report.errors[0] if report.errors else None
            detail = (
                f": row {first.row}, {first.column} {first.value!r}: {first.reason}"
                if first
                else ""
            )
            raise ValueError(
                f"demo file {path.name} did not import ({len(report.errors)} errors){detail}"
            )
        counts[kind] = report.created + report.updated + report.unchanged
    # contractor-reported SR efforts and proposal requests, made through the portal's services
    counts.update(load_portal_demo(engine, directory=directory))
    # durability checks the coaches recorded (the rest stay due), through the durability service
    counts.update(load_lifecycle_demo(engine, directory=directory))
    return {"skipped": False, "counts": counts, "password": DEMO_PASSWORD}
