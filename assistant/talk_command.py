"""`assistant talk` as a command: the language, the store, a code or a new conversation (which
one, and who answers), then the conversation itself (assistant.talk), the draft and the code."""

from __future__ import annotations

import argparse
import asyncio
import sys

from assistant.conversations import Conversations, NewerConversation, format_code
from assistant.dialogue.answers import storable
from assistant.i18n import LANGUAGES, LOCALES, Catalogs, locale_for
from assistant.prefs import Prefs
from assistant.settings import Settings
from assistant.store import open_store
from assistant.talk import LocalSpeaker, Silent, Speaker, Talk
from assistant.web.messages import error_page_texts, notice_text


def run(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_run(settings, args))


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    language = args.language or settings.default_language
    if language not in LOCALES:
        print(f"Unknown language {language}; use one of: {', '.join(LOCALES)}", file=sys.stderr)
        return 2
    base = language.split("@")[0]
    locale = locale_for(base if base in LANGUAGES else "fi", "@" in language)
    translator = Catalogs(settings.locales_dir, settings.region()).translator(locale)
    speaker: Speaker = Silent() if args.no_speech or not settings.speech else LocalSpeaker(settings)
    store = await open_store(settings)
    try:
        conversations = Conversations(settings, store)
        offered = {b.dialogue.id for b in conversations.offered()}
        if args.dialogue and args.dialogue not in offered:
            print(
                f"Unknown conversation {args.dialogue}; use one of: {', '.join(sorted(offered))}",
                file=sys.stderr,
            )
            return 2
        prefs = Prefs(language=translator.language, plain=translator.plain).stored()
        talk = Talk(conversations, translator, speaker, _reader, sys.stdout, args.width)
        loaded = None
        if args.code:
            token = await conversations.resume(args.code) or ""
            try:
                loaded = await conversations.load(token) if token else None
            except NewerConversation:
                title, advice = error_page_texts(translator, "newer-state")
                print(f"{title}. {advice}", file=sys.stderr)
                return 1
            if loaded is not None and loaded.notice:
                talk.say(notice_text(translator, loaded.notice) or "")
            if loaded is None:
                print(
                    translator.gettext(
                        "This code does not work. Check it and try again, or start again."
                    ),
                    file=sys.stderr,
                )
                return 1
        if loaded is None:
            dialogue = args.dialogue or talk.ask_dialogue(conversations.offered())
            loaded, _token = await conversations.start(talk.ask_respondent(), prefs, dialogue)
        elif args.dialogue:
            # The person's conversation of that dialogue, linked to the one the code opened
            # (started if they have none): one code reaches both, as on the web.
            loaded = await conversations.open_dialogue(token, loaded, args.dialogue)
        loaded = await talk.run(loaded)
        if loaded.bundle.views.step(loaded.state) is None:
            talk.draft(loaded)
        code, expires = await conversations.make_code(loaded)
        talk.say("", translator.gettext("Your code is:") + " " + format_code(code))
        talk.say(
            translator.gettext("The code works until %(date)s.")
            % {"date": translator.format_date(expires.date())},
            translator.gettext("To continue, start again with the code:"),
        )
        # The command itself, never wrapped: it is to be typed as it is.
        print(f"assistant talk --code {format_code(code)}", file=sys.stdout, flush=True)
        return 0
    finally:
        await store.close()


def _reader() -> str | None:
    try:
        return storable(input("> "))  # a terminal in the C locale turns bad bytes into surrogates
    except EOFError:
        return None
