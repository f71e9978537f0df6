"""The home page: the events being prepared (the full dashboard builds on it)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from omskevents.events.selectors import events_upcoming


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["events"] = events_upcoming()
        return context
