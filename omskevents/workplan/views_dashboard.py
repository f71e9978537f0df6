"""The dashboard: every event's countdown and readiness, the status chart, and the tasks that need attention.

Agency staff see the same page over the tasks of their agency (workplan.selectors.tasks_visible_to).
"""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import TemplateView

from omskevents.accounts.permissions import is_secretariat
from omskevents.committee.selectors import meeting_next
from omskevents.core.cache import cached_fragment
from omskevents.events.enums import EventKind
from omskevents.events.selectors import events_upcoming

from . import selectors as tasks
from .enums import TaskStatus


class DashboardView(LoginRequiredMixin, TemplateView):
    """The dashboard, served as one fragment cached per data version and viewer (omskevents.core.cache)."""

    template_name = "workplan/dashboard/page.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.localtime()
        # Ten-minute steps in the key, so that a meeting that has started soon gives way to the next one.
        parts = (self.request.user.pk, get_language(), str(now.tzinfo), now.date(), now.hour, now.minute // 10)
        html = cached_fragment("dashboard", parts, self.render_dashboard)
        context["dashboard_html"] = mark_safe(html)  # noqa: S308 - rendered from our template just above
        return context

    def render_dashboard(self) -> str:
        context: dict[str, Any] = {}
        user = self.request.user
        today = timezone.localdate()
        visible = tasks.tasks_visible_to(user)
        events = list(events_upcoming().filter(end_date__gte=today))
        readiness = tasks.dashboard_readiness(visible, events)
        cards = [
            {
                "readiness": item,
                "days_left": (item.event.start_date - today).days,
                "is_forum": item.event.kind == EventKind.FORUM,
                "is_session": item.event.kind == EventKind.COMMISSION,
            }
            for item in readiness
        ]
        context.update(
            cards=cards,
            series=tasks.status_series(visible, today=today),
            chart_statuses=list(TaskStatus.choices),
            counts=tasks.dashboard_counts(visible, user=user, today=today),
            lists=tasks.dashboard_lists(visible, user=user, today=today),
            next_meeting=meeting_next(user, now=timezone.now()),
            scoped_agency=None if is_secretariat(user) else getattr(user, "agency", None),
            due_soon_days=tasks.DUE_SOON_DAYS,
            today=today,
        )
        return render_to_string("workplan/dashboard/_content.html", context, self.request)
