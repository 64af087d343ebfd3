# syntax=docker/dockerfile:1
# The Lanzarote Knowledge Base as a container: gunicorn on port 8000, as a non-root user, with the
# static files collected at build time. `docker compose up` (compose.yaml) adds PostgreSQL, Redis and
# the migrate + load_kb step. Settings come from the environment (README, "Deploying").

ARG PYTHON_VERSION=3.11

# --- build: the dependencies, pinned by requirements.lock, in a virtualenv copied into the runtime.
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY config ./config
COPY common ./common
COPY taxonomy ./taxonomy
COPY kb ./kb
COPY search ./search
COPY practices ./practices
COPY content ./content
COPY curation ./curation
RUN pip install -c requirements.lock .

# --- runtime: no compilers, no pip cache; the code runs from /app.
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000
RUN groupadd --system --gid 10001 kb \
    && useradd --system --uid 10001 --gid kb --home-dir /app --no-create-home --shell /usr/sbin/nologin kb
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .
# Hashed, compressed static files for WhiteNoise; the key and host only let the settings load here.
RUN SECRET_KEY=collectstatic-only-not-a-real-key ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R kb:kb /app/var
USER kb:kb
EXPOSE 8000
# /healthz answers any host over plain HTTP (config/health.py), so the probe needs no settings.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi"]
