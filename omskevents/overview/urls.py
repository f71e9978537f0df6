"""The dashboard at the site's root: /."""

from django.urls import path

from .views import DashboardView
from .views_discipline import DisciplineReportView

app_name = "dashboard"

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("discipline/", DisciplineReportView.as_view(), name="discipline"),
]
