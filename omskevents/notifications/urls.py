"""URLs of the notifications app: preferences and the signed links in mails."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("act/<str:token>/", views.TaskActionView.as_view(), name="task_action"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
