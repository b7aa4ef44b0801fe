"""Wagtail admin and serving hooks of the content app."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks
from wagtail.documents import get_permission_policy

from .visibility import visible_documents


@hooks.register("before_serve_document")
def serve_only_to_readers(document, request):
    """A document is served to whoever may read a page it is attached to, and to the editors
    who may work with it in the admin; to nobody else (unlike Wagtail's public default)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="/")
    if get_permission_policy().user_has_any_permission(user, ["choose", "change"]):
        return None
    if not visible_documents(user).filter(pk=document.pk).exists():
        raise Http404
    return None
