from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from cms.demo import load_demo_content
from portal.accounts.models import Position, User
from portal.accounts.services import create_account, reset_password
from portal.institutions.models import Institution, Kind
from portal.institutions.services import REGISTER_FILE, STATS_FILE, import_register, import_school_stats

DEMO_DISTRICT_KOATUU = "8038000000"  # Оболонський


def demo_institutions():
    city = Institution.objects.get(kind=Kind.CITY)
    district = Institution.objects.get(kind=Kind.DISTRICT, koatuu=DEMO_DISTRICT_KOATUU)
    # The district's largest working school (by the statistics): a typical, recognisable one.
    school = (
        Institution.objects.schools()
        .working()
        .filter(district=district, pupils__isnull=False)
        .order_by("-pupils", "sort_name")
        .first()
    )
    return [
        (_("Department (ДОН)"), city, Position.CITY_STAFF),
        (_("Department editor"), city, Position.CITY_EDITOR),
        (_("Department approver"), city, Position.CITY_APPROVER),
        (_("District office (РУО)"), district, Position.DISTRICT_HEAD),
        (_("District office editor"), district, Position.DISTRICT_EDITOR),
        (_("School director"), school, Position.DIRECTOR),
    ]


class Command(BaseCommand):
    help = "Load the demo city (the real Kyiv institutions) and one demo account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true", help="issue new one-time passwords for the existing demo accounts"
        )

    def handle(self, *args, **options):
        report = import_register(REGISTER_FILE)
        stats = import_school_stats(STATS_FILE, 2020)
        self.stdout.write(
            _("Demo city: %(schools)d schools in %(districts)d districts; pupil counts for %(stats)d.")
            % {"schools": report.imported, "districts": len(report.by_district), "stats": stats.matched}
        )
        content = load_demo_content()
        self.stdout.write(
            _(
                "Regulatory base: %(regulations)d new regulations, %(archive)d archived materials, "
                "%(announcements)d announcements, %(files)d generated files."
            )
            % content
        )
        issued = []
        with transaction.atomic():
            for role, institution, position in demo_institutions():
                account = User.objects.filter(institution=institution, position=position).order_by("pk").first()
                if account is None:
                    account, password = create_account(institution, position, full_name=_("Demo account"))
                elif options["reset_passwords"]:
                    password = reset_password(None, account)
                else:
                    password = None
                issued.append((role, institution, account, password))
        self.stdout.write("")
        for role, institution, account, password in issued:
            shown = password or _("(issued earlier; --reset-passwords issues a new one)")
            self.stdout.write(f"  {role:<30} {account.username:<22} {shown}   {institution}")
        if any(password for *_rest, password in issued):
            self.stdout.write(
                self.style.WARNING(
                    _("These one-time passwords are shown once; the first login asks for a new password.")
                )
            )
