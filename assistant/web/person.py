"""Who is answering, deleting every answer (after a confirmation page), and the privacy
notice."""

from __future__ import annotations

from aiohttp import web

from assistant.dialogue.state import ROLES
from assistant.web import keys
from assistant.web.context import (
    clear_session,
    forget_session,
    require_conversation,
)
from assistant.web.forms import respondent_from
from assistant.web.render import render
from assistant.web.security import posted_form
from assistant.web.steps import position_url
from assistant.web.urls import Routes

routes = Routes()


@routes.get_named("respondent")
async def respondent_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    t = request[keys.CONTEXT].translator
    labels = {
        "client": t.gettext("The client, alone"),
        "helped": t.gettext("The client, with help from someone"),
        "proxy": t.gettext("Someone answering for the client"),
    }
    current = loaded.state.respondent
    roles = [{"value": r, "text": labels[r], "checked": r == current.role} for r in ROLES]
    return await render(
        request,
        "respondent.html",
        roles=roles,
        who=current.who,
        back_url=position_url(loaded.state),
    )


@routes.post_named("respondent")
async def respondent_post(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    respondent, engine = respondent_from(form), loaded.bundle.engine
    applied = await request.app[keys.CONVERSATIONS].apply(
        loaded, lambda state: engine.set_respondent(state, respondent)
    )
    raise web.HTTPSeeOther(position_url(applied.loaded.state))


@routes.get_named("delete")
async def delete_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    return await render(request, "delete.html", back_url=position_url(loaded.state))


@routes.post_named("delete")
async def delete(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    await posted_form(request)
    await request.app[keys.CONVERSATIONS].delete(loaded)
    speech = request.app[keys.SPEECH]
    if speech is not None:
        speech.forget(loaded.id)  # their answers read back, kept a few minutes in memory
    forget_session(request)
    response = await render(request, "deleted.html")
    clear_session(response, request)
    return response


@routes.get_named("privacy")
async def privacy(request: web.Request) -> web.Response:
    return await render(
        request, "privacy.html", retention_days=request.app[keys.SETTINGS].retention_days
    )
