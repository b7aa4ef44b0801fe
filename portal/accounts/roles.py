"""Roles: one Django group per position, with the permissions that position carries.

Kept in code and applied after every migrate, so a new permission reaches every installation.
"""

from django.contrib.auth.models import Group, Permission

from .models import GROUP_NAMES, Position

GROUP_PERMISSIONS = {
    Position.DIRECTOR: ["institutions.edit_own_contacts"],
    Position.DEPUTY: [],
    Position.DISTRICT_HEAD: [
        "accounts.manage_accounts",
        "institutions.edit_own_contacts",
        "circulars.add_circular",
        "wagtailadmin.access_admin",
    ],
    Position.DISTRICT_STAFF: ["accounts.manage_accounts", "circulars.add_circular"],
    Position.CITY_STAFF: [
        "accounts.manage_accounts",
        "circulars.add_circular",
        "accounts.view_auditevent",
        "institutions.edit_own_contacts",
    ],
    Position.CITY_EDITOR: ["wagtailadmin.access_admin"],
    Position.CITY_APPROVER: ["wagtailadmin.access_admin"],
    Position.DISTRICT_EDITOR: ["wagtailadmin.access_admin"],
}


def ensure_groups(**kwargs):
    for position, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in GROUP_PERMISSIONS[position]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
