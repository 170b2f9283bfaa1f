from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from goals.views import todo
from styrmodell import benchmarking, health

# Error pages in the portal's layout and the request's language; JSON under /api/.
handler400 = "styrmodell.errors.bad_request"
handler403 = "styrmodell.errors.permission_denied"
handler404 = "styrmodell.errors.page_not_found"
handler500 = "styrmodell.errors.server_error"

admin.site.site_header = _("Styrmodell administration")
admin.site.site_title = _("Styrmodell administration")
admin.site.index_title = _("Organisation and reference data")

urlpatterns = [
    path("", todo.home, name="home"),
    path("organisation/", include("orgunits.urls")),
    path("goals/", include("goals.urls")),
    path("processes/", include("processes.urls")),
    path("search/", include("search.urls")),
    path("notices/", include("notices.urls")),
    path("api/", include("api.urls")),
    # Signing in and out (single sign-on too), before Django's own pages for the same names.
    path("accounts/", include("signin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own sign-in form would offer only a password: staff sign in on the portal's page,
    # which offers single sign-on too (and the password while it is on, guarded by django-axes).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    # Answers only when benchmarking is switched on (settings.BENCHMARK); a 404 otherwise.
    path("bench/floor/", benchmarking.floor, name="bench-floor"),
    path("bench/invalidate/", benchmarking.invalidate, name="bench-invalidate"),
    # The load balancer's probe; HealthCheckMiddleware answers it before the host check.
    path("health/", health.health, name="health"),
]
