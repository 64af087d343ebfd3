"""A per-address limit for the public forms, kept in the shared cache (no third-party captcha).

The counter lives in Django's cache: Redis when ``REDIS_URL`` is set, so every worker and every
restart sees the same count (``incr`` is atomic there). Only valid submissions are counted: a form
sent back with errors does not use up the allowance. The address comes from ``common.clientip``, the
rule the API throttle and the login lockouts use too."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from common.clientip import client_ip


def client_address(request) -> str:
    return client_ip(request) or "unknown"


def _key(request, scope: str) -> str:
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"kb-form-rate:{scope}:{digest}"


def is_limited(request, scope: str) -> bool:
    """True when this address has already used its allowance (checked before validating a post)."""
    limit, _window = settings.KB_PUBLIC_FORM_RATE
    return (cache.get(_key(request, scope)) or 0) >= limit


def allow_submission(request, scope: str) -> bool:
    """Count one valid submission from this address; False once it is over the limit for the window."""
    limit, window = settings.KB_PUBLIC_FORM_RATE
    key = _key(request, scope)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
