"""A setting that cannot be used stops `assistant serve` with one line that names it, its value
and what it must be: no traceback, and no server that starts and then fails people."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

BAD_VALUES = [
    ("OMA_PORT", "abc", "a whole number from 1 to 65535"),
    ("OMA_PORT", "70000", "a whole number from 1 to 65535"),
    ("OMA_RETENTION_DAYS", "-1", "a whole number of days, 1 or more"),
    ("OMA_SPEECH_TIMEOUT", "ten", "a number of seconds above 0"),
    ("OMA_SPEECH", "maybe", "1 or 0"),
    ("OMA_DEFAULT_LANGUAGE", "de", "fi, sv or en"),
    ("OMA_TRUSTED_PROXIES", "proxy.local", "addresses or networks separated by commas"),
    ("OMA_STARTS_PER_ADDRESS", "0", "a whole number, 1 or more"),
    ("OMA_DIALOGUES_DIR", "/no/such/folder", "a folder of dialogue files"),
    ("OMA_DEFAULT_DIALOGUE", "no-such-dialogue", "one of the dialogues in"),
]


def serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "serve"],
        env={**os.environ, "OMA_SPEECH": "0", "OMA_DATA_DIR": str(tmp_path / "data"), **env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(("variable", "value", "expected"), BAD_VALUES)
def test_a_bad_setting_is_one_clear_line_and_exit_status_2(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    result = serve(tmp_path, **{variable: value})
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"assistant: {variable}")
    assert f'is "{value}", but it must be ' in result.stderr
    assert expected in result.stderr


def test_a_data_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    result = serve(tmp_path, OMA_DATA_DIR=str(tmp_path / "a-file" / "data"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "OMA_DATA_DIR (or --data-dir)" in result.stderr and "a-file" in result.stderr
    assert "a folder this user can create" in result.stderr


def test_a_bad_flag_is_named_too(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "serve", "--port", "0"],
        env={**os.environ, "OMA_SPEECH": "0", "OMA_DATA_DIR": str(tmp_path)},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        'assistant: OMA_PORT (or --port) is "0", but it must be a whole number from 1 to 65535.\n'
    )


def test_good_values_are_read_and_an_empty_variable_counts_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OMA_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ")
    monkeypatch.setenv("OMA_SPEECH", "off")
    monkeypatch.setenv("OMA_READ_TIMEOUT", "2.5")
    monkeypatch.setenv("OMA_RETENTION_DAYS", "")
    settings = Settings.from_env()
    assert settings.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    assert settings.speech is False and settings.read_timeout == 2.5
    assert settings.retention_days == 30
