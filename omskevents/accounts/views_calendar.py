"""A person's iCalendar feed: the settings page with its secret address, and the feed itself."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from omskevents.committee.exports import feed_ics

from . import selectors, services


class CalendarFeedSettingsView(LoginRequiredMixin, TemplateView):
    """Shows the feed address; "regenerate" replaces it, "revoke" switches the feed off."""

    template_name = "accounts/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        token = selectors.calendar_token_of(self.request.user)
        context["token"] = token
        if token is not None:
            context["feed_url"] = self.request.build_absolute_uri(reverse("accounts:calendar_feed", args=[token.key]))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "issue":
            services.calendar_token_issue(user=request.user)
            messages.success(request, _("A new calendar address was created; the previous one no longer works."))
        elif action == "revoke":
            if services.calendar_token_revoke(user=request.user):
                messages.success(request, _("The calendar feed was switched off."))
        else:
            messages.error(request, _("Unknown action."))
        return HttpResponseRedirect(reverse("accounts:calendar"))


class CalendarFeedView(View):
    """The feed, for calendar apps that cannot log in: the secret key in the address is the only credential."""

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        token = selectors.calendar_token_owner(key)
        if token is None:
            raise Http404
        user = token.user
        services.calendar_token_touch(token=token)
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
