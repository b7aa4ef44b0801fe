"""The content tree, the editorial groups and the workflows, created idempotently.

    Нормативна база (/regulations/)      ДОН editors draft, ДОН approvers approve
      ├─ Закони України, Постанови КМУ, Накази МОН, … (sections)
    Накази РУО (/district-orders/)
      └─ one section per district          its РУО editors draft, its РУО head approves
    Архів (/archive/), Оголошення (/news/)  ДОН

Each district's editors and approvers are groups of their own, with page permissions on their
district's section only, so the admin shows each role only the part of the tree it may edit.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.accounts.models import Position
from portal.institutions.models import Institution

from .models import (
    ArchivePage,
    ContentRoot,
    DistrictOrdersIndexPage,
    DistrictSectionPage,
    NewsIndexPage,
    RegulationIndexPage,
    RegulationSectionPage,
)

SECTIONS = [
    ("Закони України", "laws"),
    ("Постанови та розпорядження КМУ", "cabinet"),
    ("Накази МОН та інших міністерств", "ministry"),
    ("Розпорядження КМДА та рішення Київради", "city"),
    ("Накази ДОН", "department"),
    ("Листи та роз'яснення", "letters"),
    ("Методичні рекомендації", "recommendations"),
]

CITY_EDITORS = "Редактори ДОН"
CITY_APPROVERS = "Затверджувачі ДОН"
CITY_WORKFLOW = "Затвердження ДОН"
DISTRICT_EDITORS = "Редактори РУО: {district}"
DISTRICT_APPROVERS = "Затвердження РУО: {district}"
DISTRICT_WORKFLOW = "Затвердження РУО: {district}"

EDIT = ("add", "change")
APPROVE = ("add", "change", "publish")
DOCUMENTS = ("add_document", "change_document", "choose_document")


def _child(parent: Page, model, slug: str, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _wagtail_roots() -> Page:
    """Wagtail's own root page, locale and root collection (its migrations create them; a
    database emptied since, as between transactional tests, has them no more)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


@transaction.atomic
def ensure_tree() -> dict:
    """The content root as the site root, its four branches, the sections, a section per district."""
    wagtail_root = _wagtail_roots()
    root = ContentRoot.objects.first()
    if root is None:
        root = ContentRoot(title="Е-кабінет", slug="ekabinet")
        wagtail_root.add_child(instance=root)
        root.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True, site_name="Е-кабінет")
    elif site.root_page_id != root.pk:
        old_root = site.root_page
        site.root_page = root
        site.site_name = "Е-кабінет"
        site.save()
        # Wagtail's own welcome page has nothing under it and nothing to keep.
        if old_root.depth == 2 and old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()

    regulations = _child(
        root, RegulationIndexPage, "regulations", title="Нормативна база",
        intro="Закони, постанови, накази та роз'яснення, за якими працюють заклади освіти Києва.",
    )  # fmt: skip
    district_orders = _child(
        root, DistrictOrdersIndexPage, "district-orders", title="Накази РУО",
        intro="Накази та розпорядження районних управлінь освіти.",
    )  # fmt: skip
    archive = _child(
        root, ArchivePage, "archive", title="Архів",
        intro="Документи, що втратили чинність, та архівні матеріали минулих років.",
    )  # fmt: skip
    news = _child(root, NewsIndexPage, "news", title="Оголошення", intro="Оперативна інформація Департаменту.")
    sections = {slug: _child(regulations, RegulationSectionPage, slug, title=title) for title, slug in SECTIONS}
    district_sections = {}
    for district in Institution.objects.districts().order_by("sort_name"):
        section = DistrictSectionPage.objects.filter(district=district).first()
        if section is None:
            slug = district.code.removeprefix("ruo-")
            section = _child(district_orders, DistrictSectionPage, slug, title=district.short_name, district=district)
        district_sections[district.pk] = section
    return {
        "root": root,
        "regulations": regulations,
        "district_orders": district_orders,
        "archive": archive,
        "news": news,
        "sections": sections,
        "district_sections": district_sections,
    }


def _page_permissions(group: Group, page: Page, kinds):
    for kind in kinds:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{kind}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _collection_permissions(group: Group, collection: Collection):
    for codename in DOCUMENTS:
        permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _workflow(name: str, approvers: Group, pages: list[Page]) -> Workflow:
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.set([approvers])
    workflow, _created = Workflow.objects.get_or_create(name=name)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_groups_and_workflows(tree: dict) -> None:
    root_collection = Collection.get_first_root_node()
    city_pages = [tree["regulations"], tree["archive"], tree["news"]]
    editors, _ = Group.objects.get_or_create(name=CITY_EDITORS)
    approvers, _ = Group.objects.get_or_create(name=CITY_APPROVERS)
    for page in city_pages:
        _page_permissions(editors, page, EDIT)
        _page_permissions(approvers, page, APPROVE)
    _collection_permissions(editors, root_collection)
    _collection_permissions(approvers, root_collection)
    _workflow(CITY_WORKFLOW, approvers, city_pages)

    for section in tree["district_sections"].values():
        name = section.district.short_name
        collection = root_collection.get_children().filter(name=name).first()
        if collection is None:
            collection = root_collection.add_child(instance=Collection(name=name))
        district_editors, _ = Group.objects.get_or_create(name=DISTRICT_EDITORS.format(district=name))
        district_approvers, _ = Group.objects.get_or_create(name=DISTRICT_APPROVERS.format(district=name))
        _page_permissions(district_editors, section, EDIT)
        _page_permissions(district_approvers, section, APPROVE)
        _collection_permissions(district_editors, collection)
        _collection_permissions(district_approvers, collection)
        _workflow(DISTRICT_WORKFLOW.format(district=name), district_approvers, [section])


def wanted_cms_groups(user) -> set[str]:
    """The editorial groups an account belongs to, from its position and its district."""
    if not user.is_active or user.institution_id is None:
        return set()
    institution = user.institution
    if user.position == Position.CITY_EDITOR:
        return {CITY_EDITORS}
    if user.position == Position.CITY_APPROVER:
        return {CITY_APPROVERS}
    if user.position == Position.DISTRICT_EDITOR:
        return {DISTRICT_EDITORS.format(district=institution.short_name)}
    if user.position == Position.DISTRICT_HEAD:
        return {DISTRICT_APPROVERS.format(district=institution.short_name)}
    return set()


def is_cms_group(name: str) -> bool:
    return name in (CITY_EDITORS, CITY_APPROVERS) or name.startswith(("Редактори РУО: ", "Затвердження РУО: "))


def sync_cms_groups(user) -> None:
    wanted = wanted_cms_groups(user)
    current = {g.name: g for g in user.groups.all() if is_cms_group(g.name)}
    stale = [group for name, group in current.items() if name not in wanted]
    if stale:
        user.groups.remove(*stale)
    missing = wanted - set(current)
    if missing:
        user.groups.add(*Group.objects.filter(name__in=missing))


def setup_cms() -> dict:
    tree = ensure_tree()
    ensure_groups_and_workflows(tree)
    from portal.accounts.models import User

    for user in User.objects.filter(position__in=[
        Position.CITY_EDITOR, Position.CITY_APPROVER, Position.DISTRICT_EDITOR, Position.DISTRICT_HEAD
    ]).select_related("institution"):  # fmt: skip
        sync_cms_groups(user)
    return tree
