from django.db.models import Count, Max, Q

from .models import Notification


def bell(request):
    """The unread count and the newest id, for the bell and for the live client's catch-up."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {}
    figures = Notification.objects.for_user(user).aggregate(
        unread=Count("id", filter=Q(read_at__isnull=True)), last_id=Max("id")
    )
    return {"bell": {"unread": figures["unread"], "last_id": figures["last_id"] or 0}}
