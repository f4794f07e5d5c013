"""The app on a real socket, run the way `assistant serve` runs it: our access log, and a
handler that finishes even when the client hangs up (aiohttp's test server cancels it)."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer
from aiohttp.web_runner import AppRunner, BaseRunner

from assistant.app import AccessLogger


class ServedLikeServe(TestServer):
    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        kwargs.update(handler_cancellation=False, access_log_class=AccessLogger)
        return AppRunner(self.app, **kwargs)
