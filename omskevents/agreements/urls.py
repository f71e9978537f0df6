"""URLs of the agreements app: /agreements/…"""

from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("new/", views.AgreementCreateView.as_view(), name="create"),
    path("export.xlsx", views.RegisterExportView.as_view(), name="export_xlsx"),
    path("signing-order/<int:event_pk>.docx", views.SigningOrderView.as_view(), name="signing_order"),
    path("texts/<int:pk>/", views.VersionDownloadView.as_view(), name="version_download"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="update"),
    path("<int:pk>/move/", views.AgreementMoveView.as_view(), name="move"),
    path("<int:pk>/texts/", views.AgreementVersionView.as_view(), name="version_add"),
]
