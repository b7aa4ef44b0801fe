"""The fast path: events to a person's open pages through the channel layer.

Only per-user groups exist (`user.<id>`): a socket joins its own user's group and nothing else,
so an event can only reach the person it is addressed to. Sending never raises: the database
row is the truth, and a client that missed an event catches up when it reconnects.

A circular to every school notifies ~3,000 people at once. One `group_send` per person costs
several Redis round trips (most of them for people with no page open), and a worker would then
pop its sockets' events one by one. With the Redis layer the burst goes out in bulk instead: one
pipelined read of every group's members, then one entry per worker process carrying each of its
sockets' own event, queued by one script per Redis server that honours the layer's capacity.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Concurrent group_send calls for layers without the bulk path (the in-memory layer in tests).
BURST_CONCURRENCY = 64

# Queue each (key, event) pair unless the key already holds its capacity; returns how many were
# dropped so that the caller can say so. ARGV: now, expiry, then per key: event, capacity.
_QUEUE_EVENTS = """
local now = tonumber(ARGV[1])
local expiry = tonumber(ARGV[2])
local dropped = 0
for i, key in ipairs(KEYS) do
    local event = ARGV[1 + 2 * i]
    local capacity = tonumber(ARGV[2 + 2 * i])
    redis.call('ZREMRANGEBYSCORE', key, 0, now - expiry)
    if redis.call('ZCARD', key) < capacity then
        redis.call('ZADD', key, now, event)
        redis.call('EXPIRE', key, expiry)
    else
        dropped = dropped + 1
    end
end
return dropped
"""


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _is_redis_core_layer(layer) -> bool:
    from channels_redis.core import RedisChannelLayer

    return isinstance(layer, RedisChannelLayer)


async def _bulk_send_redis(layer, messages: list[tuple[str, dict]]) -> int:
    """Send each (group, message) through the Redis core layer in two round trips per server.

    Returns the number of events dropped for capacity (0 when the layer is sized right).
    """
    now = time.time()
    by_connection: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for group, message in messages:
        by_connection[layer.consistent_hash(group)].append((group, message))

    # 1. Who is listening: every group's live members, in one pipeline per Redis server.
    deliveries: list[tuple[str, dict]] = []
    for index, pairs in by_connection.items():
        pipe = layer.connection(index).pipeline(transaction=False)
        for group, _message in pairs:
            key = layer._group_key(group)
            pipe.zremrangebyscore(key, min=0, max=int(now) - layer.group_expiry)
            pipe.zrange(key, 0, -1)
        replies = await pipe.execute()
        for (_group, message), members in zip(pairs, replies[1::2], strict=True):
            deliveries += [(member.decode("utf8"), message) for member in members]
    if not deliveries:
        return 0

    # 2. One entry per Redis key. The sockets of one worker process share their process's key,
    #    and channels-redis hands an entry to each local channel it names: so a burst reaches a
    #    worker as ONE entry that carries each of its sockets' own event, keyed by channel, and
    #    each consumer forwards only the event under its own channel name (see consumers.py).
    per_key: dict[str, dict] = {}
    for channel, message in deliveries:
        name = layer.non_local_name(channel) if "!" in channel else channel
        entry = per_key.setdefault(name, {"type": "user.events", "events": {}, "__asgi_channel__": []})
        if channel not in entry["events"]:
            entry["events"][channel] = []
            entry["__asgi_channel__"].append(channel)
        entry["events"][channel].append(message["event"])
    queued: dict[int, list[tuple[str, bytes, int]]] = defaultdict(list)
    for name, entry in per_key.items():
        queued[layer.consistent_hash(name)].append(
            (layer.prefix + name, layer.serialize(entry), layer.get_capacity(entry["__asgi_channel__"][0]))
        )
    dropped = 0
    for index, items in queued.items():
        args = [now, int(layer.expiry)]
        for _key, event, capacity in items:
            args += [event, capacity]
        dropped += await layer.connection(index).eval(_QUEUE_EVENTS, len(items), *[k for k, _e, _c in items], *args)
    return dropped


async def _send_each(layer, messages: list[tuple[str, dict]]) -> int:
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


async def _send_all(messages: list[tuple[str, dict]]) -> int:
    layer = get_channel_layer()
    if layer is None:
        return 0
    if _is_redis_core_layer(layer):
        return await _bulk_send_redis(layer, messages)
    return await _send_each(layer, messages)


def send_to_users(events: list[tuple[int, dict]]) -> None:
    """Send `(user id, event)` pairs. Each event is a dict with at least "type" (dotted)."""
    if not events:
        return
    messages = [(user_group(user_id), {"type": "user.event", "event": event}) for user_id, event in events]
    try:
        lost = async_to_sync(_send_all)(messages)
    except Exception:  # noqa: BLE001
        logger.warning("live events not sent (channel layer unavailable)", exc_info=True)
        return
    if lost:
        logger.warning("%d of %d live events not delivered (channel layer unavailable or full)", lost, len(messages))
