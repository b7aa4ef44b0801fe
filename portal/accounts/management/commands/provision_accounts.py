from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.accounts.services import provision_accounts


class Command(BaseCommand):
    help = (
        "Create the missing head account of every working institution. The one-time passwords are "
        "written once, to one XLSX per district, and are shown nowhere else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="folder for the credential files (default: var/credentials)")

    def handle(self, *args, **options):
        report = provision_accounts(options.get("out"))
        if not report.count:
            self.stdout.write(_("Every working institution already has an account; nothing to do."))
            return
        self.stdout.write(_("Accounts created: %(n)d.") % {"n": report.count})
        for path in report.files:
            self.stdout.write(f"  {path}")
        self.stdout.write(
            self.style.WARNING(
                _(
                    "The files hold one-time passwords: hand each district its own file through a secure "
                    "channel, then delete them. The passwords cannot be shown again; reset an account instead."
                )
            )
        )
