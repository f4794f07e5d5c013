"""This site's cookies: their names and flags, and the CSRF token bound to them.

Three cookies, none holding answers: the session, this browser's random CSRF value, and the
display settings before there is a conversation. On HTTPS (or with OMA_SECURE_COOKIES) each is
Secure and named with the __Host- prefix: a browser keeps such a cookie only if it is Secure,
has Path=/ and no Domain, so no sibling subdomain or plain-HTTP page can plant one. Only that
name is read there: a plain-named cookie on an HTTPS site is one someone else may have set.
Browsers refuse the prefix on a cookie that is not Secure, so plain http://127.0.0.1 keeps the
plain names.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from aiohttp import web

from assistant.web import keys

SESSION_COOKIE = "oma_session"
CSRF_COOKIE = "oma_csrf"
PREFS_COOKIE = "oma_prefs"
HOST_PREFIX = "__Host-"


def secure(request: web.Request) -> bool:
    """Secure whenever the request came over HTTPS (also behind a trusted proxy, see
    assistant.web.client), or OMA_SECURE_COOKIES says the site is only ever served so."""
    return request.secure or request.app[keys.SETTINGS].secure_cookies


def cookie_name(request: web.Request, name: str) -> str:
    return HOST_PREFIX + name if secure(request) else name


def read_cookie(request: web.Request, name: str) -> str | None:
    return request.cookies.get(cookie_name(request, name))


def set_private_cookie(
    response: web.StreamResponse,
    request: web.Request,
    name: str,
    value: str,
    max_age: int | None = None,
) -> None:
    """A cookie only this site's own requests carry and no script reads."""
    response.set_cookie(
        cookie_name(request, name),
        value,
        httponly=True,
        samesite="Strict",
        secure=secure(request),
        path="/",
        max_age=max_age,
    )


def delete_cookie(response: web.StreamResponse, request: web.Request, name: str) -> None:
    # Browsers ignore a __Host- cookie, a deletion too, that is not Secure.
    response.del_cookie(
        cookie_name(request, name), path="/", secure=secure(request), samesite="Strict"
    )


def csrf_token(request: web.Request, session: str | None) -> str:
    """The token this browser's forms (and API requests) must send: an HMAC, with the server's
    secret, of the session cookie, or without a session, of the browser's random CSRF cookie.
    Someone able to plant cookies cannot make one without the secret, and a token from their
    own browser or session does not work in another's."""
    bound = f"session\x1f{session}" if session else f"browser\x1f{request[keys.BROWSER]}"
    secret = request.app[keys.CONVERSATIONS].secret
    digest = hmac.new(secret, b"csrf\x1f" + bound.encode("utf-8", "replace"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def expected_csrf_token(request: web.Request) -> str:
    """The token for the cookies this request came with."""
    return csrf_token(request, read_cookie(request, SESSION_COOKIE))
