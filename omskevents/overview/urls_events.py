"""The list of events and an event's page, which combines apps: /events/ and /events/<pk>/."""

from django.urls import path

from .views_events import EventDetailView, EventListView

app_name = "event_pages"

urlpatterns = [
    path("", EventListView.as_view(), name="list"),
    path("<int:pk>/", EventDetailView.as_view(), name="detail"),
]
