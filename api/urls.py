"""The API's addresses: the router under /api/v1/, the OpenAPI schema and its Swagger UI.

Each domain module registers its viewsets on the router in one line below, so that the modules
grow side by side without touching each other.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers
from rest_framework.permissions import AllowAny

from api import follow_up, goals, health, orgunits, periods, processes, users
from api.schema_views import DocsView

app_name = "api"


class APIRootView(routers.APIRootView):
    """The index of the API's collections: public, like the schema that describes them."""

    permission_classes = [AllowAny]


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    # One address per resource: the format is JSON, so there is no ``.json`` twin of each.
    include_format_suffixes = False


router = Router()
router.register("orgunits", orgunits.OrgUnitViewSet, basename="orgunit")
router.register("memberships", orgunits.MembershipViewSet, basename="membership")
router.register("processes", processes.ProcessViewSet, basename="process")
router.register("target-groups", processes.TargetGroupViewSet, basename="target-group")
router.register("indicators", follow_up.IndicatorViewSet, basename="indicator")
router.register("targets", follow_up.TargetViewSet, basename="target")
router.register("measurements", follow_up.MeasurementViewSet, basename="measurement")
router.register("reporting-periods", follow_up.ReportingPeriodViewSet, basename="reporting-period")
router.register("follow-ups", follow_up.FollowUpViewSet, basename="follow-up")
router.register("goals", goals.GoalViewSet, basename="goal")
router.register("decisions", goals.DecisionViewSet, basename="decision")
router.register("periods", periods.PeriodViewSet, basename="period")
router.register("chain-health", health.ChainHealthViewSet, basename="chain-health")
router.register("users", users.UserViewSet, basename="user")

urlpatterns = [
    path("v1/", include(router.urls)),
    # In English whatever the request's language (``api.schema.SchemaGenerator``).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
