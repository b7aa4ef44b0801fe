from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Institution, Status

SORTS = {
    "name": "sort_name",
    "-name": "-sort_name",
    "type": "institution_type",
    "-type": "-institution_type",
    "pupils": "pupils",
    "-pupils": "-pupils",
    "district": "district__sort_name",
    "-district": "-district__sort_name",
}


class ContactsForm(forms.Form):
    phone = forms.CharField(
        label=_("phone"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("e-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )
    website = forms.URLField(
        label=_("website"),
        error_messages={"invalid": _("Enter a valid web address.")},
        max_length=300,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )

    @classmethod
    def for_institution(cls, institution, data=None):
        return cls(
            data, initial={"phone": institution.phone, "email": institution.email, "website": institution.website}
        )


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, ЄДЕБО or ЄДРПОУ"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Institution.objects.none(), required=False, empty_label=_("All districts")
    )
    institution_type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + list(Status.choices)
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, districts=None, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        if districts is None:
            del self.fields["district"]
        else:
            self.fields["district"].queryset = districts
        self.fields["institution_type"].choices = [("", _("Any type"))] + [(t, t) for t in types]

    def apply(self, queryset):
        if not self.is_valid():
            return queryset.order_by("sort_name")
        data = self.cleaned_data
        queryset = queryset.search(data["q"])
        if data.get("district"):
            queryset = queryset.filter(district=data["district"])
        if data["institution_type"]:
            queryset = queryset.filter(institution_type=data["institution_type"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        order = SORTS.get(data["sort"] or "name")
        nulls = "pupils" in order
        if nulls:
            from django.db.models import F

            field = F(order.lstrip("-"))
            expression = field.desc(nulls_last=True) if order.startswith("-") else field.asc(nulls_last=True)
            return queryset.order_by(expression, "sort_name")
        return queryset.order_by(order, "sort_name")
