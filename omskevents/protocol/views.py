"""Protocol pages: the list, the protocol with its sections and items, item forms, agree/strike, DOCX, tasks."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from omskevents.accounts.types import AnyUser, AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors

from . import permissions, selectors, services
from .exports import protocol_docx, protocol_filename
from .forms import AgreeForm, ItemForm, ProtocolForm, SectionForm, StrikeForm
from .models import Protocol, ProtocolItem, ProtocolSection

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ViewAccessMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not permissions.can_view_protocol(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManageAccessMixin(LoginRequiredMixin):
    """A secretariat's page. On a protocol's address the protocol is looked up among those the person may see
    first: a missing one answers 404 for everyone, and only an existing one is refused with 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            if "pk" in kwargs:
                _protocol_or_404(request.user, kwargs["pk"])
            if not permissions.can_manage_protocol(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _protocol_or_404(user: AnyUser, pk: int) -> Protocol:
    protocol = selectors.protocol_detail(user, pk)
    if protocol is None:
        raise Http404
    return protocol


def _item_or_404(user: AnyUser, pk: int) -> ProtocolItem:
    item = selectors.item_for_page(user, pk)
    if item is None:
        raise Http404
    return item


def _item_form(user: AnyUser, data: Any = None, initial: dict[str, Any] | None = None) -> ItemForm:
    return ItemForm(
        data,
        initial=initial,
        proposers=selectors.proposer_choices(user),
        counterparts=selectors.counterpart_choices(),
    )


def _errors_to_messages(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


class ProtocolListView(ViewAccessMixin, ListView):
    template_name = "protocol/protocol_list.html"
    context_object_name = "protocols"
    paginate_by = 25

    def get_queryset(self) -> Any:
        return selectors.protocol_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_manage": permissions.can_manage_protocol(self.request.user)}


class ProtocolCreateView(ManageAccessMixin, View):
    template_name = "protocol/protocol_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ProtocolForm()})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = ProtocolForm(request.POST)
        if form.is_valid():
            try:
                protocol = services.protocol_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The protocol has been started."))
                return redirect(protocol)
        return render(request, self.template_name, {"form": form}, status=400)


class ProtocolDetailView(ViewAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        protocol = _protocol_or_404(user, pk)
        sections = [
            {
                "section": section,
                "rows": [
                    {
                        "item": item,
                        "can_edit": permissions.can_edit_item(user, item),
                        "agree_sides": permissions.sides_to_agree(user, item),
                        "can_strike": permissions.can_strike_item(user, item),
                    }
                    for item in section.items.all()
                ],
            }
            for section in protocol.sections.all()
        ]
        context = {
            "protocol": protocol,
            "sections": sections,
            "can_manage": permissions.can_manage_protocol(user),
            "can_propose": permissions.can_propose(user),
            "can_make_tasks": permissions.can_make_tasks(user),
            "section_form": SectionForm() if permissions.can_manage_protocol(user) else None,
            "strike_form": StrikeForm(),
        }
        return render(request, "protocol/protocol_detail.html", context)


class SectionAddView(ManageAccessMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        protocol = _protocol_or_404(request.user, pk)
        form = SectionForm(request.POST)
        if form.is_valid():
            services.section_add(actor=request.user, protocol=protocol, **form.cleaned_data)
            messages.success(request, _("The section has been added."))
        else:
            _errors_to_messages(request, form)
        return redirect(protocol)


class ItemAddView(ViewAccessMixin, View):
    template_name = "protocol/item_form.html"

    def _section(self, request: HttpRequest, pk: int) -> ProtocolSection:
        section = ProtocolSection.objects.select_related("protocol__event").filter(pk=pk).first()
        if section is None or not permissions.can_propose(request.user):
            raise Http404
        return section

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        section = self._section(request, pk)
        return render(request, self.template_name, {"form": _item_form(request.user), "section": section})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        section = self._section(request, pk)
        form = _item_form(request.user, request.POST)
        if form.is_valid():
            try:
                services.item_propose(actor=request.user, section=section, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The item has been proposed."))
                return redirect(section.protocol)
        return render(request, self.template_name, {"form": form, "section": section}, status=400)


class ItemEditView(ViewAccessMixin, View):
    template_name = "protocol/item_form.html"

    def _item(self, request: HttpRequest, pk: int) -> ProtocolItem:
        item = _item_or_404(request.user, pk)
        if not permissions.can_edit_item(request.user, item):
            raise PermissionDenied
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
        context = {"form": _item_form(request.user, initial=initial), "section": item.section, "item": item}
        return render(request, self.template_name, context)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = self._item(request, pk)
        form = _item_form(request.user, request.POST)
        if form.is_valid():
            try:
                services.item_update(actor=request.user, item=item, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The item has been saved."))
                return redirect(item.section.protocol)
        context = {"form": form, "section": item.section, "item": item}
        return render(request, self.template_name, context, status=400)


class ItemAgreeView(ViewAccessMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = _item_or_404(request.user, pk)
        form = AgreeForm(request.POST)
        if not form.is_valid():
            _errors_to_messages(request, form)
        elif not permissions.can_agree_item(request.user, item, form.cleaned_data["side"]):
            raise PermissionDenied
        else:
            item = services.item_agree(actor=request.user, item=item, side=form.cleaned_data["side"])
            messages.success(
                request, _("Item %(item)s: %(state)s.") % {"item": item, "state": item.get_state_display()}
            )
        return HttpResponseRedirect(item.section.protocol.get_absolute_url() + f"#item-{item.pk}")


class ItemStrikeView(ViewAccessMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        item = _item_or_404(request.user, pk)
        if not permissions.can_strike_item(request.user, item):
            raise PermissionDenied
        form = StrikeForm(request.POST)
        if form.is_valid():
            services.item_strike(actor=request.user, item=item, note=form.cleaned_data["note"])
            messages.success(request, _("Item %(item)s has been struck.") % {"item": item})
        else:
            _errors_to_messages(request, form)
        return HttpResponseRedirect(item.section.protocol.get_absolute_url() + f"#item-{item.pk}")


class ProtocolDocxView(ManageAccessMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        protocol = _protocol_or_404(request.user, pk)
        response = HttpResponse(protocol_docx(protocol), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{protocol_filename(protocol)}"'
        return response


class ProtocolTasksView(LoginRequiredMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        protocol = _protocol_or_404(request.user, pk)
        if not permissions.can_make_tasks(request.user):
            raise PermissionDenied
        try:
            created, skipped = services.protocol_items_to_tasks(actor=request.user, protocol=protocol)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(protocol)
        text = ngettext("%(count)d task was created.", "%(count)d tasks were created.", len(created)) % {
            "count": len(created)
        }
        if skipped:
            text += " " + ngettext(
                "%(count)d agreed item has no deadline and was skipped.",
                "%(count)d agreed items have no deadline and were skipped.",
                skipped,
            ) % {"count": skipped}
        messages.success(request, text)
        return redirect(protocol)
