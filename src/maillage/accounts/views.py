"""Login, logout and the profile page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .forms import EmailAuthenticationForm
from .models import Membership


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); redirects to LOGOUT_REDIRECT_URL."""


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            Membership.objects.for_user(self.request.user)
            .select_related("organisation")
            .order_by("organisation__name", "organisation__pk")
        )
        return context


login = LoginView.as_view()
logout = LogoutView.as_view()
profile = ProfileView.as_view()
