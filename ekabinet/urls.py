from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("institutions/", include("portal.institutions.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("circulars/", include("portal.circulars.urls")),
    path("messages/", include("portal.messaging.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
