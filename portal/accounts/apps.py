from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import receivers  # noqa: F401
        from .roles import ensure_groups

        # After every app's migrations: a permission exists only once its app has migrated, and
        # groups refer to permissions of apps listed after this one.
        post_migrate.connect(ensure_groups, dispatch_uid="accounts.ensure_groups")
