"""The FastAPI application: ``create_app()`` builds it; the lifespan does all start-up work.

Start-up refuses to run on an outdated schema (``srmatch db upgrade``) and, outside demo mode,
with the published demo secret. The matching service (ranker + candidate index) is created
and started in the lifespan and kept on ``app.state.matching``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import hardening, web
from api.config import Settings, get_settings
from api.deps import valid_request_id
from api.errors import install_error_handlers
from api.routers import admin, auth, coaches, contractors, health, privacy, sr_officers
from api.security import check_secret
from api.services.matching import MatchingService
from matcher.normalize import get_normalizer
from models.db import check_schema, create_db_engine

API_PREFIX = "/api/v1"
SR_OFFICER_PREFIX = API_PREFIX + sr_officers.PREFIX
#: deprecated alias of SR_OFFICER_PREFIX for existing clients (left out of the OpenAPI schema)
SR_OFFICER_DEPRECATED_PREFIX = API_PREFIX + "/sr"
#: where routers are mounted, longest first (a metrics label is the mount + the route's path)
MOUNTS = (SR_OFFICER_PREFIX, SR_OFFICER_DEPRECATED_PREFIX, API_PREFIX)
access_log = logging.getLogger("srmatch.access")


class Metrics:
    """Request counters and latencies in a registry private to one app (tests build many)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "srmatch_http_requests_total",
            "HTTP requests by method, route template and status code",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "srmatch_http_request_duration_seconds",
            "HTTP request latency by method and route template",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )


class RequestIdAndMetrics:
    """Per request: an id (the caller's X-Request-ID when short and plain, else a new one) on
    ``request.state.request_id`` and echoed in the answer; the Prometheus counters; and one
    access-log line that names the route template, never the path or query (those can hold a
    candidate's reference, ``?ref=``, and logs must hold no personal data)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        text = incoming.decode("latin-1") if incoming is not None else None
        request_id = text if text and valid_request_id(text) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_code = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            # included routers keep their own paths: put the mount prefix back in the label
            path: str = scope["path"]
            mount = next((m for m in MOUNTS if path.startswith(m + "/")), "")
            if mount and template != "<unmatched>" and not template.startswith(API_PREFIX):
                template = mount + template
            method: str = scope["method"]
            self.metrics.requests.labels(method, template, str(status_code)).inc()
            elapsed = time.perf_counter() - started
            self.metrics.latency.labels(method, template).observe(elapsed)
            access_log.info(
                "%s %s %s %.1f ms %s", method, template, status_code, elapsed * 1000, request_id
            )


def _start_matching(app: FastAPI, engine: Engine, settings: Settings) -> None:
    # the normaliser (the taxonomy's lookup tables, about 0.3 s and 54 MB) before the server
    # answers, so the first profile edit or vacancy posted after a start does not wait for it;
    # only a server: the command line's one-shot shortlists and index builds never normalise
    get_normalizer()
    matching = MatchingService(engine=engine, settings=settings)
    matching.start()
    app.state.matching = matching


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app; nothing touches the database or the ranker until the lifespan runs."""
    settings = settings or get_settings()
    given_engine = engine

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        check_secret(settings)
        engine = given_engine or create_db_engine(settings.database_url)
        try:
            check_schema(engine)
            app.state.engine = engine
            app.state.matching = None
            _start_matching(app, engine, settings)
            try:
                yield
            finally:
                if app.state.matching is not None:
                    app.state.matching.stop()
        finally:
            if given_engine is None:
                engine.dispose()

    app = FastAPI(
        title="srmatch",
        version="1",
        summary="Matching job seekers to Social Return vacancies, and measuring what came of it",
        lifespan=lifespan,
        docs_url=None,  # served by api.web from local files (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    install_error_handlers(app)

    # a plain ASGI middleware, not @app.middleware("http"): Starlette's BaseHTTPMiddleware runs
    # every request in a task group and streams the answer through a memory channel
    app.add_middleware(RequestIdAndMetrics, metrics=app.state.metrics)

    app.include_router(auth.router, prefix=API_PREFIX)
    app.include_router(coaches.router, prefix=API_PREFIX)
    app.include_router(contractors.router, prefix=API_PREFIX)
    app.include_router(sr_officers.router, prefix=SR_OFFICER_PREFIX)
    # Deprecated alias for existing clients: the SR officer routes were served under /api/v1/sr/
    # before they were renamed to /api/v1/sr-officer/. Left out of the schema, so the OpenAPI
    # document (and the route x role matrix, which walks it) lists each route once.
    app.include_router(
        sr_officers.router, prefix=SR_OFFICER_DEPRECATED_PREFIX, include_in_schema=False
    )
    app.include_router(admin.router, prefix=API_PREFIX)
    app.include_router(privacy.router, prefix=API_PREFIX)
    app.include_router(health.router)
    web.install(app)  # pages, /static and /docs; after install_error_handlers (it wraps them)
    hardening.install(app)  # after every route: bounds their int parameters, adds the headers
    return app
