"""Institution pages: the searchable list and each institution's passport."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import ContactsForm, InstitutionFilterForm
from .models import Institution, Kind, Status
from .scope import CITY, DISTRICT, scope_of
from .services import update_contacts


def filtered_schools(request, base):
    """Apply the list filters of the GET query to `base` (a scoped queryset of schools)."""
    scope = scope_of(request.user)
    districts = Institution.objects.districts() if scope.level == CITY else None
    types = base.order_by().values_list("institution_type", flat=True).distinct()
    form = InstitutionFilterForm(request.GET or None, districts=districts, types=sorted(set(types)))
    return form, form.apply(base)


@login_required
def institution_list(request):
    if scope_of(request.user).level not in (CITY, DISTRICT):
        raise PermissionDenied
    base = Institution.objects.visible_to(request.user).schools().select_related("district")
    form, schools = filtered_schools(request, base)
    page = Paginator(schools, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/list.html",
        {
            "form": form,
            "page": page,
            "schools": page.object_list,
            "show_district": scope_of(request.user).level == CITY,
            "sort": request.GET.get("sort", "name"),
        },
    )


@login_required
def institution_detail(request, pk):
    institution = get_object_or_404(
        Institution.objects.visible_to(request.user).select_related("parent", "district"), pk=pk
    )
    context = {"institution": institution, "can_edit_contacts": _can_edit_contacts(request.user, institution)}
    if institution.kind == Kind.DISTRICT:
        members = Institution.objects.visible_to(request.user).schools().filter(district=institution)
        context["schools"] = members.order_by("sort_name")
        context["totals"] = members.filter(status=Status.WORKING).aggregate(
            schools=Count("pk"), pupils=Sum("pupils"), classes=Sum("classes")
        )
    elif institution.kind == Kind.CITY:
        context["districts"] = (
            Institution.objects.visible_to(request.user)
            .districts()
            .annotate(schools=Count("members", filter=Q(members__kind=Kind.SCHOOL, members__status=Status.WORKING)))
            .order_by("sort_name")
        )
    return render(request, "institutions/detail.html", context)


def _can_edit_contacts(user, institution) -> bool:
    return user.institution_id == institution.pk and user.has_perm("institutions.edit_own_contacts")


@login_required
def edit_contacts(request, pk):
    institution = get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)
    if not _can_edit_contacts(request.user, institution):
        raise PermissionDenied
    form = ContactsForm.for_institution(institution, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = update_contacts(institution, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Contacts saved.") if changed else _("Nothing changed."))
        return redirect(institution)
    return render(request, "institutions/contacts_form.html", {"form": form, "institution": institution})
