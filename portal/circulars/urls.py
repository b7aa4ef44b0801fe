from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("followed/", views.followed, name="followed"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/files/<int:file_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/replies/<int:file_pk>/", views.reply_attachment, name="reply_attachment"),
]
