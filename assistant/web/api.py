"""The JSON API: the same engine, validation, storage and security as the pages.

For the JavaScript conversation mode and other clients. Texts come translated for the person's
language as plain strings (clients must insert them as text, never as HTML). State changes need
the CSRF token in the X-CSRF-Token header, as forms send it in a field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp import web

from assistant.conversations import Loaded, StateTooLarge
from assistant.dialogue.answers import FieldError
from assistant.dialogue.engine import Outcome
from assistant.dialogue.model import Kind
from assistant.dialogue.state import REVIEW, State, answer_fingerprint
from assistant.i18n import Translator
from assistant.i18n.answers import answer_text
from assistant.presentation import Place, Words, back_place, by_line, present
from assistant.speech.texts import step_speech
from assistant.web import keys
from assistant.web.context import context, refresh, set_session
from assistant.web.forms import BadRequest, json_form, read_json, respondent_from
from assistant.web.messages import notice_text
from assistant.web.security import CSRF_HEADER, check_csrf
from assistant.web.starts import start_allowed, too_many_starts
from assistant.web.steps import audio_url, step_url
from assistant.web.urls import Routes, url

routes = Routes()
OPENAPI = Path(__file__).resolve().parent / "openapi.json"


async def _posted(request: web.Request) -> dict[str, Any]:
    await check_csrf(request, request.headers.get(CSRF_HEADER, ""))
    return await read_json(request)


async def _loaded(request: web.Request) -> Loaded:
    ctx = await context(request)
    if ctx.loaded is None:
        raise BadRequest(401, "no-conversation")
    return ctx.loaded


def _position(state: State) -> dict[str, Any]:
    return {"key": state.at, "item": state.item, "review": state.at == REVIEW}


def step_json(
    loaded: Loaded, state: State, t: Translator, errors: tuple[FieldError, ...] = ()
) -> dict[str, Any]:
    body = _step_body(loaded, state, t, errors)
    if loaded.notice:  # the dialogue was edited since the conversation was saved
        body["notice"] = {"code": loaded.notice, "message": notice_text(t, loaded.notice)}
    return body


def _step_body(
    loaded: Loaded, state: State, t: Translator, errors: tuple[FieldError, ...]
) -> dict[str, Any]:
    view = loaded.bundle.views.step(state)
    if view is None:
        return {"position": _position(state), "review": True, "url": url("review")}
    p = present(view, t, errors, back=back_place(loaded.bundle.engine, state))
    return {
        "position": _position(state),
        "review": False,
        "url": step_url(state.at, state.item, state.return_to_review),
        "api_url": url("api-steps", key=state.at),
        "audio_url": audio_url(state.at, state.item),
        "back": _place(p.back),
        "seen": answer_fingerprint(state, view.step.key, view.item_id),
        "kind": p.kind.value,
        "prompt": p.prompt.plain,
        # The language the prompt is in when it has no translation into the person's ("en").
        "lang": p.prompt.lang,
        "hint": _plain(p.hint),
        "help": _plain(p.help),
        "text": _plain(p.body),
        "choices": [
            {
                "value": c.value,
                "label": c.label.plain,
                "hint": _plain(c.hint),
                "exclusive": c.exclusive,
            }
            for c in p.choices
            if not c.something_else
        ],
        "something_else": next((c.label.plain for c in p.choices if c.something_else), None),
        "unit": _plain(p.unit),
        "add_prompt": _plain(p.add_prompt),
        "offer": [o for o in p.offers if o != "skip"],
        "answer": p.entry.to_json() if p.entry else None,
        "answer_text": p.answer,
        "items": [
            {
                "id": i.id,
                "title": i.title.plain,
                "speech": i.spoken,
                "audio_url": audio_url(state.at, None, "item", n),
            }
            for n, i in enumerate(p.items, 1)
        ],
        "speech": step_speech(view, t, p)[0],  # what listening to the question says
        "items_summary": _plain(p.items_summary),
        "progress": {
            "number": p.number,
            "total": p.total,
            "section": p.section,
            "text": p.caption,  # "About me, question 4 of about 33"
        },
        "max_length": p.max_length,
        "errors": [
            {"field": problem.field, "code": problem.code, "message": problem.message}
            for problem in p.problems
        ],
    }


def _place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"key": place.key, "item": place.item, "review": place.key == REVIEW}


def _plain(words: Words | None) -> str | None:
    return words.plain if words else None


@routes.get_named("api-openapi")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(json.loads(OPENAPI.read_text(encoding="utf-8")))


@routes.post_named("api-conversations")
async def start(request: web.Request) -> web.Response:
    data = await _posted(request)
    if not await start_allowed(request):
        return await too_many_starts(request)
    ctx = await context(request)
    form = json_form({k: v for k, v in data.items() if k in ("role", "who")})
    dialogue = data.get("dialogue")  # which conversation; absent or unknown: the usual one
    loaded, token = await request.app[keys.CONVERSATIONS].start(
        respondent_from(form), ctx.prefs.stored(), dialogue if isinstance(dialogue, str) else None
    )
    response = web.json_response(step_json(loaded, loaded.state, ctx.translator), status=201)
    set_session(response, request, token)
    return response


@routes.get_named("api-step")
async def current(request: web.Request) -> web.Response:
    loaded = await _loaded(request)
    return web.json_response(step_json(loaded, loaded.state, request[keys.CONTEXT].translator))


@routes.get_named("api-steps")
async def step_at(request: web.Request) -> web.Response:
    loaded = await _loaded(request)
    returning = request.query.get("return") == "review"
    state = loaded.bundle.engine.change(
        loaded.state, request.match_info["key"], request.query.get("item"), returning=returning
    )
    return web.json_response(step_json(loaded, state, request[keys.CONTEXT].translator))


@routes.post_named("api-steps")
async def answer(request: web.Request) -> web.Response:
    loaded = await _loaded(request)
    data = await _posted(request)
    action = str(data.pop("action", "continue"))
    item = data.pop("item", None)
    returning = data.pop("return", None) == "review"
    seen = data.pop("seen", None)  # the answer's fingerprint as the client was shown it
    engine, key, form = loaded.bundle.engine, request.match_info["key"], json_form(data)
    item_id = item if isinstance(item, str) else None

    def answer(state: State) -> Outcome:
        return engine.submit(engine.change(state, key, item_id, returning=returning), action, form)

    t = request[keys.CONTEXT].translator
    try:
        applied = await request.app[keys.CONVERSATIONS].apply(loaded, answer)
    except StateTooLarge:
        state = engine.change(loaded.state, key, item_id, returning=returning)
        full = (FieldError("answer", "conversation-full"),)
        return web.json_response(step_json(loaded, state, t, full), status=422)
    if not applied.outcome.ok:
        state = engine.change(applied.base, key, item_id, returning=returning)
        return web.json_response(
            step_json(applied.loaded, state, t, applied.outcome.errors), status=422
        )
    request.app[keys.METRICS].step_answered(loaded.bundle.dialogue.id, action)
    saved = applied.loaded
    body = step_json(saved, saved.state, t)
    if isinstance(seen, str) and seen != answer_fingerprint(applied.base, key, item_id):
        body["notice"] = {"code": "replaced", "message": notice_text(t, "replaced")}
    return web.json_response(body)


@routes.get_named("api-review")
async def review(request: web.Request) -> web.Response:
    loaded = await _loaded(request)
    t: Translator = request[keys.CONTEXT].translator
    rows = []
    for row in loaded.bundle.views.rows(loaded.state):
        section = loaded.bundle.dialogue.section_of(row.step)
        rows.append(
            {
                "key": row.step.key,
                "section": t.pgettext(section.context, section.title),
                "question": t.plain_text(row.question),
                "answers": [
                    {
                        "status": a.entry.status,
                        "text": answer_text(a, t),
                        "by": by_line(a.entry.by, t),
                        "role": a.entry.by.role,
                    }
                    for a in row.answers
                ],
                "items": [{"id": i.id, "title": t.plain_text(i.title)} for i in row.items]
                if row.step.kind is Kind.LIST
                else None,
            }
        )
    return web.json_response({"rows": rows})


@routes.post_named("api-settings")
async def settings(request: web.Request) -> web.Response:
    data = await _posted(request)
    ctx = await context(request)
    prefs = ctx.prefs.changed(data)
    if ctx.loaded is not None:
        refresh(
            request, await request.app[keys.CONVERSATIONS].save_prefs(ctx.loaded, prefs.stored())
        )
    return web.json_response({"prefs": prefs.stored()})
