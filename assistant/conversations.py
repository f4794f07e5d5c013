"""Conversations: the one place that ties the pure engine to the store.

Views (HTML and JSON) ask this service to load a person's conversation, run an engine
operation, and save the result. A new state is only returned once the store has committed it,
so a person is never told an answer was saved when it was not.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.decoded_states import DecodedStates
from assistant.dialogue.bundle import Bundle, load_bundles
from assistant.dialogue.engine import Outcome
from assistant.dialogue.state import NewerState, Respondent, State
from assistant.secret_key import load_secret
from assistant.settings import Settings
from assistant.store import Conflict, Conversation, Store, StoreUnavailable

log = logging.getLogger("assistant.conversations")
# Crockford's base32: no I, L, O or U, so a code read aloud or typed by hand is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits
Clock = Callable[[], datetime]
ATTEMPT_WINDOW = 3600  # seconds: resume-code limits are per hour
GLOBAL_WRONG_CODES = "resume:all"  # the counter of wrong codes from everyone
# How often a change is re-applied when others keep saving the same conversation in between.
SAVE_TRIES = 8
# A conversation's stored state may grow to this many characters of JSON. The shipped dialogue
# answered in full, with every text at its longest, stays well below; beyond it a person is
# told to shorten an answer instead of the store growing without bound.
MAX_STATE_CHARACTERS = 600_000
# An engine operation: the new state, or the engine's outcome (which may refuse the answer).
Change = Callable[[State], State | Outcome]


class StateTooLarge(Exception):
    """Saving would make the conversation larger than MAX_STATE_CHARACTERS: nothing saved."""


class TooManyTries(Exception):
    """Too many wrong resume codes this hour from this address (an IPv6 /64)."""


class NewerConversation(Exception):
    """The conversation was stored in a newer format than this version reads (a newer release
    wrote it, then was rolled back): refused, never misread; nothing is changed or deleted.
    `prefs` are its display settings, so the refusal is in the person's language."""

    def __init__(self, prefs: dict[str, Any]) -> None:
        super().__init__("the conversation was stored by a newer version")
        self.prefs = prefs


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Loaded:
    """A person's conversation as loaded for one request."""

    id: str
    bundle: Bundle
    state: State
    prefs: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    version: int = 0
    # What the person must be told on their next page: "changed" when the dialogue was edited
    # in a way they would notice since their conversation was last saved (web.messages.NOTICES).
    notice: str | None = None


@dataclass(frozen=True)
class Applied:
    """What came of a change: the conversation as stored after it (as loaded, when the engine
    refused the change: then nothing was stored), the engine's outcome, and the state the
    change was applied to: the newest stored one, which may hold answers that were saved
    elsewhere (another tab, device or instance) after the person's page was shown."""

    loaded: Loaded
    outcome: Outcome
    base: State


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _code_characters(typed: str) -> str:
    """What a person typed, read generously: any case, O for 0, I or L for 1, and anything
    between the characters that is not a letter or a digit left out: spaces of every kind,
    dashes, commas and periods. The saved page spells the code out for screen readers as
    "E H P 0, F 6 G V, M 5 Y B", and that must work when typed back as it was heard."""
    text = "".join(
        c
        for c in unicodedata.normalize("NFKC", typed)  # full-width letters as plain ones
        if unicodedata.category(c)[0] not in "PZC"  # punctuation, separators, controls
    )
    return text.upper().translate(str.maketrans("OIL", "011"))


def typed_length(typed: str) -> int:
    """How many letters and numbers a typed code has (a code has CODE_LENGTH): telling a
    person theirs is too short or too long says nothing about which codes exist."""
    return len(_code_characters(typed))


def normalise_code(typed: str) -> str | None:
    text = _code_characters(typed)
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        return None
    return text


class Conversations:
    def __init__(self, settings: Settings, store: Store, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.secret = load_secret(settings.data_dir, settings.secret_key_file)
        self.states = DecodedStates()
        # Hours in which this process saw wrong codes from everyone pass the alert level.
        self.wrong_code_alerts = 0
        self._alerted_window = -1
        # Dates are checked against the UTC date: never later than Finland's, so a meeting
        # today is never refused as past.
        prices = settings.region().prices
        self.bundles = load_bundles(settings.dialogues_dir, lambda: self.clock().date(), prices)

    def bundle(self, name: str | None = None) -> Bundle:
        return self.bundles[name or self.settings.default_dialogue]

    def hash(self, secret_value: str) -> str:
        return hmac.new(self.secret, secret_value.encode(), hashlib.sha256).hexdigest()

    def offered(self) -> list[Bundle]:
        """The dialogues a person may choose between: the default first, then the others."""
        default = self.bundle()
        return [default, *(b for name, b in sorted(self.bundles.items()) if b is not default)]

    async def start(
        self, respondent: Respondent, prefs: dict[str, Any], dialogue: str | None = None
    ) -> tuple[Loaded, str]:
        """A new conversation of `dialogue` (an unknown one: the default) and the session
        token that opens it."""
        loaded = await self._create(respondent, prefs, dialogue, None)
        return loaded, await self._new_session(loaded.id)

    async def _create(
        self,
        respondent: Respondent,
        prefs: dict[str, Any],
        dialogue: str | None,
        linked_to: str | None,
    ) -> Loaded:
        bundle = self.bundles.get(dialogue or "") or self.bundle()
        state = bundle.reconciler.stamp(bundle.engine.start(respondent))
        text = self.states.encode(state)
        conversation = await self.store.create(text, prefs, self.clock(), linked_to)
        return self._loaded(conversation, bundle, state)

    async def linked(self, loaded: Loaded) -> list[Loaded]:
        """The person's conversations, this one included, in the order the service offers
        their dialogues (the usual one first), each as loaded. A conversation stored by a newer
        version is left out here (opening it says why)."""
        order = {b.dialogue.id: n for n, b in enumerate(self.offered())}
        found = []
        for conversation in await self.store.linked(loaded.id):
            if conversation.id == loaded.id:
                found.append(loaded)
                continue
            try:
                state = self._decode(conversation)
            except NewerConversation:
                continue
            bundle = self.bundles.get(state.dialogue) or self.bundle()
            reconciled = bundle.reconciler.reconcile(state).state
            found.append(self._loaded(conversation, bundle, reconciled))
        return sorted(found, key=lambda each: order.get(each.bundle.dialogue.id, len(order)))

    async def open_dialogue(
        self, token: str, loaded: Loaded, dialogue: str, respondent: Respondent | None = None
    ) -> Loaded:
        """The person's conversation of another dialogue, opened in this session (the session
        token now opens it): the one they have, else a new one linked to theirs (the same
        person: one code, one expiry, one "delete my answers", one combined draft). The
        conversation they were in is kept as it is. `respondent`: who answers the new one
        (by default, who answers the one they were in)."""
        bundle = self.bundles.get(dialogue) or self.bundle()
        if bundle is loaded.bundle:
            return loaded
        mine = [c for c in await self.linked(loaded) if c.bundle is bundle]
        opened = mine[0] if mine else None
        if opened is None:
            who = respondent or loaded.state.respondent
            opened = await self._create(who, loaded.prefs, bundle.dialogue.id, loaded.id)
        elif opened.prefs != loaded.prefs:
            # The language and display settings follow the person, not the conversation: set
            # in one conversation, they hold in the other when they go back to it.
            opened = await self.save_prefs(opened, loaded.prefs)
        await self.store.bind_session(self.hash(token), opened.id, self.clock())
        return opened

    async def _new_session(self, conversation_id: str) -> str:
        token = secrets.token_urlsafe(32)
        await self.store.bind_session(self.hash(token), conversation_id, self.clock())
        return token

    async def load(self, token: str | None) -> Loaded | None:
        if not token:
            return None
        conversation = await self.store.conversation_by_session(self.hash(token), self.clock())
        if conversation is None:
            return None
        state = self._decode(conversation)
        bundle = self.bundles.get(state.dialogue) or self.bundle()
        reconciled = bundle.reconciler.reconcile(state)
        notice = "changed" if reconciled.changed else None
        return self._loaded(conversation, bundle, reconciled.state, notice)

    def _decode(self, conversation: Conversation) -> State:
        try:
            return self.states.decode(conversation.state)
        except NewerState:
            raise NewerConversation(dict(conversation.settings)) from None

    @staticmethod
    def _loaded(
        conversation: Conversation, bundle: Bundle, state: State, notice: str | None = None
    ) -> Loaded:
        return Loaded(
            conversation.id,
            bundle,
            state,
            dict(conversation.settings),
            conversation.created_at,
            conversation.updated_at,
            conversation.expires_at,
            conversation.version,
            notice,
        )

    async def apply(
        self, loaded: Loaded, change: Change, prefs: dict[str, Any] | None = None
    ) -> Applied:
        """Run an engine change on the conversation and store the result; returns only after
        the store has committed it. Two tabs or devices may save between this request's read
        and its write: then the change is applied again to the newest stored state, so answers
        to other questions are kept and, for the same question, the later answer wins. Never
        a lost update: the store refuses a write based on an old version."""
        for _ in range(SAVE_TRIES):
            changed = change(loaded.state)
            outcome = changed if isinstance(changed, Outcome) else Outcome(changed)
            if not outcome.ok:
                return Applied(loaded, outcome, loaded.state)
            try:
                saved = await self._save(loaded, outcome.state, prefs)
            except Conflict:
                fresh = await self.store.get(loaded.id)
                if fresh is None:
                    raise StoreUnavailable("the conversation no longer exists") from None
                base = loaded.bundle.reconciler.reconcile(self._decode(fresh)).state
                loaded = self._loaded(fresh, loaded.bundle, base)
                continue
            return Applied(saved, outcome, loaded.state)
        raise StoreUnavailable("the conversation is being saved elsewhere too often")

    async def save_prefs(self, loaded: Loaded, prefs: dict[str, Any]) -> Loaded:
        """New display and speech preferences; the answers stay as stored."""
        return (await self.apply(loaded, lambda state: state, prefs)).loaded

    async def _save(self, loaded: Loaded, state: State, prefs: dict[str, Any] | None) -> Loaded:
        text = self.states.encode(state)
        if len(text) > MAX_STATE_CHARACTERS:
            raise StateTooLarge
        prefs = loaded.prefs if prefs is None else prefs
        saved = await self.store.save(loaded.id, text, prefs, self.clock(), loaded.version)
        return self._loaded(saved, loaded.bundle, state)

    async def make_code(
        self, loaded: Loaded, only_session: str | None = None
    ) -> tuple[str, datetime]:
        """A new resume code (replacing any earlier one) and the date it stops working. With
        only_session (a session token), every other session of the conversation ends: "also
        close these answers on other devices"."""
        code = new_code()
        expires = self.clock() + timedelta(days=self.settings.resume_code_days)
        await self.store.set_resume_code(loaded.id, self.hash(code), expires)
        if only_session is not None:
            await self.store.end_other_sessions(loaded.id, self.hash(only_session))
        return code, expires

    async def stop(self, token: str) -> None:
        """ "Stop on this device": the session ends; the answers stay for the code to open."""
        await self.store.end_session(self.hash(token))

    async def resume_from(self, address: str, typed_code: str) -> str | None:
        """resume() for someone at this address (an IPv4 address or an IPv6 /64, see
        web.client.counted_address), within the hourly limit on wrong codes per address;
        raises TooManyTries. Only wrong codes count, so the people of a group home sharing
        one address are never locked out by using their codes. A try is counted before the
        code is looked up and taken back when the code works, so tries sent all at once
        cannot pass the limit between a check and a count.

        Wrong codes from everyone are counted too, but only to raise an alert: with 60-bit
        codes a global cap protects nothing, and it let one person with 21 addresses lock
        everyone out, correct codes included (issue 20)."""
        now = self.clock()
        keys = ("resume:" + self.hash(address)[:24], GLOBAL_WRONG_CODES)
        mine, everyone = await self.store.count_attempts(keys, ATTEMPT_WINDOW, now)
        allowed = mine <= self.settings.resume_attempts_per_address
        token = await self.resume(typed_code) if allowed else None
        if token is not None or not allowed:
            await self.store.count_attempts(keys, ATTEMPT_WINDOW, now, change=-1)
        elif everyone > self.settings.resume_attempts_global:
            self._alert(now, everyone)
        if not allowed:
            raise TooManyTries
        return token

    def _alert(self, now: datetime, count: int) -> None:
        """Once an hour per process: a line for the operator, with no address and no code."""
        window = int(now.timestamp()) // ATTEMPT_WINDOW
        if window != self._alerted_window:
            self._alerted_window = window
            self.wrong_code_alerts += 1
            log.warning(
                "alert: %d wrong resume codes this hour from all addresses together (alert"
                " level OMA_RESUME_ATTEMPTS_GLOBAL=%d); no one is refused for it, each address"
                " is still limited to %d",
                count,
                self.settings.resume_attempts_global,
                self.settings.resume_attempts_per_address,
            )

    async def wrong_codes_this_hour(self) -> int:
        """Wrong resume codes from everyone in this clock hour (all processes on the store)."""
        [count] = await self.store.attempt_counts(
            (GLOBAL_WRONG_CODES,), ATTEMPT_WINDOW, self.clock()
        )
        return count

    async def resume(self, typed_code: str) -> str | None:
        """A new session token for the conversation the code opens, or None."""
        code = normalise_code(typed_code)
        if code is None:
            return None
        conversation_id = await self.store.conversation_for_code(self.hash(code), self.clock())
        if conversation_id is None:
            return None
        return await self._new_session(conversation_id)

    async def has_code(self, loaded: Loaded) -> bool:
        """Whether a resume code that still works opens this conversation."""
        return await self.store.has_resume_code(loaded.id, self.clock())

    async def leave(self, loaded: Loaded) -> None:
        """This browser starts a new conversation. The one it leaves (with those linked to it)
        is deleted unless a code still opens it: otherwise nobody could reach it again, not
        even to delete it."""
        if not await self.store.has_resume_code(loaded.id, self.clock()):
            await self.delete(loaded)

    async def delete(self, loaded: Loaded) -> None:
        """The conversation and every conversation linked to it ("delete my answers")."""
        await self.store.delete(loaded.id)
        self.states.clear()  # deleted answers are kept nowhere, memory included

    async def delete_expired(self) -> int:
        deleted = await self.store.delete_expired(self.clock())
        if deleted:
            self.states.clear()
        return deleted
