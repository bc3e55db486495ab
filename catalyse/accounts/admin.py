from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "role", "email_verified", "totp_enabled", "is_active"]
    list_filter = ["role", "email_verified", "totp_enabled", "is_active"]
    search_fields = ["email", "display_name"]
    fields = ["email", "display_name", "role", "email_verified", "is_active", "is_staff", "show_name_publicly",
              "show_testimonies_publicly", "totp_enabled"]
    # Changed only through the action below, which is audited and tells the person.
    readonly_fields = ["totp_enabled"]
    actions = ["second_factor_reset"]

    @admin.action(description=_("Réinitialiser la double authentification (appareil perdu)"),
                  permissions=["change"])
    def second_factor_reset(self, request, queryset) -> None:
        people = list(queryset.filter(Q(totp_enabled=True) | ~Q(totp_secret="")))
        for person in people:
            services.totp_disable(person, by=request.user)
        self.message_user(request, ngettext(
            "Double authentification réinitialisée pour %(count)d personne : elle en a été avertie par courriel.",
            "Double authentification réinitialisée pour %(count)d personnes : elles en ont été averties par "
            "courriel.", len(people)) % {"count": len(people)}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "content_type", "object_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
