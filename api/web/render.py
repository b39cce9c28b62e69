"""Rendering a page: the Jinja2 environment, the context every template gets, and redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.web.i18n import LANG_COOKIE, pick_lang, translator
from api.web.i18n_messages import service_messages
from api.web.session import START_PAGES, Viewer, apply_cookies, csrf_token
from models.organisations import Role

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

#: the menu per role: (message key, path)
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.coach: [
        ("nav.caseload", "/coach/candidates"),
        ("nav.vacancies", "/coach/vacancies"),
        ("nav.referrals", "/coach/referrals"),
        ("nav.checks", "/coach/checks"),
        ("nav.requests", "/coach/requests"),
    ],
    Role.sr_officer: [
        ("nav.dashboard", "/sr-officer/dashboard"),
        ("nav.contracts", "/sr-officer/contracts"),
        ("nav.import", "/sr-officer/import"),
        ("nav.efforts", "/sr-officer/efforts"),
        ("nav.audit", "/sr-officer/audit"),
        ("nav.fairness", "/sr-officer/fairness"),
    ],
    Role.contractor: [
        ("nav.contracts", "/contractor/contracts"),
        ("nav.my_vacancies", "/contractor/vacancies"),
        ("nav.proposals", "/contractor/proposals"),
        ("nav.search", "/contractor/search"),
        ("nav.requests", "/contractor/requests"),
        ("nav.efforts", "/contractor/efforts"),
    ],
    Role.admin: [
        ("nav.users", "/admin/users"),
        ("nav.api_keys", "/admin/api-keys"),
        ("nav.training", "/admin/training"),
        ("nav.fairness", "/admin/fairness"),
        ("nav.docs", "/docs"),
    ],
}


def lang_of(request: Request) -> str:
    """The page language: the cookie set by the language switch, Dutch by default."""
    return pick_lang(request.cookies.get(LANG_COOKIE))


def decimal(value: float, digits: int, lang: str) -> str:
    """A number with the language's decimal mark.

    >>> decimal(6.71, 1, "nl"), decimal(6.71, 1, "en")
    ('6,7', '6.7')
    """
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def query_with(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else request.url.path


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` with the common context (user, language, CSRF token, menu)."""
    lang = lang_of(request)
    user: Viewer | None = getattr(request.state, "viewer", None)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    ctx: dict[str, Any] = {
        "request": request,
        "t": translator(lang),
        "lang": lang,
        "user": user,
        "nav": NAV.get(user.role, []) if user is not None else [],
        "home": START_PAGES.get(user.role, "/login") if user is not None else "/login",
        "csrf_token": csrf_token(request),
        "here": here,
        "path": request.url.path,
        "query_with": lambda **kw: query_with(request, **kw),
        "dec": lambda value, digits=1: decimal(float(value), digits, lang),
    }
    ctx.update(context or {})
    if "errors" in ctx:  # the services' messages in the page's language
        ctx["errors"] = service_messages(ctx["errors"], lang)
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    apply_cookies(request, response)
    return response


def redirect(request: Request, url: str) -> Response:
    """A 303 to ``url`` (after a form post, or to the start page), keeping pending cookies."""
    return apply_cookies(request, RedirectResponse(url, status_code=303))
