"""Circulars: who writes to whom, acknowledgement and replies, the sender's table, reminders."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from portal.accounts.models import Position, User
from portal.circulars.models import Circular, Delivery, DeliveryState, Expected, Importance
from portal.circulars.services import Audience, acknowledge, reply, send_circular, send_reminders
from portal.institutions.models import Institution, Kind
from portal.notifications.models import Notification

from .personas import person

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def send(author, audience=None, **kwargs):
    kwargs.setdefault("subject", "Про підготовку до опалювального сезону")
    kwargs.setdefault("body", "Просимо до 15.10 подати акти готовності.")
    return send_circular(author, audience=audience or Audience(), **kwargs)


def test_the_department_writes_to_every_institution(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        circular = send(world.don_official, Audience(to_offices=True, to_schools=True))
    working = Institution.objects.working().exclude(kind=Kind.CITY)
    assert set(circular.deliveries.values_list("institution_id", flat=True)) == set(
        working.values_list("pk", flat=True)
    )
    recipients = User.objects.filter(institution__in=working, is_active=True)
    assert Notification.objects.filter(url=circular.get_absolute_url()).count() == recipients.count()
    assert not Notification.objects.filter(recipient=world.don_official).exists()


def test_the_department_narrows_by_district_and_type_and_adds_chosen_schools(world):
    lyceums = Audience(districts=[world.obolon], types=["ліцей"], schools=[world.darnytsia_school])
    circular = send(world.don_official, lyceums)
    got = Institution.objects.filter(deliveries__circular=circular)
    expected = set(Institution.objects.schools().working().filter(district=world.obolon, institution_type="ліцей"))
    assert set(got) == expected | {world.darnytsia_school}
    offices = send(world.don_official, Audience(to_offices=True, to_schools=False))
    assert set(Institution.objects.filter(deliveries__circular=offices)) == set(Institution.objects.districts())


def test_a_district_office_writes_only_to_its_own_schools(world):
    circular = send(world.obolon_staff, Audience(to_offices=True, schools=[world.darnytsia_school]))
    institutions = Institution.objects.filter(deliveries__circular=circular)
    assert set(institutions) == set(Institution.objects.schools().working().filter(district=world.obolon))


def test_schools_and_editors_send_no_circulars(world, client_for):
    with pytest.raises(PermissionDenied):
        send(world.obolon_director)
    assert client_for(world.obolon_director).get(reverse("circulars:compose")).status_code == 403
    assert client_for(world.don_editor).get(reverse("circulars:compose")).status_code == 403


def test_an_empty_audience_and_a_past_deadline_are_refused(world):
    with pytest.raises(ValidationError):
        send(world.obolon_staff, Audience(to_schools=True, types=["університет"]))
    with pytest.raises(ValidationError):
        send(world.obolon_staff, deadline=timezone.now() - timedelta(hours=1))


def test_the_compose_form_sends_once_however_often_it_is_posted(world, client_for):
    client = client_for(world.obolon_official)
    page = client.get(reverse("circulars:compose")).content.decode()
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    form = {
        "subject": "<b>Увага</b>: нарада",
        "body": "<script>alert(1)</script>\nПросимо бути.",
        "importance": Importance.IMPORTANT,
        "expected": Expected.ACKNOWLEDGE,
        "deadline": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "to_schools": "on",
        "client_token": token,
    }
    first = client.post(reverse("circulars:compose"), form)
    second = client.post(reverse("circulars:compose"), form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    circular = Circular.objects.get(author=world.obolon_official)
    page = client_for(world.obolon_director).get(circular.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;Увага&lt;/b&gt;" in page


def test_attachments_are_checked_and_served_only_to_those_who_see_the_circular(world, client_for, settings):
    fake = SimpleUploadedFile("наказ.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    client = client_for(world.obolon_official)
    page = client.post(
        reverse("circulars:compose"),
        {"subject": "Наказ", "body": "Додається", "importance": "normal", "expected": "acknowledge",
         "to_schools": "on", "client_token": "6f1c6d8e-3a7e-4a8e-9a43-1f0c0f5d2b11", "files": [fake]},
    )  # fmt: skip
    assert page.status_code == 200
    assert "не є справжнім файлом PDF" in page.content.decode()
    assert not Circular.objects.exists()

    settings.EKABINET_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("звіт.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    exe = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    errors = client.post(
        reverse("circulars:compose"),
        {"subject": "x", "body": "x", "importance": "normal", "expected": "acknowledge", "to_schools": "on",
         "client_token": "6f1c6d8e-3a7e-4a8e-9a43-1f0c0f5d2b12", "files": [big, exe]},
    ).content.decode()  # fmt: skip
    assert "більший за 1 МБ" in errors and "цей тип файлів не приймається" in errors

    good = SimpleUploadedFile("наказ.pdf", PDF, content_type="application/pdf")
    circular = send(world.obolon_staff, files=[good])
    attachment = circular.attachments.get()
    url = reverse("circulars:attachment", args=[circular.pk, attachment.pk])
    response = client_for(world.obolon_director).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client_for(world.darnytsia_director).get(url).status_code == 404


def test_the_lifecycle_of_a_circular(world, client_for, django_capture_on_commit_callbacks):
    circular = send(world.obolon_official, expected=Expected.REPLY, deadline=timezone.now() + timedelta(days=3))
    delivery = Delivery.objects.get(circular=circular, institution=world.obolon_school)
    assert delivery.state == DeliveryState.DELIVERED

    director = client_for(world.obolon_director)
    page = director.get(circular.get_absolute_url()).content.decode()
    assert "Відповісти" in page or "Надіслати відповідь" in page
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.READ and delivery.read_by == world.obolon_director

    director.post(reverse("circulars:acknowledge", args=[circular.pk]))
    director.post(reverse("circulars:acknowledge", args=[circular.pk]))
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == world.obolon_director
    assert delivery.state == DeliveryState.ACKNOWLEDGED and not delivery.is_done  # a reply is expected

    report = SimpleUploadedFile("акт.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        director.post(reverse("circulars:reply", args=[circular.pk]), {"text": "Акт додаємо.", "files": [report]})
    director.post(reverse("circulars:reply", args=[circular.pk]), {"text": "Повтор"})  # a retry changes nothing
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.REPLIED and delivery.reply_text == "Акт додаємо."
    assert delivery.attachments.count() == 1
    assert Notification.objects.filter(recipient=world.obolon_official, kind="circular_reply").count() == 1

    table = client_for(world.obolon_official).get(circular.get_absolute_url()).content.decode()
    assert "Акт додаємо." in table and f'data-delivery="{delivery.pk}"' in table
    reply_file = reverse("circulars:reply_attachment", args=[circular.pk, delivery.attachments.get().pk])
    assert client_for(world.obolon_official).get(reply_file).status_code == 200
    assert client_for(world.obolon_deputy).get(reply_file).status_code == 200  # the same school
    assert client_for(world.darnytsia_official).get(reply_file).status_code == 404


def test_only_the_recipient_answers(world, client_for):
    circular = send(world.obolon_official, Audience(to_schools=False, schools=[world.obolon_school]))
    delivery = circular.deliveries.get()
    with pytest.raises(PermissionDenied):
        acknowledge(world.obolon_official, delivery)
    with pytest.raises(PermissionDenied):
        reply(world.obolon_director.__class__.objects.get(pk=world.darnytsia_director.pk), delivery, "Чужа відповідь")
    assert (
        client_for(world.obolon_official).post(reverse("circulars:acknowledge", args=[circular.pk])).status_code == 403
    )
    assert client_for(world.darnytsia_director).get(circular.get_absolute_url()).status_code == 404
    assert (
        client_for(world.darnytsia_director).post(reverse("circulars:acknowledge", args=[circular.pk])).status_code
        == 404
    )


def test_a_district_follows_the_departments_circular_for_its_own_schools(world, client_for):
    circular = send(world.don_official, Audience(to_schools=True))
    acknowledge(world.obolon_director, circular.deliveries.get(institution=world.obolon_school))
    acknowledge(world.darnytsia_director, circular.deliveries.get(institution=world.darnytsia_school))
    page = client_for(world.obolon_official).get(circular.get_absolute_url()).content.decode()
    rows = re.findall(r'data-delivery="(\d+)"', page)
    obolon = set(circular.deliveries.filter(institution__district=world.obolon).values_list("pk", flat=True))
    assert {int(r) for r in rows} == obolon
    followed = client_for(world.obolon_official).get(reverse("circulars:followed")).content.decode()
    assert circular.subject in followed
    assert client_for(world.obolon_director).get(reverse("circulars:followed")).status_code == 403


def test_the_sender_filters_and_exports_the_table(world, client_for):
    circular = send(world.obolon_official)
    acknowledge(world.obolon_director, circular.deliveries.get(institution=world.obolon_school))
    client = client_for(world.obolon_official)
    only_ack = client.get(circular.get_absolute_url(), {"state": DeliveryState.ACKNOWLEDGED}).content.decode()
    assert re.findall(r'data-delivery="(\d+)"', only_ack) == [
        str(circular.deliveries.get(institution=world.obolon_school).pk)
    ]
    response = client.get(reverse("circulars:export", args=[circular.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Заклад / установа"))
    body = rows[header + 1 :]
    assert len(body) == circular.deliveries.count()
    states = {r[0]: r[3] for r in body}
    assert states[world.obolon_school.name] == "ознайомлено"
    assert client_for(world.darnytsia_official).get(reverse("circulars:export", args=[circular.pk])).status_code == 404


def test_reminders_go_to_those_who_owe_and_not_twice_a_day(world, django_capture_on_commit_callbacks):
    second = person(world.obolon_school_2, Position.DIRECTOR)
    start = timezone.now()
    circular = send(world.obolon_official, deadline=start + timedelta(days=3), importance=Importance.NORMAL)
    acknowledge(world.obolon_director, circular.deliveries.get(institution=world.obolon_school))
    owing = circular.deliveries.count() - 1
    with freeze_time(start + timedelta(days=1)):
        assert send_reminders() == 0  # the deadline is still two days away
    with freeze_time(start + timedelta(days=2, hours=1)), django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == owing  # due within a day
        assert send_reminders() == 0
    with freeze_time(start + timedelta(days=3, minutes=30)):
        assert send_reminders() == 0  # overdue now, but reminded less than a day ago
    out = io.StringIO()
    with freeze_time(start + timedelta(days=3, hours=1, minutes=1)), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert f"Надіслано нагадувань: {owing}." in out.getvalue()
    reminders = Notification.objects.filter(kind="reminder", url=circular.get_absolute_url())
    # The acknowledged school hears nothing more; the other one got both reminders.
    assert not reminders.filter(recipient__in=[world.obolon_director, world.obolon_deputy]).exists()
    titles = list(reminders.filter(recipient=second).order_by("pk").values_list("title", flat=True))
    assert [t.split(":")[0] for t in titles] == ["Термін спливає", "Прострочено"]
    assert Delivery.objects.get(circular=circular, institution=world.obolon_school_2).reminders == 2


def test_the_sender_reminds_the_overdue_from_the_table(world, client_for):
    start = timezone.now()
    circular = send(world.obolon_official, deadline=start + timedelta(hours=2))
    with freeze_time(start + timedelta(hours=3)):
        client = client_for(world.obolon_official)
        client.post(reverse("circulars:remind", args=[circular.pk]))
        assert Delivery.objects.filter(circular=circular, reminders=1).count() == circular.deliveries.count()
        assert (
            client_for(world.obolon_director).post(reverse("circulars:remind", args=[circular.pk])).status_code == 403
        )
        page = client.get(circular.get_absolute_url()).content.decode()
        assert "state--overdue" in page


def test_urgent_circulars_are_emailed(world, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.obolon_director.pk).update(email="d@school.kyiv.ua")
    with django_capture_on_commit_callbacks(execute=True):
        send(world.obolon_official, importance=Importance.URGENT)
    assert [m.to for m in mail.outbox] == [["d@school.kyiv.ua"]]


def test_the_inbox_lists_what_the_institution_received(world, client_for):
    circular = send(world.obolon_official)
    inbox = client_for(world.obolon_deputy).get(reverse("circulars:inbox")).content.decode()
    assert circular.subject in inbox
    assert circular.subject not in client_for(world.darnytsia_director).get(reverse("circulars:inbox")).content.decode()
    sent = client_for(world.obolon_staff).get(reverse("circulars:sent")).content.decode()
    assert circular.subject in sent


def test_a_reply_that_looks_like_a_formula_stays_text_in_the_export(world, client_for):
    circular = send(world.obolon_official, expected=Expected.REPLY)
    reply(world.obolon_director, circular.deliveries.get(institution=world.obolon_school), '=HYPERLINK("http://evil")')
    response = client_for(world.obolon_official).get(reverse("circulars:export", args=[circular.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[7] for row in sheet.iter_rows(values_only=True) if row and row[0] == world.obolon_school.name]
    assert cells == ['\'=HYPERLINK("http://evil")']
