"""URLs of the committee app: /meetings/…"""

from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("calendar/", views.MeetingCalendarView.as_view(), name="meeting_calendar"),
    path("new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("<int:pk>/restore/", views.MeetingRestoreView.as_view(), name="meeting_restore"),
    path("<int:pk>/print/", views.MeetingPrintView.as_view(), name="meeting_print"),
    path("<int:pk>/minutes/", views.MeetingCloseView.as_view(), name="meeting_close"),
    path("<int:pk>/minutes.docx", views.MinutesDocxView.as_view(), name="minutes_docx"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("<int:pk>/agenda/", views.AgendaItemAddView.as_view(), name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/delete/", views.AgendaItemDeleteView.as_view(), name="agenda_delete"),
    path("<int:pk>/attendance/", views.AttendanceSetView.as_view(), name="attendance_set"),
    path("<int:pk>/invite/", views.InviteGroupView.as_view(), name="invite_group"),
    path("<int:pk>/decisions/", views.DecisionAddView.as_view(), name="decision_add"),
    path("<int:pk>/decisions/<int:decision_pk>/delete/", views.DecisionDeleteView.as_view(), name="decision_delete"),
]
