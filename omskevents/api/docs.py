"""The published OpenAPI schema and the Swagger UI page, served from the sidecar package's static files."""

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class ApiSchemaView(SpectacularAPIView):
    """The schema describes the API, never its data: open to everyone, so the agencies' developers can read it."""

    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI: the page and its start-up script are separate files (the CSP allows no inline script), and the
    page's own style is a static file (no inline style). Signed-in people try requests with their session
    (and its CSRF token) or paste a token under "Authorize"."""

    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    template_name = "api/swagger_ui.html"
