"""`assistant talk`: the conversation in a terminal, for speech-output and braille-terminal users.

Each prompt is printed as plain lines (a braille display shows one line at a time, so no
boxes, no colours, no cursor tricks) and spoken aloud by the local speech engine. Choices are
numbered; answers are typed. Every answer is saved to the same store as the web pages, and the
conversation ends with the draft as plain text and a resume code. On a question answered
before (after "back", or when continuing with a code) the answer is told, and Enter keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from textwrap import wrap
from typing import Protocol, TextIO

from assistant.conversations import Change, Conversations, Loaded
from assistant.dialogue.answers import FieldError, clean_text
from assistant.dialogue.bundle import Bundle
from assistant.dialogue.model import SOMETHING_ELSE, Kind
from assistant.dialogue.state import WHO_MAX, Respondent
from assistant.dialogue.texts import Text
from assistant.dialogue.views import StepView
from assistant.draft.model import build
from assistant.draft.text import render as render_text
from assistant.i18n import Translator
from assistant.presentation import present
from assistant.settings import Settings


class Speaker(Protocol):
    def say(self, text: str, locale: str) -> None: ...


class Silent:
    def say(self, text: str, locale: str) -> None:
        return None


class LocalSpeaker:
    """Speaks through the speech package's engine on this computer; silent if it cannot."""

    def __init__(self, settings: Settings) -> None:
        from assistant.speech import local_speaker

        self._say: Callable[[str, str], None] | None = local_speaker(settings)

    def say(self, text: str, locale: str) -> None:
        if self._say is not None:
            try:
                self._say(text, locale)
            except Exception:
                self._say = None  # no sound device: keep going in text


# A braille display of 40 cells is the most common; `--width 0` leaves lines whole.
BRAILLE_CELLS = 40
# A command works by its English word and by its word in the person's language.
ENGLISH = {
    "repeat": ("repeat",),
    "back": ("back",),
    "skip": ("skip",),
    "dont-know": ("don't know", "dont know"),
    "talk-in-meeting": ("meeting",),
    "help": ("help",),
    "quit": ("quit",),
}


def command_words(t: Translator) -> dict[str, str]:
    # TRANSLATORS: a word the person types in the terminal version (`assistant talk`) to give a
    # command. One or two short, lower-case words that are easy to type.
    return {
        "repeat": t.pgettext("talk command", "repeat"),
        "back": t.pgettext("talk command", "back"),
        "skip": t.pgettext("talk command", "skip"),
        "dont-know": t.pgettext("talk command", "don't know"),
        "talk-in-meeting": t.pgettext("talk command", "meeting"),
        "help": t.pgettext("talk command", "help"),
        "quit": t.pgettext("talk command", "quit"),
    }


def command_help(t: Translator) -> dict[str, str]:
    # TRANSLATORS: what a command of the terminal version does, said after the command's word.
    return {
        "repeat": t.gettext("The question again."),
        "back": t.gettext("Go back to the previous question."),
        "skip": t.gettext("Skip this question."),
        "dont-know": t.gettext("Answer that you do not know."),
        "talk-in-meeting": t.gettext("Put this question on the list for the meeting."),
        "help": t.gettext("Help with this question, and these commands."),
        "quit": t.gettext("Stop for now. Your answers are saved."),
    }


def commands_for(view: StepView) -> list[str]:
    """The commands a step offers, in the order they are told."""
    offered = [extra for extra in ("dont-know", "talk-in-meeting") if extra in view.step.offer]
    return ["repeat", "back", "skip", *offered, "help", "quit"]


def command(typed: str, t: Translator) -> str | None:
    text = typed.strip().lower()
    words = command_words(t)
    return next(
        (name for name, english in ENGLISH.items() if text in english or text == words[name]),
        None,
    )


class Talk:
    def __init__(
        self,
        conversations: Conversations,
        translator: Translator,
        speaker: Speaker,
        read: Callable[[], str | None],
        out: TextIO,
        width: int = BRAILLE_CELLS,
    ) -> None:
        self.conversations, self.t, self.speaker, self.read, self.out = (
            conversations,
            translator,
            speaker,
            read,
            out,
        )
        self.width = width

    def say(self, *lines: str) -> None:
        """Lines no wider than the braille display (a wider one is read in awkward pieces),
        broken between words; spoken as one text."""
        for line in lines:
            if line:
                for part in _wrapped(line, self.width):
                    print(part, file=self.out, flush=True)
        self.speaker.say(" ".join(line for line in lines if line), self.t.locale)

    def ask_dialogue(self, offered: Sequence[Bundle]) -> str:
        """Which conversation, asked first as the web start page asks it, where the service
        has more than one; Enter means the first (the one a person usually begins with)."""
        t = self.t
        if len(offered) < 2:
            return offered[0].dialogue.id
        self.say(t.gettext("Which conversation do you want to have?"))
        self.say(t.gettext("Each has its own draft. You can have the other one later."))
        titles = [t.plain_text(Text(b.dialogue.title, b.dialogue.id)) for b in offered]
        self.say(*(f"{number}. {title}" for number, title in enumerate(titles, start=1)))
        self.say(t.gettext("Press Enter for 1."))
        typed = (self.read() or "").strip()
        chosen = int(typed) - 1 if typed.isdigit() and 0 < int(typed) <= len(offered) else 0
        return offered[chosen].dialogue.id

    def ask_respondent(self) -> Respondent:
        """Who is answering, asked once at the start as the web start page asks it; Enter means
        the client alone."""
        t = self.t
        roles = {
            "1": ("client", t.gettext("The client, alone")),
            "2": ("helped", t.gettext("The client, with help from someone")),
            "3": ("proxy", t.gettext("Someone answering for the client")),
        }
        self.say(t.gettext("Who is answering now?"))
        self.say(*(f"{number}. {label}" for number, (_role, label) in roles.items()))
        self.say(t.gettext("Press Enter for 1."))
        typed = (self.read() or "").strip()
        role = roles.get(typed, roles["1"])[0]
        if role == "client":
            return Respondent()
        self.say(t.gettext("Who helps, or who is answering? (optional)"))
        who = clean_text(self.read() or "")[:WHO_MAX]
        return Respondent(role, who)  # type: ignore[arg-type]

    def introduce_commands(self) -> None:
        """The commands, told once at the start; `help` tells them again with what they do."""
        words = command_words(self.t)
        self.say(
            self.t.gettext("Commands: %(commands)s.")
            % {"commands": ", ".join(words[name] for name in ENGLISH)},
            self.t.gettext("Type help to hear them again."),
        )

    def present(self, view: StepView) -> None:
        """The step as the other front ends present it, one plain line at a time."""
        t, p = self.t, present(view, self.t)
        print("", file=self.out)
        self.say(p.caption, p.prompt.plain)
        for part in (p.hint, p.body):
            if part:
                self.say(part.plain)
        if p.kind is Kind.LIST:
            if p.items_summary:
                self.say(p.items_summary.plain)
            for item in p.items:
                self.say(f"- {item.title.plain}")
            if p.add_prompt:
                self.say(p.add_prompt.plain, f"1. {t.gettext('Yes')}", f"2. {t.gettext('No')}")
        elif p.choices:
            for number, choice in enumerate(p.choices, 1):
                self.say(f"{number}. {choice.label.plain}")
            if p.kind is Kind.MULTIPLE_CHOICE:
                self.say(self.numbers_hint(view))
        elif p.kind is Kind.DATE:
            self.say(t.gettext("Type the date as day, month and year, for example 27.3.2027."))
        elif p.kind is Kind.NUMBER and p.unit:
            self.say(p.unit.plain)
        if p.kind is Kind.INFORMATION:
            self.say(t.gettext("Press Enter to continue."))
            return
        if p.answer is not None and p.kind is not Kind.LIST:
            self.say(
                t.gettext("Your answer now: %(answer)s") % {"answer": p.answer},
                t.gettext("Press Enter to keep it, or type a new answer."),
            )

    def problems(self, view: StepView, errors: Sequence[FieldError]) -> None:
        """What was wrong with an answer, as every front end says it."""
        self.say(*(problem.message for problem in present(view, self.t, errors).problems))

    def help(self, view: StepView) -> None:
        """The question again, its longer help, then what each command does here."""
        t = self.t
        self.present(view)
        self.say(
            t.plain_text(view.help)
            if view.help
            else t.gettext("There is no more help for this question.")
        )
        words, explained = command_words(t), command_help(t)
        self.say(
            t.gettext("You can type a command:"),
            *(f"{words[name]}: {explained[name]}" for name in commands_for(view)),
        )

    def numbers_hint(self, view: StepView) -> str:
        count = {"count": 2 if view.step.kind is Kind.LIST else len(present(view, self.t).choices)}
        if view.step.kind is Kind.MULTIPLE_CHOICE:
            return (
                self.t.gettext(
                    "Type the numbers of all that fit, from 1 to %(count)s, with commas between them."
                )
                % count
            )
        return self.t.gettext("Type a number from 1 to %(count)s.") % count

    def form(self, view: StepView, typed: str) -> dict[str, list[str]] | None:
        """What was typed, as the form the engine reads; None if it needs asking again."""
        step = view.step
        if step.kind is Kind.LIST:
            return {
                "add": [
                    "yes" if typed.strip() in ("1", self.t.gettext("Yes").lower(), "yes") else "no"
                ]
            }
        if step.kind.has_choices:
            values = [c.value for c in present(view, self.t).choices]
            picked = []
            for part in typed.replace(" ", ",").split(","):
                if part.strip().isdigit() and 1 <= int(part) <= len(values):
                    picked.append(values[int(part) - 1])
            if not picked and typed.strip():
                return None
            form = {"answer": picked}
            if SOMETHING_ELSE in picked:
                self.say(self.t.gettext("If something else, what?"))
                form["other"] = [self.read() or ""]
            return form
        if step.kind is Kind.DATE:
            parts = [
                p
                for p in typed.replace("/", ".").replace("-", ".").replace(" ", ".").split(".")
                if p
            ]
            return dict(
                zip(("day", "month", "year"), ([p] for p in [*parts, "", "", ""]), strict=False)
            )
        return {"answer": [typed]}

    async def run(self, loaded: Loaded) -> Loaded:
        engine, views = loaded.bundle.engine, loaded.bundle.views
        view = views.step(loaded.state)
        if view is not None:
            self.introduce_commands()
            self.present(view)
        while view is not None:
            typed = self.read()
            if typed is None:  # end of input: everything so far is saved
                break
            action = command(typed, self.t) or "continue"
            if action == "quit":
                self.say(self.t.gettext("You stopped. Your answers are saved."))
                break
            if action == "repeat":
                self.present(view)
                continue
            if action == "help":
                self.help(view)
                continue
            change: Change
            if action == "back":
                change = engine.back
            elif action == "continue" and not typed.strip() and view.entry is not None:
                change = engine.keep  # Enter keeps the answer given before
            else:
                form = self.form(view, typed) if action == "continue" else {}
                if form is None:
                    self.say(self.numbers_hint(view))
                    continue
                if action in ("dont-know", "talk-in-meeting") and action not in view.step.offer:
                    action = "skip"
                act = "continue" if view.step.kind is Kind.INFORMATION else action
                change = partial(engine.submit, action=act, form=form)
            applied = await self.conversations.apply(loaded, change)
            if not applied.outcome.ok:
                self.problems(view, applied.outcome.errors)
                continue
            loaded = applied.loaded
            view = views.step(loaded.state)
            if view is not None:
                self.present(view)
        return loaded

    def draft(self, loaded: Loaded) -> None:
        """At the end, the draft itself as plain text: the same words the caseworker gets.
        Printed, not spoken: the person has just heard every answer."""
        bundle = loaded.bundle
        draft = build(
            bundle.dialogue,
            bundle.views,
            loaded.state,
            self.t,
            loaded.created_at,
            loaded.updated_at,
        )
        self.say("", self.t.gettext("All questions are done. This is your draft:"))
        print("", file=self.out)
        for line in render_text(draft, self.t).replace("\r\n", "\n").split("\n"):
            for part in _wrapped(line, self.width):
                print(part, file=self.out)


def _wrapped(line: str, width: int) -> list[str]:
    """A line in pieces of at most `width` characters, broken only between words (never at a
    hyphen: "vapaa-ajallasi" stays whole); width 0 leaves it whole."""
    if not width or not line:
        return [line]
    return wrap(line, width, break_on_hyphens=False, break_long_words=False) or [line]
