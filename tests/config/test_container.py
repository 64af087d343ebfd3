"""The container recipe (issue 12). No container engine runs here, so the Dockerfile and compose.yaml
are read and checked for what `docker compose up` relies on; `make prod-smoke` runs the same stack
natively."""

import re

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


@pytest.fixture(scope="module")
def dockerfile():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    # Join continued lines, drop comments: one instruction per item.
    text = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def instructions(dockerfile, name):
    return [line.split(None, 1)[1] for line in dockerfile if line.split(None, 1)[0].upper() == name]


def test_dockerfile_is_multi_stage_and_runs_gunicorn_as_a_non_root_user(dockerfile):
    stages = instructions(dockerfile, "FROM")
    assert len(stages) >= 2 and any(" AS build" in stage for stage in stages)
    assert any("--from=build" in copy for copy in instructions(dockerfile, "COPY"))
    users = instructions(dockerfile, "USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    # USER comes after the last RUN that needs root, and before the command.
    last_user = max(i for i, line in enumerate(dockerfile) if line.startswith("USER"))
    last_run = max(i for i, line in enumerate(dockerfile) if line.startswith("RUN"))
    assert last_run < last_user < next(i for i, line in enumerate(dockerfile) if line.startswith("CMD"))
    assert (
        "gunicorn" in instructions(dockerfile, "CMD")[-1] and "gunicorn.conf.py" in instructions(dockerfile, "CMD")[-1]
    )
    assert instructions(dockerfile, "EXPOSE") == ["8000"]


def test_dockerfile_collects_static_files_and_has_a_healthcheck(dockerfile):
    assert any("collectstatic --noinput" in run for run in instructions(dockerfile, "RUN"))
    healthcheck = instructions(dockerfile, "HEALTHCHECK")
    assert len(healthcheck) == 1 and "http://127.0.0.1:8000/healthz" in healthcheck[0]
    assert "DJANGO_ENV=production" in " ".join(instructions(dockerfile, "ENV"))


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "var"} <= set(ignored)


def test_compose_has_app_postgresql_redis_and_a_migrate_and_load_step(compose):
    services = compose["services"]
    assert set(services) == {"app", "db", "redis", "migrate"}
    assert services["db"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate --noinput" in migrate and "manage.py load_kb" in migrate
    app = services["app"]
    assert app["ports"] == ["8000:8000"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_services_have_healthchecks_and_the_app_its_settings(compose):
    services = compose["services"]
    for name in ("app", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    environment = services["app"]["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert "@db:5432/" in environment["DATABASE_URL"] and environment["REDIS_URL"].startswith("redis://redis:6379")
    assert "localhost" in environment["ALLOWED_HOSTS"] and environment["SECRET_KEY"]
    assert services["migrate"]["environment"] == environment  # the same image and settings
    assert services["app"]["build"] == "."
