"""Administrator pages: create a user, (de)activate one or reset their password, API keys,
and the training runs with their metrics next to the baseline.

Each form calls the use case the ``/admin`` API routes call (``services.users``,
``services.training``). A new password or API key is shown once, in the answer to the form
that made it (never stored in the clear, never in a URL).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from sqlmodel import Session, col, select

from api.deps import SessionDep
from api.services import training, users
from api.services.errors import ConflictError, FieldError
from api.web.forms import PageAnswer, field_errors
from api.web.i18n import translator
from api.web.render import lang_of, render
from api.web.session import AdminPage, CsrfChecked
from models.organisations import ApiKeyCreated, Contractor, Municipality, Role, UserUpdate

router = APIRouter(prefix="/admin")

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]
USER_FIELDS = frozenset({"username", "full_name", "role", "municipality_id", "contractor_id"})
METRICS = training.METRICS


def one_time_password() -> str:
    """A password to hand over once: 16 random URL-safe characters (over the minimum of 10)."""
    return secrets.token_urlsafe(12)


def organisations(session: Session) -> dict[str, list[tuple[str, str]]]:
    """The municipalities and contractors a new user can belong to (for the form's lists)."""
    munis = session.exec(
        select(Municipality.id, Municipality.name).order_by(col(Municipality.name))
    ).all()
    firms = session.exec(
        select(Contractor.id, Contractor.name).order_by(col(Contractor.name))
    ).all()
    return {
        "municipalities": [(str(i), n) for i, n in munis if i is not None],
        "contractors": [(str(i), n) for i, n in firms if i is not None],
    }


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


# --- users -----------------------------------------------------------------------------------


def _new_user_page(
    request: Request,
    session: Session,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "admin/user_new.html",
        {
            "values": values,
            "errors": errors or {},
            "roles": [(r.value, translator(lang_of(request))(f"role.{r.value}")) for r in Role],
            **organisations(session),
        },
        status_code=status_code,
    )


@router.get("/users/new")
def new_user_form(request: Request, session: SessionDep, user: AdminPage) -> Response:
    """The form for a new user: user name, name, role and organisation."""
    values = {"role": "coach", "username": "", "full_name": ""}
    return _new_user_page(request, session, values=values)


@router.post("/users/new", dependencies=[CsrfChecked])
def create_user(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    username: Annotated[str, Form(max_length=80)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    municipality_id: Annotated[str, Form(max_length=12)] = "",
    contractor_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Create the user (``services.users.create_user``) with a one-time password, shown once."""
    t = translator(lang_of(request))
    values = {
        "username": username,
        "full_name": full_name,
        "role": role,
        "municipality_id": municipality_id,
        "contractor_id": contractor_id,
    }
    if not username.strip():
        errors = {"username": t("login.required")}
        raise PageAnswer(
            _new_user_page(request, session, values=values, errors=errors, status_code=422)
        )
    # only the organisation the role belongs to is sent on
    municipal = role in (Role.coach, Role.sr_officer)
    password = one_time_password()
    try:
        created = users.create_user(
            session=session,
            username=username.strip(),
            password=password,
            role=role,
            full_name=full_name.strip(),
            municipality_id=_int(municipality_id) if municipal else None,
            contractor_id=_int(contractor_id) if role == Role.contractor else None,
        )
    except FieldError as exc:
        errors = field_errors(exc, USER_FIELDS)
        raise PageAnswer(
            _new_user_page(request, session, values=values, errors=errors, status_code=422)
        ) from exc
    except ConflictError as exc:
        errors = {"username": t("admin.username_taken")}
        raise PageAnswer(
            _new_user_page(request, session, values=values, errors=errors, status_code=409)
        ) from exc
    return render(
        request,
        "admin/user.html",
        {"u": created, "password": password, "created": True, "errors": {}},
        status_code=201,
    )


@router.get("/users/{user_id}")
def user_page(request: Request, user_id: int, session: SessionDep, user: AdminPage) -> Response:
    """One user: deactivate or activate, reset the password."""
    found = users.get_user(session=session, user_id=user_id)
    return render(request, "admin/user.html", {"u": found, "password": None, "errors": {}})


@router.post("/users/{user_id}", dependencies=[CsrfChecked])
def change_user(
    request: Request,
    user_id: int,
    session: SessionDep,
    user: AdminPage,
    action: Annotated[str, Form(pattern="^(deactivate|activate|reset_password)$")],
) -> Response:
    """Deactivate, activate or reset the password (``services.users.update_user``); a new
    password is shown once."""
    password: str | None = None
    if action == "reset_password":
        password = one_time_password()
        changes = UserUpdate(password=password)
    else:
        changes = UserUpdate(active=action == "activate")
    try:
        changed = users.update_user(session=session, actor=user, user_id=user_id, changes=changes)
    except FieldError as exc:
        found = users.get_user(session=session, user_id=user_id)
        page = render(
            request,
            "admin/user.html",
            {"u": found, "password": None, "errors": {"active": exc.message}},
            status_code=422,
        )
        raise PageAnswer(page) from exc
    return render(
        request,
        "admin/user.html",
        {"u": changed, "password": password, "done": action, "errors": {}},
    )


# --- API keys --------------------------------------------------------------------------------


def _keys_page(
    request: Request,
    session: Session,
    *,
    limit: int,
    offset: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    created: ApiKeyCreated | None = None,
    revoked: int | None = None,
    status_code: int = 200,
) -> Response:
    page = users.list_api_keys(session=session, limit=limit, offset=offset)
    owners = users.list_users(session=session, limit=None, offset=0, role=Role.contractor)
    names = {u.id: u.username for u in owners.data}
    return render(
        request,
        "admin/api_keys.html",
        {
            "page": page,
            "owners": [(str(u.id), u.username) for u in owners.data if u.active],
            "names": names,
            "values": values or {"user_id": "", "name": ""},
            "errors": errors or {},
            "created": created,
            "revoked": revoked,
            "limit": limit,
            "offset": offset,
        },
        status_code=status_code,
    )


@router.get("/api-keys")
def api_keys(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    limit: PageSize = 50,
    offset: Offset = 0,
) -> Response:
    """The API keys (prefixes only) with a form to issue one and a button to revoke each."""
    return _keys_page(request, session, limit=limit, offset=offset)


@router.post("/api-keys", dependencies=[CsrfChecked])
def change_api_keys(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    action: Annotated[str, Form(pattern="^(create|revoke)$")],
    user_id: Annotated[str, Form(max_length=12)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    key_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Issue a key for a contractor user (shown once) or revoke one."""
    t = translator(lang_of(request))
    if action == "revoke":
        if key_id is None:
            raise FieldError("key_id", None, "which key to revoke")
        row = users.revoke_api_key(session=session, key_id=key_id)
        return _keys_page(request, session, limit=50, offset=0, revoked=row.id)
    values = {"user_id": user_id, "name": name}
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = t("login.required")
    owner = _int(user_id)
    if owner is None:
        errors["user_id"] = t("keys.choose_user")
    if errors or owner is None:
        page = _keys_page(
            request, session, limit=50, offset=0, values=values, errors=errors, status_code=422
        )
        raise PageAnswer(page)
    try:
        created = users.create_api_key(session=session, user_id=owner, name=name.strip())
    except FieldError as exc:
        errors = field_errors(exc, frozenset({"user_id", "name"}))
        page = _keys_page(
            request, session, limit=50, offset=0, values=values, errors=errors, status_code=422
        )
        raise PageAnswer(page) from exc
    return _keys_page(request, session, limit=50, offset=0, created=created, status_code=201)


# --- training runs ---------------------------------------------------------------------------


def metric_rows(metrics: dict[str, Any], baseline: dict[str, Any]) -> list[dict[str, Any]]:
    """Each reported metric with the baseline's value and the difference (None when missing)."""
    rows = []
    for name in METRICS:
        value, base = metrics.get(name), baseline.get(name)
        ok = isinstance(value, int | float) and isinstance(base, int | float)
        rows.append(
            {
                "name": name,
                "value": value if isinstance(value, int | float) else None,
                "baseline": base if isinstance(base, int | float) else None,
                "delta": (float(value) - float(base)) if ok else None,  # type: ignore[arg-type]
            }
        )
    return rows


@router.get("/training")
def training_runs(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    limit: PageSize = 25,
    offset: Offset = 0,
) -> Response:
    """The training runs, newest first: status, whether served, metrics next to the baseline."""
    page = training.list_model_versions(session=session, limit=limit, offset=offset)
    return render(
        request,
        "admin/training.html",
        {
            "page": page,
            "runs": [(m, metric_rows(m.metrics, m.baseline_metrics)) for m in page.data],
            "metrics": METRICS,
            "limit": limit,
            "offset": offset,
        },
    )
