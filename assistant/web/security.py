"""Security middlewares: headers with a CSP nonce, CSRF, and errors that never leak a 500 for
bad input. Nothing here logs what a person typed."""

from __future__ import annotations

import hmac
import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from assistant.conversations import NewerConversation, StateTooLarge
from assistant.dialogue.answers import BadInput
from assistant.dialogue.engine import UnknownStep
from assistant.store import StoreUnavailable
from assistant.web import keys
from assistant.web.context import without_conversation
from assistant.web.cookies import (
    CSRF_COOKIE,
    expected_csrf_token,
    read_cookie,
    set_private_cookie,
)
from assistant.web.forms import BadRequest, Form, one, read_form
from assistant.web.render import error_response

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
log = logging.getLogger("assistant.web")


def csp(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self'",
            "media-src 'self'",
            "connect-src 'self'",
            "font-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        )
    )


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    request[keys.NONCE] = secrets.token_urlsafe(16)
    request[keys.BROWSER] = read_cookie(request, CSRF_COOKIE) or secrets.token_urlsafe(24)
    request[keys.CSRF] = expected_csrf_token(request)
    try:
        response = await handler(request)
    except web.HTTPException as raised:  # redirects and 405s are raised, not returned
        _protect(request, raised)
        raise
    _protect(request, response)
    return response


def _protect(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp(request[keys.NONCE]))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if not request.path.startswith("/static/"):
        # Pages hold answers: never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
        # The token for this browser's next POST, for API clients (pages also carry it in
        # their forms), and the browser's CSRF cookie if it has none. Neither on static
        # files, which caches may keep and hand to others.
        headers[CSRF_HEADER] = request[keys.CSRF]
        if read_cookie(request, CSRF_COOKIE) != request[keys.BROWSER] and not response.prepared:
            set_private_cookie(response, request, CSRF_COOKIE, request[keys.BROWSER])


def _same_origin(request: web.Request) -> bool:
    """A foreign Origin is refused. "null" is allowed: our own pages send Referrer-Policy:
    no-referrer, and with it browsers send "Origin: null" on a same-origin form post (the
    Fetch standard says so; Chromium 156 does it, measured). An attacker's page sends its own
    origin, and a sandboxed frame's "null" post carries no SameSite=Strict cookies, so without
    the token bound to the session it cannot pass check_csrf."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return origin.split("://", 1)[-1] == request.host


async def check_csrf(request: web.Request, submitted: str) -> None:
    """The token (form field or header) must be the one bound to this request's session or,
    without one, to the browser's CSRF cookie (see csrf_token); plus an Origin check, and
    SameSite=Strict cookies too."""
    expected = expected_csrf_token(request)
    # As bytes: compare_digest refuses str with non-ASCII characters (the fuzzer sent one).
    same = hmac.compare_digest(expected.encode(), submitted.encode("utf-8", "replace"))
    if not same or not _same_origin(request):
        raise BadRequest(403, "csrf")


async def posted_form(request: web.Request) -> Form:
    """A form post, read strictly and checked to come from our own page of this session."""
    form = await read_form(request)
    await check_csrf(request, one(form, "csrf"))
    return form


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a page (or JSON) a person can act on, in their language."""
    try:
        return await handler(request)
    except BadRequest as bad:
        return await error_response(request, bad.status, bad.reason)
    except BadInput:
        return await error_response(request, 400, "bad-answer")
    except UnknownStep:
        return await error_response(request, 404, "not-found")
    except StateTooLarge:
        return await error_response(request, 413, "conversation-full")
    except NewerConversation as newer:
        # Stored by a newer release (then rolled back): refused, kept as it is, explained.
        without_conversation(request, newer.prefs)
        return await error_response(request, 409, "newer-state")
    except StoreUnavailable:
        log.warning(
            "storage unavailable: answer not saved (%s %s)", request.method, logged_path(request)
        )
        return await error_response(request, 503, "not-saved")
    except web.HTTPRequestEntityTooLarge:
        return await error_response(request, 413, "too-large")
    except web.HTTPException as http:
        if http.status >= 400 and http.status != 405:
            return await error_response(
                request, http.status, "not-found" if http.status == 404 else "bad-request"
            )
        raise
    except Exception as error:
        log.error(
            "unexpected error on %s %s: %s", request.method, logged_path(request), where(error)
        )
        return await error_response(request, 500, "server-error")


def logged_path(request: web.BaseRequest) -> str:
    """The path as it was sent, still percent-encoded, with anything unprintable escaped: the
    decoded path turns %0a into a line break, and a URL could write log lines of its own."""
    raw = request.rel_url.raw_path
    if raw.isprintable():
        return raw
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in raw
    )


def where(error: BaseException) -> str:
    """A failure's type and the lines of code it came through, for the log. Never its message
    or a full traceback: an exception's message can quote what a person typed."""
    frames = traceback.extract_tb(error.__traceback__)[-8:]
    trail = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(error).__name__} at {trail}"
