import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.files import AttachmentsField
from portal.institutions.models import Institution
from portal.institutions.scope import CITY, scope_of

from .models import DeliveryState, Expected, Importance
from .services import Audience


class SchoolChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        district = obj.district.short_name.removesuffix(" район") if obj.district_id else ""
        return f"{obj.display_name} ({district})" if district else obj.display_name


class CircularForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    importance = forms.ChoiceField(label=_("Importance"), choices=Importance.choices, initial=Importance.NORMAL)
    expected = forms.ChoiceField(label=_("Expected from recipients"), choices=Expected.choices)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        help_text=_("Optional: by when to acknowledge or reply. Overdue institutions get reminders."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    files = AttachmentsField(label=_("Attachments"), help_text=_("Up to 10 files: PDF, DOCX, ODT, XLSX and the like."))
    to_offices = forms.BooleanField(label=_("District education offices (РУО)"), required=False)
    to_schools = forms.BooleanField(label=_("Schools"), required=False, initial=True)
    districts = forms.ModelMultipleChoiceField(
        label=_("Only these districts"),
        required=False,
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every district."),
    )
    types = forms.MultipleChoiceField(
        label=_("Only these types of school"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type."),
    )
    schools = SchoolChoiceField(
        label=_("And these schools"),
        required=False,
        queryset=Institution.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Chosen schools receive the circular whatever the boxes above say."),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, author, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.author = author
        schools = Institution.objects.visible_to(author).schools().working().select_related("district")
        self.fields["schools"].queryset = schools.order_by("district__sort_name", "sort_name")
        types = schools.order_by().values_list("institution_type", flat=True).distinct()
        self.fields["types"].choices = [(t, t) for t in sorted(set(types)) if t]
        if scope_of(author).level == CITY:
            self.fields["districts"].queryset = Institution.objects.districts().order_by("sort_name")
        else:
            del self.fields["to_offices"]
            del self.fields["districts"]

    def clean(self):
        data = super().clean()
        if not (data.get("to_offices") or data.get("to_schools") or data.get("schools")):
            raise forms.ValidationError(_("Choose the recipients: district offices, schools, or particular schools."))
        return data

    def audience(self) -> Audience:
        data = self.cleaned_data
        return Audience(
            to_offices=data.get("to_offices", False),
            to_schools=data.get("to_schools", False),
            districts=list(data.get("districts") or []),
            types=list(data.get("types") or []),
            schools=list(data.get("schools") or []),
        )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    files = AttachmentsField(label=_("Attachments"))


class DeliveryFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state"))] + list(DeliveryState.choices)
    )
    q = forms.CharField(label=_("Institution"), required=False)
