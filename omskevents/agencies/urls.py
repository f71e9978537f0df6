"""URLs of the agencies app."""

from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="detail"),
]
