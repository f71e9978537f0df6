"""URLs of the notifications app: the inbox, preferences, the morning preview and the signed links in mails."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.InboxOpenView.as_view(), name="inbox_open"),
    path("inbox/read-all/", views.InboxReadAllView.as_view(), name="inbox_read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("morning/", views.MorningView.as_view(), name="morning"),
    path("morning/holds/<int:pk>/release/", views.HoldReleaseView.as_view(), name="hold_release"),
    path("act/<str:token>/", views.TaskActionView.as_view(), name="task_action"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
