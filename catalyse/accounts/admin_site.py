"""The Django admin, entered only through the site's own sign-in.

Django's admin has its own password form: it would skip the sign-in throttling, the second factor and the
audit of `accounts.views.login_view`. Its sign-in page therefore sends to the site's, and an account with a
second factor reaches the admin only from a session that passed it.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from . import services


class CatalyseAdminSite(admin.AdminSite):
    site_header = "Catalyse — administration"

    def login(self, request, extra_context=None):
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, reverse("accounts:login"))

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and services.second_factor_satisfied(request)
