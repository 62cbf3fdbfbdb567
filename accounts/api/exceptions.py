"""Errors as JSON with field names, for every API view.

Services validate models with full_clean(), which raises Django's
ValidationError; here it becomes a 400 like a serializer's:
{"field": ["message", ...], "non_field_errors": [...]}.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def validation_error_detail(exc: DjangoValidationError) -> dict | list:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): [
            message for error in errors for message in error.messages
        ]
        for name, errors in exc.error_dict.items()
    }


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    return exception_handler(exc, context)
