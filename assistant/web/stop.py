"""Stop on this device: the session ends and its cookie goes; the answers stay for the code.

On a shared computer the only way out used to be deleting every answer (issue 20). Stopping
needs a code to continue with: without one the answers would be reachable by nobody, so the
page first offers a code, and a stop without a code is not done.
"""

from __future__ import annotations

from aiohttp import web

from assistant.web import keys
from assistant.web.context import (
    clear_session,
    context,
    forget_session,
    keep_prefs_cookie,
    require_conversation,
)
from assistant.web.cookies import SESSION_COOKIE, read_cookie
from assistant.web.render import render
from assistant.web.security import posted_form
from assistant.web.steps import position_url
from assistant.web.urls import Routes, url

routes = Routes()
# Where a person lands after stopping: the code route, with a notice in their language.


@routes.get_named("stop")
async def stop_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    conversations = request.app[keys.CONVERSATIONS]
    return await render(
        request,
        "stop.html",
        has_code=await conversations.has_code(loaded),
        back_url=position_url(loaded.state),
    )


@routes.post_named("stop")
async def stop(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    await posted_form(request)
    conversations = request.app[keys.CONVERSATIONS]
    token = read_cookie(request, SESSION_COOKIE)
    if token is None or not await conversations.has_code(loaded):
        raise web.HTTPSeeOther(url("stop"))  # a code first, as that page says
    await conversations.stop(token)
    prefs = (await context(request)).prefs
    forget_session(request)
    response = web.HTTPSeeOther(url("resume", query={"notice": "stopped"}))
    clear_session(response, request)
    keep_prefs_cookie(response, request, prefs)  # the next page in the person's language
    raise response
