"""The agency pages: /agencies/."""

from django.urls import path

from .views import AgencyDetailView, AgencyListView

app_name = "agencies"

urlpatterns = [
    path("", AgencyListView.as_view(), name="list"),
    path("<int:pk>/", AgencyDetailView.as_view(), name="detail"),
]
