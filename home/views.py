from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.accounts.forms import LoginForm
from portal.institutions.models import Institution
from portal.institutions.scope import CITY, DISTRICT, SCHOOL, scope_of
from portal.institutions.views import filtered_schools

from .dashboards import city_dashboard, district_totals, latest_announcements, with_account_state


class LoginView(auth_views.LoginView):
    template_name = "home/login.html"
    authentication_form = LoginForm


@never_cache
def index(request):
    """The start page: the login for a visitor, the role's dashboard after login."""
    if not request.user.is_authenticated:
        return LoginView.as_view()(request)
    scope = scope_of(request.user)
    if scope.level == CITY:
        context = city_dashboard(request.user)
        context["announcements"] = latest_announcements(request.user)
        return render(request, "home/dashboard_city.html", context)
    if scope.level == DISTRICT:
        district = request.user.institution
        base = Institution.objects.visible_to(request.user).schools()
        form, schools = filtered_schools(request, base)
        schools = with_account_state(schools)
        schools = list(schools)
        return render(
            request,
            "home/dashboard_district.html",
            {
                "district": district,
                "form": form,
                "schools": schools,
                "totals": district_totals(schools),
                "sort": request.GET.get("sort", "name"),
                "city": district.parent,
                "announcements": latest_announcements(request.user),
            },
        )
    if scope.level == SCHOOL:
        school = Institution.objects.select_related("district", "district__parent").get(pk=scope.institution_id)
        return render(
            request,
            "home/dashboard_school.html",
            {
                "school": school,
                "district": school.district,
                "city": school.district.parent if school.district else None,
                "can_edit_contacts": request.user.has_perm("institutions.edit_own_contacts"),
                "announcements": latest_announcements(request.user),
            },
        )
    return render(request, "home/no_role.html", status=403)


@never_cache
def health(request):
    """For a load balancer or a monitor: 200 when the database (and Redis, if set) answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
