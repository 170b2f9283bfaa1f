"""One format for every error the API returns: ``{"detail": "...", "errors": {"field": ["..."]}}``.

``detail`` says what went wrong in a sentence; ``errors`` lists the messages per field (nested
fields joined with dots, ``items.0.title``), with the messages about the whole object under
``non_field_errors``, and is empty when no field is at fault. A ``ValidationError`` from Django (a
service, a model's ``full_clean``, treebeard's guarded manager) is a 400 with its messages, like
DRF's own, so a rule's refusal is never a 500.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the schema)."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # Django's message names the model and the query, in English; the client needs neither.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = " ".join(general) if general else str(exceptions.ValidationError.default_detail)
    else:
        errors, detail = {}, str(exc.detail)
    response.data = {"detail": detail, "errors": errors}
    return response


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as one flat mapping of field paths to messages."""
    key = prefix or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, dict):
        errors: dict[str, list[str]] = {}
        for name, inner in detail.items():
            # Django's model validation files the whole object's messages under "__all__".
            name = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name
            for field, messages in field_errors(inner, f"{prefix}.{name}" if prefix else name).items():
                errors.setdefault(field, []).extend(messages)
        return errors
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {key: [str(item) for item in detail]} if detail else {}
        errors = {}
        for index, inner in enumerate(detail):
            for field, messages in field_errors(inner, f"{prefix}.{index}" if prefix else str(index)).items():
                errors.setdefault(field, []).extend(messages)
        return errors
    return {key: [str(detail)]}
