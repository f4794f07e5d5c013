"""The resume code: saving one to continue later, and continuing with one (here or on
another device). Neither touches the answers."""

from __future__ import annotations

from aiohttp import web

from assistant.conversations import CODE_LENGTH, TooManyTries, format_code, typed_length
from assistant.web import keys
from assistant.web.client import counted_address
from assistant.web.context import (
    context,
    kept_until,
    require_conversation,
    set_session,
)
from assistant.web.cookies import SESSION_COOKIE, read_cookie
from assistant.web.forms import one
from assistant.web.render import error_response, render
from assistant.web.security import posted_form
from assistant.web.steps import position_url
from assistant.web.urls import Routes

routes = Routes()


@routes.get_named("save")
async def save_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    return await render(request, "save.html", back_url=position_url(loaded.state))


@routes.post_named("save")
async def save(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    ctx = await context(request)
    # "Also close these answers on other devices": every session but this one ends.
    only = read_cookie(request, SESSION_COOKIE) if one(form, "others") == "close" else None
    code, expires = await request.app[keys.CONVERSATIONS].make_code(loaded, only)
    t = ctx.translator
    shown = format_code(code)
    return await render(
        request,
        "saved.html",
        code=shown,
        spelled=", ".join(" ".join(group) for group in shown.split("-")),
        expires=t.format_date(expires.date()),
        kept=kept_until(request, loaded, t),
        continue_url=position_url(loaded.state),
        others_closed=only is not None,
    )


@routes.get_named("resume")
async def resume_page(request: web.Request) -> web.Response:
    return await render(request, "resume.html", error=None, typed="")


@routes.post_named("resume")
async def resume(request: web.Request) -> web.Response:
    form = await posted_form(request)
    conversations = request.app[keys.CONVERSATIONS]
    typed = one(form, "code")[:60]
    if (length := typed_length(typed)) != CODE_LENGTH:
        # Too short or too long cannot be anyone's code: say how long a code is, and count
        # no try against the hourly limit.
        t = (await context(request)).translator
        error = t.gettext(
            "A code has %(length)s letters and numbers. This one has %(count)s. Check it and try again."
        ) % {"length": CODE_LENGTH, "count": length}
        return await render(request, "resume.html", error=error, typed=typed)
    try:
        # request.remote is the client's, also behind a trusted proxy (assistant.web.client).
        # An IPv6 client counts by its /64, as it does for starting conversations.
        token = await conversations.resume_from(counted_address(request.remote), typed)
    except TooManyTries:
        return await error_response(request, 429, "too-many-tries")
    if token is None:
        ctx = await context(request)
        # One message for every wrong code: it must not tell what exists.
        error = ctx.translator.gettext(
            "This code does not work. Check it and try again, or start again."
        )
        return await render(request, "resume.html", error=error, typed=typed)
    loaded = await conversations.load(token)
    left = (await context(request)).loaded
    if left is not None and loaded is not None and left.id != loaded.id:
        await conversations.leave(left)  # as the page said: unless a code still opens it
    response = web.HTTPSeeOther(position_url(loaded.state) if loaded else "/")
    set_session(response, request, token)  # a new session: the old cookie is replaced
    raise response
