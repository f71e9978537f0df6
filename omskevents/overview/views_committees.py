"""The committee page: chair, deputies, secretary, members with agencies, working groups with their people and the
readiness of their tasks (the committee's people and the action plan: two apps, so the page is here)."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.views.generic import ListView, TemplateView

from omskevents.committee import permissions as committee_permissions
from omskevents.committee.models import Committee
from omskevents.committee.selectors import committee_list, committee_page

from . import selectors


class CommitteeAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not committee_permissions.can_view_committee(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CommitteeListView(CommitteeAccessMixin, ListView):
    template_name = "overview/committee_list.html"
    context_object_name = "committees"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Committee]:
        return committee_list()


class CommitteeDetailView(CommitteeAccessMixin, TemplateView):
    template_name = "overview/committee_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            committee = committee_page(self.kwargs["pk"])
        except Committee.DoesNotExist as exc:
            raise Http404 from exc
        readiness = selectors.working_group_readiness(user, committee)
        groups = [(group, readiness.get(group.pk)) for group in committee.working_groups.all()]
        context.update(
            committee=committee,
            members=list(committee.members.all()),
            groups=groups,
            can_manage=committee_permissions.can_manage_meetings(user),
        )
        return context
