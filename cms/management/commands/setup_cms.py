from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.setup import setup_cms


class Command(BaseCommand):
    help = (
        "Create the content tree (regulatory base, district orders, archive, announcements), the "
        "editorial groups and the approval workflows. Safe to re-run; run it after importing institutions."
    )

    def handle(self, *args, **options):
        tree = setup_cms()
        self.stdout.write(
            _("Content tree ready: %(sections)d sections, %(districts)d district sections.")
            % {"sections": len(tree["sections"]), "districts": len(tree["district_sections"])}
        )
