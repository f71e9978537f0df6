"""The API's tests: tokens for the six accounts of the permission world, a client that sends them, and the
contract check that every answer the tests receive matches the committed OpenAPI schema."""

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIResponse
from openapi_core.datatypes import RequestParameters
from rest_framework.test import APIClient
from werkzeug.datastructures import Headers, ImmutableMultiDict

from omskevents.api.services import token_create
from tests.security.conftest import module_world, world  # noqa: F401 - the world of agency A and agency B (made once for a module)

# Addresses the schema does not describe: itself, its page, and the JSON 404 of every unknown address.
UNDESCRIBED = {"schema", "docs", "not-found"}
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@lru_cache(maxsize=1)
def openapi() -> OpenAPI:
    return OpenAPI.from_dict(yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8")))


class _Request:
    """What openapi-core needs of the request to find the operation: the path template is matched from the path."""

    def __init__(self, request: Any) -> None:
        self.host_url = "http://testserver"
        self.path = request.path
        self.path_pattern = None
        self.method = request.method.lower()
        self.body = b""
        self.content_type = "application/json"
        self.parameters = RequestParameters(
            path={}, query=ImmutableMultiDict(request.GET), header=Headers(), cookie=ImmutableMultiDict()
        )


def check_contract(response: Any) -> None:
    """Fails when the answer (status, type, body) is not what the schema says this operation answers."""
    openapi().validate_response(_Request(response.wsgi_request), DjangoOpenAPIResponse(response))


class ApiClient(APIClient):
    """The test client for the API: a Bearer token (or none), and every answer checked against the schema."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked = 0

    def use(self, token: str | None) -> "ApiClient":
        if token is None:
            self.credentials()
        else:
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return self

    def request(self, *args: Any, **kwargs: Any) -> Any:
        response = super().request(*args, **kwargs)
        match = response.wsgi_request.resolver_match
        if match is not None and match.view_name.startswith("api:") and match.url_name not in UNDESCRIBED:
            check_contract(response)
            self.checked += 1
        return response


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


def make_token(user: Any, *, scope: str = "read_write", days: int = 30, name: str = "Система") -> str:
    _token, secret = token_create(
        actor=user, name=name, scope=scope, expires_on=timezone.localdate() + dt.timedelta(days=days)
    )
    return secret


@pytest.fixture
def tokens(world):  # noqa: F811 - the fixture imported above
    """A read-write token for each signed-in account of the world, by role name."""
    return {
        "staff_a": make_token(world.staff_a),
        "head_a": make_token(world.head_a),
        "staff_b": make_token(world.staff_b),
        "sec": make_token(world.secretariat),
        "kz": make_token(world.kz_secretariat),
    }
