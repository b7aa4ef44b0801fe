from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "portal.circulars"
    label = "circulars"
    verbose_name = _("Circulars")
