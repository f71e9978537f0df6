"""Preferences, and the pages behind signed links in mails (they work without logging in: once, until they expire,
for as long as the person's password and access stay as they were when the mail was sent)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from omskevents.accounts.models import User
from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors
from omskevents.workplan import permissions
from omskevents.workplan import services as workplan_services
from omskevents.workplan.forms import ExtensionRequestForm, ReportForm
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import tasks_visible_to

from . import links, preview, selectors, services, wording
from . import permissions as mail_permissions
from .enums import BULK_KINDS, Kind, State
from .forms import InboxFilterForm, MailHoldForm, PreferenceForm
from .models import MailHold


class PreferencesView(LoginRequiredMixin, View):
    template_name = "notifications/preferences.html"

    def _form(self, request: AuthenticatedHttpRequest, data: Any = None) -> PreferenceForm:
        return PreferenceForm(
            data, instance=selectors.preference_for(request.user), is_head=request.user.is_agency_head
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self._form(request)})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")


def _invalid(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "notifications/link_invalid.html", {"message": message}, status=status)


@method_decorator(never_cache, name="dispatch")  # the page shows a task to whoever holds the link
class TaskActionView(View):
    """A short form to report progress or ask for an extension, reached from a signed link in a mail."""

    template_name = "notifications/task_action.html"

    def _resolve(self, token: str) -> tuple[User, Task, dict[str, Any]] | HttpResponse:
        """The person, the task and the payload; or the answer refusing the link. Asked on every GET and POST:
        the link must be unused and still its person's, and the task one they may see and act on now."""
        try:
            payload = links.task_action_read(token, max_age_days=selectors.reminder_settings_get().link_max_age_days)
        except signing.SignatureExpired:
            return _invalid(self.request, _("This link has expired. Open the task in the workspace instead."))
        except signing.BadSignature:
            return _invalid(self.request, _("This link is not valid."))
        user = User.objects.filter(pk=payload["u"], is_active=True).select_related("agency").first()
        if user is None or not links.task_action_belongs_to(payload, user):
            return _invalid(self.request, _("This link is no longer valid."))
        if refused := self._someone_else(self.request, user):
            return refused
        if links.task_action_is_used(payload):
            return _invalid(self.request, _("This link has already been used. Open the task in the workspace instead."))
        task = tasks_visible_to(user).select_related("event", "lead_agency").filter(pk=payload["t"]).first()
        may_act = permissions.can_report_progress if payload["a"] == "report" else permissions.can_request_extension
        if task is None or not may_act(user, task):
            return _invalid(self.request, _("You cannot do this with this task any more."), status=403)
        return user, task, payload

    def _form(self, action: str, data: Any = None, files: Any = None) -> ReportForm | ExtensionRequestForm:
        """The task page's own forms: the same fields, limits and messages as in the workspace."""
        return ReportForm(data, files) if action == "report" else ExtensionRequestForm(data)

    def _someone_else(self, request: HttpRequest, user: User) -> HttpResponse | None:
        """A browser logged in as another person is refused: nothing is recorded in one name by another."""
        if request.user.is_authenticated and request.user.pk != user.pk:
            return _invalid(
                request, _("This link was sent to someone else. Open the task in the workspace instead."), status=403
            )
        return None

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        resolved = self._resolve(token)
        if isinstance(resolved, HttpResponse):
            return resolved
        user, task, payload = resolved
        action = payload["a"]
        return render(
            request, self.template_name, {"task": task, "action": action, "form": self._form(action), "person": user}
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        resolved = self._resolve(token)
        if isinstance(resolved, HttpResponse):
            return resolved
        user, task, payload = resolved
        action = payload["a"]
        form = self._form(action, request.POST, request.FILES)
        context = {"task": task, "action": action, "form": form, "person": user}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        data = form.cleaned_data
        if action == "report":

            def act() -> Any:
                return workplan_services.task_report_progress(
                    actor=user, task=task, text=data["text"], files=data["files"], is_final=data["is_final"]
                )
        else:

            def act() -> Any:
                return workplan_services.task_request_extension(
                    actor=user, task=task, new_deadline=data["new_deadline"], reason=data["reason"]
                )

        try:
            links.task_action_redeem(payload=payload, user=user, act=act)
        except links.LinkAlreadyUsed:
            return _invalid(request, _("This link has already been used. Open the task in the workspace instead."))
        except PermissionDenied as exc:
            return _invalid(request, str(exc) or _("You cannot do this with this task any more."), status=403)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        done = (
            _("Thank you: your report is recorded.")
            if action == "report"
            else _("Thank you: your request is sent to the secretariat.")
        )
        return render(request, "notifications/action_done.html", {"task": task, "message": done})


# RFC 8058 one-click unsubscribe: the mail provider POSTs without a cookie or a CSRF token; the signed token, naming
# one person and one kind of mail, is the proof. Nothing else in the site is exempt. A GET only asks (link scanners
# open every address in a mail): the page's button POSTs to the same address.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class UnsubscribeView(View):
    template_name = "notifications/unsubscribe.html"

    def _resolve(self, token: str) -> tuple[User, str] | HttpResponse:
        try:
            user_id, kind = links.unsubscribe_read(token)
        except signing.SignatureExpired:
            return _invalid(self.request, _("This link has expired. Change your notification preferences instead."))
        except signing.BadSignature:
            return _invalid(self.request, _("This link is not valid."))
        if kind not in BULK_KINDS:
            return _invalid(self.request, _("This link is not valid."))
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return _invalid(self.request, _("There is no such subscriber any more."), status=404)
        return user, kind

    def _render(self, request: HttpRequest, user: User, kind: str, *, done: bool) -> HttpResponse:
        context = {
            "person": user,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "is_digest": kind == Kind.DIGEST,
            "done": done,
            "preferences_url": reverse("notifications:preferences"),
        }
        response = render(request, self.template_name, context)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        resolved = self._resolve(token)
        if isinstance(resolved, HttpResponse):
            return resolved
        return self._render(request, *resolved, done=False)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        resolved = self._resolve(token)
        if isinstance(resolved, HttpResponse):
            return resolved
        user, kind = resolved
        services.preference_mute_kind(user=user, kind=kind)
        return self._render(request, user, kind, done=True)


INBOX_PAGE_SIZE = 30


class InboxView(LoginRequiredMixin, View):
    """The person's notices in the app: filters by kind and event, unread first in mind, mark all read."""

    template_name = "notifications/inbox.html"

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        kinds, events = selectors.inbox_filters(request.user)
        form = InboxFilterForm(request.GET or None, kinds=kinds, events=events)
        filters = form.filters()
        items = selectors.inbox_items(request.user, **filters)
        page = Paginator(items, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        entries = [
            {
                "item": item,
                "note": item.notification,
                "thing": item.notification.task or item.notification.meeting,
                "expected": ""
                if item.notification.is_moot
                else wording.expected_action(item.kind, recipient_id=item.user_id, task=item.notification.task),
                "state": wording.state_label(item.notification),
                "when": wording.sending_moment(item.notification, today=today)
                if item.notification.state in (State.QUEUED, State.HELD)
                else "",
            }
            for item in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page_obj": page,
                "entries": entries,
                "filters": filters,
                "query": query.urlencode(),
                "unread": selectors.inbox_unread_count(request.user),
                "can_preview": mail_permissions.can_preview_mail(request.user),
            },
        )


class InboxOpenView(LoginRequiredMixin, View):
    """Opening an item marks it read and leads to its task, meeting or agreement (another's item: 404)."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = selectors.inbox_item(request.user, pk)
        if item is None:
            raise Http404
        services.inbox_mark_read(user=request.user, item_id=item.pk)
        return redirect(inbox_target(item))


def inbox_target(item: Any) -> str:
    note = item.notification
    if note.task is not None:
        return str(note.task.get_absolute_url())
    if note.meeting is not None:
        return str(note.meeting.get_absolute_url())
    if note.item_key.startswith("agreement:"):
        return reverse("agreements:detail", args=[int(note.item_key.partition(":")[2])])
    return reverse("notifications:inbox")


class InboxReadAllView(LoginRequiredMixin, View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        kinds, events = selectors.inbox_filters(request.user)
        form = InboxFilterForm(request.POST, kinds=kinds, events=events)
        if not form.is_valid():
            messages.error(request, _("The filter is not valid: nothing was marked."))
            return redirect("notifications:inbox")
        filters = form.filters()
        count = services.inbox_mark_all_read(user=request.user, kind=filters["kind"], event_id=filters["event_id"])
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count) % {"n": count},
        )
        return redirect("notifications:inbox")


class SecretariatOnlyMixin(LoginRequiredMixin, UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return mail_permissions.can_preview_mail(self.request.user)


class MorningView(SecretariatOnlyMixin, View):
    """The next working morning's mail (who gets what), and the holds for a day."""

    template_name = "notifications/morning.html"

    def _page(self, request: HttpRequest, form: MailHoldForm, status: int = 200) -> HttpResponse:
        morning = preview.morning_preview()
        labels = dict(Kind.choices)
        return render(
            request,
            self.template_name,
            {
                "morning": morning,
                "by_kind": [(labels.get(k, k), n) for k, n in morning.by_kind().most_common()],
                "lines": [
                    {
                        "line": line,
                        "kinds": [(labels.get(k, k), n) for k, n in line.kinds.most_common()],
                        "zone": wording.zone_name(
                            line.user.time_zone if line.user else line.agency.time_zone if line.agency else ""
                        ),
                    }
                    for line in morning.lines
                ],
                "holds": MailHold.objects.filter(day__gte=selectors.hold_day()).select_related("user"),
                "form": form,
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        day, _moment = preview.next_morning()
        return self._page(request, MailHoldForm(initial={"day": day}, today=selectors.hold_day()))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = MailHoldForm(request.POST, today=selectors.hold_day())
        if not form.is_valid():
            return self._page(request, form, status=400)
        data = form.cleaned_data
        try:
            services.mail_hold_create(actor=request.user, day=data["day"], kind=data["kind"], user=data["user"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self._page(request, form, status=400)
        messages.success(request, _("The mail is held for that day."))
        return redirect("notifications:morning")


class HoldReleaseView(LoginRequiredMixin, View):
    """Lift a hold. Holds are the secretariat's: for anyone else no hold exists (404)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        hold = MailHold.objects.filter(pk=pk).first()
        if hold is None or not mail_permissions.can_preview_mail(request.user):
            raise Http404
        count = services.mail_hold_release(hold=hold)
        messages.success(
            request, ngettext("%(n)d message queued again.", "%(n)d messages queued again.", count) % {"n": count}
        )
        return redirect("notifications:morning")
