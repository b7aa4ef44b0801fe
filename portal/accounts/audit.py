"""Writing the audit log: every account action goes through `record`."""

from __future__ import annotations

from .models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def record(
    action: str, *, actor=None, target=None, institution=None, request=None, details=None, actor_login: str = ""
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if institution is None and target is not None:
        institution = target.institution
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_login=actor.username if actor is not None else actor_login[:150],
        target=target,
        target_login=target.username if target is not None else "",
        institution=institution,
        ip_address=client_ip(request),
        details=details or {},
    )
