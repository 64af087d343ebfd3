"""Structured logs: one JSON object per line, and a request id that ties a request's lines together.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id - the caller's
``X-Request-ID`` when it is a plausible one (a proxy's), a fresh one otherwise - sends it back as
``X-Request-ID``, and logs one line per request with its status and duration, plus the user id when
a staff member acted. ``JSONFormatter`` writes any record as JSON and adds the current request id,
so an error logged deep inside a view carries the same id as the request line and gunicorn's access
line (gunicorn.conf.py logs the response's X-Request-ID).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only if it is short and plain, so it cannot forge log structure.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# Probes hit these every few seconds; their lines would drown the rest.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})

current_request_id = contextvars.ContextVar("request_id", default=None)
request_logger = logging.getLogger("kb.requests")

# Attributes every LogRecord has; anything else was passed in ``extra`` and is written out.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """timestamp (UTC, ISO 8601), level, logger, message, request_id, the record's extras, exception."""

    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def request_id_for(request):
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if VALID_REQUEST_ID.match(offered) else uuid.uuid4().hex


def staff_user_id(request):
    """The id of a signed-in staff member (whose actions the log should attribute), else None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return user.pk
    return None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_for(request)
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.id
            self.log(request, response, time.perf_counter() - started)
            return response
        finally:
            current_request_id.reset(token)

    def log(self, request, response, seconds):
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        if request.path in QUIET_PATHS and status < 500:
            level = logging.DEBUG
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": staff_user_id(request),
        }
        request_logger.log(level, "%s %s %s", request.method, request.path, status, extra=fields)
