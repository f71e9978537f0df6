"""Workspace pages of webhooks: the list, register, edit, delete, the delivery log with "retry", a new secret.

Who may open them: permissions.py (an agency's head, a secretariat's members). The list and the registration refuse
someone with no endpoints to manage (403); an endpoint or delivery that is not the viewer's is not found (404),
exactly as one that does not exist, whoever asks.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors

from . import permissions, selectors, services
from .forms import EndpointForm
from .models import Endpoint


class ManagerMixin(LoginRequiredMixin):
    """Logged in, with endpoints to manage (else 403): the pages that name no endpoint."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not permissions.can_manage_webhooks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _own_endpoint(request: AuthenticatedHttpRequest, pk: int) -> Endpoint:
    """The viewer's own endpoint, or 404 (another agency's endpoint is not found, not forbidden)."""
    endpoint = selectors.endpoint_for_page(request.user, pk)
    if endpoint is None:
        raise Http404(_("Not found."))
    return endpoint


def _secret_page(request: AuthenticatedHttpRequest, endpoint: Endpoint, secret: str, *, created: bool) -> HttpResponse:
    """The one page that shows a secret: rendered in the answer to the POST, never stored in a URL or the session."""
    response = render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "created": created})
    response["Cache-Control"] = "no-store"
    return response


class EndpointListView(ManagerMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "webhooks/list.html", {"endpoints": list(selectors.endpoint_list(request.user))})


class EndpointCreateView(ManagerMixin, View):
    template_name = "webhooks/form.html"

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": EndpointForm()})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint, secret = services.endpoint_register(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _secret_page(request, endpoint, secret, created=True)
        return render(request, self.template_name, {"form": form})


@method_decorator(never_cache, name="dispatch")
class EndpointDetailView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        endpoint = _own_endpoint(request, pk)
        return render(
            request,
            "webhooks/detail.html",
            {
                "endpoint": endpoint,
                "deliveries": list(selectors.endpoint_log(endpoint)),
                "log_length": selectors.LOG_LENGTH,
            },
        )


class EndpointUpdateView(LoginRequiredMixin, View):
    template_name = "webhooks/form.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        endpoint = _own_endpoint(request, pk)
        form = EndpointForm(
            initial={
                "url": endpoint.url,
                "kinds": endpoint.kinds,
                "description": endpoint.description,
                "is_active": endpoint.is_active,
            }
        )
        return render(request, self.template_name, {"form": form, "endpoint": endpoint})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        endpoint = _own_endpoint(request, pk)
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                services.endpoint_update(actor=request.user, endpoint=endpoint, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The webhook is saved."))
                return redirect(endpoint)
        return render(request, self.template_name, {"form": form, "endpoint": endpoint})


class EndpointDeleteView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return render(request, "webhooks/delete.html", {"endpoint": _own_endpoint(request, pk)})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        services.endpoint_delete(actor=request.user, endpoint=_own_endpoint(request, pk))
        messages.success(request, _("The webhook is deleted with its delivery log."))
        return redirect("webhooks:list")


class EndpointSecretView(LoginRequiredMixin, View):
    """POST only: replace the secret and show the new one once."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        endpoint = _own_endpoint(request, pk)
        secret = services.endpoint_secret_rotate(actor=request.user, endpoint=endpoint)
        return _secret_page(request, endpoint, secret, created=False)


class DeliveryRetryView(LoginRequiredMixin, View):
    """POST only: send a delivery again now."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        delivery = selectors.delivery_for_page(request.user, pk)
        if delivery is None:
            raise Http404(_("Not found."))
        try:
            services.delivery_retry(actor=request.user, delivery=delivery)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The delivery is queued again."))
        return redirect(delivery.endpoint)
