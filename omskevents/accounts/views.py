"""The second factor (enrolment, the code after the password, the person's own settings) and the password reset."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from omskevents.core.client_ip import client_ip
from omskevents.core.ids import parse_id

from .audit import log_event
from .forms import EnrolCodeForm, PasswordResetBySiteForm, SecondFactorCodeForm
from .models import SecurityKey
from .password_reset import password_reset_allowed
from .permissions import must_use_second_factor
from .second_factor import (
    has_second_factor,
    second_factor_enrol,
    second_factor_remove,
    second_factor_throttled,
    second_factor_verify,
    session_verified,
    totp_pending,
    totp_qr_svg,
    totp_secret,
)
from .security_keys import (
    SecurityKeyError,
    authentication_options,
    has_security_key,
    keys_of,
    may_add_security_key,
    registration_options,
    security_key_authenticate,
    security_key_register,
    security_key_remove,
    security_keys_throttled,
)
from .sessions import device_of, sessions_of, user_session_end, user_sessions_end_others
from .types import AuthenticatedHttpRequest

# Wrong codes in one session before it is ended (the devices' own throttle also slows each try).
SESSION_FAILURE_LIMIT = 5
FAILURES_KEY = "_omskevents_otp_failures"


def _next_url(request: AuthenticatedHttpRequest) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _agency(request: AuthenticatedHttpRequest) -> str:
    return request.user.agency.short_name if request.user.agency is not None else "-"


class SecondFactorVerifyView(LoginRequiredMixin, View):
    template_name = "accounts/second_factor_verify.html"
    request: AuthenticatedHttpRequest

    def _render(self, form: SecondFactorCodeForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": _next_url(self.request), "has_key": has_security_key(self.request.user)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if session_verified(request.user) or not has_second_factor(request.user):
            return HttpResponseRedirect(_next_url(request))
        return self._render(SecondFactorCodeForm())

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if session_verified(request.user) or not has_second_factor(request.user):
            return HttpResponseRedirect(_next_url(request))
        form = SecondFactorCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        if second_factor_throttled(user=request.user):
            form.add_error("token", _("Too many wrong codes: wait a little and try again."))
            return self._render(form, status=429)
        if second_factor_verify(request=request, user=request.user, token=form.cleaned_data["token"]):
            request.session.pop(FAILURES_KEY, None)
            return HttpResponseRedirect(_next_url(request))
        failures = int(request.session.get(FAILURES_KEY, 0)) + 1
        if failures >= SESSION_FAILURE_LIMIT:
            name = request.user.get_username()
            log_event("second_factor_locked_out", username=name, agency=_agency(request), request=request)
            logout(request)
            messages.error(request, _("Too many wrong codes: sign in again."))
            return redirect("accounts:login")
        request.session[FAILURES_KEY] = failures
        form.add_error("token", _("The code is wrong or has expired."))
        return self._render(form)


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Enrolment: the QR code and the secret of a new authenticator, confirmed with its first code."""

    template_name = "accounts/second_factor_setup.html"
    request: AuthenticatedHttpRequest

    def _render(self, form: EnrolCodeForm) -> HttpResponse:
        device = totp_pending(user=self.request.user)
        context = {
            "form": form,
            "qr_svg": totp_qr_svg(device),
            "secret": totp_secret(device),
            "required": must_use_second_factor(self.request.user),
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context)

    def _refuse(self, request: AuthenticatedHttpRequest) -> HttpResponse | None:
        # A person who has an authenticator re-enrols only from a verified session (else: the code first).
        if has_second_factor(request.user) and not session_verified(request.user):
            return redirect("accounts:second_factor_verify")
        return None

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refuse(request) or self._render(EnrolCodeForm())

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        form = EnrolCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        device = totp_pending(user=request.user)
        codes = second_factor_enrol(request=request, user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is None:
            form.add_error("token", _("The code is wrong or has expired: check the time on your phone and try again."))
            return self._render(form)
        context = {"codes": codes, "next": _next_url(request)}
        return render(request, "accounts/second_factor_codes.html", context)


def _manage_context(request: AuthenticatedHttpRequest, form: SecondFactorCodeForm) -> dict[str, Any]:
    return {
        "enrolled": has_second_factor(request.user),
        "required": must_use_second_factor(request.user),
        "form": form,
        "keys": keys_of(request.user),
        "may_add_key": may_add_security_key(request.user),
    }


class SecondFactorManageView(LoginRequiredMixin, View):
    """The person's own second factor: whether it is on, enrol or re-enrol, remove it where it is optional."""

    template_name = "accounts/second_factor_manage.html"
    request: AuthenticatedHttpRequest

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, _manage_context(request, SecondFactorCodeForm()))

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if must_use_second_factor(request.user) or not has_second_factor(request.user):
            messages.error(request, _("Your account cannot be used without the second factor."))
            return redirect("accounts:second_factor_manage")
        form = SecondFactorCodeForm(request.POST)
        if not form.is_valid() or not second_factor_verify(
            request=request, user=request.user, token=form.cleaned_data["token"]
        ):
            if form.is_valid():
                form.add_error("token", _("The code is wrong or has expired."))
            return render(request, self.template_name, _manage_context(request, form))
        second_factor_remove(request=request, user=request.user)
        messages.success(request, _("The second factor is switched off."))
        return redirect("accounts:second_factor_manage")


def _json_payload(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise SecurityKeyError(_("The request could not be read: reload the page and try again.")) from error


def _refusal(error: SecurityKeyError, **extra: str) -> JsonResponse:
    return JsonResponse({"error": error.message, **extra}, status=error.status)


class SecurityKeyRegisterOptionsView(LoginRequiredMixin, View):
    """Step 1 of adding a key: the options for navigator.credentials.create() (the name is checked here)."""

    request: AuthenticatedHttpRequest

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            if not session_verified(request.user):
                raise SecurityKeyError(_("Confirm the second factor first, then add a key."))
            payload = _json_payload(request)
            name = payload.get("name") if isinstance(payload, dict) else None
            return JsonResponse({"publicKey": registration_options(request=request, user=request.user, name=name)})
        except SecurityKeyError as error:
            return _refusal(error)


class SecurityKeyRegisterView(LoginRequiredMixin, View):
    """Step 2: the key's answer; the key is kept under the name given in step 1."""

    request: AuthenticatedHttpRequest

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            if not session_verified(request.user):
                raise SecurityKeyError(_("Confirm the second factor first, then add a key."))
            key = security_key_register(request=request, user=request.user, payload=_json_payload(request))
        except SecurityKeyError as error:
            return _refusal(error)
        messages.success(request, _("The security key “%(name)s” is added.") % {"name": key.name})
        return JsonResponse({"redirect": reverse("accounts:second_factor_manage")})


class SecurityKeyLoginOptionsView(LoginRequiredMixin, View):
    """After the password: the options for navigator.credentials.get() with the person's keys."""

    request: AuthenticatedHttpRequest

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if session_verified(request.user):
            return JsonResponse({"redirect": _next_url(request)})
        try:
            return JsonResponse({"publicKey": authentication_options(request=request, user=request.user)})
        except SecurityKeyError as error:
            return _refusal(error)


class SecurityKeyLoginView(LoginRequiredMixin, View):
    """The key's answer after the password. Failures count with wrong codes towards ending the session."""

    request: AuthenticatedHttpRequest

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if session_verified(request.user):
            return JsonResponse({"redirect": _next_url(request)})
        if not has_security_key(request.user):
            return JsonResponse({"error": _("You have no security key: enter a code instead.")}, status=400)
        if security_keys_throttled(user=request.user):
            return JsonResponse({"error": _("Too many failed attempts: wait a little and try again.")}, status=429)
        try:
            payload = _json_payload(request)
            security_key_authenticate(request=request, user=request.user, payload=payload)
        except SecurityKeyError as error:
            failures = int(request.session.get(FAILURES_KEY, 0)) + 1
            if failures >= SESSION_FAILURE_LIMIT:
                name = request.user.get_username()
                log_event("second_factor_locked_out", username=name, agency=_agency(request), request=request)
                logout(request)
                messages.error(request, _("Too many wrong codes: sign in again."))
                return _refusal(error, redirect=reverse("accounts:login"))
            request.session[FAILURES_KEY] = failures
            return _refusal(error)
        request.session.pop(FAILURES_KEY, None)
        return JsonResponse({"redirect": _next_url(request)})


class SecurityKeyRemoveView(LoginRequiredMixin, View):
    """Removing one of one's keys: confirmed with a current code (as switching the second factor off is)."""

    template_name = "accounts/security_key_remove.html"
    request: AuthenticatedHttpRequest

    def _key(self, pk: int) -> SecurityKey:
        key = SecurityKey.objects.filter(user=self.request.user, pk=pk).first() if parse_id(pk) is not None else None
        if key is None:
            raise Http404
        return key

    def get(self, request: AuthenticatedHttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"key": self._key(pk), "form": SecondFactorCodeForm()})

    def post(self, request: AuthenticatedHttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        key = self._key(pk)
        form = SecondFactorCodeForm(request.POST)
        if form.is_valid() and second_factor_throttled(user=request.user):
            form.add_error("token", _("Too many wrong codes: wait a little and try again."))
            return render(request, self.template_name, {"key": key, "form": form}, status=429)
        if not form.is_valid() or not second_factor_verify(
            request=request, user=request.user, token=form.cleaned_data["token"]
        ):
            if form.is_valid():
                form.add_error("token", _("The code is wrong or has expired."))
            return render(request, self.template_name, {"key": key, "form": form})
        security_key_remove(request=request, user=request.user, key=key)
        messages.success(request, _("The security key “%(name)s” is removed.") % {"name": key.name})
        return redirect("accounts:second_factor_manage")


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The same answer whether or not the address is known, or its budget spent; the link is built from SITE_URL."""

    form_class = PasswordResetBySiteForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        allowed = password_reset_allowed(email=email, ip=client_ip(self.request))
        log_event("password_reset_requested", username="-", agency="-", request=self.request, throttled=not allowed)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A link works once (the token covers the password hash) and never signs in: the login, with its second
    factor, follows."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        agency = user.agency.short_name if user.agency is not None else "-"
        log_event("password_reset_done", username=user.get_username(), agency=agency, request=self.request)
        return response


class SessionListView(LoginRequiredMixin, View):
    """The person's signed-in sessions; ending one, or every other one (which also voids mailed links)."""

    template_name = "accounts/sessions.html"
    request: AuthenticatedHttpRequest

    def get(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = [
            {
                "session": session,
                "device": device_of(session.user_agent),
                "current": session.session_key == request.session.session_key,
            }
            for session in sessions_of(request.user)
        ]
        return render(request, self.template_name, {"rows": rows})

    def post(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "end_others":
            count = user_sessions_end_others(request=request, user=request.user)
            messages.success(request, _("Signed out everywhere else (%(count)d sessions).") % {"count": count})
        elif (
            action == "end"
            and (session_id := request.POST.get("session", "")).isascii()
            and session_id.isdigit()
            and len(session_id) < 19
        ):
            if user_session_end(request=request, user=request.user, session_id=int(session_id)):
                messages.success(request, _("The session is ended."))
            else:
                messages.error(request, _("There is no such session (or it is this one)."))
        else:
            messages.error(request, _("Choose a session to end."))
        return redirect("accounts:sessions")
