"""The web pages: server-rendered Jinja2 templates, one folder per user group, with htmx.

``install(app)`` (called by ``api.main.create_app``) mounts ``/static``, the pages and the local
Swagger UI at ``/docs``, and makes the service errors answer a page request with a page (404,
403, 503) while API requests keep their JSON. Page handlers are as thin as routes: they call
the same service functions as the API and the CLI, and render. Pages are left out of the
OpenAPI document (``include_in_schema=False``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.errors import (
    ConflictError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    UnavailableError,
)
from api.web import (
    admin,
    admin_accounts,
    auth,
    coach,
    coach_checks,
    coach_work,
    contractor,
    contractor_vacancies,
    docs,
    portal,
    privacy,
    responsible,
    sr_contract_form,
    sr_files,
    sr_officer,
)
from api.web.forms import PageAnswer, page_answer
from api.web.i18n import translator
from api.web.i18n_messages import service_message
from api.web.render import HERE, lang_of, redirect, render
from api.web.session import CsrfRefused, LoginRequired, PageForbidden

Handler = Callable[[Request, Exception], Awaitable[Response]]
#: what ``app.exception_handlers`` holds (Starlette allows plain functions too)
AnyHandler = Callable[[Request, Any], Response | Awaitable[Response]]


async def _mark_page(request: Request) -> None:
    request.state.page = True


def _is_page(request: Request) -> bool:
    return bool(getattr(request.state, "page", False))


def error_page(
    request: Request, status_code: int, key: str, *, detail: str | None = None
) -> Response:
    """An error as a page in the user's language (``detail``: the service's own words)."""
    t = translator(lang_of(request))
    # the service's own words, in Dutch on a Dutch page where a translation exists
    message = service_message(detail, lang_of(request)) if detail is not None else t(key)
    return render(request, "errors/error.html", {"message": message}, status_code=status_code)


def _pages_or(original: AnyHandler | None, status_code: int, key: str) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        if _is_page(request) or original is None:
            detail = exc.message if isinstance(exc, FieldError) else str(exc)
            return error_page(request, status_code, key, detail=detail if key == "" else None)
        answer = original(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    return handler


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    url = "/login?" + urlencode({"next": exc.next_path})
    if request.headers.get("hx-request") == "true":
        # htmx would swap the log-in page into a fragment: have it load the page instead
        return Response(status_code=204, headers={"HX-Redirect": url})
    return redirect(request, url)


#: paths that are not pages: an unknown one keeps FastAPI's JSON 404
NOT_PAGES = ("/api/", "/static/", "/docs", "/openapi.json", "/healthz", "/readyz", "/metrics")


def _unknown_page_or(original: AnyHandler | None) -> Handler:
    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404 and not request.url.path.startswith(NOT_PAGES):
            return error_page(request, 404, "errors.404")
        if original is None:  # pragma: no cover - FastAPI always installs one
            return await http_exception_handler(request, exc)
        answer = original(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    return handler


async def _page_forbidden(request: Request, exc: Exception) -> Response:
    return error_page(request, 403, "errors.403")


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    return error_page(request, 403, "errors.csrf")


def install(app: FastAPI) -> None:
    """Mount static files, the pages and ``/docs``; answer page errors with pages."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = APIRouter(include_in_schema=False, dependencies=[Depends(_mark_page)])
    for module in (
        auth,
        coach,
        coach_checks,
        coach_work,
        privacy,
        sr_officer,
        sr_files,
        sr_contract_form,
        contractor,
        contractor_vacancies,
        portal,
        admin,
        admin_accounts,
        responsible,
    ):
        pages.include_router(module.router)
    app.include_router(pages)
    app.include_router(docs.router)
    for exc_type, status_code, key in (
        (NotFoundError, 404, "errors.404"),
        (ForbiddenError, 403, "errors.403"),
        (UnavailableError, 503, "errors.503"),
        # a refused change: the service's message says what and why
        (ConflictError, 409, ""),
        (FieldError, 422, ""),
    ):
        original = app.exception_handlers.get(exc_type)
        app.add_exception_handler(exc_type, _pages_or(original, status_code, key))
    app.add_exception_handler(
        StarletteHTTPException,
        _unknown_page_or(app.exception_handlers.get(StarletteHTTPException)),
    )
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageForbidden, _page_forbidden)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(PageAnswer, page_answer)
