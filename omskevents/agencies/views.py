"""Agency pages: the list with readiness, and one agency with its people and tasks."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from . import permissions, selectors
from .models import Agency


class AgencyAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not permissions.can_view_agency(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AgencyListView(AgencyAccessMixin, ListView):
    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agency_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [(agency, selectors.readiness_percent(agency)) for agency in context["agencies"]]
        return context


class AgencyDetailView(AgencyAccessMixin, TemplateView):
    template_name = "agencies/agency_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            agency = selectors.agency_detail(user, self.kwargs["pk"])
        except Agency.DoesNotExist as exc:
            raise Http404 from exc
        context.update(
            agency=agency,
            readiness=selectors.readiness_percent(agency),
            tasks=selectors.agency_tasks(user, agency),
            today=timezone.localdate(),
        )
        if permissions.can_view_agency_people(user, agency):
            context["people"] = selectors.agency_people(agency)
        return context
