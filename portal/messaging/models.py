from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.files import Attachment


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The conversations of the person's own institution (one of the two sides)."""
        if not user.is_authenticated or user.institution_id is None:
            return self.none()
        return self.filter(models.Q(started_by_id=user.institution_id) | models.Q(counterpart_id=user.institution_id))


class Conversation(models.Model):
    subject = models.CharField(_("subject"), max_length=300)
    started_by = models.ForeignKey(
        "institutions.Institution", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart = models.ForeignKey(
        "institutions.Institution", verbose_name=_("with"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), db_index=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(fields=["started_by", "-last_message_at"]),
            models.Index(fields=["counterpart", "-last_message_at"]),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("messaging:detail", args=[self.pk])

    def other_side(self, institution_id):
        return self.counterpart if institution_id == self.started_by_id else self.started_by

    @property
    def institution_ids(self) -> tuple[int, int]:
        return (self.started_by_id, self.counterpart_id)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["author", "client_token"], name="message_once_per_token")]

    def __str__(self):
        return self.body[:60]


class MessageAttachment(Attachment):
    storage_folder = "messages"
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")


class ConversationRead(models.Model):
    """When a person last read a conversation: the rest is unread for them."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once")]

    def __str__(self):
        return f"{self.user} read {self.conversation} at {self.read_at:%d.%m.%Y %H:%M}"
