"""The person's API tokens: /accounts/api-tokens/…"""

from django.urls import path

from . import views_tokens

app_name = "api_tokens"

urlpatterns = [
    path("", views_tokens.TokenListView.as_view(), name="list"),
    path("<int:pk>/revoke/", views_tokens.TokenRevokeView.as_view(), name="revoke"),
]
