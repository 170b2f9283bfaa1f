from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from treebeard.forms import movenodeform_factory

from goals.chain.forms import GoalPlacementForm
from goals.chain.models import Decision, Goal, Period, ReportingPeriod
from goals.chain.services import goal_carry_over, period_close
from goals.follow_up.models import FollowUp
from goals.indicators.kolada import KoladaError, kolada_import, summary_of
from goals.indicators.models import Indicator, IndicatorSource, Measurement, MeasurementImport, Target
from orgunits.admin import GuardedTreeAdmin, RecordedHistoryAdmin, VersionedAdmin
from orgunits.forms import VersionedModelForm


class ViewOnlyAdmin(admin.ModelAdmin):
    """For records that a workflow or an import writes: the admin only looks them up."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "term", "is_closed"]
    readonly_fields = ["is_closed"]  # closed by the action, which archives the year's goals too
    actions = ["carry_over", "close"]

    @admin.display(description=_("term of office"))
    def term(self, period: Period) -> str:
        return period.term_label

    @admin.action(description=_("Close the selected years and archive their decided goals"))
    def close(self, request, queryset):
        for period in queryset.order_by("year"):
            try:
                archived = period_close(period=period, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            message = ngettext(
                "%(year)d is closed; %(count)d goal archived.",
                "%(year)d is closed; %(count)d goals archived.",
                archived,
            )
            self.message_user(request, message % {"year": period.year, "count": archived}, messages.SUCCESS)

    @admin.action(description=_("Carry the goals over to the next year"))
    def carry_over(self, request, queryset):
        for period in queryset.order_by("year"):
            try:
                # A refused carry-over leaves no empty next year behind.
                with transaction.atomic():
                    next_period, _created = Period.objects.get_or_create(year=period.year + 1)
                    result = goal_carry_over(from_period=period, to_period=next_period)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                continue
            done = ngettext(
                "%(count)d goal carried over to %(year)d.",
                "%(count)d goals carried over to %(year)d.",
                result.copied,
            )
            self.message_user(
                request, done % {"count": result.copied, "year": next_period.year}, messages.SUCCESS
            )
            if result.skipped:
                left = ngettext(
                    "%(count)d goal of %(year)d was left behind: its unit, or the unit of a goal above it, is dissolved.",
                    "%(count)d goals of %(year)d were left behind: their unit, or the unit of a goal above them, is dissolved.",
                    result.skipped,
                )
                self.message_user(
                    request, left % {"count": result.skipped, "year": period.year}, messages.WARNING
                )


@admin.register(Goal)
class GoalAdmin(RecordedHistoryAdmin, GuardedTreeAdmin):
    form = movenodeform_factory(Goal, form=GoalPlacementForm)
    list_display = ["title", "level", "org_unit", "period", "status"]
    list_filter = ["period", "level", "status"]
    search_fields = ["title", "org_unit__name"]
    autocomplete_fields = ["owner"]
    # The status changes only through the workflow (submit, approve, send back), never by hand.
    readonly_fields = ["chain", "status", "return_comment"]
    list_select_related = ["org_unit", "period"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("org_unit", "period")

    def get_readonly_fields(self, request, obj=None):
        # What a decision approved changes only through a revision decided in turn (goal page).
        if obj is not None and obj.is_locked:
            return [*self.readonly_fields, *Goal.CONTENT_FIELDS, "processes"]
        return self.readonly_fields

    @admin.display(description=_("Steering chain"))
    def chain(self, goal):
        """The goals this one breaks down, from the vision down, each with its unit."""
        if goal.pk is None:
            return "–"
        line = [*Goal.objects.get_ancestors(goal).select_related("org_unit"), goal]
        return format_html_join(" → ", "{} ({})", ((item.title, item.org_unit.name) for item in line))


@admin.register(Decision)
class DecisionAdmin(RecordedHistoryAdmin, ViewOnlyAdmin):
    """Decisions are recorded through the approval workflow; here they are only looked up."""

    list_display = [
        "__str__",
        "deciding_unit",
        "delegated_by",
        "meeting_date",
        "registry_number",
        "recorded_by",
    ]
    list_filter = ["deciding_unit__kind"]
    search_fields = ["paragraph", "registry_number", "deciding_unit__name"]
    list_select_related = ["deciding_unit", "delegated_by", "recorded_by"]
    readonly_fields = ["delegated_by"]  # set by goal_approve alone (not editable): named to be shown
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today


class TargetInline(admin.TabularInline):
    model = Target
    form = VersionedModelForm  # a target changed meanwhile is not overwritten
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(RecordedHistoryAdmin, VersionedAdmin):
    list_display = ["code", "name", "source", "kolada_kpi", "unit_of_measure"]
    list_filter = ["source"]
    search_fields = ["code", "name", "kolada_kpi"]
    filter_horizontal = ["goals"]
    inlines = [TargetInline]
    actions = ["import_from_kolada"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "goals":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs["queryset"] = Goal.objects.select_related("org_unit", "period").order_by(
            "-period__year", "path"
        )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        # A carried-over goal keeps its title from year to year: the unit and the year tell them apart.
        field.label_from_instance = lambda goal: (
            f"{goal.title} ({goal.org_unit.short_name or goal.org_unit.name}, {goal.period.year})"
        )
        return field

    def has_import_kolada_permission(self, request):
        # The import adds and changes measurements, whoever may edit the indicator itself.
        return request.user.has_perms(["goals.add_measurement", "goals.change_measurement"])

    @admin.action(description=_("Import values from Kolada"), permissions=["import_kolada"])
    def import_from_kolada(self, request, queryset):
        """The selected indicators' values of the four years before this one, for the municipality
        of ``settings.KOLADA_MUNICIPALITY``."""
        indicators = list(queryset.order_by("code"))
        not_kolada = [i for i in indicators if i.source != IndicatorSource.KOLADA or not i.kolada_kpi]
        if not_kolada:
            self.message_user(
                request,
                _(
                    "Only indicators from Kolada, with a key figure id, are imported from Kolada; these are not: %(indicators)s."
                )
                % {"indicators": ", ".join(indicator.code for indicator in not_kolada)},
                messages.ERROR,
            )
            return
        this_year = timezone.localdate().year
        try:
            batch = kolada_import(
                kpis=sorted({indicator.kolada_kpi for indicator in indicators}),
                municipality=settings.KOLADA_MUNICIPALITY,
                years=range(this_year - 4, this_year),
                by=request.user,
            )
        except KoladaError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            _("Imported from Kolada (%(description)s): %(summary)s")
            % {"description": batch.description, "summary": summary_of(batch)},
            messages.SUCCESS,
        )
        if batch.skipped:
            skipped = ngettext(
                "%(count)d value was skipped; the import's notes say why.",
                "%(count)d values were skipped; the import's notes say why.",
                batch.skipped,
            )
            self.message_user(
                request,
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:goals_measurementimport_change", args=[batch.pk]),
                    skipped % {"count": batch.skipped},
                ),
                messages.WARNING,
            )


class ReportingPeriodChoices:
    """Reporting periods in a select box name their year: fetch it with them, not once per option."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reporting_period":
            kwargs["queryset"] = ReportingPeriod.objects.select_related("period")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Measurement)
class MeasurementAdmin(ReportingPeriodChoices, admin.ModelAdmin):
    list_display = ["indicator", "year", "reporting_period", "gender", "value", "source"]
    list_filter = ["source", "gender", "year"]
    search_fields = ["indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["entered_by", "entered_at", "batch"]  # recorded, never typed
    list_select_related = ["indicator", "reporting_period__period"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MeasurementImport)
class MeasurementImportAdmin(ViewOnlyAdmin):
    """Imports are recorded by the import itself; here they are only looked up."""

    list_display = [
        "imported_at",
        "kind",
        "description",
        "imported_by",
        "created",
        "updated",
        "unchanged",
        "skipped",
    ]
    list_filter = ["kind"]
    search_fields = ["description"]
    list_select_related = ["imported_by"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["period", "kind", "starts", "ends", "deadline", "is_open"]
    list_editable = ["starts", "ends", "deadline", "is_open"]
    list_filter = ["period", "kind", "is_open"]
    list_select_related = ["period"]


@admin.register(FollowUp)
class FollowUpAdmin(ReportingPeriodChoices, VersionedAdmin):
    list_display = ["goal", "reporting_period", "attainment", "status"]
    list_filter = ["status", "attainment", "reporting_period__kind", "reporting_period__period"]
    search_fields = ["goal__title"]
    autocomplete_fields = ["goal"]
    # These change only through the workflow (submit, review, send back), never by hand.
    readonly_fields = ["status", "return_comment", "submitted_by", "reviewed_by", "reviewed_at"]
    list_select_related = ["goal", "reporting_period__period"]
