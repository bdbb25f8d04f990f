"""Forms of the accounts app: e-mail login and the admin's user forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    UsernameField,
)
from django.contrib.auth.forms import (
    UserChangeForm as BaseUserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from .managers import normalise_email
from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Login with an e-mail address (case-insensitive) and a password."""

    username = UsernameField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username"))


class _EmailFormMixin:
    cleaned_data: dict

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email"))


class UserCreationForm(_EmailFormMixin, AdminUserCreationForm):
    """Admin form to create a user from an e-mail address."""

    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(_EmailFormMixin, BaseUserChangeForm):
    """Admin form to change a user."""

    class Meta:
        model = User
        fields = "__all__"
