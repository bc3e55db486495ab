from django.contrib import admin

from .models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "role", "email_verified", "totp_enabled", "is_active"]
    list_filter = ["role", "email_verified", "is_active"]
    search_fields = ["email", "display_name"]
    fields = ["email", "display_name", "role", "email_verified", "is_active", "is_staff", "show_name_publicly",
              "show_testimonies_publicly"]


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
