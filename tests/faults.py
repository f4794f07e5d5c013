"""Shared by the fault tests and benchmarks/crash.py: a real server process and clients that
answer through the JSON API the way the conversation mode does."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from assistant.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start and wait until it serves; returns the seconds that took."""
        env = {
            **os.environ,
            "OMA_SPEECH": "0",
            "OMA_DATA_DIR": str(self.data_dir),
            "OMA_PORT": str(self.port),
            **self.extra_env,
        }
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while time.monotonic() - started < 20:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                    if s.recv(16)[8:13] == b" 200 ":
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(20)


class Client:
    """One person: a session, a conversation, answers to one question over and over."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.token = ""  # the CSRF token, bound to the session (see assistant.web.cookies)
        self.acknowledged = -1  # the last answer number the server said it saved
        self.sent = -1

    async def start(self) -> None:
        async with self.session.get(self.base + "/") as response:
            await response.read()
            self.token = response.headers["X-CSRF-Token"]
        async with self.session.post(
            self.base + "/api/v1/conversations", json={"role": "client"}, headers=self.headers()
        ) as response:
            assert response.status == 201, response.status
            self.token = response.headers["X-CSRF-Token"]  # the new session's

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.token}

    async def answer(self, number: int) -> bool:
        self.sent = number
        async with self.session.post(
            self.base + "/api/v1/steps/liked-for",
            json={"answer": f"answer {number}"},
            headers=self.headers(),
        ) as response:
            await response.read()
            if response.status == 200:
                self.acknowledged = number
                return True
            return False

    async def stored(self) -> int:
        async with self.session.get(self.base + "/api/v1/review") as response:
            rows = (await response.json())["rows"]
        texts = [a["text"] for r in rows if r["key"] == "liked-for" for a in r["answers"]]
        return int(texts[0].split()[-1]) if texts else -1

    async def close(self) -> None:
        await self.session.close()


async def write_until_killed(server: Server, clients: list[Client], kill_after: float) -> None:
    async def keep_answering(client: Client) -> None:
        number = client.acknowledged + 1
        while True:
            try:
                await client.answer(number)
            except (TimeoutError, aiohttp.ClientError):
                return
            number += 1

    tasks = [asyncio.create_task(keep_answering(c)) for c in clients]
    await asyncio.sleep(kill_after)
    server.kill()
    await asyncio.gather(*tasks)
