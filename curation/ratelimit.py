"""A per-address limit for the public forms, kept in the cache (no third-party captcha)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow_submission(request, scope: str) -> bool:
    """Count one submission from this address; False once it is over the limit for the window."""
    limit, window = settings.KB_PUBLIC_FORM_RATE
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"kb-form-rate:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
