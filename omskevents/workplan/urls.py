"""URLs of the workplan app: /tasks/…"""

from django.urls import path

from . import views, views_edit, views_files, views_meetings, views_next_event, views_timeline

app_name = "workplan"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("new/", views_edit.TaskCreateView.as_view(), name="task_create"),
    path("timeline/", views_timeline.TimelineView.as_view(), name="timeline"),
    path("export.xlsx", views_files.TaskExportView.as_view(kind="xlsx"), name="task_export_xlsx"),
    path("export.csv", views_files.TaskExportView.as_view(kind="csv"), name="task_export_csv"),
    path("export-excel.csv", views_files.TaskExportView.as_view(kind="excel_csv"), name="task_export_excel_csv"),
    path("print/", views_files.TaskListPrintView.as_view(), name="task_list_print"),
    path("bulk/", views.TaskBulkView.as_view(), name="task_bulk"),
    path("filters/panel/", views.TaskFilterPanelView.as_view(), name="filter_panel"),
    path("import/", views_files.TaskImportView.as_view(), name="task_import"),
    path("import/confirm/", views_files.TaskImportConfirmView.as_view(), name="task_import_confirm"),
    path("people.json", views_edit.PeopleSearchView.as_view(), name="people_search"),
    path("choices.json", views_edit.TaskChoicesView.as_view(), name="task_choices"),
    path("files/<int:pk>/", views_files.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("next-event/<int:pk>/", views_next_event.NextEventView.as_view(), name="next_event"),
    path("from-meeting/<int:pk>/", views_meetings.DecisionsToTasksView.as_view(), name="decisions_to_tasks"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("<int:pk>/print/", views_files.TaskPrintView.as_view(), name="task_print"),
    path("<int:pk>/edit/", views_edit.TaskUpdateView.as_view(), name="task_update"),
    path("<int:pk>/status/", views.TaskStatusView.as_view(), name="task_status"),
    path("<int:pk>/restore/", views.TaskRestoreView.as_view(), name="task_restore"),
    path("<int:pk>/report/", views.TaskReportView.as_view(), name="task_report"),
    path("<int:pk>/comment/", views.TaskCommentView.as_view(), name="task_comment"),
    path("<int:pk>/extension/", views.TaskExtensionRequestView.as_view(), name="task_extension_request"),
    path("<int:pk>/pair/", views.TaskPairView.as_view(), name="task_pair"),
    path("<int:pk>/pair/choices.json", views_edit.TaskPairChoicesView.as_view(), name="task_pair_choices"),
    path("<int:pk>/extension/decide/", views.ExtensionDecideView.as_view(), name="extension_decide"),
]
