"""URLs of the events app: the programme, new dates, delegations, arrivals, manifest, badges, a person's data."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<int:pk>/dates/", views.EventDatesView.as_view(), name="dates"),
    path("<int:pk>/programme/", views.ProgrammeView.as_view(), name="programme"),
    path("<int:pk>/delegations/<int:delegation_pk>/", views.DelegationView.as_view(), name="delegation"),
    path("<int:pk>/arrivals/", views.ArrivalsBoardView.as_view(), name="arrivals"),
    path("<int:pk>/manifest.xlsx", views.ManifestView.as_view(), name="manifest"),
    path("<int:pk>/badges.pdf", views.BadgesView.as_view(), name="badges"),
    path("delegates/<int:delegate_pk>/data.json", views.DelegateDataView.as_view(), name="delegate_data"),
]
