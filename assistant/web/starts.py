"""How many conversations one client address may start in an hour (OMA_STARTS_PER_ADDRESS).

Nothing limited it: one address started 3,745 in 8 seconds (issue 20), each a row in the
store. The count is kept in the store (as wrong resume codes are), so every server process
on one database shares it. The default is generous: the residents of a group home share one
address, and a start that is refused loses nothing (it is checked before anything is left).
"""

from __future__ import annotations

from aiohttp import web

from assistant.conversations import ATTEMPT_WINDOW
from assistant.web import keys
from assistant.web.client import counted_address
from assistant.web.render import error_response


async def start_allowed(request: web.Request) -> bool:
    """Count this start against the client's address; False (and not counted) over the limit.
    Counted before the check, in one transaction, so starts sent all at once cannot pass the
    limit between a check and a count."""
    conversations = request.app[keys.CONVERSATIONS]
    # request.remote is the client's, also behind a trusted proxy (assistant.web.client).
    key = ("start:" + conversations.hash(counted_address(request.remote))[:24],)
    now = conversations.clock()
    [count] = await conversations.store.count_attempts(key, ATTEMPT_WINDOW, now)
    if count <= request.app[keys.SETTINGS].starts_per_address:
        return True
    await conversations.store.count_attempts(key, ATTEMPT_WINDOW, now, change=-1)
    return False


async def too_many_starts(request: web.Request) -> web.Response:
    """429 in the person's language: wait, or continue with a code. Retry-After: when the
    hour's count starts again."""
    response = await error_response(request, 429, "too-many-starts")
    moment = int(request.app[keys.CONVERSATIONS].clock().timestamp())
    response.headers["Retry-After"] = str(ATTEMPT_WINDOW - moment % ATTEMPT_WINDOW)
    return response
