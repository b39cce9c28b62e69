"""The layers hold: routers only adapt (issue 9).

Parsed, not run: a router that commits, or that catches a service error to translate it, has
taken over work that belongs to a service or to the app's exception handlers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUTERS = sorted((ROOT / "api" / "routers").glob("*.py"))
#: errors a service raises and ``api.errors.install_error_handlers`` maps to an HTTP answer
SERVICE_ERRORS = frozenset(
    {
        "FieldError",
        "NotFoundError",
        "ConflictError",
        "ForbiddenError",
        "UnavailableError",
        "ImportRefused",
        "ImportRejected",
        "InterchangeError",
    }
)


def _names(node: ast.expr | None) -> set[str]:
    """The exception class names an ``except`` clause catches."""
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(e) for e in node.elts))
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def offences(source: str) -> list[str]:
    """Every ``session.commit(`` call and every ``except`` of a service error in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
        if isinstance(node, ast.ExceptHandler):
            caught = _names(node.type) & SERVICE_ERRORS
            if caught or node.type is None:
                what = ", ".join(sorted(caught)) or "everything"
                found.append(f"line {node.lineno}: except {what}")
    return found


def test_there_are_routers_to_check() -> None:
    assert len(ROUTERS) >= 6, [p.name for p in ROUTERS]


@pytest.mark.parametrize("path", ROUTERS, ids=lambda p: p.name)
def test_routers_neither_commit_nor_catch_service_errors(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_what_it_looks_for() -> None:
    bad = (
        "def route(session):\n"
        "    try:\n"
        "        work()\n"
        "    except (NotFoundError, KeyError) as exc:\n"
        "        raise not_found('x') from exc\n"
        "    except errors.FieldError:\n"
        "        pass\n"
        "    session.commit()\n"
    )
    assert offences(bad) == [
        "line 4: except NotFoundError",
        "line 6: except FieldError",
        "line 8: session.commit()",
    ]
    assert offences("def ok(session):\n    return session.get(X, 1)\n") == []


def test_the_matching_runtime_path_has_no_explicit_any() -> None:
    """From the dependency to the arrays, mypy can follow a shortlist: no ``Any`` on the way."""
    import typing

    from api import deps

    service = (ROOT / "api" / "services" / "matching.py").read_text(encoding="utf-8")
    names = {n.id for n in ast.walk(ast.parse(service)) if isinstance(n, ast.Name)}
    attrs = {n.attr for n in ast.walk(ast.parse(service)) if isinstance(n, ast.Attribute)}
    assert "Any" not in names | attrs
    hints = typing.get_type_hints(deps.get_matching)
    assert hints["return"].__name__ == "MatchingService"
    assert typing.get_args(deps.MatchingDep)[0].__name__ == "MatchingService"
