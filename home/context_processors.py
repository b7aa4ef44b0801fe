"""Each role's menu: only the modules that role works with, and only ones that exist."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.institutions.scope import CITY, DISTRICT, SCHOOL, scope_of


def menu_for(user) -> list[tuple[str, str]]:
    if not user.is_authenticated or user.must_change_password:
        return []
    level = scope_of(user).level
    items = [(_("Home"), reverse("home:index"))]
    if level in (CITY, DISTRICT):
        items.append((_("Schools"), reverse("institutions:list")))
    if level == SCHOOL:
        items.append((_("School passport"), reverse("institutions:detail", args=[user.institution_id])))
    if level in (CITY, DISTRICT, SCHOOL):
        items.append((_("Regulations"), "/regulations/"))
        items.append((_("Circulars"), reverse("circulars:inbox")))
        items.append((_("Messages"), reverse("messaging:inbox")))
    if level in (CITY, DISTRICT) and user.has_perm("accounts.manage_accounts"):
        items.append((_("Accounts"), reverse("accounts:list")))
    if level == CITY and user.has_perm("accounts.view_auditevent"):
        items.append((_("Audit log"), reverse("accounts:audit")))
    if user.has_perm("wagtailadmin.access_admin"):
        items.append((_("Editing"), reverse("wagtailadmin_home")))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    items = menu_for(user)
    path = request.path
    # The longest matching prefix is the current module ("/" would match everything).
    current = max((url for _label, url in items if path.startswith(url)), key=len, default=None)
    return {"menu": [(label, url, url == current) for label, url in items]}
