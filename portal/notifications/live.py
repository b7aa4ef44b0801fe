"""The fast path: events to a person's open pages through the channel layer.

Only per-user groups exist (`user.<id>`): a socket joins its own user's group and nothing else,
so an event can only reach the person it is addressed to. Sending never raises: the database
row is the truth, and a client that missed an event catches up when it reconnects.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Concurrent group_send calls to the channel layer for one burst.
BURST_CONCURRENCY = 64


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


async def _send_all(messages: list[tuple[str, dict]]) -> int:
    layer = get_channel_layer()
    if layer is None:
        return 0
    semaphore = asyncio.Semaphore(BURST_CONCURRENCY)
    failures = 0

    async def send(group, message):
        nonlocal failures
        async with semaphore:
            try:
                await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - Redis down: the rows stay, clients catch up
                failures += 1

    await asyncio.gather(*(send(group, message) for group, message in messages))
    return failures


def send_to_users(events: list[tuple[int, dict]]) -> None:
    """Send `(user id, event)` pairs. Each event is a dict with at least "type" (dotted)."""
    if not events:
        return
    messages = [(user_group(user_id), {"type": "user.event", "event": event}) for user_id, event in events]
    try:
        failures = async_to_sync(_send_all)(messages)
    except Exception:  # noqa: BLE001
        logger.warning("live events not sent (channel layer unavailable)", exc_info=True)
        return
    if failures:
        logger.warning("%d of %d live events not sent (channel layer unavailable)", failures, len(messages))
