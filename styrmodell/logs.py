"""The portal's log lines: JSON lines on stdout in production, plain text in development, each line
of a request carrying its request id.

django-guid (middleware first in MIDDLEWARE) takes the id from the proxy's ``X-Request-ID`` when it
is a valid UUID, makes one otherwise, and returns it in the response's ``X-Request-ID``; the filter
here writes it on every line logged while the request runs: Django's own (a 500's traceback among
them), ours and the libraries'. gunicorn writes its access line after the response has gone, so
the filter reads the id from that response's header instead.

Both Django (``settings.LOGGING``) and gunicorn (``gunicorn_conf.logconfig_dict``) configure their
logging from ``logging_config``, so the master process's lines look like the workers'. This module
reads no Django settings: gunicorn imports it before Django starts.
"""

from __future__ import annotations

import logging

from django_guid.context import guid

REQUEST_ID_HEADER = "X-Request-ID"
# gunicorn's access log names a response header "{name}o", lower-cased.
ACCESS_LOG_ATOM = "{" + REQUEST_ID_HEADER.lower() + "}o"
FORMATS = ("json", "text")

# What a line holds besides the message and its extras, in this order.
JSON_FIELDS = "{levelname}{name}{message}"
# Django's django.request lines carry the request object itself: its text says nothing the id and
# the message do not, so it is left out.
NOT_LOGGED = ("request",)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record: the running request's, or on gunicorn's access line the
    one its response returned (``-`` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = guid.get()
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            request_id = record.args.get(ACCESS_LOG_ATOM) or request_id
        record.request_id = request_id or "-"
        return True


def logging_config(log_format: str, level: str = "INFO") -> dict:
    """A ``logging.config.dictConfig`` for ``log_format`` ``json`` (one JSON object a line, on stdout,
    for the platform's log collector) or ``text`` (for a person at a terminal, on stderr)."""
    if log_format not in FORMATS:
        raise ValueError(f"STYRMODELL_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    from pythonjsonlogger.core import RESERVED_ATTRS

    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "style": "{",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC, to the microsecond
            "reserved_attrs": [*RESERVED_ATTRS, *NOT_LOGGED],
        },
        "text": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
    }
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout" if log_format == "json" else "ext://sys.stderr",
        "formatter": log_format,
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "styrmodell.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # gunicorn's own loggers write through the same handler, not their own.
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # It says on every request that it made an id: the id on the request's lines says that.
            "django_guid": {"level": "WARNING"},
        },
    }
