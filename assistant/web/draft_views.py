"""The draft: a page the client reads first, and downloads they share by their own action.

The draft's language is chosen apart from the conversation's (?lang=fi|sv|en): GET changes
nothing stored. Nothing is sent anywhere from here.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiohttp import web

from assistant.conversations import Loaded
from assistant.draft import docx, fhir, fhir_questionnaire, jsonfmt, text
from assistant.draft.model import Draft, build
from assistant.i18n import LANGUAGES, Translator
from assistant.web import keys
from assistant.web.context import context
from assistant.web.pages import kept_until, require_conversation
from assistant.web.render import render
from assistant.web.steps import position_url, step_url

routes = web.RouteTableDef()
T = TypeVar("T")
# Building a long conversation's draft and rendering it take real time (a big DOCX, a tenth of
# a second or more). On the event loop that held up every other person's page (issue 20: four
# people downloading raised others' page time from 4 ms to over a second). One thread does
# this work: more would only take turns with the loop for the interpreter lock.
_DRAFTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft")


async def _off_loop(work: Callable[..., T], *args: Any) -> T:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DRAFTS, functools.partial(work, *args))


async def _draft(request: web.Request) -> tuple[Loaded, Draft, Translator]:
    loaded = await require_conversation(request)
    ctx = await context(request)
    language = request.query.get("lang")
    if language not in LANGUAGES:
        language = ctx.translator.language  # the standard language of the conversation
    t = request.app[keys.RENDERER].catalogs.translator(language)
    draft = await _off_loop(
        build,
        loaded.bundle.dialogue,
        loaded.bundle.views,
        loaded.state,
        t,
        loaded.created_at,
        loaded.updated_at,
    )
    return loaded, draft, t


def _download(
    body: bytes, content_type: str, name: str, charset: str | None = None
) -> web.Response:
    response = web.Response(body=body, content_type=content_type, charset=charset)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(draft: Draft, extension: str) -> str:
    return f"oma-aani-{draft.updated.date().isoformat()}.{extension}"


def change_links(draft: Draft) -> dict[str, str]:
    """Each question's page, to change its answer and come back to the review."""
    return {
        item.key: step_url(item.key, returning=True)
        for section in draft.sections
        for item in section.items
    }


@routes.get("/draft")
async def draft_page(request: web.Request) -> web.Response:
    loaded, draft, t = await _draft(request)
    ctx = await context(request)
    query = f"?lang={draft.language}"
    languages = [
        {"code": c, "name": n, "current": c == draft.language}
        for c, n in (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English"))
    ]
    return await render(
        request,
        "draft.html",
        draft=draft,
        d=t,
        change=change_links(draft),
        languages=languages,
        downloads=[
            (ctx.translator.gettext("Word document (DOCX)"), "/draft.docx" + query),
            (ctx.translator.gettext("Plain text, to paste"), "/draft.txt" + query),
            (ctx.translator.gettext("Data for information systems (JSON)"), "/draft.json" + query),
            (
                ctx.translator.gettext("FHIR QuestionnaireResponse (JSON)"),
                "/draft.fhir.json" + query,
            ),
        ],
        questions_url=position_url(loaded.state),
        kept=kept_until(request, loaded, ctx.translator),
        back_url="/review",
    )


@routes.get("/draft.txt")
async def draft_text(request: web.Request) -> web.Response:
    _, draft, t = await _draft(request)
    body = await _off_loop(lambda: text.render(draft, t).encode("utf-8"))
    return _download(body, "text/plain", _file_name(draft, "txt"), "utf-8")


@routes.get("/draft.json")
async def draft_json(request: web.Request) -> web.Response:
    _, draft, _t = await _draft(request)
    body = await _off_loop(lambda: _json(jsonfmt.render(draft)))
    return _download(body, "application/json", _file_name(draft, "json"))


@routes.get("/draft.docx")
async def draft_docx(request: web.Request) -> web.Response:
    _, draft, t = await _draft(request)
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _download(await _off_loop(docx.render, draft, t), kind, _file_name(draft, "docx"))


@routes.get("/draft.fhir.json")
async def draft_fhir(request: web.Request) -> web.Response:
    loaded, draft, t = await _draft(request)
    body = await _off_loop(
        lambda: _json(
            fhir.questionnaire_response(
                loaded.bundle.dialogue,
                loaded.bundle.views,
                loaded.state,
                t,
                draft.updated,
                draft.completed,
            )
        )
    )
    return _download(body, "application/fhir+json", _file_name(draft, "fhir.json"))


@routes.get("/questionnaire.fhir.json")
async def questionnaire(request: web.Request) -> web.Response:
    bundle = request.app[keys.CONVERSATIONS].bundle()
    language = request.query.get("lang") if request.query.get("lang") in LANGUAGES else "fi"
    t = request.app[keys.RENDERER].catalogs.translator(language or "fi")
    return web.Response(
        body=_json(fhir_questionnaire.questionnaire(bundle.dialogue, t)),
        content_type="application/fhir+json",
    )


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
