import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.files import AttachmentsField


class CorrespondentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == "school" and obj.district_id:
            return f"{obj.display_name} ({obj.district.short_name})"
        return obj.display_name


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = AttachmentsField(label=_("Attachments"))
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class NewConversationForm(MessageForm):
    to = CorrespondentField(label=_("Addressee"), queryset=None, empty_label=_("Choose the institution"))
    subject = forms.CharField(label=_("Subject"), max_length=300)
    field_order = ["to", "subject", "body", "files"]

    def __init__(self, *args, correspondents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = correspondents.select_related("district").order_by("kind", "sort_name")
