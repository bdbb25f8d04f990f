"""Django admin for users (e-mail login), organisations and the audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import UserChangeForm, UserCreationForm
from .models import AuditEvent, Membership, Organisation, User


class MembershipInlineForUser(admin.TabularInline):
    """Read-only list of the user's organisations; edit them from the organisation."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("organisation", "role", "created_at")
    readonly_fields = fields
    verbose_name = _("adhésion")
    verbose_name_plural = _("organisations (à modifier depuis la fiche de l'organisation)")

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Informations personnelles"), {"fields": ("full_name",)}),
        (
            _("Droits"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Dates importantes"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = (MembershipInlineForUser,)

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list:
        # No inline on the add form: memberships are added once the user exists.
        return list(self.inlines) if obj is not None else []


class MembershipInlineFormSet(BaseInlineFormSet):
    """Refuse to leave an organisation that had administrators without any."""

    def clean(self) -> None:
        super().clean()
        had_admin = any(
            form.initial.get("role") == Membership.Role.ADMIN for form in self.initial_forms
        )
        if not had_admin:
            return
        still_admin = any(
            form.cleaned_data.get("role") == Membership.Role.ADMIN
            and not form.cleaned_data.get("DELETE")
            for form in self.forms
            if hasattr(form, "cleaned_data") and form.cleaned_data
        )
        if not still_admin:
            raise ValidationError(
                _("L'organisation doit garder au moins un·e administrateur·rice.")
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = _("membre")
    verbose_name_plural = _("membres")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "siret", "member_count", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "siret")
    ordering = ("name",)
    readonly_fields = ("created_at",)
    fields = ("name", "kind", "siret", "created_at")
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("membres"), ordering="_member_count")
    def member_count(self, obj: Organisation) -> int:
        return obj._member_count  # type: ignore[attr-defined]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "verb", "target")
    list_filter = ("verb",)
    search_fields = ("verb", "target", "actor__email")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = ("created_at", "actor", "verb", "target", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
