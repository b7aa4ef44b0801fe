"""Uploaded files (attachments of circulars, replies and messages): checked, stored, served.

A file is accepted only if its extension is one of the document types people exchange and
its first bytes agree with that extension; it is served only through a view that checks who
may see the object it belongs to (never from a public media URL).
"""

from __future__ import annotations

import mimetypes
import os
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
    "zip": (ZIP,),
    "doc": (OLE,),
    "xls": (OLE,),
    "ppt": (OLE,),
    "rtf": (b"{\\rtf",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "txt": (),  # any UTF-8 text
    "csv": (),
}
MAX_FILES = 10


def max_upload_bytes() -> int:
    return settings.EKABINET_MAX_UPLOAD_MB * 1024 * 1024


def validate_upload(upload) -> None:
    """Refuse, in Ukrainian, a file that is too big, empty, or not the document it claims to be."""
    name = os.path.basename(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("«%(name)s»: this file type is not accepted. Allowed: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(SIGNATURES))}
        )
    if upload.size == 0:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": name})
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("«%(name)s» is larger than %(mb)d MB.") % {"name": name, "mb": settings.EKABINET_MAX_UPLOAD_MB}
        )
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    if signatures and not any(head.startswith(s) for s in signatures):
        raise ValidationError(
            _("«%(name)s» is not a real %(type)s file (its contents do not match the extension).")
            % {"name": name, "type": extension.upper()}
        )
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut multi-byte character at the end of the sample is fine; anything else is not text.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(_("«%(name)s» is not UTF-8 text.") % {"name": name}) from None


def upload_path(instance, filename: str) -> str:
    """Stored under a random name: a person's file name never becomes a path on the server."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.storage_folder}/{instance.storage_month()}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """An uploaded file kept with the object it belongs to."""

    storage_folder = "attachments"

    file = models.FileField(gettext_lazy("file"), upload_to=upload_path, max_length=300)
    name = models.CharField(gettext_lazy("file name"), max_length=255)
    size = models.PositiveBigIntegerField(gettext_lazy("size"))
    content_type = models.CharField(gettext_lazy("type"), max_length=100)
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @staticmethod
    def storage_month() -> str:
        from django.utils import timezone

        return timezone.now().strftime("%Y/%m")

    @classmethod
    def from_upload(cls, upload, **owner):
        name = os.path.basename(upload.name)[:255]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment = cls(name=name, size=upload.size, content_type=content_type, **owner)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        return attachment

    def response(self) -> FileResponse:
        return FileResponse(
            self.file.open("rb"), as_attachment=True, filename=self.name, content_type=self.content_type
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, each checked by `validate_upload`."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)d files at once.") % {"n": MAX_FILES})
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)
