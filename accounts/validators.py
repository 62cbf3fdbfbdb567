"""No control characters in text: the one guard for every text that reaches
the database.

A NUL makes PostgreSQL refuse the whole statement (a 500 instead of an
error a user can act on), and the other C0 controls and DEL are never part of
a name, a comment or a reason: they come from a wrongly saved file or a
hostile client. Tab, line feed and carriage return stay allowed (multi-line
comments). The rule is written once, here, and reaches every interface:

- `install()` (called by accounts' AppConfig.ready) adds `validate_text` to
  every CharField and TextField of the project's models, so full_clean(), the
  admin's and every ModelForm, and DRF's ModelSerializers refuse such text
  naming the field; and to the form and serializer CharFields (Django's and
  DRF's), so that plain forms and input serializers do the same before any
  service runs.
- `ControlCharacterMiddleware` refuses what never meets a field before it
  meets a query: the URL path, the query string and the strings of a JSON
  body under /api/ (JSON errors naming the parameter or field; a plain 400
  page elsewhere).
- Production plan files check their cells themselves, naming row and column
  (calendars/imports/cells.py).
"""

import json
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# C0 controls except tab (09), line feed (0a) and carriage return (0d); DEL.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The apps whose models hold what users type.
PROJECT_APPS = ("accounts", "calendars", "rollout", "proposals")


def control_character(value) -> str | None:
    """The first forbidden character of `value` as U+XXXX, or None."""
    if not isinstance(value, str):
        return None
    found = FORBIDDEN.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def message(character: str) -> str:
    return _(
        "Contains the control character %(character)s; remove it (only tabs "
        "and line breaks are allowed)."
    ) % {"character": character}


@deconstructible
class TextValidator:
    code = "control_character"

    def __call__(self, value) -> None:
        character = control_character(value)
        if character:
            raise ValidationError(message(character), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator)

    def __hash__(self) -> int:
        return hash(TextValidator)


validate_text = TextValidator()


def _add(field_validators: list) -> None:
    if not any(isinstance(v, TextValidator) for v in field_validators):
        field_validators.append(validate_text)


def install() -> None:
    """Put validate_text on every text field of the project's models (the
    fields' computed `validators`, not their definition: no migration) and
    on Django's and DRF's CharField by default."""
    from django import forms
    from rest_framework import fields as drf_fields

    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)):
                _add(field.validators)
    for field_class in (forms.CharField, drf_fields.CharField):
        if validate_text not in field_class.default_validators:
            field_class.default_validators = [
                *field_class.default_validators,
                validate_text,
            ]


def _json_strings(value, path: str = ""):
    """(path, string) for every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _json_strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]" if path else str(index))


class ControlCharacterMiddleware:
    """400 for a control character in the path, the query string or (under
    /api/) a JSON body, before any view or query sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is None:
            return self.get_response(request)
        field, character = problem
        if request.path_info.startswith("/api/"):
            return JsonResponse({field: [message(character)]}, status=400)
        return HttpResponseBadRequest(
            f"{field}: {message(character)}", content_type="text/plain; charset=utf-8"
        )

    def _problem(self, request) -> tuple[str, str] | None:
        character = control_character(request.path_info)
        if character:
            return "path", character
        for key, values in request.GET.lists():
            for text in (key, *values):
                character = control_character(text)
                if character:
                    return key or "query", character
        if request.path_info.startswith("/api/") and request.content_type == (
            "application/json"
        ):
            try:
                document = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return None  # the parser answers that with its own 400
            for path, text in _json_strings(document):
                character = control_character(text)
                if character:
                    return path or "body", character
        return None
