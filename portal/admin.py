"""Admin for what the portal uses from other apps."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own admin for authenticators adds pages that show a device's secret and QR
# code to any superuser (and answer an out-of-range id with a 500). Here a superuser only
# sees who has an authenticator and removes a lost one; its owner sets up a new one at
# /admin/2fa/, where only they see the secret.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
