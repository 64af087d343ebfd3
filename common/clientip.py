"""The client's address, written once for every limit (public forms, the API throttle, login lockouts).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it saw to
``X-Forwarded-For``; the client's own address is therefore the ``TRUSTED_PROXY_COUNT``-th entry from
the right. Anything to the left of it was written by the client and is ignored, so rotating a forged
header never yields a fresh allowance. With no trusted proxy (the default) only ``REMOTE_ADDR`` counts.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address limits are keyed on; None when the request carries none (django-axes stores the
    value in an address column, which refuses a placeholder such as "unknown" on PostgreSQL)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:  # did not come through every trusted proxy: trust only the socket
        return remote
    return _valid_ip(hops[-proxies]) or remote
