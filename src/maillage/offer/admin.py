"""Django admin for platform staff: a safety net, not the everyday editor
(structures edit their own entries through the site)."""

from django.contrib import admin
from django.db import models

from .models import Antenna, Contact, Dispositif, ModerationEvent, SessionPlace, Structure, Zone


class AntennaInline(admin.TabularInline):
    model = Antenna
    extra = 0
    autocomplete_fields = ["commune"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


# Web addresses typed without a scheme are https (Django 6's default).
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_status", "to_status", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "moderation_status", "updated_at"]
    list_filter = ["moderation_status", "legal_form"]
    search_fields = ["name", "ref", "siret", "commune__name"]
    autocomplete_fields = ["commune", "organisation"]
    inlines = [AntennaInline, ContactInline, ModerationEventInline]
    formfield_overrides = URL_HTTPS


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0


class SessionPlaceInline(admin.TabularInline):
    model = SessionPlace
    extra = 0
    autocomplete_fields = ["commune"]


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = ["name", "structure", "is_template", "updated_at"]
    list_filter = ["is_template"]
    search_fields = ["name", "ref", "structure__name"]
    autocomplete_fields = ["structure", "co_operators", "next_steps", "origin"]
    inlines = [ZoneInline, SessionPlaceInline]
    formfield_overrides = URL_HTTPS
