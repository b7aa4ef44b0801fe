from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files import Attachment
from portal.institutions.scope import ScopedQuerySet, scope_of


class Importance(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


class Expected(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
    REPLY = "reply", _("A reply")


class CircularQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Circulars its institution sent or received, and, under the scope rule, those that
        reached institutions in the person's scope (an РУО follows ДОН's letters to its schools)."""
        scope = scope_of(user)
        if scope.is_city:  # the city's condition is Q(), and Q() | X would be X alone
            return self.all()
        sent = scope.q("sender")
        if sent is None:
            return self.none()
        reached = Delivery.objects.visible_to(user).values("circular_id")
        return self.filter(sent | models.Q(pk__in=reached))


class Circular(models.Model):
    sender = models.ForeignKey(
        "institutions.Institution", verbose_name=_("sender"), on_delete=models.PROTECT, related_name="circulars_sent"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    importance = models.CharField(_("importance"), max_length=16, choices=Importance.choices, default=Importance.NORMAL)
    expected = models.CharField(
        _("expected from recipients"), max_length=16, choices=Expected.choices, default=Expected.ACKNOWLEDGE
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=500, help_text=_("How the recipients were chosen."))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # A form posted twice (double click, retry) carries the same token: one circular only.
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_token"], name="circular_once_per_token"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("circulars:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.now()


class CircularAttachment(Attachment):
    storage_folder = "circulars"
    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="attachments")


class DeliveryState(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    READ = "read", _("read")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    REPLIED = "replied", _("replied")
    OVERDUE = "overdue", _("overdue")


class Delivery(models.Model):
    """One recipient institution's copy of a circular and what it has done with it."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="deliveries")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_text = models.TextField(_("reply"), blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["institution__sort_name"]
        constraints = [models.UniqueConstraint(fields=["circular", "institution"], name="delivery_once")]
        indexes = [models.Index(fields=["institution", "-delivered_at"])]

    def __str__(self):
        return f"{self.circular} → {self.institution}"

    @property
    def is_done(self) -> bool:
        """It has done what the circular expects: acknowledged (or replied), or replied."""
        if self.circular.expected == Expected.REPLY:
            return self.replied_at is not None
        return self.acknowledged_at is not None or self.replied_at is not None

    @property
    def state(self) -> str:
        if self.replied_at:
            return DeliveryState.REPLIED
        if not self.is_done and self.circular.is_overdue:
            return DeliveryState.OVERDUE
        if self.acknowledged_at:
            return DeliveryState.ACKNOWLEDGED
        if self.read_at:
            return DeliveryState.READ
        return DeliveryState.DELIVERED

    def get_state_display(self) -> str:
        return DeliveryState(self.state).label


class ReplyAttachment(Attachment):
    storage_folder = "circular-replies"
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attachments")
