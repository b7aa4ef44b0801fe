"""Wagtail admin and serving hooks of the content app."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks
from wagtail.documents import get_permission_policy

from .visibility import visible_documents, visible_pages


@hooks.register("before_serve_document")
def serve_only_to_readers(document, request):
    """A document is served to whoever may read a page it is attached to, and to the editors
    who may work with it in the admin; to nobody else (unlike Wagtail's public default)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="/")
    # Editors may fetch the documents of their own collections (to check an attachment before
    # publishing), not every document: the permission is asked of this document's collection.
    if get_permission_policy().user_has_any_permission_for_instance(user, ["choose", "change"], document):
        return None
    if not visible_documents(user).filter(pk=document.pk).exists():
        raise Http404
    return None


@hooks.register("construct_page_chooser_queryset")
def choose_only_readable_pages(pages, request):
    """The admin's page chooser (related regulations) offers the pages the editor may read, not
    every title in the tree: ДОН-only pages and other districts' drafts stay out of sight."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=visible_pages(request.user).values("pk"))
