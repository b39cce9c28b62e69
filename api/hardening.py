"""What every answer of the app gets, whatever route made it (issue 13, findings 9 and 13).

- Security headers: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``,
  ``X-Frame-Options`` and, on HTML, a Content-Security-Policy; ``Cache-Control: no-store``
  on everything but the static files (tokens, exports and personal data never land in a cache).
- Integers in paths and query strings get the range of a signed 32-bit INTEGER, dates must be
  written as dates (not "0") between 1900 and 2999, and a date-time without a time zone is UTC
  (:func:`bound_integer_parameters`).
- A NUL character in the query string is a 422 (PostgreSQL cannot store or compare it).
- 422 bodies never echo a password and echo at most a short prefix of a long value
  (:func:`scrub_input`); a body that cannot be decoded is a 422 like any other bad body.
- A 405 lists in ``Allow`` every method the path has (Starlette lists only those of the first
  route it matched).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import inspect
import math
import re
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Annotated, Any, get_args, get_origin

from annotated_types import Ge, Le
from fastapi import FastAPI, Request, params, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.dates import parse_date
from matcher.interchange import BSN_MASK, contains_bsn
from models.types import MAX_INT32, NUL_REASON

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: how much of a rejected value a 422 repeats
ECHO_PREFIX = 40
#: keys whose values an error body never repeats
SECRET_KEYS = ("password", "secret", "token", "api_key")
MASK = "***"


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


#: pages: scripts only from the app's own files (htmx); htmx injects its indicator style, the
#: charts colour their swatches inline; the one inline handler (print a page) allowed by its hash
PAGE_CSP = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-hashes' {_hash('window.print()')}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: Swagger UI (FastAPI's page starts it with an inline script)
DOCS_CSP = PAGE_CSP.replace(
    f"script-src 'self' 'unsafe-hashes' {_hash('window.print()')}",
    "script-src 'self' 'unsafe-inline'",
)


#: marks a callable whose signature already carries the bounds (routers are shared by apps)
_BOUNDED = "__srmatch_bounded__"
#: parameters that are not path or query parameters
_NOT_QUERY = (params.Body, params.Header, params.Cookie, params.Depends)


def _original_routes(routes: list[Any]) -> Iterator[Any]:
    # FastAPI (0.16x) keeps an included router as one node whose effective routes (prefix,
    # dependant) are built lazily, per app, on first use; walk the routers' own routes instead,
    # which every app built from them shares
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _original_routes(list(nested.routes))
        else:
            yield route


def bound_integer_parameters(app: FastAPI, *, lowest: int = -MAX_INT32 - 1) -> int:
    """Give every ``int`` path and query parameter of the app's routes the range of a 32-bit
    INTEGER unless it has a bound of its own; returns how many parameters it bounded.

    Run once, when every route is in place: an id of 2**63 is then a 422 naming it (never an
    overflow in the database driver), and the OpenAPI document shows the bounds. The bounds go
    into the signatures of the endpoints and their dependencies (once per process), so FastAPI
    builds each app's validators with them when a route is first used; building every route's
    validators here cost half a second per app.
    """
    bounded = 0
    for route in _original_routes(list(app.router.routes)):
        endpoint = getattr(route, "endpoint", None)
        if endpoint is not None and getattr(route, "dependant", None) is not None:
            bounded += _bound_callable(endpoint, lowest, set())
    return bounded


def _bound_callable(call: Any, lowest: int, seen: set[int]) -> int:
    """Rewrite ``call``'s signature with the bounds (and walk its dependencies)."""
    if id(call) in seen:
        return 0
    seen.add(id(call))
    try:
        signature = inspect.signature(call, eval_str=True)
    except (NameError, TypeError, ValueError):  # not introspectable: FastAPI reads it as is
        return 0
    bounded, changed, parameters = 0, False, []
    for param in signature.parameters.values():
        annotation, extra = param.annotation, []
        if get_origin(annotation) is Annotated:
            annotation, *extra = get_args(annotation)
        depends = [a for a in (*extra, param.default) if isinstance(a, params.Depends)]
        for d in depends:
            if d.dependency is not None:
                bounded += _bound_callable(d.dependency, lowest, seen)
        if depends or any(isinstance(a, _NOT_QUERY) for a in (*extra, param.default)):
            parameters.append(param)
            continue
        add = _checks(annotation, [*extra, param.default], lowest)
        if add is None:
            parameters.append(param)
            continue
        bounded += _is(annotation, int)
        if not add or getattr(call, _BOUNDED, False):
            parameters.append(param)
        elif isinstance(param.default, params.Param):  # ``x: int = Query(...)``: FastAPI
            # reads that FieldInfo itself, with the bare type, so the checks go into it
            metadata = param.default.metadata
            if _is(annotation, int):
                metadata.extend(add)
            else:
                metadata[:0] = add
            parameters.append(param)
        else:
            parameters.append(param.replace(annotation=Annotated[(annotation, *extra, *add)]))
        changed = changed or bool(add)
    if changed:
        call.__signature__ = signature.replace(parameters=parameters)
        setattr(call, _BOUNDED, True)
    return bounded


def _checks(annotation: Any, given: list[Any], lowest: int) -> list[Any] | None:
    """The checks a path or query parameter of this type gets (None: not one we bound)."""
    if _is(annotation, dt.datetime):
        return list(_MOMENT)
    if _is(annotation, dt.date):
        return list(_DAY)
    if not _is(annotation, int):
        return None
    metadata = [m for g in given for m in (getattr(g, "metadata", None) or [g])]
    add: list[Any] = []
    if not any(hasattr(m, "le") or hasattr(m, "lt") for m in metadata):
        add.append(Le(MAX_INT32))
    if not any(hasattr(m, "ge") or hasattr(m, "gt") for m in metadata):
        add.append(Ge(lowest))
    return add


def _is(annotation: Any, kind: type) -> bool:
    """``kind`` or ``kind | None`` (bool is not an int here)."""
    if annotation is kind:
        return True
    args = getattr(annotation, "__args__", ())
    return kind in args and all(a in (kind, type(None)) for a in args)


#: the days a query may name: a report "as of 9999-12-31" overflows date arithmetic
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _date_text(value: Any) -> Any:
    # a query's date is text in a date form (the files' forms too); pydantic alone would read
    # "0" as 1970-01-01 (seconds since the epoch)
    if isinstance(value, str):
        return parse_date(value)
    return value


def _plausible_day(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return value


def _datetime_text(value: Any) -> Any:
    # a moment as ISO 8601; a bare day (2026-01-01) means its midnight in UTC
    if isinstance(value, str):
        text = value.strip()
        if _is_number(text):  # pydantic alone reads "0.5" as seconds since 1970
            raise ValueError("expected an ISO 8601 date or date-time, e.g. 2026-01-01T09:00:00Z")
        if len(text) == 10:
            day = _plausible_day(parse_date(text))
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _aware(value: dt.datetime) -> dt.datetime:
    # a moment without a time zone is read as UTC (stored times are UTC): comparing it with the
    # stored ones must not fail
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    _plausible_day(value.date())
    return value


_DAY = [BeforeValidator(_date_text), AfterValidator(_plausible_day)]
_MOMENT = [BeforeValidator(_datetime_text), AfterValidator(_aware)]


def scrub_input(loc: tuple[Any, ...] | list[Any], value: Any) -> Any:
    """A rejected value as a 422 may repeat it: a password or a BSN never, a long text by its
    prefix."""
    if any(isinstance(part, str) and part.lower().startswith(SECRET_KEYS) for part in loc):
        return MASK
    if isinstance(value, str):
        if contains_bsn(value):  # the guard refused it: never repeat a citizen service number
            return BSN_MASK
        return value if len(value) <= ECHO_PREFIX else value[:ECHO_PREFIX] + "…"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and Infinity are not JSON
    if isinstance(value, dict):
        return {k: scrub_input((*loc, k), v) for k, v in list(value.items())[:50]}
    if isinstance(value, list):
        return [scrub_input(loc, v) for v in value[:10]]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _scrubbed(errors: Any) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        item = dict(error)
        if "input" in item:
            item["input"] = scrub_input(item.get("loc", ()), item["input"])
        ctx = item.get("ctx")
        if isinstance(ctx, dict):
            item["ctx"] = {k: scrub_input((k,), v) for k, v in ctx.items()}
        out.append(item)
    return out


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 shape, with the inputs scrubbed (:func:`scrub_input`)."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"detail": jsonable_encoder(_scrubbed(exc.errors()))},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def body_not_decodable() -> JSONResponse:
    """The 422 for a body FastAPI could not even parse (bad encoding, truncated multipart)."""
    return JSONResponse(
        {
            "detail": [
                {
                    "loc": ["body"],
                    "msg": "the request body could not be read: send UTF-8 JSON "
                    "(or a form where the route takes one)",
                    "type": "body_not_readable",
                }
            ]
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _unreadable_body(detail: str) -> bool:
    # FastAPI's and Starlette's own 400s for a body they could not parse (JSON, multipart)
    return detail == "There was an error parsing the body" or "multipart" in detail.lower()


async def http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, except that an unreadable body is a 422."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and _unreadable_body(str(exc.detail)):
        return body_not_decodable()
    return await http_exception_handler(request, exc)


#: ``\u0000`` in JSON text, not itself escaped (``\\u0000`` is a backslash and "u0000")
_JSON_NUL = re.compile(rb"(?:^|[^\\])(?:\\\\)*\\u0000")


def _refused(where: str) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"loc": [where], "msg": NUL_REASON, "type": "value_error"}]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def database_refused(request: Request, exc: Exception) -> JSONResponse:
    """A value the database cannot hold (a number beyond its column, a NUL character, a date
    beyond what it computes) is bad input, a 422, never a 500; the checks in the schemas catch
    the known cases first, this answers whatever they missed."""
    return JSONResponse(
        {
            "detail": [
                {
                    "loc": ["body"],
                    "msg": "a value is out of range or holds a character the database cannot "
                    "store (numbers in ids up to 2147483647, no NUL characters)",
                    "type": "value_error",
                }
            ]
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


class HardeningMiddleware:
    """Security headers on every answer, NUL refused in query strings, a complete ``Allow``."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self._paths: list[tuple[re.Pattern[str], dict[str, Any]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        raw_query: bytes = scope.get("query_string", b"")
        send_ = self._with_headers(scope, send, path)
        if b"%00" in raw_query or b"\x00" in raw_query:
            await _refused("query")(scope, receive, send_)
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        if scope.get("method") in ("POST", "PUT", "PATCH") and b"json" in content_type:
            # a JSON string may spell NUL as \u0000: PostgreSQL cannot store it, so refuse the
            # body here, for every route and model alike (the text types refuse it too)
            messages: list[Message] = []
            body = b""
            while True:
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            if _JSON_NUL.search(body):
                await _refused("body")(scope, receive, send_)
                return

            async def replay() -> Message:
                return messages.pop(0) if messages else await receive()

            await self.app(scope, replay, send_)
            return
        await self.app(scope, receive, send_)

    def _allowed(self, path: str) -> list[str]:
        """The methods the OpenAPI document lists for ``path`` (the routes' own view)."""
        if self._paths is None:
            self._paths = [
                (re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(p)) + "$"), ops)
                for p, ops in self.fastapi_app.openapi().get("paths", {}).items()
            ]
        matching = [(rx.pattern.count("[^/]+"), ops) for rx, ops in self._paths if rx.match(path)]
        if not matching:
            return []
        # the most literal template wins (/placements/checks-due, not /placements/{id})
        fewest = min(n for n, _ in matching)
        methods = {m.upper() for n, ops in matching if n == fewest for m in ops}
        return sorted(methods & {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})

    def _with_headers(self, scope: Scope, send: Send, path: str) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                names = {k.lower() for k, _ in headers}
                add = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not path.startswith("/static/"):
                    headers[:] = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    names.discard(b"cache-control")
                    add.append((b"cache-control", b"no-store"))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    csp = DOCS_CSP if path.startswith("/docs") else PAGE_CSP
                    add.append((b"content-security-policy", csp.encode()))
                if message["status"] == 405:
                    allowed = self._allowed(path)
                    if allowed:
                        headers[:] = [(k, v) for k, v in headers if k.lower() != b"allow"]
                        names.discard(b"allow")
                        add.append((b"allow", ", ".join(allowed).encode()))
                headers.extend((k, v) for k, v in add if k not in names)
            await send(message)

        return wrapped


def install(app: FastAPI) -> None:
    """Bound the integer parameters and add the middleware (after every route is in place)."""
    bound_integer_parameters(app)
    app.add_middleware(HardeningMiddleware, fastapi_app=app)
