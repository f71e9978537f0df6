"""URLs of the events app."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/programme/", views.ProgrammeView.as_view(), name="programme"),
]
