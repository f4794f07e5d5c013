"""`assistant talk`: the whole shipped conversation in a terminal, driven through a pipe, saved
to the same store, ending with the answers and a resume code."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from assistant.settings import PROJECT_ROOT


def talk(tmp_path: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """`assistant talk` with lines of any length (`--width 0`), unless the test gives a width."""
    if "--width" not in args:
        args = (*args, "--width", "0")
    typed = ("\n".join(lines) + "\n").encode()
    result = talk_bytes(tmp_path, typed, *args)
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def talk_bytes(tmp_path: Path, typed: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Wishes and needs unless the test says otherwise: which conversation is asked first
    only where a test is about that question (test_talk_asks_which_conversation_first)."""
    if not {"--code", "--dialogue", "--ask"} & set(args):
        args = (*args, "--dialogue", "wishes-and-needs")
    args = tuple(a for a in args if a != "--ask")
    env = {"OMA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", "talk", "--no-speech", *args],
        input=typed,
        capture_output=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_talk_asks_which_conversation_first_and_a_code_reaches_both(tmp_path: Path) -> None:
    """A braille user sketches their support plan in the terminal: the service has two
    conversations, so talk asks which (Enter: the first), then who answers. Their code then
    opens the plan, and with --dialogue their wishes and needs, linked to it."""
    result = talk(tmp_path, ["2", "", "", "yes", "quit"], "--ask", "--language", "en")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Which conversation do you want to have?" in out
    assert "1. My wishes and needs" in out and "2. My support plan sketch" in out
    assert out.index("Which conversation") < out.index("Who is answering now?")
    assert "Your own plan for your support" in out  # the sketch's first step
    code = re.search(r"Your code is: ([0-9A-Z-]{14})", out)
    assert code, out[-500:]
    other = talk(tmp_path, ["quit"], "--code", code.group(1), "--dialogue", "wishes-and-needs")
    assert other.returncode == 0, other.stderr
    assert "Welcome" in other.stdout or "Tervetuloa" in other.stdout
    # Each session ends with a new code for the person (the old one stops working).
    newer = re.search(r"--code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", other.stdout)
    assert newer, other.stdout[-300:]
    again = talk(tmp_path, ["quit"], "--code", newer.group(1), "--dialogue", "support-plan-sketch")
    assert again.returncode == 0, again.stderr
    assert "Oma tukisuunnitelmaluonnos" in again.stdout, again.stdout[
        :300
    ]  # the sketch, in Finnish
    unknown = talk(tmp_path, [], "--dialogue", "no-such")
    assert unknown.returncode == 2 and "support-plan-sketch" in unknown.stderr


def test_talk_completes_the_shipped_dialogue_through_a_pipe(tmp_path: Path) -> None:
    answers = [
        "",  # who is answering: Enter, the client alone
        "",
        "My humour",
        "help",
        "repeat",
        "Baking",
        "1,3",
        "back",
        "1,3",
    ]  # welcome, texts, commands, back
    answers += ["skip"] * 200  # skip the rest; the list question takes 2 (no more)
    result = talk(tmp_path, answers, "--language", "en")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Welcome" in out and "What do people like about you?" in out
    assert "1. People close to me" in out  # choices are numbered
    assert out.count("What matters most to you?") >= 3  # repeat and back say it again
    # It ends with the draft itself, as the caseworker gets it.
    assert "This is your draft:" in out and "To talk about in the meeting" not in out
    assert "My humour" in out and "People close to me, My daily routines" in out
    code = re.search(r"Your code is: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", out)
    assert code, out[-500:]
    # The same store: the code opens the conversation again, in another language.
    again = talk(tmp_path, ["quit"], "--code", code.group(1), "--language", "fi")
    assert (
        again.returncode == 0
        and "Toiveeni ja tarpeeni" in again.stdout  # the draft, in Finnish
        and "My humour" in again.stdout
    )


def test_talk_tells_the_commands_each_question_offers_and_help_explains_them(
    tmp_path: Path,
) -> None:
    result = talk(tmp_path, ["", "", "help", "don't know", "quit"], "--language", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Commands: repeat, back, skip, don't know, meeting, help, quit." in out
    assert "You can type a command:" in out
    assert "meeting: Put this question on the list for the meeting." in out
    assert "quit: Stop for now. Your answers are saved." in out
    assert "What are you good at?" in out  # "don't know" answered and moved on


def test_talk_in_plain_finnish_uses_finnish_commands(tmp_path: Path) -> None:
    result = talk(tmp_path, ["", "", "ohita", "lopeta"], "--language", "fi@selko")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Tervetuloa" in out and "Komennot: toista, takaisin, ohita," in out
    assert "Tarkista vastauksesi" not in out  # "lopeta" stopped before the end


def test_after_back_the_answer_is_told_and_enter_keeps_it(tmp_path: Path) -> None:
    # welcome, an answer, back to it, Enter keeps it, then quit.
    result = talk(tmp_path, ["", "", "My humour", "back", "", "quit"], "--language", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Press Enter to continue." in out  # the welcome says how to go on
    assert "Your answer now: My humour" in out
    assert "Press Enter to keep it, or type a new answer." in out
    code = re.search(r"Your code is: (\S+)", out)
    assert code
    again = talk(tmp_path, ["back", "quit"], "--code", code.group(1), "--language", "en")
    # Continuing at "What are you good at?", one back: the kept answer is there, not skipped.
    assert "What are you good at?" in again.stdout
    assert "Your answer now: My humour" in again.stdout


def test_a_wrong_answer_says_which_numbers_work(tmp_path: Path) -> None:
    # The matters question takes numbers; "many" is neither a number nor a command.
    result = talk(tmp_path, ["", "", "skip", "skip", "many", "quit"], "--language", "en")
    out = result.stdout
    assert "Type the numbers of all that fit, from 1 to 9, with commas between them." in out


def test_bytes_that_are_not_utf8_are_dropped_not_stored(tmp_path: Path) -> None:
    """A terminal in the C locale reads a stray byte as a lone surrogate, which cannot be saved."""
    result = talk_bytes(tmp_path, b"\n\nMy \xffhumour\nquit\n", "--language", "en")
    assert result.returncode == 0, result.stderr.decode()[-500:]
    with sqlite3.connect(tmp_path / "oma-aani.sqlite3") as db:
        (state,) = db.execute("SELECT state FROM conversations").fetchone()
    assert "My humour" in state


def test_every_line_fits_a_40_cell_braille_display(tmp_path: Path) -> None:
    """A braille display shows 40 cells: a longer line is read in awkward pieces. The commands
    are told once at the start and on `help`, not after every question."""
    answers = ["", "", "My humour", "help", "skip", "7,99", "1", "quit"]
    result = talk(tmp_path, answers, "--language", "fi", "--width", "40")
    assert result.returncode == 0, result.stderr
    lines = [line.removeprefix("> ") for line in result.stdout.splitlines()]
    assert max(len(line) for line in lines) <= 40, [x for x in lines if len(x) > 40]
    flat = " ".join(result.stdout.split())
    assert flat.count("Komennot:") == 1  # once at the start; help explains them
    assert "väliltä 1–9" in flat  # a wrong number says which numbers work


def test_help_repeats_the_question_and_a_wrong_number_names_the_range(tmp_path: Path) -> None:
    answers = ["", "", "skip", "skip", "help", "99", "quit"]
    out = talk(tmp_path, answers, "--language", "en").stdout
    after_help = out.split("You can type a command:")[0].rsplit("What matters most to you?", 1)
    assert len(after_help) == 2 and out.count("What matters most to you?") >= 2
    assert "Type the numbers of all that fit, from 1 to 9, with commas between them." in out


def test_quit_says_the_answers_are_saved_and_how_to_continue(tmp_path: Path) -> None:
    out = talk(tmp_path, ["", "", "My humour", "quit"], "--language", "en").stdout
    assert "You stopped. Your answers are saved." in out
    code = re.search(r"assistant talk --code (\S+)", out)
    assert code and "To continue, start again with the code:" in out
    again = talk(tmp_path, ["back", "quit"], "--code", code.group(1), "--language", "en")
    assert "Your answer now: My humour" in again.stdout


def test_talk_asks_who_is_answering_and_records_it(tmp_path: Path) -> None:
    result = talk(tmp_path, ["3", "my daughter", "", "Her humour", "quit"], "--language", "en")
    assert result.returncode == 0, result.stderr
    assert "Who is answering now?" in result.stdout
    assert "3. Someone answering for the client" in result.stdout
    with sqlite3.connect(tmp_path / "oma-aani.sqlite3") as db:
        (state,) = db.execute("SELECT state FROM conversations").fetchone()
    assert '"role":"proxy","who":"my daughter"' in state and "Her humour" in state
