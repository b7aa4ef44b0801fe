"""One WebSocket per open page, at /ws/events/: the person's own events and nothing else."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .live import user_group
from .models import Notification

CATCH_UP_LIMIT = 50
CLOSE_UNAUTHENTICATED = 4401


class EventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active or user.must_change_password:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "unread": await self.unread()})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The only request a page makes: after a reconnect, "what did I miss since id N?"
        if content.get("action") == "catch_up":
            try:
                after = int(content.get("after") or 0)
            except (TypeError, ValueError):
                after = 0
            missed, unread = await self.missed_since(after)
            await self.send_json({"type": "catch_up", "notifications": missed, "unread": unread})

    async def user_event(self, message):
        await self.send_json(message["event"])

    async def user_events(self, message):
        # A burst for this worker's sockets: forward this socket's own events, nothing else.
        for event in message["events"].get(self.channel_name, ()):
            await self.send_json(event)

    @database_sync_to_async
    def unread(self) -> int:
        return Notification.objects.filter(recipient_id=self.user_id, read_at__isnull=True).count()

    @database_sync_to_async
    def missed_since(self, after: int):
        # The newest missed ones, oldest first; the count covers the rest.
        newest = Notification.objects.filter(recipient_id=self.user_id, pk__gt=after).order_by("-pk")[:CATCH_UP_LIMIT]
        unread = Notification.objects.filter(recipient_id=self.user_id, read_at__isnull=True).count()
        return [n.as_event() for n in reversed(newest)], unread
