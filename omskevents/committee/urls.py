"""URLs of the committee app."""

from django.urls import path

from . import views

app_name = "committee"

urlpatterns: list = []
