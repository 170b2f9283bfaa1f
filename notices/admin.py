"""The notices as the operators look them up: what waits, what was sent, and why a mail was refused.
Read only: notices are stored by the workflow and sent by ``send_notifications``."""

from django.contrib import admin

from notices.models import Notice, NoticePreferences


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "goal", "state", "sent_at", "attempts"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient__username", "recipient__email", "goal__title"]
    list_select_related = ["recipient", "goal"]
    raw_id_fields = ["recipient", "goal", "follow_up", "reporting_period", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoticePreferences)
class NoticePreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery", "reminders", "language", "last_digest_at"]
    list_filter = ["delivery", "reminders", "language"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
