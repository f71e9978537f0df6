"""The organising committees' pages: /committees/ and /committees/<pk>/ (people, working groups, readiness)."""

from django.urls import path

from .views_committees import CommitteeDetailView, CommitteeListView

app_name = "committee_pages"

urlpatterns = [
    path("", CommitteeListView.as_view(), name="list"),
    path("<int:pk>/", CommitteeDetailView.as_view(), name="detail"),
]
