"""Root URLconf."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from omskevents.core.health import favicon, healthz
from omskevents.overview.readiness import readyz

admin.site.site_header = _("Organising committee: Forum of Russia and Kazakhstan, Omsk")
admin.site.site_title = _("omskevents admin")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("omskevents.api.urls")),
    path("accounts/api-tokens/", include("omskevents.api.urls_tokens")),
    path("accounts/calendar/", include("omskevents.overview.urls_calendar")),
    path("accounts/", include("omskevents.accounts.urls")),
    path("agencies/", include("omskevents.overview.urls_agencies")),
    path("events/", include("omskevents.overview.urls_events")),
    path("events/", include("omskevents.events.urls")),
    path("meetings/", include("omskevents.committee.urls")),
    path("committees/", include("omskevents.overview.urls_committees")),
    path("tasks/", include("omskevents.workplan.urls")),
    path("protocols/", include("omskevents.protocol.urls")),
    path("agreements/", include("omskevents.agreements.urls")),
    path("notifications/", include("omskevents.notifications.urls")),
    path("webhooks/", include("omskevents.webhooks.urls")),
    path("", include("omskevents.overview.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
