"""After a login with a one-time password, nothing opens until the password is changed."""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_URL_NAMES = {"accounts:password_change", "accounts:logout", "home:health"}


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        return redirect(reverse("accounts:password_change"))
