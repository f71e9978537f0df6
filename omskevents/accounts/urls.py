"""Login, logout, password change and reset, the second factor, absences and deputies."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_absences

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/"),
        name="password_change",
    ),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("away/", views_absences.OwnAbsencesView.as_view(), name="absences"),
    path("away/others/", views_absences.ManagedAbsencesView.as_view(), name="absences_manage"),
    path("away/<int:pk>/withdraw/", views_absences.AbsenceWithdrawView.as_view(), name="absence_withdraw"),
    path("two-factor/", views.SecondFactorManageView.as_view(), name="second_factor_manage"),
    path("two-factor/setup/", views.SecondFactorSetupView.as_view(), name="second_factor_setup"),
    path("two-factor/verify/", views.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path(
        "two-factor/keys/add/options/", views.SecurityKeyRegisterOptionsView.as_view(), name="security_key_add_options"
    ),
    path("two-factor/keys/add/", views.SecurityKeyRegisterView.as_view(), name="security_key_add"),
    path(
        "two-factor/keys/login/options/",
        views.SecurityKeyLoginOptionsView.as_view(),
        name="security_key_login_options",
    ),
    path("two-factor/keys/login/", views.SecurityKeyLoginView.as_view(), name="security_key_login"),
    path("two-factor/keys/<int:pk>/remove/", views.SecurityKeyRemoveView.as_view(), name="security_key_remove"),
]
