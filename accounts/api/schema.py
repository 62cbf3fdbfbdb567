"""OpenAPI schema post-processing: the error responses every operation can give.

drf-spectacular documents the success responses a view declares; the errors
DRF itself produces (validation, authentication, permission, not found,
throttling) come from the same few places for every view, so they are added
here, once, as JSON objects.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'An error. Validation errors name the fields: {"field": ["message"], '
        '"non_field_errors": ["message"]}; other errors carry {"detail": "…"}.'
    ),
    "additionalProperties": True,
}

_ERRORS = {
    "400": "Invalid input: the body or query names the fields at fault.",
    "401": "Not authenticated: no or an invalid token or session.",
    "403": "Authenticated, but not allowed (role, token scope, or CSRF).",
    "404": "Not found, or not visible to you (lists: a page past the end).",
    "415": "Unsupported media type.",
    "429": "Too many requests: throttled; Retry-After says when to retry.",
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ERROR_SCHEMA
    )
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "403", "404", "429"]
            if operation.get("security") not in (None, [], [{}]):
                codes.append("401")
            if "requestBody" in operation:
                codes.append("415")
            for code in codes:
                responses.setdefault(code, _error(_ERRORS[code]))
    return result
