"""Additions to the generated OpenAPI schema: the error answers every operation may give, described once."""

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A 400 names each field with its messages; messages about no one field are under `non_field_errors`.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}, {"type": "string"}]
    },
}
ANSWERS = {
    "400": ("The input is not valid: messages by field.", "FieldErrors"),
    "401": ("No credentials, or a token that is malformed, unknown, revoked or expired.", "Error"),
    "403": ("The caller may see the object but not do this (or holds a read-only token).", "Error"),
    "404": ("No such object, or one the caller may not see.", "Error"),
    "429": ("Too many requests with this token: wait for Retry-After seconds.", "Error"),
}


# The largest values of the databases' integer columns: ModelSerializer copies the connected database's range into
# each integer field, so SQLite and PostgreSQL would describe the same field differently. The schema leaves the
# engine's range out (the values themselves come from the application, never from the caller).
DATABASE_LIMITS = {32767, 2147483647, 9223372036854775807}


def _without_database_limits(schemas: dict[str, Any]) -> None:
    for component in schemas.values():
        for prop in component.get("properties", {}).values():
            kind = prop.get("type")
            integer = kind == "integer" or (isinstance(kind, list) and "integer" in kind)
            if integer and prop.get("maximum") in DATABASE_LIMITS:
                del prop["maximum"]
                prop.pop("format", None)


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    _without_database_limits(schemas)
    schemas["Error"] = ERROR
    schemas["FieldErrors"] = FIELD_ERRORS
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                for media_type, content in response.get("content", {}).items():
                    # A file: OpenAPI 3.1 names its type and leaves the bytes unconstrained (no "string").
                    if content.get("schema", {}).get("format") == "binary":
                        content["schema"] = {"contentMediaType": media_type}
            for code, (description, component) in ANSWERS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    return result
