"""One format for every error the API returns: ``{"detail": "...", "errors": {"field": ["..."]}}``.

``detail`` says what went wrong in a sentence; ``errors`` lists the messages per field (nested
fields joined with dots, ``items.0.title``), with the messages about the whole object under
``non_field_errors``, and is empty when no field is at fault. A ``ValidationError`` from Django (a
service, a model's ``full_clean``, treebeard's guarded manager) is a 400 with its messages, like
DRF's own, so a rule's refusal is never a 500; a ``Conflict`` (the record is not in the state the
write needs, most often because someone else acted first) is a 409.

Every ``detail`` is in the request's language: the REST framework's catalogue leaves a few of its
messages in English (its "Invalid input.", a body that is not JSON), so those are the portal's own.
"""

from __future__ import annotations

import json

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from orgunits.concurrency import Conflict


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the schema)."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ConflictError(exceptions.APIException):
    """A write refused because the record is not in the state it needs, or changed since the
    caller read it (``orgunits.concurrency.Conflict``): 409, with the message saying what
    happened instead."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record changed; read it again.")

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


# The ``detail`` of a 400 whose messages are about fields (DRF's own is not translated).
INVALID_INPUT = _("Invalid input.")


def unreadable_body(error: exceptions.ParseError) -> exceptions.ParseError:
    """A body that the JSON parser could not read, said in the request's language; the REST
    framework's message is English with Python's own words in it. The parser raises its error
    while handling the decoder's, which says where the body goes wrong."""
    cause = error.__context__
    if isinstance(cause, json.JSONDecodeError):
        return exceptions.ParseError(
            gettext("The request's body is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": cause.lineno, "column": cause.colno}
        )
    return exceptions.ParseError(gettext("The request's body could not be read as JSON."))


def error_response(status_code: int, detail: str) -> JsonResponse:
    """The API's error format for what no API view answered (an address the router does not know,
    a 500): the handlers of ``styrmodell.errors`` use it under /api/."""
    return JsonResponse({"detail": str(detail), "errors": {}}, status=status_code)


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        exc = ConflictError(exc.messages)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # Django's message names the model and the query, in English; the client needs neither.
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError) and isinstance(exc.__context__, ValueError):
        exc = unreadable_body(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = " ".join(general) if general else str(INVALID_INPUT)
    elif isinstance(exc, ConflictError):
        # Like a rule's refusal: the messages are about the whole object.
        errors, detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}, str(exc.detail)
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
