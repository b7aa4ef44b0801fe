"""The regulatory base: editorial workflow, readers' listing and archive, versions, audience,
attachments and their text, the headless API. On the demo content the test database holds."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from cms.demo import make_docx, make_pdf
from cms.extraction import ExtractionError, extract_text
from cms.models import DistrictSectionPage, RegulationPage, RegulationSectionPage, Status
from cms.versions import published_revisions
from portal.notifications.models import Notification

ENTRY = {
    "key": "test",
    "title": "Про затвердження Положення про шкільну бібліотеку",
    "number": "58",
    "adopted": date(2024, 1, 22),
    "summary": "Порядок роботи бібліотеки закладу загальної середньої освіти.",
    "points": ["Бібліотека формує фонд підручників.", "Працює за планом, затвердженим директором."],
}


def section(slug="ministry"):
    return RegulationSectionPage.objects.get(slug=slug)


def add_form(client, parent):
    url = reverse("wagtailadmin_pages:add", args=["cms", "regulationpage", parent.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return url, querydict_from_html(response.content.decode(), form_id="page-edit-form")


def draft_and_submit(client, parent, title="Про організацію освітнього процесу в закладах освіти", **fields):
    """An editor fills the add form in the admin and presses «Submit to moderation»."""
    url, data = add_form(client, parent)
    data.update(
        {
            "title": title,
            "slug": re.sub(r"[^a-z0-9]+", "-", fields.pop("slug", "test-order")),
            "doc_kind": "order",
            "number": "1234",
            "adopted_on": "01.09.2026",
            "issuing_body": "mon",
            "status": "in_force",
            "summary": "Стислий виклад, написаний редактором.",
            "audience": "everyone",
            "body-count": "0",
            "action-submit": "1",
            **fields,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegulationPage.objects.get(title=title)


def act(client, page, action, comment=""):
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.current_task_state.pk])
    return client.post(url, {"comment": comment} if comment else {})


# --- the editorial workflow ----------------------------------------------------------------------


def test_an_editor_cannot_publish_an_approver_can(world, client_for, django_capture_on_commit_callbacks):
    editor = client_for(world.don_editor)
    url, data = add_form(editor, section())
    data.update({"title": "Спроба опублікувати без затвердження", "slug": "no-approval", "doc_kind": "order",
                 "adopted_on": "01.09.2026", "issuing_body": "mon", "status": "in_force", "audience": "everyone",
                 "body-count": "0", "action-publish": "1"})  # fmt: skip
    editor.post(url, data)
    attempt = RegulationPage.objects.get(slug="no-approval")
    assert not attempt.live  # saved as a draft, not published

    with django_capture_on_commit_callbacks(execute=True):
        page = draft_and_submit(editor, section(), slug="approved")
    assert not page.live
    assert Notification.objects.filter(recipient=world.don_approver, title__contains=page.title).exists()
    assert not Notification.objects.filter(recipient=world.obolon_official, title__contains=page.title).exists()

    # The editor cannot approve their own submission; the approver can.
    assert act(editor, page, "approve").status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    act(client_for(world.don_approver), page, "approve")
    page.refresh_from_db()
    assert page.live
    assert Notification.objects.filter(recipient=world.don_editor, title__startswith="Затверджено").exists()
    actions = list(PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True))
    assert "wagtail.workflow.start" in actions and "wagtail.publish" in actions
    assert "wagtail.workflow.approve" in actions


def test_a_rejection_carries_a_comment_back_to_the_editor(world, client_for):
    page = draft_and_submit(client_for(world.don_editor), section(), slug="to-reject")
    response = act(client_for(world.don_approver), page, "reject", comment="Додайте номер і дату наказу.")
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.filter(object_id=str(page.pk)).latest("created_at")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.get(recipient=world.don_editor, title__startswith="Повернуто на доопрацювання")
    assert note.body == "Додайте номер і дату наказу."
    reject = PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject")
    assert reject.user == world.don_approver
    history = client_for(world.don_editor).get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200 and "Додайте номер і дату наказу." in history.content.decode()


def test_a_district_editor_works_only_in_the_districts_own_section(world, client_for):
    obolon = DistrictSectionPage.objects.get(district=world.obolon)
    darnytsia = DistrictSectionPage.objects.get(district=world.darnytsia)
    editor = client_for(world.obolon_editor)
    page = draft_and_submit(editor, obolon, title="Про підготовку до зими в Оболонському районі", slug="zyma")
    assert page.owner_district == world.obolon and page.audience == "everyone"
    assert Notification.objects.filter(recipient=world.obolon_official, title__contains=page.title).exists()
    assert not Notification.objects.filter(recipient=world.don_approver, title__contains=page.title).exists()

    other_add = reverse("wagtailadmin_pages:add", args=["cms", "regulationpage", darnytsia.pk])
    assert editor.get(other_add).status_code in (302, 403)
    foreign = RegulationPage.objects.get(slug="demo-darnytsia-nakaz")
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[foreign.pk])).status_code in (302, 403)
    city = RegulationPage.objects.get(slug="pzso-2020")
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[city.pk])).status_code in (302, 403)
    # The explorer shows the district editor its own section, not the others.
    explorer = editor.get(reverse("wagtailadmin_explore_root"), follow=True)
    assert explorer.redirect_chain[-1][0] == reverse("wagtailadmin_explore", args=[obolon.pk])
    assert "Оболонський район" in explorer.content.decode() and "Дарницький район" not in explorer.content.decode()

    act(client_for(world.obolon_official), page, "approve")  # the district head approves
    page.refresh_from_db()
    assert page.live
    assert client_for(world.darnytsia_director).get(page.url).status_code == 404
    assert client_for(world.obolon_director).get(page.url).status_code == 200


def test_scheduled_publishing(world, client_for):
    go_live = timezone.localtime() + timedelta(days=2)
    page = draft_and_submit(
        client_for(world.don_editor), section(), slug="scheduled", go_live_at=go_live.strftime("%d.%m.%Y %H:%M")
    )
    act(client_for(world.don_approver), page, "approve")
    page.refresh_from_db()
    assert not page.live and page.scheduled_revision is not None
    with freeze_time(go_live + timedelta(minutes=5)):
        call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live


# --- readers ------------------------------------------------------------------------------------


def listing(client, **query):
    page = client.get("/regulations/", query).content.decode()
    return re.findall(r'class="regulation-item__title" href="([^"]+)"', page), page


def test_the_listing_shows_what_is_in_force_by_default_and_filters(world, client_for):
    client = client_for(world.obolon_director)
    urls, _ = listing(client, status="any", sort="-date")
    default_urls, page = listing(client)
    lost = RegulationPage.objects.get(slug="zso-1999")
    assert lost.url not in default_urls  # «in force» is the default
    assert lost.url in listing(client, status="lost_force")[0]
    laws = listing(client, doc_kind="law")[0]
    assert RegulationPage.objects.get(slug="pzso-2020").url in laws
    assert RegulationPage.objects.get(slug="zarakhuvannia").url not in laws
    assert listing(client, year=2017, issuing_body="vru")[0] == [RegulationPage.objects.get(slug="osvita-2017").url]
    tagged = listing(client, tag="інклюзія")[0]
    assert RegulationPage.objects.get(slug="inkluziia-2021").url in tagged and len(tagged) == 3
    oldest = listing(client, status="any", sort="date")[0]
    assert oldest[0] == RegulationPage.objects.get(slug="osvita-1991").url
    assert "?page=2" in page or "page=2" in page  # 20 per page, more than 20 in force


def test_lost_force_goes_to_the_archive_by_itself_with_a_banner(world, client_for):
    page = RegulationPage.objects.get(slug="top-10-11")
    client = client_for(world.obolon_director)
    assert page.url not in client.get("/archive/").content.decode()
    page.status = Status.LOST_FORCE
    page.lost_force_on = date(2026, 9, 1)
    page.save_revision().publish()
    assert page.url in client.get("/archive/").content.decode()
    assert page.url not in listing(client)[0]
    banner = client.get(RegulationPage.objects.get(slug="atestatsiia-2010").url).content.decode()
    assert "Втратив чинність" in banner
    assert RegulationPage.objects.get(slug="atestatsiia-2022").url in banner  # what replaced it
    archive = client.get("/archive/", {"year": 2010}).content.decode()
    assert RegulationPage.objects.get(slug="atestatsiia-2010").url in archive
    assert page.url not in archive


def test_readers_see_a_readable_diff_of_published_versions(world, client_for):
    page = RegulationPage.objects.get(slug="pzso-2020")
    entries = published_revisions(page)
    assert len(entries) == 2
    client = client_for(world.obolon_director)
    versions = client.get(page.url + "versions/").content.decode()
    compare = page.url + f"versions/{entries[0].revision_id}/{entries[1].revision_id}/"
    assert compare in versions
    diff = client.get(compare).content.decode()
    assert "<ins>Визначено права й обов&#x27;язки здобувачів освіти, батьків і педагогів.</ins>" in diff
    assert "<ins>Редакцію доповнено.</ins>" in diff
    assert '"content":' not in diff and "revision" not in diff.lower().split("<main")[1]
    # A draft (never published) is not a version a reader may open.
    draft = page.save_revision()
    assert client.get(page.url + f"versions/{entries[1].revision_id}/{draft.pk}/").status_code == 404


def test_a_regulation_page_shows_its_attachments_with_size_and_type(world, client_for):
    page = RegulationPage.objects.get(slug="osvita-2017")
    html = client_for(world.obolon_director).get(page.url).content.decode()
    for attachment in page.attachments.all():
        assert attachment.document.url in html
    assert "(PDF, " in html and "(DOCX, " in html and "Кб)" in html
    assert "data-print" in html


# --- audience -----------------------------------------------------------------------------------


def test_the_audience_decides_who_reads(world, client_for):
    for_offices = RegulationPage.objects.get(slug="demo-don-ukryttia")  # for district offices
    for_schools = RegulationPage.objects.get(slug="demo-letter-nmt")
    district_order = RegulationPage.objects.get(slug="demo-obolon-nakaz")
    cases = {
        "don_official": (200, 200, 200),
        "obolon_official": (200, 200, 200),
        "darnytsia_official": (200, 200, 404),
        "obolon_director": (404, 200, 200),
        "darnytsia_director": (404, 200, 404),
    }
    for persona, expected in cases.items():
        client = client_for(world[persona])
        got = tuple(client.get(p.url).status_code for p in (for_offices, for_schools, district_order))
        assert got == expected, persona
        visible = listing(client, status="any")[1]
        assert (for_offices.title in visible) == (expected[0] == 200) or "page=2" in visible
    assert client_for(None).get(for_schools.url)["Location"].startswith("/?next=")


def test_the_api_filters_and_applies_the_same_audience(world, client_for):
    client = client_for(world.obolon_director)
    response = client.get(
        "/api/v2/pages/",
        {"type": "cms.RegulationPage", "status": "in_force", "doc_kind": "law", "adopted_year": 2020,
         "fields": "number,status,attachment_links,tags", "limit": 50},
    )  # fmt: skip
    items = response.json()["items"]
    assert [i["number"] for i in items] == []  # 463-IX is «amended», not «in force»
    amended = client.get(
        "/api/v2/pages/",
        {"type": "cms.RegulationPage", "status": "amended", "issuing_body": "vru", "adopted_year": 2020,
         "fields": "number,attachment_links,tags"},
    ).json()["items"]  # fmt: skip
    assert [i["number"] for i in amended] == ["463-IX"]
    assert {a["file_type"] for a in amended[0]["attachment_links"]} == {"PDF", "DOCX"}
    tagged = client.get("/api/v2/pages/", {"type": "cms.RegulationPage", "tags": "інклюзія", "limit": 50}).json()
    assert tagged["meta"]["total_count"] == 4  # any status, unlike the listing's default

    hidden = RegulationPage.objects.get(slug="demo-don-ukryttia")
    listed = client.get("/api/v2/pages/", {"type": "cms.RegulationPage", "limit": 100, "fields": "title"}).json()
    assert hidden.pk not in [i["id"] for i in listed["items"]]
    assert client.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404
    assert client.get("/api/v2/pages/find/", {"html_path": hidden.url}).status_code == 404
    assert client_for(world.obolon_official).get(f"/api/v2/pages/{hidden.pk}/").status_code == 200
    assert client_for(None).get("/api/v2/pages/").status_code == 403


def test_documents_are_served_only_to_readers_of_their_page(world, client_for):
    document = RegulationPage.objects.get(slug="demo-don-ukryttia").attachments.get().document
    assert client_for(world.darnytsia_official).get(document.url).status_code == 200
    assert client_for(world.obolon_director).get(document.url).status_code == 404
    assert client_for(None).get(document.url)["Location"].startswith("/?next=")
    public = RegulationPage.objects.get(slug="osvita-2017").attachments.first().document
    assert client_for(world.obolon_director).get(public.url).status_code == 200


def test_publishing_notifies_the_audience_once(world):
    parent = section("letters")
    page = RegulationPage(
        title="Щодо організації харчування учнів", slug="kharchuvannia-lyst", doc_kind="letter", issuing_body="don",
        adopted_on=date(2026, 11, 2), audience="school", summary="Роз'яснення для закладів.",
    )  # fmt: skip
    parent.add_child(instance=page)
    page.save_revision().publish()
    notified = set(Notification.objects.filter(title__contains=page.title).values_list("recipient_id", flat=True))
    assert world.obolon_director.pk in notified and world.darnytsia_director.pk in notified
    assert world.don_official.pk in notified  # ДОН reads everything
    page.summary = "Уточнено."
    page.save_revision().publish()
    assert Notification.objects.filter(title__contains=page.title).count() == len(notified)  # not again

    for_city = RegulationPage(
        title="Внутрішній регламент ДОН", slug="rehlament", doc_kind="order", issuing_body="don",
        adopted_on=date(2026, 11, 3), audience="city",
    )  # fmt: skip
    parent.add_child(instance=for_city)
    for_city.save_revision().publish()
    recipients = set(
        Notification.objects.filter(title__contains="Внутрішній регламент").values_list("recipient_id", flat=True)
    )
    assert world.don_official.pk in recipients and world.obolon_director.pk not in recipients


# --- attachments: text extraction -----------------------------------------------------------------


def test_text_is_extracted_from_real_pdf_and_docx():
    pdf = make_pdf(ENTRY)
    if pdf is not None:
        text = extract_text(io.BytesIO(pdf), "pdf")
        assert "шкільну бібліотеку" in text and "Бібліотека формує фонд підручників." in text
    docx = extract_text(io.BytesIO(make_docx(ENTRY)), "docx")
    assert "Про затвердження Положення про шкільну бібліотеку" in docx and "№ 58 від 22.01.2024" in docx


def test_broken_and_encrypted_files_are_refused():
    from pypdf import PdfWriter

    with pytest.raises(ExtractionError, match="пошкоджений"):
        extract_text(io.BytesIO(b"%PDF-1.4 this is not really a pdf"), "pdf")
    with pytest.raises(ExtractionError, match="пошкоджений або зашифрований"):
        extract_text(io.BytesIO(b"PK\x03\x04 broken zip"), "docx")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(ExtractionError, match="зашифрований"):
        extract_text(encrypted, "pdf")


def test_the_editor_sees_why_a_document_was_refused(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.don_editor)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Наказ", "file": SimpleUploadedFile("nakaz.pdf", b"%PDF-1.4 broken", content_type="application/pdf"),
         "collection": 1},
    )  # fmt: skip
    assert response.status_code == 200 and "пошкоджений" in response.content.decode()
    good = SimpleUploadedFile("nakaz.docx", make_docx(ENTRY))
    response = client.post(reverse("wagtaildocs:add"), {"title": "Положення", "file": good, "collection": 1})
    assert response.status_code == 302
    from cms.models import RegulationDocument

    assert "шкільну бібліотеку" in RegulationDocument.objects.get(title="Положення").text


# --- query counts -------------------------------------------------------------------------------


def test_the_listing_query_count_does_not_grow_with_the_number_of_regulations(world, client_for):
    client = client_for(world.obolon_director)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/regulations/", {"status": "any"}).status_code == 200
        return len(queries)

    count()  # warm: Wagtail caches the site's root paths on the first request
    before = count()
    parent = section("recommendations")
    source = RegulationPage.objects.get(slug="osvita-2017")
    for n in range(40):
        page = RegulationPage(
            title=f"Методичні рекомендації № {n}", slug=f"mr-{n}", doc_kind="recommendations", issuing_body="mon",
            adopted_on=date(2030, 1, 1) + timedelta(days=n), summary="Для перевірки кількості запитів.",
        )  # fmt: skip
        page.tags.add("НУШ", f"тег-{n}")
        for attachment in source.attachments.all():
            page.attachments.add(type(attachment)(document=attachment.document))
        parent.add_child(instance=page)
        page.save_revision().publish()
    assert count() == before


def test_the_api_query_count_does_not_grow_with_the_page_size(world, client_for):
    client = client_for(world.obolon_director)

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                "/api/v2/pages/",
                {"type": "cms.RegulationPage", "limit": limit, "fields": "tags,attachment_links,relation_links"},
            )
            assert len(response.json()["items"]) == limit
        return len(queries)

    count(5)  # warm: Wagtail caches the site's root paths on the first request
    # A nested prefetch (documents, relation targets) runs only when some item has one; the
    # point is that 35 more items add no query each.
    assert count(40) - count(5) <= 1


def test_the_archive_query_count_does_not_grow_with_what_lost_force(world, client_for):
    client = client_for(world.obolon_director)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/archive/").status_code == 200
        return len(queries)

    count()
    before = count()
    for page in RegulationPage.objects.filter(status=Status.IN_FORCE)[:10]:
        page.status = Status.LOST_FORCE
        page.save_revision().publish()
    assert count() == before


def test_an_editor_fetches_the_documents_of_own_collections_only(world, client_for):
    from wagtail.models import Collection

    from cms.models import RegulationDocument

    # A ДОН draft's file, in the department's collection and attached to no published page yet.
    city_only = RegulationDocument.objects.create(
        title="Проєкт наказу ДОН", collection=Collection.get_first_root_node(), file="y.pdf"
    )
    city_only.file.save("draft.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"), save=True)
    editor = client_for(world.obolon_editor)
    assert editor.get(city_only.url).status_code == 404  # not in the district's collection
    assert client_for(world.don_editor).get(city_only.url).status_code == 200
    assert client_for(world.don_official).get(city_only.url).status_code == 404  # not an editor, no page

    own = RegulationDocument.objects.create(
        title="Наказ РУО (чернетка)", collection=Collection.objects.get(name="Оболонський район"), file="x.pdf"
    )
    own.file.save("own.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"), save=True)
    assert editor.get(own.url).status_code == 200
    assert client_for(world.darnytsia_official).get(own.url).status_code == 404


def test_relations_show_only_what_the_reader_may_read(world, client_for):
    target = RegulationPage.objects.get(slug="pzso-2020")
    draft = draft_and_submit(
        client_for(world.obolon_editor), DistrictSectionPage.objects.get(district=world.obolon),
        title="Таємна чернетка РУО", slug="secret", **{"relations-TOTAL_FORMS": "1", "relations-0-kind": "amends",
                                                        "relations-0-target": str(target.pk), "relations-0-ORDER": "1"},
    )  # fmt: skip
    assert draft.relations.exists() or not draft.live
    from cms.models import RegulationRelation

    if not RegulationRelation.objects.filter(page=draft).exists():  # the form stored it in the revision only
        RegulationRelation.objects.create(page=draft, kind="amends", target=target)
    for persona in ("obolon_director", "darnytsia_director", "don_official"):
        html = client_for(world[persona]).get(target.url).content.decode()
        assert "Таємна чернетка РУО" not in html, persona
    api = client_for(world.darnytsia_director).get(
        "/api/v2/pages/", {"type": "cms.RegulationPage", "fields": "relation_links", "limit": 100}
    )
    assert "Таємна чернетка РУО" not in api.content.decode()
