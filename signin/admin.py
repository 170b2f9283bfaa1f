from django.contrib import admin

from signin.models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Read-only: an identity is written by a sign-in, never by hand (a wrong subject id would
    let one person in as another)."""

    list_display = ["user", "subject", "issuer", "last_sign_in"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "subject"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
