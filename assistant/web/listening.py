"""A step page's Listen controls: where each one's audio is, and the same words as text, which
a device's own voice reads when the person has chosen it (the server's audio stays the
fallback). The words are the ones speech synthesises, from the step's one presentation."""

from __future__ import annotations

from typing import Any

from assistant.dialogue.views import StepView
from assistant.i18n import Translator
from assistant.presentation import Presentation
from assistant.speech.texts import answer_parts, answer_speech, help_speech, step_speech
from assistant.web.steps import audio_url


def listen_controls(
    view: StepView, presented: Presentation, t: Translator, available: bool
) -> dict[str, Any]:
    """`audio`, `help_audio`, `answer_audio` (one for each part the person's answer is read in)
    and `item_audio` (one for each item of a list), each {src, text}; none without speech."""
    if not available:
        return {"audio": None, "help_audio": None, "answer_audio": [], "item_audio": []}
    key, item = view.step.key, view.item_id
    helped = help_speech(view, t, presented)
    parts = range(1, len(answer_parts(view, t, presented)) + 1)
    return {
        "audio": {"src": audio_url(key, item), "text": step_speech(view, t, presented)[0]},
        "help_audio": {"src": audio_url(key, item, "help"), "text": helped[0]} if helped else None,
        "answer_audio": [
            {"src": audio_url(key, item, "answer", n), "text": spoken[0]}
            for n in parts
            if (spoken := answer_speech(view, t, n, presented))
        ],
        "item_audio": [
            {"src": audio_url(key, None, "item", n), "text": listed.spoken}
            for n, listed in enumerate(presented.items, start=1)
        ],
    }
