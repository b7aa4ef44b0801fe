from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.institutions.models import Institution

from .models import Action, Position


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    error_messages = {
        "invalid_login": _("Wrong login or password. Check the keyboard layout and Caps Lock."),
        "inactive": _("This account is deactivated. Ask your district office or the department."),
    }


class AccountCreateForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class AccountFilterForm(forms.Form):
    STATE_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("never", _("Never logged in")),
        ("pending", _("Awaiting password change")),
        ("inactive", _("Deactivated")),
    ]
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)


# The browser's date picker sends ISO dates whatever the locale.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All"))] + list(Action.choices), required=False)
    login = forms.CharField(label=_("Login"), required=False)
    institution = forms.CharField(label=_("Institution"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
