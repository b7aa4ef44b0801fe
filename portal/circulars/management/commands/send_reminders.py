from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.circulars.services import send_reminders


class Command(BaseCommand):
    help = "Remind institutions that owe a circular (overdue, or due within a day). Run it hourly from cron."

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(_("Reminders sent: %(n)d.") % {"n": count})
