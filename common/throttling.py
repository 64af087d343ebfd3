"""The API's anonymous throttle, keyed on the same client address as every other limit."""

from rest_framework.throttling import AnonRateThrottle

from common.clientip import client_ip


class ClientAddressAnonThrottle(AnonRateThrottle):
    """DRF's default ``get_ident`` trusts a client-supplied ``X-Forwarded-For`` unless ``NUM_PROXIES``
    is set; this one uses the project's single rule (``TRUSTED_PROXY_COUNT``)."""

    def get_ident(self, request):
        return client_ip(request) or "unknown"
