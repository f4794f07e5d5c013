"""The stored states most recently read or written, decoded (assistant/conversations.py)."""

from __future__ import annotations

from collections import OrderedDict

import orjson

from assistant.dialogue.state import State

# The decoded states kept in memory, bounded by the size of their texts, not their number.
DECODED_STATES_CHARACTERS = 16_000_000


class DecodedStates:
    """Stored state texts and the State each decodes to, for the conversations most recently
    read or written. Nearly every request reads back exactly what the one before it wrote, and
    decoding the JSON was a tenth of a step's time (profiled). Keyed by the whole text, so a
    change made by another process is simply a miss; the engine never changes a State it is
    given, so one decoded State can serve several requests. Bounded by the characters of the
    texts kept (a decoded State takes a few times its text), never by a count: a few large
    conversations saved again and again must not fill the memory."""

    def __init__(self, characters: int = DECODED_STATES_CHARACTERS) -> None:
        self.characters = characters
        self.kept = 0  # characters of the texts now kept
        self._states: OrderedDict[str, State] = OrderedDict()

    def encode(self, state: State) -> str:
        # orjson: a state is encoded on every answer; json.dumps took 72 µs of it, orjson 5.
        text = orjson.dumps(state.to_json()).decode()
        self._keep(text, state)
        return text

    def decode(self, text: str) -> State:
        state = self._states.get(text)
        if state is None:
            state = State.from_json(orjson.loads(text))
        self._keep(text, state)
        return state

    def _keep(self, text: str, state: State) -> None:
        if text in self._states:
            self._states.move_to_end(text)
            return
        if len(text) > self.characters // 8:  # a giant: never worth pushing everyone out
            return
        self._states[text] = state
        self.kept += len(text)
        while self.kept > self.characters:
            old, _ = self._states.popitem(last=False)
            self.kept -= len(old)

    def clear(self) -> None:
        self._states.clear()
        self.kept = 0
