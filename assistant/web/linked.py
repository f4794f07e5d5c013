"""A person's other conversations: opening (starting or continuing) another dialogue keeps the
one they are in, linked to it, so one code, one "delete my answers" and one combined draft
reach both (docs/draft.md, "Both conversations in one draft")."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from assistant.conversations import Loaded
from assistant.dialogue.state import Respondent
from assistant.dialogue.texts import Text
from assistant.i18n import Translator
from assistant.web import keys
from assistant.web.context import require_conversation
from assistant.web.cookies import SESSION_COOKIE, read_cookie
from assistant.web.forms import one
from assistant.web.security import posted_form
from assistant.web.steps import position_url
from assistant.web.urls import Routes

routes = Routes()


async def other_conversations(
    request: web.Request, loaded: Loaded, t: Translator, together: list[Loaded] | None = None
) -> list[dict[str, Any]]:
    """Each dialogue offered besides this conversation's, as a button: "Continue: …" where
    the person has that conversation already, else "Start: …". `together`: the person's
    conversations, where the caller has read them already."""
    conversations = request.app[keys.CONVERSATIONS]
    offered = [b for b in conversations.offered() if b is not loaded.bundle]
    if not offered:
        return []
    if together is None:
        together = await conversations.linked(loaded)
    have = {each.bundle.dialogue.id for each in together}
    items = []
    for bundle in offered:
        title = t.text(Text(bundle.dialogue.title, bundle.dialogue.id))
        if bundle.dialogue.id in have:
            words = t.gettext("Continue: %(title)s")
        else:
            words = t.gettext("Start: %(title)s")
        items.append({"dialogue": bundle.dialogue.id, "text": words % {"title": title}})
    return items


async def open_other(
    request: web.Request, loaded: Loaded, dialogue: str, respondent: Respondent | None = None
) -> web.HTTPSeeOther:
    """To the person's conversation of `dialogue`, opened in this session (started, linked to
    theirs, if they have none): where they are in it."""
    token = read_cookie(request, SESSION_COOKIE) or ""
    conversations = request.app[keys.CONVERSATIONS]
    opened = await conversations.open_dialogue(token, loaded, dialogue, respondent)
    return web.HTTPSeeOther(position_url(opened.state))


@routes.post_named("conversation")
async def open_conversation(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    raise await open_other(request, loaded, one(form, "dialogue"))
