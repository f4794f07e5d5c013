"""All configuration in one place: defaults, environment variables (OMA_*), then CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_value(name: str, default: Any) -> Any:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


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
    default_language: str = "fi"
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
    # Wrong resume codes allowed per address and in all, per hour.
    resume_attempts_per_address: int = 10
    resume_attempts_global: int = 200
    # A request must send its headers and body within this many seconds.
    read_timeout: float = 15.0
    db_busy_timeout: float = 5.0

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values = {f.name: _env_value("OMA_" + f.name.upper(), f.default) for f in fields(cls)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
