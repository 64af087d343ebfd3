"""Project wiring: settings, root URLs, the API router, sitemaps, WSGI/ASGI entry points."""
