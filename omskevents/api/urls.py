"""URLs of the API: /api/v1/…"""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import views, views_webhooks
from .docs import ApiDocsView, ApiSchemaView

app_name = "api"

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("reports", views.ReportViewSet, basename="report")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="extension-request")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("webhooks", views_webhooks.WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", views_webhooks.WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("attachments/<int:pk>/download/", views.AttachmentDownloadView.as_view(), name="attachment-download"),
    *router.urls,
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
