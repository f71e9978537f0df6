"""URLs of the agencies app."""

from django.urls import path

from . import views

app_name = "agencies"

urlpatterns: list = []
