"""`assistant serve | check | talk | tts | catalogs`: the one entry point."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.i18n.languages import all_locales
from assistant.settings import SettingError, Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Oma ääni: an accessible conversation whose answers become a draft "
        "for the person's caseworker.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="start the web assistant")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, OMA_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080, OMA_PORT)")
    serve.add_argument(
        "--data-dir", type=Path, help="where answers are stored (default ./data, OMA_DATA_DIR)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes sharing the port and the store (default 1, OMA_WORKERS)",
    )

    check = commands.add_parser(
        "check",
        help="validate dialogue files and run their test plans; exits 1 on any error (warnings pass)",
    )
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: dialogues/)")

    talk = commands.add_parser("talk", help="the conversation in this terminal, spoken aloud")
    talk.add_argument("--data-dir", type=Path, help="where answers are stored")
    talk.add_argument("--language", help="one of " + ", ".join(all_locales()))
    talk.add_argument("--no-speech", action="store_true", help="print only; do not speak")
    talk.add_argument("--code", help="continue a saved conversation with its resume code")
    talk.add_argument(
        "--dialogue",
        help="which conversation (a dialogue's id, e.g. support-plan-sketch); without it, asked"
        " when the service has more than one; with --code, the person's conversation of it",
    )
    talk.add_argument(
        "--width",
        type=int,
        default=40,
        help="longest line, in characters (a braille display's cells); 0 for no limit",
    )

    tts = commands.add_parser("tts", help="speech: list voices or build the audio cache")
    tts.add_argument("action", choices=["voices", "warm"])
    tts.add_argument("--data-dir", type=Path, help="where the audio cache lives")
    tts.add_argument("--rate", default="normal", choices=["slower", "normal", "faster"])

    catalogs = commands.add_parser("catalogs", help="translation catalogs: compile or update")
    catalogs.add_argument("action", choices=["compile", "update", "extract"])
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            data_dir=getattr(args, "data_dir", None),
            workers=getattr(args, "workers", None),
        )
        if args.command == "serve":
            settings.check_serving()
    except SettingError as error:
        # One line a person can act on, and the exit status argparse uses for bad usage.
        print(f"assistant: {error}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(args.paths or [settings.dialogues_dir], settings.region_file)
    if args.command == "serve":
        from assistant.app import serve

        return serve(settings)
    if args.command == "talk":
        from assistant.talk_command import run as run_talk

        return run_talk(settings, args)
    if args.command == "tts":
        from assistant.speech.cli import run as run_tts

        return run_tts(args, settings)
    from assistant.i18n.catalogs import run as run_catalogs

    return run_catalogs(args.action, settings)


def check(paths: list[Path], region_file: Path | None = None) -> int:
    """Every problem of every file, and of the test plans beside each file that loads, and of
    the region profile (OMA_REGION_FILE) when there is one; exit status 1 if any is an error.
    A warning is printed but passes: the dialogue loads and works, maybe not as meant."""
    from assistant.dialogue.loader import dialogue_files
    from assistant.plan_check import SUFFIX, check_with_plans, dialogue_of
    from assistant.price_check import check_prices
    from assistant.region import check as check_region

    # A plan named on the command line means its dialogue, with every plan beside it.
    named = [dialogue_of(p) if p.name.endswith(SUFFIX) else p for p in paths]
    files = list(dict.fromkeys(dialogue_files(named)))
    if not files:
        print("No dialogue files found in: " + ", ".join(map(str, paths)), file=sys.stderr)
        return 1
    errors = warnings = plans = 0
    region = None
    if region_file is not None:
        region, region_problems = check_region(region_file)
        for region_problem in region_problems:
            print(region_problem)
        errors += len(region_problems)
    loaded = []
    for path in files:
        dialogue, problems, run = check_with_plans(path)
        plans += run
        if dialogue is not None:
            loaded.append((path, dialogue))
        if region is not None and region_file is not None and path == files[-1]:
            # The price list against what the dialogues price (assistant/price_check.py).
            problems = problems + check_prices(region_file, region.prices, loaded)
        for problem in problems:
            print(problem)
            errors += problem.is_error
            warnings += not problem.is_error
    profile = ", the region profile" if region_file is not None else ""
    summary = (
        f"{len(files)} file(s){profile} checked, {plans} test plan(s) run, "
        f"{errors} error(s), {warnings} warning(s)."
    )
    if warnings and not errors:
        summary += " Warnings do not stop a dialogue from loading: the check passes."
    print(summary, file=sys.stderr)
    return 1 if errors else 0
