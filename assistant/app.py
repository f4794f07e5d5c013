"""create_app(settings) -> web.Application: routes, middlewares, start-up and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable
from typing import Any, cast

import uvloop
from aiohttp import web, web_response
from aiohttp.abc import AbstractAccessLogger

from assistant.conversations import Clock, Conversations, utc_now
from assistant.i18n import Catalogs
from assistant.metrics import Metrics, TimedStore
from assistant.settings import Settings
from assistant.speech import SpeechService, service_for
from assistant.store import Store, StoreUnavailable, open_store
from assistant.web import (
    api,
    audio,
    client,
    codes,
    draft_views,
    keys,
    linked,
    monitoring,
    pages,
    person,
    preferences,
    security,
    stop,
)
from assistant.web.forms import MAX_BODY
from assistant.web.render import Renderer
from assistant.web.security import logged_path, where
from assistant.web.urls import PATHS

log = logging.getLogger("assistant")
RETENTION_INTERVAL = 3600.0
HEALTH_TIMEOUT = 2.0  # seconds the store may take to answer a health check
# The Server header names no software and no versions. aiohttp writes this value into every
# response that has none: pages, static files, and the errors its HTTP parser answers before
# any middleware of ours runs, which a middleware or signal could not reach.
SERVER = "Oma-aani"
web_response.SERVER_SOFTWARE = SERVER  # type: ignore[attr-defined]


class AccessLogger(AbstractAccessLogger):
    """Method, path, status and time only: no query strings, cookies, addresses or bodies.
    The path as sent (see logged_path), so a URL cannot add lines to the log."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %.1fms", request.method, logged_path(request), response.status, time * 1000
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def create_app(
    settings: Settings, *, store: Store | None = None, speech: Any = None, clock: Clock = utc_now
) -> web.Application:
    app = web.Application(
        # The proxy's word about the client first, so every later step sees the client.
        middlewares=[
            monitoring.count_errors,  # outermost: it sees every response as it leaves
            client.behind_proxy(settings.trusted_proxies),
            security.security_headers,
            security.errors,
        ],
        client_max_size=MAX_BODY,
    )
    app[keys.SETTINGS] = settings
    app[keys.RENDERER] = Renderer(settings, Catalogs(settings.locales_dir, settings.region()))
    app[keys.METRICS] = Metrics()
    app.cleanup_ctx.append(_storage(settings, store, clock))
    app.cleanup_ctx.append(_speech(settings, speech))
    app.cleanup_ctx.append(_retention)
    app.add_routes(pages.routes)
    app.add_routes(codes.routes)
    app.add_routes(preferences.routes)
    app.add_routes(person.routes)
    app.add_routes(stop.routes)
    app.add_routes(api.routes)
    app.add_routes(audio.routes)
    app.add_routes(draft_views.routes)
    app.add_routes(linked.routes)
    app.add_routes(monitoring.routes)
    app.router.add_get(PATHS["healthz"], _health, name="healthz")
    app.router.add_get(PATHS["readyz"], _ready, name="readyz")
    if settings.static_dir.is_dir():
        app.router.add_static("/static", settings.static_dir, append_version=False)
    return app


def _storage(settings: Settings, given: Store | None, clock: Clock) -> Any:
    async def context(app: web.Application) -> AsyncIterator[None]:
        store = given or await open_store(settings)
        timed = cast(Store, TimedStore(store, app[keys.METRICS]))
        app[keys.CONVERSATIONS] = Conversations(settings, timed, clock)
        try:
            yield
        finally:
            if given is None:
                await store.close()

    return context


def _speech(settings: Settings, given: Any) -> Any:
    """The speech worker starts beside the server; without an engine, pages simply hide the
    listen controls and say why on the settings page."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        service = (
            given if given is not None else (service_for(settings) if settings.speech else None)
        )
        if service is not None and given is None:
            await service.start()
        if isinstance(service, SpeechService):
            service.observer = app[keys.METRICS]
        app[keys.SPEECH] = service
        try:
            yield
        finally:
            if service is not None and given is None:
                await service.close()

    return context


async def _retention(app: web.Application) -> AsyncIterator[None]:
    """Delete conversations nobody has touched for the retention period, hourly and at start."""

    async def loop() -> None:
        while True:
            try:
                deleted = await app[keys.CONVERSATIONS].delete_expired()
                if deleted:
                    log.info("retention: deleted %d expired conversation(s)", deleted)
            except Exception as error:
                log.error("retention run failed; will try again: %s", where(error))
            await asyncio.sleep(RETENTION_INTERVAL)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _health(request: web.Request) -> web.Response:
    """Alive: the process answers and can read the store (reads go on beside a locked write).
    With it, the wrong resume codes from everyone this hour: a number with no personal data
    for the operator's monitoring, and whether it is above the alert level."""
    conversations = request.app[keys.CONVERSATIONS]
    try:
        wrong = await asyncio.wait_for(conversations.wrong_codes_this_hour(), HEALTH_TIMEOUT)
    except (TimeoutError, StoreUnavailable):
        return web.json_response({"status": "store-unavailable"}, status=503)
    alert = wrong > request.app[keys.SETTINGS].resume_attempts_global
    return web.json_response(
        {"status": "ok", "wrong_codes_this_hour": wrong, "wrong_codes_alert": alert}
    )


async def _ready(request: web.Request) -> web.Response:
    """Ready for people's answers: the store reads and can take a write now. A load balancer
    sends no one to an instance whose database is locked or whose disk fails."""
    return await _store_answers(request, request.app[keys.CONVERSATIONS].store.ready())


async def _store_answers(request: web.Request, check: Awaitable[object]) -> web.Response:
    try:
        await asyncio.wait_for(check, HEALTH_TIMEOUT)
    except (TimeoutError, StoreUnavailable):
        return web.json_response({"status": "store-unavailable"}, status=503)
    return web.json_response({"status": "ok"})


def serve(settings: Settings) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The database's address may hold a password: it is not printed.
    where = "PostgreSQL" if settings.database_url else settings.data_dir
    workers = f", {settings.workers} workers" if settings.workers > 1 else ""
    print(
        f"Oma ääni: http://{settings.host}:{settings.port}/  (answers in {where}{workers})",
        flush=True,
    )
    if settings.workers > 1:
        from assistant.workers import serve_workers

        return serve_workers(settings)
    run_server(settings)
    return 0


def run_server(settings: Settings, reuse_port: bool = False) -> None:
    """One server process until SIGTERM or SIGINT; reuse_port lets workers share the port."""
    # uvloop's event loop and transports: about 5 % less server CPU per answer step than
    # asyncio's own (docs/performance.md), with the same behaviour for everything we use.
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    app = create_app(settings)
    # keepalive_timeout is armed when a connection opens, so a client that has not finished a
    # request by then (a slow-header attack) is dropped: our read deadline. On SIGTERM,
    # requests in flight get shutdown_timeout to finish before the store closes.
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        access_log_class=AccessLogger,
        print=None,
        shutdown_timeout=10,
        keepalive_timeout=settings.read_timeout,
        reuse_port=reuse_port or None,
    )
