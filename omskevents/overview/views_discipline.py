"""The discipline report for any period, downloaded from the dashboard as an Excel workbook."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from omskevents.workplan.discipline import discipline_report
from omskevents.workplan.discipline_xlsx import discipline_xlsx
from omskevents.workplan.exports import XLSX_CONTENT_TYPE
from omskevents.workplan.selectors import tasks_visible_to

from .forms import DisciplinePeriodForm


class DisciplineReportView(LoginRequiredMixin, View):
    """With a period in the query: the workbook over the tasks the viewer may see. Without one, or with a period
    that does not hold: the form (with the reason, answered 400)."""

    template_name = "overview/discipline.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "date_to" not in request.GET:
            form = DisciplinePeriodForm(initial={"date_to": timezone.localdate()})
            return render(request, self.template_name, {"form": form})
        form = DisciplinePeriodForm(request.GET)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        report = discipline_report(tasks_visible_to(request.user), date_from=date_from, date_to=date_to)
        body = discipline_xlsx(report, title=_("Discipline report"))
        name = (
            f"discipline-{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}.xlsx"
            if date_from
            else f"discipline-{date_to:%Y-%m-%d}.xlsx"
        )
        response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
