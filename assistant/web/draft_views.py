"""The draft: a page the client reads first, and downloads they share by their own action.

The draft's language is chosen apart from the conversation's (?lang=fi|fi@selko|sv|...): it
starts in the person's own variant, plain language included, so a lättläst client reads their
own draft in lättläst, and the caseworker's copy can be downloaded in the standard language.
GET changes nothing stored. Nothing is sent anywhere from here. Each download is a format of the registry
in assistant/draft/formats.py, at `/draft.<extension>`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiohttp import web

from assistant.conversations import Loaded
from assistant.draft import fhir_questionnaire, formats
from assistant.draft.formats import Source, as_json
from assistant.draft.model import Draft, build
from assistant.i18n import Translator
from assistant.i18n.languages import all_locales, codes, fallback, named_locales
from assistant.web import keys
from assistant.web.context import context, kept_until, require_conversation
from assistant.web.linked import other_conversations
from assistant.web.render import render
from assistant.web.steps import position_url, step_url
from assistant.web.urls import Routes, url

routes = Routes()
T = TypeVar("T")
# Building a long conversation's draft and rendering it take real time (a big DOCX, a tenth of
# a second or more). On the event loop that held up every other person's page (issue 20: four
# people downloading raised others' page time from 4 ms to over a second). One thread does
# this work: more would only take turns with the loop for the interpreter lock.
_DRAFTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft")


async def _off_loop(work: Callable[..., T], *args: Any) -> T:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DRAFTS, functools.partial(work, *args))


async def _translator(request: web.Request) -> Translator:
    """The draft's language: ?lang=, else the conversation's own variant."""
    ctx = await context(request)
    language = request.query.get("lang")
    if language not in all_locales():
        language = ctx.translator.locale
    return request.app[keys.RENDERER].catalogs.translator(language)


async def _source(loaded: Loaded, t: Translator) -> Source:
    bundle = loaded.bundle
    draft = await _off_loop(
        build, bundle.dialogue, bundle.views, loaded.state, t, loaded.created_at, loaded.updated_at
    )
    return Source(draft, bundle.dialogue, bundle.views, loaded.state)


async def _draft(request: web.Request) -> tuple[Loaded, Source, Translator]:
    loaded = await require_conversation(request)
    t = await _translator(request)
    return loaded, await _source(loaded, t), t


async def _both(request: web.Request) -> tuple[list[Source], Translator]:
    """Every conversation of the person (the usual dialogue's first), each as its own draft;
    with only one, its own draft page."""
    loaded = await require_conversation(request)
    together = await request.app[keys.CONVERSATIONS].linked(loaded)
    if len(together) < 2:
        raise web.HTTPSeeOther(url("draft"))
    t = await _translator(request)
    return [await _source(each, t) for each in together], t


def change_links(draft: Draft) -> dict[str, str]:
    """Each question's page, to change its answer and come back to the review."""
    return {
        item.key: step_url(item.key, returning=True)
        for section in draft.sections
        for item in section.items
    }


@routes.get_named("draft")
async def draft_page(request: web.Request) -> web.Response:
    loaded, source, t = await _draft(request)
    draft = source.draft
    ctx = await context(request)
    query = {"lang": t.locale}
    draft_languages = [
        {"value": locale, "code": code, "name": name, "current": locale == t.locale}
        for locale, name, code in named_locales()
    ]
    downloads: dict[bool, list[tuple[str, str]]] = {False: [], True: []}
    both: list[tuple[str, str]] = []
    together = await request.app[keys.CONVERSATIONS].linked(loaded)
    has_both = len(together) > 1
    if has_both:
        both.append(
            (ctx.translator.gettext("Read both on one page"), url("draft-both", query=query))
        )
    for f in formats.FORMATS.values():
        label = ctx.translator.gettext(f.label)
        downloads[f.for_systems].append(
            (label, url("draft-download", extension=f.extension, query=query))
        )
        if has_both:
            both.append((label, url("draft-both-download", extension=f.extension, query=query)))
    return await render(
        request,
        "draft.html",
        draft=draft,
        d=t,
        change=change_links(draft),
        draft_languages=draft_languages,
        downloads=downloads[False],
        system_downloads=downloads[True],
        both_downloads=both,
        others=await other_conversations(request, loaded, ctx.translator, together),
        questions_url=position_url(loaded.state),
        kept=kept_until(request, loaded, ctx.translator),
        back_url=url("review"),
    )


@routes.get_named("draft-download")
async def download(request: web.Request) -> web.Response:
    found = formats.FORMATS.get(request.match_info["extension"])
    if found is None:
        raise web.HTTPNotFound()
    _, source, t = await _draft(request)
    body = await _off_loop(found.render, source, t)
    response = web.Response(body=body, content_type=found.media_type, charset=found.charset)
    name = found.file_name(source.draft)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@routes.get_named("draft-both")
async def both_page(request: web.Request) -> web.Response:
    """Both conversations' drafts on one page, one after the other, to read or print."""
    sources, t = await _both(request)
    return await render(
        request,
        "draft_both.html",
        drafts=[s.draft for s in sources],
        d=t,
        back_url=url("draft", query={"lang": t.locale}),
    )


@routes.get_named("draft-both-download")
async def both_download(request: web.Request) -> web.Response:
    found = formats.FORMATS.get(request.match_info["extension"])
    if found is None:
        raise web.HTTPNotFound()
    sources, t = await _both(request)
    body = await _off_loop(found.combine, sources, t)
    response = web.Response(body=body, content_type=found.media_type, charset=found.charset)
    name = found.combined_file_name([s.draft for s in sources])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@routes.get_named("questionnaire")
async def questionnaire(request: web.Request) -> web.Response:
    bundle = request.app[keys.CONVERSATIONS].bundle()
    language = request.query.get("lang", "")
    t = request.app[keys.RENDERER].catalogs.translator(
        language if language in codes() else fallback().code
    )
    return web.Response(
        body=as_json(fhir_questionnaire.questionnaire(bundle.dialogue, t)),
        content_type=formats.FHIR,
    )
