"""URLs of the workplan app."""

from django.urls import path

from . import views

app_name = "workplan"

urlpatterns: list = []
