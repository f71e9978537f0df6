"""The action plan as files and printouts: Excel and CSV exports, print views, attachments, the Excel import."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from omskevents.accounts.audit import log_export
from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.downloads import stored_file_response
from omskevents.core.templatetags.zones import zone_label

from . import exports, imports, permissions, selectors
from .forms import (
    ImportUploadForm,
)
from .models import Task
from .views import IMPORT_SESSION_KEY, ImportPermissionMixin, _filter_form, _task_or_404


def _plan_title(tasks: list[Task]) -> str:
    """The title of an export or a printout: the plan of the one event it covers, or of the events."""
    events = {task.event_id: task.event for task in tasks}
    if len(events) == 1:
        return _("Action plan: %(event)s") % {"event": next(iter(events.values())).short_title}
    return _("Action plan")


class TaskExportView(LoginRequiredMixin, View):
    """The current filter (and ticked rows, if any) as a file; only the tasks this user may see.

    kind: "xlsx"; "csv" (standard: comma, UTF-8); "excel_csv" (Russian Excel: semicolon, UTF-8 with a BOM)."""

    kind = "xlsx"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request, ids=request.GET.getlist("id"))

    def post(self, request: HttpRequest) -> HttpResponse:
        """The rows ticked in the table (posted with the bulk form), within the filter in the query string."""
        return self.export(request, ids=request.POST.getlist("id"))

    def export(self, request: HttpRequest, *, ids: list[str]) -> HttpResponse:
        today = timezone.localdate()
        form = _filter_form(request)
        tasks = list(selectors.task_table(request.user, form.to_filter(ids=ids), today=today))
        notes = selectors.task_last_report_texts(tasks)
        now = timezone.localtime()
        stamp = now.strftime("%Y-%m-%d")
        extension = "xlsx" if self.kind == "xlsx" else "csv"
        if self.kind == "xlsx":
            content = exports.plan_xlsx(
                tasks, notes, today=today, title=_plan_title(tasks), as_of=now, zone=zone_label()
            )
            response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        else:
            content = exports.plan_csv(tasks, notes, for_excel=self.kind == "excel_csv")
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        suffix = "-excel" if self.kind == "excel_csv" else ""
        response["Content-Disposition"] = f'attachment; filename="action-plan-{stamp}{suffix}.{extension}"'
        # The plan names people (responsible, controller): an export of personal data for the security log.
        log_export(request, kind=f"action_plan_{self.kind}", rows=len(tasks))
        return response


class TaskListPrintView(LoginRequiredMixin, View):
    """The plan as the current filter shows it, on A4 landscape sheets: the same rows as the export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        form = _filter_form(request)
        tasks = list(selectors.task_table(request.user, form.to_filter(), today=today))
        rows = [{"task": t, "state": selectors.task_deadline_state(t, today=today)} for t in tasks]
        query = request.GET.urlencode()
        back = reverse("workplan:task_list") + (f"?{query}" if query else "")
        context = {"rows": rows, "title": _plan_title(tasks), "back_url": back}
        return render(request, "workplan/task_list_print.html", context)


class TaskPrintView(LoginRequiredMixin, View):
    """A task's card on an A4 sheet: the same visibility as its page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = _task_or_404(request, pk)
        context = {"task": task, "state": selectors.task_deadline_state(task, today=timezone.localdate())}
        return render(request, "workplan/task_print.html", context)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Report files are never served from MEDIA directly: only through this permission check."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return attachment_response(request.user, pk)


def attachment_response(user: Any, pk: int) -> FileResponse:
    """A report's file for someone who may download it, else 404 (also when the file itself is gone): the one
    check the task page and the API share."""
    # A bare 404, not get_object_or_404's English "No Attachment matches the given query.": the API answers
    # with the exception's own text, and without one with its "not found" in the caller's language.
    attachment = (
        selectors.attachments_visible_to(user).select_related("report__task__lead_agency").filter(pk=pk).first()
    )
    if attachment is None or not permissions.can_download_attachment(user, attachment):
        raise Http404
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


class TaskImportView(ImportPermissionMixin, View):
    """Upload → a preview with each row's errors; the checked rows wait in the session for confirmation."""

    template_name = "workplan/task_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ImportUploadForm()})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        event, upload = form.cleaned_data["event"], form.cleaned_data["file"]
        try:
            rows = imports.read_plan(upload, size=upload.size)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form}, status=400)
        if not rows:
            form.add_error("file", _("The plan sheet has no task rows."))
            return render(request, self.template_name, {"form": form}, status=400)
        rows = imports.check_rows(rows, event=event, default_area=form.cleaned_data["area"])
        imports.plan_import(actor=request.user, event=event, rows=rows, dry_run=True)
        has_errors = any(row.errors for row in rows)
        token = ""
        request.session.pop(IMPORT_SESSION_KEY, None)
        if not has_errors:
            token = uuid.uuid4().hex
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "event": event.pk,
                "rows": [row.as_session() for row in rows],
            }
        context = {"form": form, "event": event, "rows": rows, "has_errors": has_errors, "token": token}
        return render(request, self.template_name, context, status=400 if has_errors else 200)


class TaskImportConfirmView(ImportPermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored or request.POST.get("token") != stored.get("token"):
            messages.error(request, _("This import has expired or was already done. Upload the file again."))
            return redirect("workplan:task_import")
        event = selectors.event_for_import(stored["event"])
        if event is None:
            request.session.pop(IMPORT_SESSION_KEY, None)
            messages.error(request, _("The event of this import no longer exists."))
            return redirect("workplan:task_import")
        rows = imports.check_rows(imports.rows_from_session(stored["rows"]), event=event, default_area="")
        created = imports.plan_import(actor=request.user, event=event, rows=rows, dry_run=False)
        request.session.pop(IMPORT_SESSION_KEY, None)
        if not created:
            context = {"form": ImportUploadForm(), "event": event, "rows": rows, "has_errors": True, "token": ""}
            messages.error(request, _("Nothing was imported: the plan changed since the check. See the errors."))
            return render(request, TaskImportView.template_name, context, status=400)
        messages.success(request, _("Imported tasks: %(count)s.") % {"count": len(created)})
        return redirect(f"{reverse('workplan:task_list')}?event={event.pk}")
