"""Back-office for editions."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Edition, EditionSection, PhotoCredit


class EditionSectionInline(admin.StackedInline):
    model = EditionSection
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = [("title", "slug"), ("placement", "order"), "body"]


class PhotoCreditInline(admin.TabularInline):
    model = PhotoCredit
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "year", "status", "published_at"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["foreword", "subtitle"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [EditionSectionInline, PhotoCreditInline]
    fieldsets = [
        (None, {"fields": [("kind", "year"), "subtitle", ("status", "published_at", "published_by")]}),
        (_("Voorwoord"), {"fields": ["foreword", ("foreword_signatory", "foreword_signatory_role")]}),
        (_("Colofon"), {"fields": ["editorial_credit", "design_credit", "responsible_publisher", "publisher_address", "copyright_note"]}),
    ]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone
        if obj.status == "published" and obj.published_at is None:
            obj.published_at = timezone.now()
            obj.published_by = request.user
        super().save_model(request, obj, form, change)
