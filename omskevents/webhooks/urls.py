"""URLs of the webhooks' workspace pages."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="list"),
    path("new/", views.EndpointCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EndpointDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EndpointUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.EndpointDeleteView.as_view(), name="delete"),
    path("<int:pk>/secret/", views.EndpointSecretView.as_view(), name="secret"),
    path("deliveries/<int:pk>/retry/", views.DeliveryRetryView.as_view(), name="retry"),
]
