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


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
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
