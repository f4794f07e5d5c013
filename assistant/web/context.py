"""Who is asking: their session, their conversation (if any) and their display preferences.

Preferences live with the conversation once there is one; before that, in a small cookie that
holds no answers. Switching language or plain language never touches the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from assistant.conversations import Loaded
from assistant.i18n import Translator, locale_for
from assistant.i18n.languages import codes
from assistant.prefs import clean_prefs
from assistant.web import keys
from assistant.web.cookies import (
    PREFS_COOKIE,
    SESSION_COOKIE,
    csrf_token,
    delete_cookie,
    read_cookie,
    set_private_cookie,
)
from assistant.web.urls import url

PREFS_COOKIE_AGE = 365 * 86400  # seconds


def prefs_to_cookie(prefs: dict[str, Any]) -> str:
    return ".".join(
        [
            prefs["language"],
            "1" if prefs["plain"] else "0",
            prefs["text_size"],
            prefs["contrast"],
            prefs["speech_rate"],
            "1" if prefs["autoplay"] else "0",
            prefs["voice"],
        ]
    )


def prefs_from_cookie(value: str | None, default_language: str) -> dict[str, Any]:
    parts = (value or "").split(".")
    if len(parts) == 6:  # a cookie from before the voice could be chosen
        parts.append("server")
    if len(parts) != 7:
        return clean_prefs({}, default_language)
    language, plain, size, contrast, rate, autoplay, voice = parts
    raw = {
        "language": language,
        "plain": plain == "1",
        "text_size": size,
        "contrast": contrast,
        "speech_rate": rate,
        "autoplay": autoplay == "1",
        "voice": voice,
    }
    return clean_prefs(raw, default_language)


def accepted_language(request: web.Request, default: str) -> str:
    """The first of our languages the browser asks for ("sv-SE" asks for sv), else the default."""
    known = codes()
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in known:
            return code
    return default


@dataclass
class RequestContext:
    loaded: Loaded | None
    prefs: dict[str, Any]
    translator: Translator

    @property
    def locale(self) -> str:
        return self.translator.locale


async def context(request: web.Request) -> RequestContext:
    """Loaded once per request and kept on it."""
    if keys.CONTEXT in request:
        ctx: RequestContext = request[keys.CONTEXT]
        return ctx
    app = request.app
    settings = app[keys.SETTINGS]
    loaded = await app[keys.CONVERSATIONS].load(read_cookie(request, SESSION_COOKIE))
    if loaded is not None:
        prefs = clean_prefs(loaded.prefs, settings.default_language)
    else:
        default = accepted_language(request, settings.default_language)
        prefs = prefs_from_cookie(read_cookie(request, PREFS_COOKIE), default)
    translator = app[keys.RENDERER].catalogs.translator(
        locale_for(prefs["language"], prefs["plain"])
    )
    ctx = RequestContext(loaded, prefs, translator)
    request[keys.CONTEXT] = ctx
    return ctx


def without_conversation(request: web.Request, prefs: dict[str, Any]) -> RequestContext:
    """The rest of this request has no conversation (it could not be opened), but speaks
    with its display preferences: the page that says why is in the person's language."""
    settings = request.app[keys.SETTINGS]
    clean = clean_prefs(prefs, settings.default_language)
    catalogs = request.app[keys.RENDERER].catalogs
    ctx = RequestContext(
        None, clean, catalogs.translator(locale_for(clean["language"], clean["plain"]))
    )
    request[keys.CONTEXT] = ctx
    return ctx


def refresh(request: web.Request, loaded: Loaded | None) -> RequestContext:
    """After a save: the same request now sees the saved conversation and its preferences."""
    ctx: RequestContext = request[keys.CONTEXT]
    if loaded is not None:
        ctx.loaded = loaded
        ctx.prefs = clean_prefs(loaded.prefs, ctx.prefs["language"])
    catalogs = request.app[keys.RENDERER].catalogs
    ctx.translator = catalogs.translator(locale_for(ctx.prefs["language"], ctx.prefs["plain"]))
    return ctx


def keep_prefs_cookie(
    response: web.StreamResponse, request: web.Request, prefs: dict[str, Any]
) -> None:
    """The display settings also in their cookie (no answers in it) while a conversation holds
    them: a page after the session has ended (stopped, idle, closed elsewhere) still speaks
    the person's language. Written only when it differs."""
    value = prefs_to_cookie(prefs)
    if read_cookie(request, PREFS_COOKIE) != value:
        set_private_cookie(response, request, PREFS_COOKIE, value, max_age=PREFS_COOKIE_AGE)


def set_session(response: web.StreamResponse, request: web.Request, token: str) -> None:
    """A new session, and the CSRF token that now goes with it (an API client reads it from
    this response's X-CSRF-Token header)."""
    set_private_cookie(response, request, SESSION_COOKIE, token)
    request[keys.CSRF] = csrf_token(request, session=token)


def forget_session(request: web.Request) -> None:
    """The conversation is gone: the rest of this request (the page it renders) has none, and
    its forms carry the token for a browser without a session, as its next request will be."""
    if keys.CONTEXT in request:
        request[keys.CONTEXT].loaded = None
    request[keys.CSRF] = csrf_token(request, None)


def clear_session(response: web.StreamResponse, request: web.Request) -> None:
    delete_cookie(response, request, SESSION_COOKIE)


# Where a browser whose session has ended lands: the code route, with a notice that says why.


async def require_conversation(request: web.Request) -> Loaded:
    """The person's conversation; without one, the start page. A browser that still has a
    session cookie that opens nothing (the session was idle too long, or was closed from
    another device) is told so in its language, on the page where a code continues."""
    ctx = await context(request)
    if ctx.loaded is None:
        if read_cookie(request, SESSION_COOKIE):
            response = web.HTTPSeeOther(url("resume", query={"notice": "ended"}))
            clear_session(response, request)
            raise response
        raise web.HTTPSeeOther("/")
    return ctx.loaded


def kept_until(request: web.Request, loaded: Loaded, t: Translator) -> dict[str, str | int]:
    """When the answers will be deleted, for the pages where people stop for a while."""
    days = request.app[keys.SETTINGS].retention_days
    return {"date": t.format_date(loaded.expires_at.date()), "days": days}
