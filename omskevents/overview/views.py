"""Pages that combine apps: the dashboard, the agency pages and a person's calendar feed."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from omskevents.accounts import selectors as accounts_selectors
from omskevents.accounts import services as accounts_services
from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.agencies import permissions as agency_permissions
from omskevents.agencies.models import Agency
from omskevents.agencies.selectors import agency_people
from omskevents.agreements.selectors import signed_of_planned
from omskevents.committee.selectors import meeting_next
from omskevents.core.cache import cached_fragment, cached_value
from omskevents.events.enums import EventKind
from omskevents.events.selectors import events_upcoming
from omskevents.workplan import dashboard, pairs
from omskevents.workplan import selectors as tasks
from omskevents.workplan.enums import TaskStatus

from . import selectors
from .feeds import feed_ics


class DashboardView(LoginRequiredMixin, TemplateView):
    """Every event's countdown and readiness, the status chart, and the tasks that need attention.

    Served as one fragment cached per data version and viewer (omskevents.core.cache); agency staff see the
    same page over the tasks of their agency (workplan.selectors.tasks_visible_to).
    """

    template_name = "overview/dashboard/page.html"

    def get_template_names(self) -> list[str]:
        # ?print=1: the same content on a clean A4 sheet (templates/print/).
        if self.request.GET.get("print") == "1":
            return ["overview/dashboard/print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.localtime()
        # Ten-minute steps in the key, so that a meeting that has started soon gives way to the next one.
        parts = (self.request.user.pk, get_language(), str(now.tzinfo), now.date(), now.hour, now.minute // 10)
        html = cached_fragment("dashboard", parts, self.render_dashboard)
        context["dashboard_html"] = mark_safe(html)  # noqa: S308 - rendered from our template just below
        return context

    def render_dashboard(self) -> str:
        context: dict[str, Any] = {}
        user = self.request.user
        today = timezone.localdate()
        visible = tasks.tasks_visible_to(user)
        # Events are names (CACHE_NAMES_MODELS): read once per names version, not after every write.
        events = cached_value(("dashboard-events", today), lambda: list(events_upcoming().filter(end_date__gte=today)))
        rows = tasks.dashboard_rows(visible, user=user, today=today)
        readiness = tasks.dashboard_readiness(visible, events, rows=rows)
        agreements = {figure.event.pk: figure for figure in signed_of_planned(user, events)}
        cards = [
            {
                "readiness": item,
                "days_left": (item.event.start_date - today).days,
                "is_forum": item.event.kind == EventKind.FORUM,
                "is_session": item.event.kind == EventKind.COMMISSION,
                "agreements": agreements.get(item.event.pk),
            }
            for item in readiness
        ]
        paired = pairs.pairs_visible_to(user, today=today)
        context.update(
            pair_count=len(paired),
            pair_readiness=pairs.pair_readiness_by_area(paired),
            pairs_out_of_step=pairs.pairs_out_of_step(paired)[:20],
            cards=cards,
            series=tasks.status_series(visible, today=today),
            chart_statuses=list(TaskStatus.choices),
            counts=dashboard.dashboard_counts(visible, user=user, today=today, rows=rows),
            lists=dashboard.dashboard_lists(visible, user=user, today=today),
            next_meeting=meeting_next(user, now=timezone.now()),
            scoped_agency=None if is_secretariat(user) else getattr(user, "agency", None),
            away=selectors.away_now(user, today=today),
            due_soon_days=tasks.DUE_SOON_DAYS,
            today=today,
        )
        return render_to_string("overview/dashboard/_content.html", context, self.request)


class AgencyAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not agency_permissions.can_view_agency(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AgencyListView(AgencyAccessMixin, ListView):
    template_name = "overview/agency_list.html"
    context_object_name = "agencies"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Agency]:
        return selectors.agency_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [(agency, selectors.readiness_percent(agency)) for agency in context["agencies"]]
        return context


class AgencyDetailView(AgencyAccessMixin, TemplateView):
    template_name = "overview/agency_detail.html"

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
        if agency_permissions.can_view_agency_people(user, agency):
            context["people"] = agency_people(agency)
        return context


class CalendarFeedSettingsView(LoginRequiredMixin, TemplateView):
    """Shows the feed address; "regenerate" replaces it, "revoke" switches the feed off."""

    template_name = "overview/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        token = accounts_selectors.calendar_token_of(self.request.user)  # type: ignore[arg-type]  # LoginRequiredMixin: a User
        context["token"] = token
        if token is not None:
            context["feed_url"] = self.request.build_absolute_uri(reverse("calendar:feed", args=[token.key]))
        return context

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "issue":
            accounts_services.calendar_token_issue(user=request.user)
            messages.success(request, _("A new calendar address was created; the previous one no longer works."))
        elif action == "revoke":
            if accounts_services.calendar_token_revoke(user=request.user):
                messages.success(request, _("The calendar feed was switched off."))
        else:
            messages.error(request, _("Unknown action."))
        return HttpResponseRedirect(reverse("calendar:settings"))


class CalendarFeedView(View):
    """The feed, for calendar apps that cannot log in: the secret key in the address is the only credential."""

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        token = accounts_selectors.calendar_token_owner(key)
        if token is None:
            raise Http404
        user = token.user
        accounts_services.calendar_token_touch(token=token)
        # Calendar apps send no cookie and no useful Accept-Language: speak the owner's language.
        with translation.override(user.language or None):
            body = feed_ics(
                name=_("Forum organising committee: %(person)s") % {"person": user},
                meetings=selectors.feed_meetings(user),
                tasks=selectors.feed_tasks(user),
            )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response
