"""Account pages: password change, reset by e-mail, and the officials' account management."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.institutions.models import Institution, Kind
from portal.institutions.scope import CITY, DISTRICT, scope_of
from portal.web import next_url

from . import services
from .forms import AccountCreateForm, AccountFilterForm, AuditFilterForm
from .models import AuditEvent, User

ISSUED_KEY = "issued_credentials"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home:index")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(form.user, request=self.request, by_email=True)
        services._unlock(form.user)
        return response


def _manageable_institutions(user):
    scope = scope_of(user)
    institutions = Institution.objects.visible_to(user).working()
    if scope.level == DISTRICT:
        institutions = institutions.filter(kind=Kind.SCHOOL)
    elif scope.level == CITY and not user.is_superuser:
        institutions = institutions.exclude(kind=Kind.CITY)
    elif scope.level != CITY:
        institutions = institutions.none()
    return institutions


def _managed_accounts(user):
    """Accounts an official may manage: the schools' of an РУО; the district offices' and the
    schools' for ДОН."""
    scope = scope_of(user)
    accounts = User.objects.visible_to(user).exclude(pk=user.pk).exclude(is_superuser=True)
    if scope.level == DISTRICT:
        accounts = accounts.filter(institution__kind=Kind.SCHOOL)
    elif scope.level == CITY and not user.is_superuser:
        accounts = accounts.exclude(institution__kind=Kind.CITY)
    elif scope.level != CITY:
        accounts = accounts.none()
    return accounts


@login_required
@permission_required("accounts.manage_accounts", raise_exception=True)
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    accounts = _managed_accounts(request.user).select_related("institution", "institution__district")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            accounts = accounts.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(institution__search_text__contains=q.casefold())
            )
        state = form.cleaned_data["state"]
        if state == "active":
            accounts = accounts.filter(is_active=True, last_login__isnull=False, must_change_password=False)
        elif state == "never":
            accounts = accounts.filter(is_active=True, last_login__isnull=True)
        elif state == "pending":
            accounts = accounts.filter(is_active=True, must_change_password=True)
        elif state == "inactive":
            accounts = accounts.filter(is_active=False)
    accounts = accounts.order_by("institution__district__sort_name", "institution__sort_name", "username")
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"form": form, "page": page})


@login_required
@permission_required("accounts.manage_accounts", raise_exception=True)
def account_create(request):
    institutions = _manageable_institutions(request.user)
    initial = {}
    if request.GET.get("institution"):
        initial["institution"] = get_object_or_404(institutions, pk=request.GET["institution"])
    form = AccountCreateForm(request.POST or None, institutions=institutions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_account(
                data["institution"],
                data["position"],
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _issue(request, user, password)
    return render(request, "accounts/account_create.html", {"form": form})


def _issue(request, user, password):
    """Show a one-time password exactly once: it goes through the session, then is gone."""
    request.session[ISSUED_KEY] = {"user_id": user.pk, "login": user.username, "password": password}
    return redirect("accounts:issued")


@never_cache
@login_required
def issued(request):
    data = request.session.pop(ISSUED_KEY, None)
    account = None
    if data:
        account = _managed_accounts(request.user).select_related("institution").filter(pk=data["user_id"]).first()
    return render(request, "accounts/issued.html", {"data": data if account else None, "account": account})


def _get_managed(request, pk):
    """The account, if the official may manage it: 404 outside their scope, 403 above it."""
    account = get_object_or_404(User.objects.visible_to(request.user).select_related("institution"), pk=pk)
    if not services.can_manage(request.user, account):
        raise Http404
    return account


@login_required
@require_POST
@permission_required("accounts.manage_accounts", raise_exception=True)
def reset_password(request, pk):
    account = _get_managed(request, pk)
    password = services.reset_password(request.user, account, request=request)
    return _issue(request, account, password)


@login_required
@require_POST
@permission_required("accounts.manage_accounts", raise_exception=True)
def set_active(request, pk, active):
    account = _get_managed(request, pk)
    try:
        changed = services.set_active(request.user, account, active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if changed:
            messages.success(
                request,
                (_("Account %(login)s reactivated.") if active else _("Account %(login)s deactivated."))
                % {"login": account.username},
            )
    return redirect(next_url(request, "accounts:list"))


def _is_city_official(user):
    return scope_of(user).level == CITY and user.has_perm("accounts.view_auditevent")


@login_required
def audit_log(request):
    if not _is_city_official(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(request.user).select_related("institution")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["login"]:
            login = data["login"].strip().lower()
            events = events.filter(Q(actor_login__contains=login) | Q(target_login__contains=login))
        if data["institution"]:
            events = events.filter(institution__search_text__contains=data["institution"].strip().casefold())
        if data["date_from"]:
            events = events.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(created_at__date__lte=data["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})
