"""The document form of the Wagtail admin: the text is extracted while the editor waits, so a
broken or encrypted file is refused with a reason instead of being accepted silently."""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from .extraction import ExtractionError, extract_text


class RegulationDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and getattr(upload, "name", None):
            extension = upload.name.rsplit(".", 1)[-1] if "." in upload.name else ""
            try:
                self.instance.text = extract_text(upload, extension)
            except ExtractionError as error:
                raise ValidationError(str(error), code="unreadable") from error
        return upload
