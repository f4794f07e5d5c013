"""GET /metrics for the operator's Prometheus, and the middleware that counts errors.

/metrics is not public: without OMA_METRICS_TOKEN it answers 404 like any unknown address,
and with it only a request carrying `Authorization: Bearer <token>` gets the numbers (others
get 401). The token is compared in constant time.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from assistant.metrics import CONTENT_TYPE
from assistant.store import StoreUnavailable
from assistant.web import keys
from assistant.web.messages import ERROR_PAGES
from assistant.web.urls import Routes

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
routes = Routes()
SCRAPE_TIMEOUT = 2.0  # seconds the store may take to count this hour's wrong codes


@web.middleware
async def count_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every response of status 400 or more, by its class and the error page's reason code
    (only the app's own codes: a label never holds what a client sent)."""
    try:
        response = await handler(request)
    except web.HTTPException as raised:
        _count(request, raised.status)
        raise
    _count(request, response.status)
    return response


def _count(request: web.Request, status: int) -> None:
    if status >= 400:
        reason = request.get(keys.ERROR_REASON, "none")
        request.app[keys.METRICS].error(status, reason if reason in ERROR_PAGES else "other")


def _authorised(request: web.Request, token: str) -> bool:
    sent = request.headers.get("Authorization", "")
    scheme, _, given = sent.partition(" ")
    # As bytes: compare_digest refuses str with non-ASCII characters.
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8", "replace"), token.encode()
    )


@routes.get_named("metrics")
async def metrics(request: web.Request) -> web.Response:
    token = request.app[keys.SETTINGS].metrics_token
    if not token:
        raise web.HTTPNotFound()
    if not _authorised(request, token):
        return web.Response(
            status=401,
            text="401: a Bearer token is needed\n",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        wrong: int | None = await asyncio.wait_for(
            request.app[keys.CONVERSATIONS].wrong_codes_this_hour(), SCRAPE_TIMEOUT
        )
    except (TimeoutError, StoreUnavailable):
        wrong = None
    body = request.app[keys.METRICS].exposition(wrong)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
