"""The conversation pages: start, one question per page, lists, check your answers.

Each view is thin: read the request, ask the engine, save through Conversations, then render
or redirect (POST, redirect, GET). A GET never changes anything that is stored.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from markupsafe import Markup

from assistant.conversations import Loaded, StateTooLarge
from assistant.dialogue.answers import FieldError
from assistant.dialogue.engine import Outcome, UnknownStep
from assistant.dialogue.model import Kind
from assistant.dialogue.state import REVIEW, State, answer_fingerprint
from assistant.dialogue.texts import Text
from assistant.dialogue.views import AnswerRow
from assistant.i18n import Translator
from assistant.presentation import back_place, present
from assistant.web import keys
from assistant.web.context import context, kept_until, require_conversation, set_session
from assistant.web.forms import Form, one, respondent_from
from assistant.web.linked import open_other, other_conversations
from assistant.web.listening import listen_controls
from assistant.web.render import notice_for, render
from assistant.web.security import posted_form
from assistant.web.starts import start_allowed, too_many_starts
from assistant.web.steps import (
    answer_anchor,
    answers_html,
    changed_url,
    position_url,
    step_page,
    step_url,
)
from assistant.web.urls import Routes, url

routes = Routes()


@routes.get_named("start")
async def start_page(request: web.Request) -> web.Response:
    ctx = await context(request)
    conversations = request.app[keys.CONVERSATIONS]
    bundle = conversations.bundle()
    dialogue = bundle.dialogue
    description = Text(dialogue.description, dialogue.id) if dialogue.description else None
    # Where the service has more than one conversation, the person chooses (the first is the
    # usual one): each its own title, with what it is for as its hint.
    offered = conversations.offered()
    # A person in a conversation: theirs is chosen, so "Start again" starts it again.
    current = ctx.loaded.bundle if ctx.loaded else bundle
    choices = [
        {
            "value": b.dialogue.id,
            "text": ctx.translator.text(Text(b.dialogue.title, b.dialogue.id)),
            "hint": ctx.translator.text(Text(b.dialogue.description, b.dialogue.id))
            if b.dialogue.description
            else None,
            "checked": b is current,
        }
        for b in offered
    ]
    others = await other_conversations(request, ctx.loaded, ctx.translator) if ctx.loaded else []
    return await render(
        request,
        "start.html",
        dialogue_choices=choices if len(offered) > 1 else [],
        others=others,
        dialogue=dialogue,
        minutes=bundle.minutes,
        dialogue_title=Text(dialogue.title, dialogue.id),
        dialogue_description=description,
        continue_url=position_url(ctx.loaded.state) if ctx.loaded else None,
        retention_days=request.app[keys.SETTINGS].retention_days,
    )


@routes.post_named("begin")
async def start(request: web.Request) -> web.Response:
    form = await posted_form(request)
    respondent = respondent_from(form)
    if not await start_allowed(request):  # before anything is left behind
        return await too_many_starts(request)
    ctx = await context(request)
    conversations = request.app[keys.CONVERSATIONS]
    chosen = one(form, "dialogue")
    current = ctx.loaded.bundle.dialogue.id if ctx.loaded else None
    if ctx.loaded is not None and chosen in conversations.bundles and chosen != current:
        # The other conversation: linked to this one, which is kept.
        raise await open_other(request, ctx.loaded, chosen, respondent)
    if ctx.loaded is not None:  # "start again", as the start page says
        await conversations.leave(ctx.loaded)
    loaded, token = await conversations.start(respondent, ctx.prefs.stored(), chosen)
    response = web.HTTPSeeOther(position_url(loaded.state))
    set_session(response, request, token)
    raise response


def _positioned(loaded: Loaded, request: web.Request, key: str, returning: bool) -> State:
    """The conversation placed at the step this URL names (not saved: only a POST saves)."""
    item = request.query.get("item")
    return loaded.bundle.engine.change(loaded.state, key, item, returning=returning)


async def _step_response(
    request: web.Request,
    loaded: Loaded,
    state: State,
    form: Form | None = None,
    errors: tuple[FieldError, ...] = (),
) -> web.Response:
    ctx = await context(request)
    view = loaded.bundle.views.step(state)
    if view is None:
        raise web.HTTPSeeOther(url("review"))
    back = back_place(loaded.bundle.engine, state)
    presented = present(view, ctx.translator, errors, form, back)
    template = "list.html" if view.step.kind is Kind.LIST else "step.html"
    speech = request.app[keys.SPEECH]
    listen = speech is not None and speech.available
    return await render(
        request,
        template,
        seen=answer_fingerprint(state, view.step.key, view.item_id),
        notice=notice_for(request),
        **listen_controls(view, presented, ctx.translator, listen),
        **step_page(presented),
    )


@routes.get_named("step")
async def step_get(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    try:
        state = _positioned(
            loaded, request, request.match_info["key"], request.query.get("return") == "review"
        )
    except UnknownStep:
        # An old or mistyped address: take the person to where they are, not to an error.
        raise web.HTTPSeeOther(position_url(loaded.state)) from None
    return await _step_response(request, loaded, state)


@routes.post_named("step")
async def step_post(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    key, item = request.match_info["key"], request.query.get("item")
    action, returning = one(form, "action", "continue"), one(form, "return") == "review"
    engine = loaded.bundle.engine

    def answer(state: State) -> Outcome:
        return engine.submit(engine.change(state, key, item, returning=returning), action, form)

    try:
        applied = await request.app[keys.CONVERSATIONS].apply(loaded, answer)
    except UnknownStep:
        if key in loaded.bundle.dialogue.by_key:
            raise
        # A page shown before its question was taken out of the dialogue: nothing to save it
        # to. To where the person is, told that the questions have changed.
        raise web.HTTPSeeOther(position_url(loaded.state, "changed")) from None
    except StateTooLarge:
        state = _positioned(loaded, request, key, returning)
        full = (FieldError("answer", "conversation-full"),)
        return await _step_response(request, loaded, state, form, full)
    if not applied.outcome.ok:
        state = engine.change(applied.base, key, item, returning=returning)
        return await _step_response(request, applied.loaded, state, form, applied.outcome.errors)
    request.app[keys.METRICS].step_answered(loaded.bundle.dialogue.id, action)
    seen = one(form, "seen")
    elsewhere = bool(seen) and seen != answer_fingerprint(applied.base, key, item)
    notice, state = "replaced" if elsewhere else None, applied.loaded.state
    if returning and state.at == REVIEW:  # changed from the review: back to that answer's row
        raise web.HTTPSeeOther(changed_url(key, item, notice))
    raise web.HTTPSeeOther(position_url(state, notice))


@routes.get_named("remove")
async def remove_get(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    key, item_id = request.match_info["key"], request.query.get("item", "")
    ctx = await context(request)
    views = loaded.bundle.views
    list_step = loaded.bundle.dialogue.by_key.get(key)
    item = loaded.state.find_item(key, item_id)
    if list_step is None or list_step.kind is not Kind.LIST or item is None:
        raise web.HTTPSeeOther(position_url(loaded.state))
    title = next(i.title for i in views.items(loaded.state, list_step) if i.id == item_id)
    return await render(
        request,
        "remove.html",
        title=ctx.translator.text(title),
        list_key=key,
        item_id=item_id,
        back_url=step_url(key),
    )


@routes.post_named("remove")
async def remove_post(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    key, item_id = request.match_info["key"], one(form, "item")
    if one(form, "confirm") == "yes":
        engine = loaded.bundle.engine
        await request.app[keys.CONVERSATIONS].apply(
            loaded, lambda state: engine.remove_item(state, key, item_id)
        )
    raise web.HTTPSeeOther(step_url(key))


@routes.get_named("review")
async def review(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    ctx = await context(request)
    t = ctx.translator
    rows = loaded.bundle.views.rows(loaded.state)
    changed = (request.query.get("changed"), request.query.get("item"))
    two_voices = any(a.entry.by.role != "client" for r in rows for a in r.answers)
    sections = []
    for section in loaded.bundle.dialogue.sections:
        section_rows = []
        for row in (r for r in rows if r.step.section == section.id):
            value = (
                _list_value(row, t)
                if row.step.kind is Kind.LIST
                else answers_html(row.answers, t, two_voices, loaded.state.respondent)
            )
            change = _change(step_url(row.step.key, returning=True), row, t)
            section_rows.append(
                {
                    "key": t.text(row.question),
                    "value": value,
                    "items": _items(row, t, changed),
                    "actions": [change],
                    "id": answer_anchor(row.step.key),
                    "changed": changed == (row.step.key, None),
                }
            )
        if section_rows:
            title = t.pgettext(section.context, section.title)
            sections.append({"title": title, "rows": section_rows})
    return await render(
        request,
        "review.html",
        sections=sections,
        notice=notice_for(request),
        kept=kept_until(request, loaded, t),
        changed=changed[0] is not None,
        back_url=step_url(
            loaded.bundle.engine.back(loaded.bundle.engine.go_to_review(loaded.state)).at
        ),
    )


def _change(href: str, row: AnswerRow, t: Translator) -> dict[str, str]:
    return {"href": href, "text": t.gettext("Change"), "hidden": t.plain_text(row.question)}


def _list_value(row: AnswerRow, t: Translator) -> Markup | str:
    """A list without items: "None added" if the person chose so, else how it was left."""
    if row.answered:
        return t.gettext("None added")
    return answers_html(row.answers, t, False)


def _items(
    row: AnswerRow, t: Translator, changed: tuple[str | None, str | None]
) -> list[dict[str, Any]]:
    """Each item of a list (each person in "my team") with its answers and their Change links."""
    return [
        {
            "title": t.text(item.title),
            "rows": [
                {
                    "question": t.text(r.question),
                    "answer": answers_html(r.answers, t, False),
                    "change": _change(step_url(r.step.key, item.id, returning=True), r, t),
                    "id": answer_anchor(r.step.key, item.id),
                    "changed": changed == (r.step.key, item.id),
                }
                for r in item.rows
            ],
        }
        for item in row.items
    ]
