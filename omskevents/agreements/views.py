"""Pages of the agreements register: the register, an agreement's page, editing, moves, texts and documents."""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.downloads import stored_file_response
from omskevents.core.forms import apply_service_errors
from omskevents.events.models import Event

from . import exports, permissions, selectors, services
from .enums import Stage
from .forms import AgreementForm, MoveForm, RegisterFilterForm, VersionForm
from .models import Agreement

PAGE_SIZE = 50


class SecretariatRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return permissions.can_manage_agreements(self.request.user)


def _filter_form(request: HttpRequest) -> RegisterFilterForm:
    form = RegisterFilterForm(request.GET or None)
    if request.GET:
        form.is_valid()
    return form


class RegisterView(LoginRequiredMixin, TemplateView):
    template_name = "agreements/register.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.request
        today = timezone.localdate()
        form = _filter_form(request)
        rows = selectors.register(request.user, form.to_filter(), today=today)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = QueryDict(mutable=True)
        for name in RegisterFilterForm.base_fields:
            if name in request.GET:
                query.setlist(name, request.GET.getlist(name))
        context.update(
            filter_form=form,
            # The counts keep every stage in view: the other filters apply, the stage filter does not.
            counts=selectors.stage_counts(
                selectors.register(request.user, replace(form.to_filter(), stage=""), today=today)
            ),
            page=page,
            rows=[{"agreement": a, "state": selectors.overdue_state(a, today=today)} for a in page.object_list],
            querystring=query.urlencode(),
            can_manage=permissions.can_manage_agreements(request.user),
            event=form.cleaned_data.get("event") if hasattr(form, "cleaned_data") else None,
        )
        return context


class RegisterExportView(LoginRequiredMixin, View):
    """The filtered register as a workbook: only the agreements this person may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        rows = list(selectors.register(request.user, _filter_form(request).to_filter(), today=today))
        response = HttpResponse(exports.register_xlsx(rows, today=today), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="agreements-{today:%Y-%m-%d}.xlsx"'
        return response


class SigningOrderView(LoginRequiredMixin, View):
    """The order of signing at the event's ceremony, as a DOCX to print (the secretariat's).

    Every signed-in person sees every event, so an unknown event answers 404 first and a known one 403."""

    def get(self, request: HttpRequest, event_pk: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=event_pk)
        if not permissions.can_manage_agreements(request.user):
            raise PermissionDenied
        content = exports.signing_order_docx(event, selectors.signing_order(event))
        response = HttpResponse(content, content_type=exports.DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.signing_order_filename(event)}"'
        return response


def _agreement_or_404(request: HttpRequest, pk: int) -> Agreement:
    agreement = selectors.agreement_for_page(request.user, pk)
    if agreement is None:
        raise Http404
    return agreement


def page_context(request: HttpRequest, agreement: Agreement, **forms: Form) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    targets = permissions.stage_targets(user, agreement)
    versions = list(agreement.versions.all())
    return {
        "agreement": agreement,
        "state": selectors.overdue_state(agreement, today=today),
        "today": today,
        "stages": [
            {"row": row, "overdue": row.reached_at is None and not agreement.is_closed and row.deadline < today}
            for row in agreement.stages.all()
        ],
        "ru_parties": exports.parties(agreement, "RU"),
        "kz_parties": exports.parties(agreement, "KZ"),
        "versions": {
            "ru": [v for v in versions if v.language == "ru"],
            "kk": [v for v in versions if v.language == "kk"],
        },
        "targets": [(s, Stage(s).label) for s in targets],
        "signing_possible": Stage.SIGNED in targets,
        "can_edit": permissions.can_manage_agreements(user),
        "can_upload": permissions.can_upload_version(user, agreement),
        "move_form": forms.get("move_form") or MoveForm(initial={"signed_on": today}),
        "version_form": forms.get("version_form") or VersionForm(),
    }


class AgreementDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _agreement_or_404(request, pk)
        return render(request, "agreements/detail.html", page_context(request, agreement))


class AgreementActionView(LoginRequiredMixin, View):
    """A form posted from the agreement's page: valid → service → back; invalid → the page with errors (400)."""

    form_name: str

    def make_form(self, request: HttpRequest) -> Form:
        raise NotImplementedError

    def act(self, request: AuthenticatedHttpRequest, agreement: Agreement, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        agreement = _agreement_or_404(request, pk)
        form = self.make_form(request)
        if form.is_valid():
            try:
                self.act(request, agreement, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                messages.error(request, str(error) or _("You cannot do this with this agreement."))
                return redirect(agreement)
            else:
                return redirect(agreement)
        agreement = _agreement_or_404(request, pk)
        context = page_context(request, agreement, **{self.form_name: form})
        return render(request, "agreements/detail.html", context, status=400)


class AgreementMoveView(AgreementActionView):
    form_name = "move_form"

    def make_form(self, request: HttpRequest) -> Form:
        return MoveForm(request.POST)

    def act(self, request: AuthenticatedHttpRequest, agreement: Agreement, data: dict[str, Any]) -> None:
        services.agreement_move(
            actor=request.user,
            agreement=agreement,
            stage=data["stage"],
            comment=data["comment"],
            signed_on=data["signed_on"],
            signed_place=data["signed_place"],
            signed_by=data["signed_by"],
        )
        messages.success(request, _("Stage: %(stage)s.") % {"stage": Stage(data["stage"]).label})


class AgreementVersionView(AgreementActionView):
    form_name = "version_form"

    def make_form(self, request: HttpRequest) -> Form:
        return VersionForm(request.POST, request.FILES)

    def act(self, request: AuthenticatedHttpRequest, agreement: Agreement, data: dict[str, Any]) -> None:
        version = services.agreement_version_add(
            actor=request.user,
            agreement=agreement,
            language=data["language"],
            upload=data["file"],
            comment=data["comment"],
        )
        messages.success(
            request,
            _("%(language)s text, version %(version)s, saved.")
            % {"language": version.get_language_display(), "version": version.version},
        )


class VersionDownloadView(LoginRequiredMixin, View):
    """The texts are never served from MEDIA directly: only through this permission check."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        version = get_object_or_404(selectors.versions_visible_to(request.user).select_related("agreement"), pk=pk)
        if not permissions.can_download_version(request.user, version):
            raise Http404
        return stored_file_response(version.file, filename=version.original_name, content_type=version.content_type)


class AgreementFormMixin(SecretariatRequiredMixin):
    form_class: type[AgreementForm] | None = AgreementForm
    template_name: str | None = "agreements/form.html"


class AgreementCreateView(AgreementFormMixin, FormView):
    request: AuthenticatedHttpRequest

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("event", "").isdigit():
            initial["event"] = self.request.GET["event"]
        return initial

    def form_valid(self, form: AgreementForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=self.request.user,
                ru_parties=list(data["ru_parties"]),
                kz_parties=list(data["kz_parties"]),
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The agreement has been registered."))
        return redirect(agreement)


class AgreementUpdateView(AgreementFormMixin, FormView):
    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.agreement = get_object_or_404(Agreement.objects.select_related("event"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.agreement}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "agreement": self.agreement}

    def form_valid(self, form: AgreementForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            agreement = services.agreement_update(
                actor=self.request.user,
                agreement=self.agreement,
                ru_parties=list(data["ru_parties"]),
                kz_parties=list(data["kz_parties"]),
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The agreement has been saved."))
        return redirect(agreement)
