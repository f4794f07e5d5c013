"""All configuration in one place: defaults, environment variables (OMA_*), then CLI flags.

A value that cannot be used stops the program at once with one line naming the setting, the
value and what it must be (SettingError), never a traceback or a server that half works.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from ipaddress import ip_network
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.i18n.languages import codes, fallback

if TYPE_CHECKING:
    from assistant.region import Region

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
FLAGS = ("host", "port", "data_dir", "workers")  # also `serve` options
OPTIONAL_PATHS = ("region_file",)  # a file, or None when not set


class SettingError(ValueError):
    """A setting's value cannot be used; the message says which, the value, and what it must be."""

    def __init__(self, name: str, value: object, expected: str) -> None:
        super().__init__(f'{_label(name)} is "{value}", but it must be {expected}.')


def _label(name: str) -> str:
    env = "OMA_" + name.upper()
    return f"{env} (or --{name.replace('_', '-')})" if name in FLAGS else env


def _is_network(text: str) -> bool:
    try:
        ip_network(text, strict=False)
    except ValueError:
        return False
    return True


# What each setting must be, in words for the message, and the test of it. Settings not named
# here may hold any value of their type.
SETTING_CHECKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "host": ("an address to listen on, such as 127.0.0.1", lambda v: bool(v.strip())),
    "port": ("a whole number from 1 to 65535", lambda v: 1 <= v <= 65535),
    "default_dialogue": ("a dialogue's file name without .yaml", lambda v: v.strip() == v != ""),
    "default_language": (
        ", ".join(codes()[:-1]) + " or " + codes()[-1],
        lambda v: v in codes(),
    ),
    "retention_days": ("a whole number of days, 1 or more", lambda v: v >= 1),
    "resume_code_days": ("a whole number of days, 1 or more", lambda v: v >= 1),
    "speech_timeout": ("a number of seconds above 0", lambda v: math.isfinite(v) and v > 0),
    "speech_queue": ("a whole number, 1 or more", lambda v: v >= 1),
    "trusted_proxies": (
        "addresses or networks separated by commas, such as 127.0.0.1,10.0.0.0/8",
        lambda v: all(_is_network(a) for a in v),
    ),
    "resume_attempts_per_address": ("a whole number, 1 or more", lambda v: v >= 1),
    "resume_attempts_global": ("a whole number, 1 or more", lambda v: v >= 1),
    "starts_per_address": ("a whole number, 1 or more", lambda v: v >= 1),
    "database_url": (
        "empty (SQLite in the data folder) or a PostgreSQL address, postgresql://user@host/db",
        lambda v: v == "" or v.startswith(("postgresql://", "postgres://")),
    ),
    "workers": ("a whole number of processes, 1 or more", lambda v: v >= 1),
    "database_pool": ("a whole number of connections, 1 or more", lambda v: v >= 1),
    "session_idle_minutes": ("a whole number of minutes, 0 (never) or more", lambda v: v >= 0),
    "read_timeout": ("a number of seconds above 0", lambda v: math.isfinite(v) and v > 0),
    "db_busy_timeout": ("a number of seconds, 0 or more", lambda v: math.isfinite(v) and v >= 0),
    "metrics_token": (
        "empty (no /metrics) or at least 16 characters with no spaces, such as the output of"
        " openssl rand -hex 32",
        lambda v: v == "" or (len(v) >= 16 and not any(c.isspace() for c in v)),
    ),
    "region_file": (
        "a region profile (a YAML file) that exists",
        lambda v: v is None or v.is_file(),
    ),
}


def _expected(name: str, default: Any) -> str:
    if name in SETTING_CHECKS:
        return SETTING_CHECKS[name][0]
    if isinstance(default, bool):
        return "1 or 0 (or true or false, yes or no, on or off)"
    return {int: "a whole number", float: "a number"}.get(type(default), "text")


def _parse(name: str, raw: str, default: Any) -> Any:
    text = raw.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in TRUE + FALSE:
                raise ValueError(text)
            return text.lower() in TRUE
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        raise SettingError(name, raw, _expected(name, default)) from None
    if isinstance(default, Path) or name in OPTIONAL_PATHS:
        return Path(text)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return raw


def _checked(name: str, value: Any, default: Any) -> Any:
    rule = SETTING_CHECKS.get(name)
    if rule is not None and not rule[1](value):
        shown = ",".join(value) if isinstance(value, tuple) else value
        raise SettingError(name, shown, rule[0])
    return value


@dataclass(frozen=True)
class Settings:
    """Every setting, its environment variable (OMA_ + upper-case name) and its default."""

    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    dialogues_dir: Path = field(default=PROJECT_ROOT / "dialogues")
    locales_dir: Path = field(default=PROJECT_ROOT / "locales")
    static_dir: Path = field(default=PROJECT_ROOT / "static")
    default_dialogue: str = "wishes-and-needs"
    default_language: str = fallback().code
    retention_days: int = 30
    resume_code_days: int = 30
    # Cookies are Secure on HTTPS requests; OMA_SECURE_COOKIES=1 makes them Secure always.
    secure_cookies: bool = False
    # Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto
    # headers are believed; from anyone else those headers are ignored.
    trusted_proxies: tuple[str, ...] = ()
    speech: bool = True
    speech_timeout: float = 10.0
    speech_queue: int = 64
    # Wrong resume codes allowed per address (per /64 for IPv6) per hour; wrong codes from
    # everyone per hour above which an alert is logged (nobody is refused for others' tries).
    resume_attempts_per_address: int = 10
    resume_attempts_global: int = 200
    # New conversations per client address (per /64 for IPv6) per hour.
    starts_per_address: int = 60
    # A request must send its headers and body within this many seconds.
    read_timeout: float = 15.0
    db_busy_timeout: float = 5.0
    # A session unused this long ends if a resume code continues the conversation (0: never).
    # 24 hours: longer than WCAG 2.2.1's 20-hour exception, and the code continues with
    # nothing lost (2.2.5); see docs/deployment.md.
    session_idle_minutes: int = 1440
    # PostgreSQL instead of SQLite, for several instances on one database; its connections.
    database_url: str = ""
    database_pool: int = 10
    # The secret that keys codes, sessions and CSRF tokens; empty: DATA_DIR/secret.key. Every
    # instance behind one load balancer must use the same one.
    secret_key_file: str = ""
    # Server processes sharing the port (SO_REUSEPORT) and the store.
    workers: int = 1
    # The region profile (docs/deployment.md): the region's name, the worker's title and a
    # contact sentence in the dialogues, and its optional price list; without one, generic
    # wording and no estimates.
    region_file: Path | None = None
    # The Bearer token Prometheus sends for /metrics; empty: /metrics answers 404.
    metrics_token: str = ""

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, then OMA_* variables (an empty one counts as unset), then overrides (CLI
        flags); raises SettingError for a value that cannot be used."""
        values = {k: v for k, v in overrides.items() if v is not None}
        for f in fields(cls):
            raw = os.environ.get("OMA_" + f.name.upper(), "")
            if f.name not in values:
                values[f.name] = _parse(f.name, raw, f.default) if raw.strip() else f.default
            _checked(f.name, values[f.name], f.default)
        return cls(**values)

    def check_serving(self) -> None:
        """What `serve` needs beyond well-formed values: the dialogue it starts with, and a
        data folder it can write. Raises SettingError."""
        if not self.dialogues_dir.is_dir():
            raise SettingError("dialogues_dir", self.dialogues_dir, "a folder of dialogue files")
        if not (self.dialogues_dir / f"{self.default_dialogue}.yaml").is_file():
            names = sorted(p.stem for p in self.dialogues_dir.glob("*.yaml"))
            names = [n for n in names if not n.endswith(".testplan")]
            expected = f"one of the dialogues in {self.dialogues_dir}: {', '.join(names)}"
            raise SettingError("default_dialogue", self.default_dialogue, expected)
        self.region()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            expected = f"a folder this user can create ({error.strerror})"
            raise SettingError("data_dir", self.data_dir, expected) from None
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            raise SettingError("data_dir", self.data_dir, "a folder this user can write")
        if self.secret_key_file:
            try:
                size = len(Path(self.secret_key_file).read_bytes())
            except OSError as error:
                expected = f"a file this user can read ({error.strerror})"
                raise SettingError("secret_key_file", self.secret_key_file, expected) from None
            if size < 32:
                expected = "a file of at least 32 random bytes (head -c 32 /dev/urandom > FILE)"
                raise SettingError("secret_key_file", self.secret_key_file, expected)

    def region(self) -> Region:
        """The region profile (empty without OMA_REGION_FILE); raises SettingError naming its
        first problem (`assistant check` lists them all)."""
        from assistant.region import RegionInvalid, load

        try:
            return load(self.region_file)
        except RegionInvalid as invalid:
            first = invalid.problems[0]
            expected = (
                f"a region profile without errors (line {first.line}: {first.message}; "
                "assistant check lists every problem)"
            )
            raise SettingError("region_file", self.region_file, expected) from None

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
