from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.institutions.register import RegisterFormatError
from portal.institutions.services import DISTRICTS_FILE, import_register, import_school_stats


class Command(BaseCommand):
    help = (
        "Import schools from the state register export (ЄДЕБО), CSV or XLSX, Kyiv's or the national "
        "file; optionally pupil and class counts from the МОН statistics. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ЄДЕБО export, .csv or .xlsx")
        parser.add_argument(
            "--districts",
            default=str(DISTRICTS_FILE),
            help="CSV of the city and its districts with КАТОТТГ and КОАТУУ codes",
        )
        parser.add_argument("--stats", help="МОН school statistics CSV (pupils, classes), matched by ЄДРПОУ")
        parser.add_argument("--stats-year", type=int, default=2020, help="the year of the statistics")

    def handle(self, *args, **options):
        try:
            report = import_register(options["file"], districts_path=options["districts"])
        except RegisterFormatError as exc:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": exc}) from exc
        for line in report.lines():
            self.stdout.write(line)
        if options["stats"]:
            try:
                stats = import_school_stats(options["stats"], options["stats_year"])
            except RegisterFormatError as exc:
                raise CommandError(_("Statistics not loaded: %(error)s") % {"error": exc}) from exc
            for line in stats.lines():
                self.stdout.write(line)
