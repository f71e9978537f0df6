"""A person's calendar feed: /accounts/calendar/ (the address subscribed calendars already hold)."""

from django.urls import path

from .views import CalendarFeedSettingsView, CalendarFeedView

app_name = "calendar"

urlpatterns = [
    path("", CalendarFeedSettingsView.as_view(), name="settings"),
    path("feed/<slug:key>.ics", CalendarFeedView.as_view(), name="feed"),
]
