"""The person's API tokens in the workspace: the list, a new token (its secret shown once), revoking one."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from omskevents.accounts.types import AuthenticatedHttpRequest
from omskevents.core.forms import apply_service_errors

from . import selectors, services
from .forms import TokenCreateForm


@method_decorator(never_cache, name="dispatch")
class TokenListView(LoginRequiredMixin, View):
    template_name = "api/tokens.html"

    def _render(self, request: AuthenticatedHttpRequest, form: TokenCreateForm, **extra: Any) -> HttpResponse:
        context = {"form": form, "tokens": selectors.tokens_of(request.user), **extra}
        status = 400 if form.is_bound and form.errors else 200
        return render(request, self.template_name, context, status=status)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self._render(request, TokenCreateForm())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                token, secret = services.token_create(
                    actor=request.user,
                    name=data["name"],
                    scope=data["scope"],
                    expires_on=data["expires_on"],
                    request=request,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                # Rendered, not redirected: the secret is never kept anywhere, not even in the session.
                return self._render(request, TokenCreateForm(), created=token, secret=secret)
        return self._render(request, form)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        token = selectors.tokens_of(request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        services.token_revoke(actor=request.user, token=token, request=request)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
