"""Optional error tracking: Sentry, only when ``SENTRY_DSN`` is set and ``sentry-sdk`` is installed.

Off by default, and not a dependency: a deployment that wants it installs ``sentry-sdk`` and sets
the DSN. Personal data (addresses, cookies, user details) is not sent.
"""

import importlib
import importlib.util
import logging

logger = logging.getLogger(__name__)


def init_error_tracking(dsn, environment, traces_sample_rate=0.0):
    """Start Sentry if asked to and able to; returns whether it was started."""
    if not dsn:
        return False
    if importlib.util.find_spec("sentry_sdk") is None:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed; error tracking is off.")
        return False
    sentry_sdk = importlib.import_module("sentry_sdk")
    django_integration = importlib.import_module("sentry_sdk.integrations.django").DjangoIntegration
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[django_integration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
    return True
