"""The OpenAPI schema: published at /api/v1/schema/, committed as docs/openapi.yaml, and the two must agree — a change
of the API changes the committed file in the same commit, where it is reviewed."""

import pytest
import yaml
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from openapi_spec_validator import validate

from tests.api.conftest import SCHEMA_FILE

REGENERATE = ".venv/bin/python manage.py spectacular --lang en --file docs/openapi.yaml"


def _generated() -> str:
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


def test_the_committed_schema_is_the_generated_one():
    assert _generated() == SCHEMA_FILE.read_text(encoding="utf-8"), f"the API changed: run `{REGENERATE}`"


def test_the_committed_schema_is_valid_openapi_3_1():
    document = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_operation_names_its_error_answers_and_the_bearer_scheme():
    document = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token: Authorization: Bearer oe_…",
    }
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 34
    for operation in operations:
        assert {"200", "401", "403", "404", "429"} <= set(operation["responses"]) | {"200"}
        assert {"bearerAuth": []} in operation["security"]


@pytest.mark.django_db
def test_the_schema_is_published_to_everyone(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert "/api/v1/tasks/{id}/reports/" in document["paths"]
    assert client.get("/api/v1/schema/?format=json")["Content-Type"].startswith("application/vnd.oai.openapi+json")
