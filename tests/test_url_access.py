"""Every URL the project defines is either public or refuses the anonymous, the wrong role and
the outsider. Adding a URL without an entry here fails `test_every_url_is_covered`."""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open: the login (the start page), password reset by e-mail, the health check,
# and Wagtail's own login and password-restriction forms (which show no content).
PUBLIC = {
    "wagtailcore_login",
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
    "home:index",
    "home:health",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}

ALL_PERSONAS = ("don_official", "obolon_official", "obolon_director", "darnytsia_director")
OTHERS = ("darnytsia_director", "obolon_deputy", "don_official")


@dataclass
class Case:
    args: callable = lambda w: []
    method: str = "get"
    allowed: tuple = ()
    # Personas inside the scope but of a role this page is not for: 403.
    wrong_role: tuple = ()
    # Personas outside the scope of the object: 404, as if it did not exist.
    outsiders: tuple = ()
    # For list pages: text of another scope that must not appear to `allowed[...]` personas.
    hidden: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    # What an anonymous client gets: None means a redirect to the login page.
    anonymous: int | None = None


def account(name):
    return lambda w: [w[name].pk]


CASES = {
    "accounts:password_change": Case(allowed=ALL_PERSONAS),
    "accounts:issued": Case(allowed=ALL_PERSONAS),
    "accounts:list": Case(
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_director", "darnytsia_director"),
        hidden={"obolon_official": lambda w: w.darnytsia_director.username},
    ),
    "accounts:create": Case(
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_director", "obolon_deputy"),
        hidden={"obolon_official": lambda w: w.darnytsia_school.display_name},
    ),
    "accounts:reset_password": Case(
        args=account("obolon_director"),
        method="post",
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_deputy", "darnytsia_director"),
        outsiders=("darnytsia_official",),
    ),
    "accounts:deactivate": Case(
        args=account("obolon_director"),
        method="post",
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_deputy", "darnytsia_director"),
        outsiders=("darnytsia_official",),
    ),
    "accounts:reactivate": Case(
        args=account("obolon_director"),
        method="post",
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_deputy", "darnytsia_director"),
        outsiders=("darnytsia_official",),
    ),
    "accounts:audit": Case(
        allowed=("don_official",),
        wrong_role=("don_editor", "obolon_official", "obolon_director"),
    ),
    "institutions:list": Case(
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_director", "darnytsia_director"),
        hidden={"obolon_official": lambda w: w.darnytsia_school.display_name},
    ),
    "institutions:detail": Case(
        args=lambda w: [w.obolon_school.pk],
        allowed=("don_official", "obolon_official", "obolon_director", "obolon_deputy"),
        outsiders=("darnytsia_official", "darnytsia_director"),
    ),
    "institutions:contacts": Case(
        args=lambda w: [w.obolon_school.pk],
        allowed=("obolon_director",),
        wrong_role=("obolon_deputy", "obolon_official", "don_official"),
        outsiders=("darnytsia_director", "darnytsia_official"),
    ),
    "notifications:list": Case(allowed=ALL_PERSONAS),
    "notifications:read_all": Case(method="post", allowed=ALL_PERSONAS),
    "notifications:open": Case(args=lambda w: [w.notification.pk], allowed=("obolon_director",), outsiders=OTHERS),
    "notifications:read": Case(
        args=lambda w: [w.notification.pk], method="post", allowed=("obolon_director",), outsiders=OTHERS
    ),
    "circulars:inbox": Case(allowed=ALL_PERSONAS, hidden={"darnytsia_director": lambda w: w.circular.subject}),
    "circulars:sent": Case(allowed=("don_official", "obolon_official"), wrong_role=("obolon_director", "don_editor")),
    "circulars:followed": Case(
        allowed=("don_official", "obolon_official"),
        wrong_role=("obolon_director",),
        hidden={"darnytsia_official": lambda w: w.circular.subject},
    ),
    "circulars:compose": Case(
        allowed=("don_official", "obolon_official"), wrong_role=("obolon_director", "don_editor")
    ),
    "circulars:detail": Case(
        args=lambda w: [w.circular.pk],
        allowed=("don_official", "obolon_official", "obolon_director"),
        outsiders=("darnytsia_official", "darnytsia_director"),
    ),
    "circulars:acknowledge": Case(
        args=lambda w: [w.circular.pk],
        method="post",
        allowed=("obolon_director",),
        wrong_role=("obolon_official", "don_official"),
        outsiders=("darnytsia_director",),
    ),
    "circulars:reply": Case(
        args=lambda w: [w.circular.pk],
        method="post",
        allowed=("obolon_director",),
        wrong_role=("obolon_official",),
        outsiders=("darnytsia_director",),
    ),
    "circulars:remind": Case(
        args=lambda w: [w.circular.pk],
        method="post",
        allowed=("obolon_official",),
        wrong_role=("obolon_director", "don_official"),
        outsiders=("darnytsia_official",),
    ),
    "circulars:export": Case(
        args=lambda w: [w.circular.pk],
        allowed=("obolon_official", "don_official"),
        wrong_role=("obolon_director",),
        outsiders=("darnytsia_official",),
    ),
    "circulars:attachment": Case(
        args=lambda w: [w.circular.pk, w.circular_file.pk],
        allowed=("obolon_official", "obolon_director", "don_official"),
        outsiders=("darnytsia_director", "darnytsia_official"),
    ),
    "circulars:reply_attachment": Case(
        args=lambda w: [w.circular.pk, w.reply_file.pk],
        allowed=("obolon_official", "obolon_director", "obolon_deputy"),
        outsiders=("darnytsia_director", "darnytsia_official"),
    ),
    "messaging:inbox": Case(allowed=ALL_PERSONAS, hidden={"darnytsia_director": lambda w: w.conversation.subject}),
    "messaging:new": Case(allowed=ALL_PERSONAS, hidden={"obolon_director": lambda w: w.darnytsia.short_name}),
    "messaging:detail": Case(
        args=lambda w: [w.conversation.pk],
        allowed=("obolon_director", "obolon_deputy", "obolon_official"),
        outsiders=("darnytsia_director", "darnytsia_official", "don_official"),
    ),
    "messaging:attachment": Case(
        args=lambda w: [w.conversation.pk, w.message_file.pk],
        allowed=("obolon_director", "obolon_official"),
        outsiders=("darnytsia_director", "darnytsia_official", "don_official"),
    ),
    "wagtail_serve": Case(
        args=lambda w: [w.district_order.url.strip("/") + "/"],
        allowed=("obolon_official", "obolon_director", "don_official"),
        outsiders=("darnytsia_official", "darnytsia_director"),
    ),
    "wagtaildocs_serve": Case(
        args=lambda w: [w.office_document.pk, w.office_document.filename],
        allowed=("obolon_official", "darnytsia_official", "don_official"),
        outsiders=("obolon_director", "darnytsia_director"),  # the order is for district offices
    ),
    "wagtailapi:pages:listing": Case(
        allowed=ALL_PERSONAS,
        anonymous=403,
        query={"type": "cms.RegulationPage", "fields": "title", "limit": 100},
        hidden={"darnytsia_director": lambda w: w.district_order.title},
    ),
    "wagtailapi:pages:detail": Case(
        args=lambda w: [w.district_order.pk],
        allowed=("obolon_official", "obolon_director", "don_official"),
        outsiders=("darnytsia_official", "darnytsia_director"),
        anonymous=403,
    ),
    "wagtailapi:pages:find": Case(
        query={"html_path": "/district-orders/obolonskyi/demo-obolon-nakaz/"},
        allowed=("obolon_official", "obolon_director", "don_official"),
        outsiders=("darnytsia_official", "darnytsia_director"),
        anonymous=403,
    ),
}


def url_names(patterns=None, namespace="", prefix=""):
    """Every named URL of the project, with its namespace; unnamed ones as '<unnamed ...>'.

    The Wagtail admin (/admin/) is left to `test_the_admin_is_for_editors_only` and to the
    workflow tests: its hundreds of views check Wagtail's own permissions.
    """
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner_prefix = prefix + str(pattern.pattern)
            if inner_prefix.startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern.url_patterns, inner, inner_prefix)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_url_is_covered():
    names = set(url_names())
    uncovered = names - PUBLIC - set(CASES)
    assert not uncovered, f"URLs neither public nor tested for access: {sorted(uncovered)}"
    assert not (set(CASES) | PUBLIC) - names, "entries here for URLs that no longer exist"


@pytest.fixture
def world(world):
    """The personas plus one object of each kind, belonging to Оболонський's first school."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cms.models import RegulationPage
    from portal.circulars.services import Audience, reply, send_circular
    from portal.messaging.services import start_conversation
    from portal.notifications.services import notify

    pdf = b"%PDF-1.4\n%%EOF\n"
    (world.notification,) = notify([world.obolon_director], title="Тестове сповіщення")
    world.circular = send_circular(
        world.obolon_official,
        subject="Лист Оболонського РУО",
        body="Текст",
        audience=Audience(to_schools=False, schools=[world.obolon_school, world.obolon_school_2]),
        files=[SimpleUploadedFile("a.pdf", pdf)],
    )
    world.circular_file = world.circular.attachments.get()
    delivery = world.circular.deliveries.get(institution=world.obolon_school)
    reply(world.obolon_director, delivery, "Відповідь", [SimpleUploadedFile("b.pdf", pdf)])
    world.reply_file = delivery.attachments.get()
    world.conversation = start_conversation(
        world.obolon_director, world.obolon, subject="Розмова з РУО", body="Текст",
        files=[SimpleUploadedFile("c.pdf", pdf)],
    )  # fmt: skip
    world.message_file = world.conversation.messages.get().attachments.get()
    world.district_order = RegulationPage.objects.get(slug="demo-obolon-nakaz")
    world.office_document = RegulationPage.objects.get(slug="demo-don-ukryttia").attachments.get().document
    return world


def request(client, case, world):
    url = reverse(name_of(case), args=case.args(world))
    return getattr(client, case.method)(url, case.query) if case.query else getattr(client, case.method)(url)


def name_of(case):
    return next(name for name, c in CASES.items() if c is case)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_anonymous_are_sent_to_log_in(world, client, name):
    case = CASES[name]
    response = request(client, case, world)
    if case.anonymous is not None:
        assert response.status_code == case.anonymous, name
        return
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("home:index") + "?next="), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_allowed_get_in(world, client_for, name):
    case = CASES[name]
    for persona in case.allowed:
        response = request(client_for(world[persona]), case, world)
        assert response.status_code in (200, 302), (name, persona, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("home:index") + "?next="), (name, persona)
        for viewer, text in case.hidden.items():
            if viewer == persona:
                assert text(world) not in response.content.decode(), (name, persona)


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.wrong_role))
def test_the_wrong_role_is_refused(world, client_for, name):
    case = CASES[name]
    for persona in case.wrong_role:
        assert request(client_for(world[persona]), case, world).status_code == 403, (name, persona)


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.outsiders))
def test_outsiders_find_nothing(world, client_for, name):
    case = CASES[name]
    for persona in case.outsiders:
        assert request(client_for(world[persona]), case, world).status_code == 404, (name, persona)


def test_public_pages_open_without_login(world, client):
    assert client.get(reverse("home:index")).status_code == 200
    assert client.get(reverse("home:health")).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("accounts:password_reset_done")).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200
    bad_link = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert "Посилання не діє" in bad_link.content.decode()


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/documents/", "/admin/users/"])
def test_the_admin_is_for_editors_only(world, client, client_for, url):
    assert client.get(url)["Location"].startswith("/?next=")
    for persona in ("obolon_director", "don_official", "obolon_staff"):
        response = client_for(world[persona]).get(url)
        assert response.status_code in (302, 403), (url, persona)
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin"), (url, persona)
    assert client_for(world.don_editor).get("/admin/").status_code == 200
    # Accounts are managed in the portal, not in the admin, even by its editors.
    assert client_for(world.don_editor).get("/admin/users/").status_code in (302, 403)
