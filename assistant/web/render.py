"""Rendering pages: one Jinja environment per locale, the shared page context, error pages."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from assistant.i18n import N_, Catalogs, Translator
from assistant.i18n.languages import all_locales, fallback, languages
from assistant.prefs import Prefs
from assistant.settings import Settings
from assistant.speech import RATES, voice_and_rate
from assistant.web import keys
from assistant.web.context import RequestContext, context, keep_prefs_cookie
from assistant.web.forms import safe_next
from assistant.web.messages import error_page_texts, notice_text
from assistant.web.urls import route_name, url

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Words the conversation mode's script shows; translated here so the script needs no catalogs.
CONVERSATION_WORDS = {
    "show": N_("Show as a conversation"),
    "plain": N_("Show as a page"),
    "conversation": N_("Conversation"),
    # The program's messages are labelled with its name: "Assistant" would read as the
    # client's own personal assistant, a person.
    "assistant": N_("Oma ääni:"),
    "you": N_("You:"),
    "send": N_("Send"),
    "skip": N_("Skip this question"),
    "dont_know": N_("I don't know"),
    "meeting": N_("Talk about this in the meeting"),
    "repeat": N_("Repeat the question"),
    "where": N_("Where am I?"),
    "answered": N_("What have I answered?"),
    "skipped": N_("Not answered"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "day": N_("Day"),
    "month": N_("Month"),
    "year": N_("Year"),
    "other": N_("If something else, what?"),
    "error": N_("Error:"),
    "problem": N_("There is a problem"),
    "failed": N_("Your answer was NOT saved. Try again."),
    "nothing": N_("You have not answered anything yet."),
    "failed_to_load": N_("Your answers cannot be shown right now. Try again."),
    "your_answer": N_("Your answer"),
    "add_prompt_items": N_("Added so far:"),
    "listen": N_("Listen"),
    # TRANSLATORS: a button that reads one person of a list aloud: "Listen: Anna".
    "listen_to": N_("Listen: %(item)s"),
    "stop": N_("Stop listening"),
}
log = logging.getLogger("assistant.web")


class ParamsUndefined(jinja2.Undefined):
    """A missing page variable is an error (a typo); a missing key in a component's params
    mapping is simply empty, because every param but the essential ones is optional."""

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.utils.missing,
        name: str | None = None,
        exc: Any = jinja2.exceptions.UndefinedError,
    ) -> None:
        super().__init__(hint, obj, name, exc)
        if obj is jinja2.utils.missing and hint is None:
            raise exc(f"{name!r} is undefined")


class _Environment(jinja2.Environment):
    """Template globals as a plain dict instead of Jinja's ChainMap. Every global is set
    before the first template loads (as Jinja asks), so a snapshot means the same; but with a
    ChainMap each of a page's ~15 macro imports compared the globals key by key in Python, a
    tenth of the server's time (profiled)."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`params.text` on a component's params mapping: the key first. Jinja tries the
        attribute first, and on a dict that fails with an exception for every lookup (about
        170 on a step page; profiled). A key named like a dict method (`items`) now means the
        key, which is what a template means by it."""
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


class Renderer:
    def __init__(self, settings: Settings, catalogs: Catalogs) -> None:
        self.settings = settings
        self.catalogs = catalogs
        self.versions = _static_versions(settings.static_dir)
        self.environments = {locale: self._environment(locale) for locale in all_locales()}

    def _environment(self, locale: str) -> jinja2.Environment:
        env = _Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=ParamsUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Templates ship with the package: no mtime check on each of a page's ~15 imports.
            auto_reload=False,
        )
        self.catalogs.install(env, locale)
        translator = self.catalogs.translator(locale)
        env.globals.update(tx=translator.text, t=translator, static=self.static_url, url=url)
        env.globals["conversation_words"] = conversation_words(translator)
        # The addresses the script uses, from the one table of routes: the same on every page.
        env.globals["script_urls"] = Markup(
            htmlsafe_json_dumps({"review": url("review"), "api_review": url("api-review")})
        )
        # The header's links to each language, named in it ("På svenska"): from the table.
        env.globals["header_languages"] = [
            {"code": entry.code, "name": entry.switch, "lang": entry.code} for entry in languages()
        ]
        env.filters["paragraphs"] = paragraphs
        return env

    def static_url(self, path: str) -> str:
        """A URL that changes when the file does, so browsers may cache static files for long."""
        return f"/static/{path}?v={self.versions.get(path, '0')}"

    def render(self, locale: str, template: str, context: dict[str, Any]) -> str:
        env = self.environments.get(locale) or self.environments[fallback().code]
        return env.get_template(template).render(context)


def conversation_words(t: Translator) -> Markup:
    """The conversation mode's words in this language, as JSON for the page (made once)."""
    words = {key: t.gettext(text) for key, text in CONVERSATION_WORDS.items()}
    return Markup(htmlsafe_json_dumps(words))


def paragraphs(value: str | Markup | None) -> Markup:
    """Text with blank lines between paragraphs as <p> elements; plain text is escaped first."""
    if not value:
        return Markup("")
    text = value if isinstance(value, Markup) else escape(value)
    parts = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup(p)) for p in parts)


def _static_versions(static_dir: Path) -> dict[str, str]:
    if not static_dir.is_dir():
        return {}
    return {
        str(p.relative_to(static_dir)): hashlib.sha256(p.read_bytes()).hexdigest()[:10]
        for p in static_dir.rglob("*")
        if p.is_file()
    }


async def render(
    request: web.Request, template: str, status: int = 200, **values: Any
) -> web.Response:
    ctx = await context(request)
    values.setdefault("notice", notice_text(ctx.translator, request.query.get("notice")))
    # The header names the conversation: its dialogue's title, or the service's first one's.
    bundle = ctx.loaded.bundle if ctx.loaded else request.app[keys.CONVERSATIONS].bundle()
    values.setdefault("tagline", ctx.translator.pgettext(bundle.dialogue.id, bundle.dialogue.title))
    response = _respond(
        request,
        ctx.locale,
        ctx.translator.language,
        ctx.prefs,
        ctx.loaded is not None,
        template,
        status,
        values,
    )
    if ctx.loaded is not None:
        keep_prefs_cookie(response, request, ctx.prefs)
    return response


def notice_for(request: web.Request) -> str | None:
    """The notice a question or the review shows: the one its address names (after a save),
    else what the person must be told about their conversation (its dialogue was edited)."""
    ctx: RequestContext = request[keys.CONTEXT]
    key = request.query.get("notice") or (ctx.loaded.notice if ctx.loaded else None)
    return notice_text(ctx.translator, key)


def _respond(
    request: web.Request,
    locale: str,
    language: str,
    prefs: Prefs,
    has_conversation: bool,
    template: str,
    status: int,
    values: dict[str, Any],
) -> web.Response:
    speech = request.app.get(keys.SPEECH)
    page = {
        "request_path": request.path_qs,
        "nonce": request.get(keys.NONCE, ""),
        "csrf": request.get(keys.CSRF, ""),
        "prefs": prefs,
        "locale": locale,
        "lang": language,
        "has_conversation": has_conversation,
        "speech_available": bool(speech is not None and speech.available),
        "tagline": None,  # error pages may not know which conversation it is
        # The device's own voice reads at the rate the server's does (1 = the normal rate).
        "speech_rate": round(voice_and_rate(locale, prefs.speech_rate)[1] / RATES["normal"], 2),
        **values,
    }
    html = request.app[keys.RENDERER].render(locale, template, page)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


async def error_response(request: web.Request, status: int, reason: str) -> web.Response:
    """The error page (or JSON for the API) in the person's language, if we can tell it."""
    renderer = request.app[keys.RENDERER]
    try:
        ctx = await context(request)
        locale, language, prefs, has = (
            ctx.locale,
            ctx.translator.language,
            ctx.prefs,
            ctx.loaded is not None,
        )
    except Exception:  # the store itself may be what failed: fall back to defaults
        code = fallback().code
        locale, language, prefs, has = code, code, Prefs(language=code), False
    translator = renderer.catalogs.translator(locale)
    title, advice = error_page_texts(translator, reason)
    request[keys.ERROR_REASON] = reason
    if request.path.startswith("/api/"):
        return web.json_response(
            {"error": reason, "title": title, "message": advice}, status=status
        )
    values = {
        "status": status,
        "title": title,
        "advice": advice,
        "reason": reason,
        "question_url": _question_sent_from(request),
        "notice": None,
    }
    return _respond(request, locale, language, prefs, has, "error.html", status, values)


def _question_sent_from(request: web.Request) -> str | None:
    """A question page posts to its own address: after a failed answer (too long, expired
    page, not saved) that is where the person goes back to."""
    if request.method != "POST" or route_name(request) != "step":
        return None
    target = safe_next(request.path_qs)
    return target if target != "/" else None
