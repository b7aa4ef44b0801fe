from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router

urlpatterns = [
    path("", include("home.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("institutions/", include("portal.institutions.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("circulars/", include("portal.circulars.urls")),
    path("messages/", include("portal.messaging.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

# Uploaded files (attachments, documents) are never served from MEDIA_URL: only through views
# that check who may see them. A production proxy must not expose MEDIA_ROOT either.

# Wagtail serves the content pages (regulations, archive, announcements) under their own paths;
# it comes last so that it never shadows a portal URL.
urlpatterns += [path("", include(wagtail_urls))]
