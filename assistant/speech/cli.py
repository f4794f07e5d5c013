"""`assistant tts voices | warm`."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from assistant.dialogue.bundle import load_bundles
from assistant.i18n import LOCALES, Catalogs
from assistant.settings import Settings
from assistant.speech import SpeechFailed, service_for, voices
from assistant.speech.texts import every_text


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_voices(settings) if args.action == "voices" else _warm(settings, args.rate))


async def _voices(settings: Settings) -> int:
    service = service_for(settings)
    await service.start()
    try:
        if not service.available:
            print(service.reason, file=sys.stderr)
            return 1
        installed = dict(service.voices())
        wanted = voices()
        for language, voice in wanted.items():
            state = installed.get(voice, "MISSING")
            print(f"{language}\t{voice}\t{state}")
        print(f"{len(installed)} voices installed in all.")
        return 0 if all(v in installed for v in wanted.values()) else 1
    finally:
        await service.close()


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // max(total, 1)
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


async def _warm(settings: Settings, rate: str) -> int:
    catalogs = Catalogs(settings.locales_dir, settings.region())
    items: list[tuple[str, str]] = []
    for bundle in load_bundles(settings.dialogues_dir).values():
        items.extend(every_text(bundle, catalogs, LOCALES))
    unique = list(dict.fromkeys(items))
    service = service_for(settings)
    await service.start()
    if not service.available:
        print(service.reason, file=sys.stderr)
        return 1
    started = time.perf_counter()
    counts = {"synthesised": 0, "already cached": 0, "failed": 0}
    try:
        for number, (text, locale) in enumerate(unique, 1):
            try:
                audio = await service.audio(text, locale, rate)
                counts["already cached" if audio.cached else "synthesised"] += 1
            except SpeechFailed:
                counts["failed"] += 1
            print(_bar(number, len(unique)), end="", file=sys.stderr, flush=True)
    finally:
        await service.close()
    elapsed = time.perf_counter() - started
    print(file=sys.stderr)
    print(
        ", ".join(f"{n} {label}" for label, n in counts.items())
        + f" in {elapsed:.1f} s ({len(unique)} texts, {len(LOCALES)} language variants)."
    )
    return 1 if counts["failed"] else 0
