"""What each role's dashboard shows, in a fixed number of queries whatever the city's size."""

from django.db.models import Count, Prefetch, Q, Sum

from portal.accounts.models import User, activated_q
from portal.institutions.models import Institution, Kind, Status

WORKING_SCHOOL = Q(members__kind=Kind.SCHOOL, members__status=Status.WORKING)


def city_dashboard(user) -> dict:
    districts = list(
        Institution.objects.visible_to(user)
        .districts()
        .annotate(
            working_schools=Count("members", filter=WORKING_SCHOOL),
            total_pupils=Sum("members__pupils", filter=WORKING_SCHOOL),
            total_classes=Sum("members__classes", filter=WORKING_SCHOOL),
            closed_schools=Count("members", filter=Q(members__kind=Kind.SCHOOL) & ~Q(members__status=Status.WORKING)),
        )
        .order_by("sort_name")
    )
    activated = dict(
        User.objects.visible_to(user)
        .activated()
        .filter(institution__kind=Kind.SCHOOL)
        .values("institution__district")
        .annotate(n=Count("institution", distinct=True))
        .values_list("institution__district", "n")
    )
    for district in districts:
        district.schools_activated = activated.get(district.pk, 0)
    totals = {
        "schools": sum(d.working_schools for d in districts),
        "pupils": sum(d.total_pupils or 0 for d in districts),
        "classes": sum(d.total_classes or 0 for d in districts),
        "activated": sum(d.schools_activated for d in districts),
    }
    return {"districts": districts, "totals": totals}


def with_account_state(schools):
    """Annotate schools with their active and activated accounts, prefetching the accounts."""
    return schools.annotate(
        accounts_active=Count("accounts", filter=Q(accounts__is_active=True)),
        accounts_activated=Count("accounts", filter=activated_q("accounts__")),
    ).prefetch_related(
        Prefetch(
            "accounts", queryset=User.objects.filter(is_active=True).order_by("username"), to_attr="active_accounts"
        )
    )


def district_totals(schools) -> dict:
    working = [s for s in schools if s.status == Status.WORKING]
    return {
        "schools": len(working),
        "pupils": sum(s.pupils or 0 for s in working),
        "activated": sum(1 for s in working if s.accounts_activated),
        "never": sum(1 for s in working if s.accounts_active and not s.accounts_activated),
        "without": sum(1 for s in working if not s.accounts_active),
    }


def latest_announcements(user, count: int = 3):
    """ДОН's news feed on every dashboard: the newest announcements the person may read."""
    from cms.models import AnnouncementPage
    from cms.visibility import visible_q

    return list(AnnouncementPage.objects.live().filter(visible_q(user)).order_by("-dated", "-pk")[:count])
