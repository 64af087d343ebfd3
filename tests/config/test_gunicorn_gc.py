"""gunicorn.conf.py moves what a worker keeps for its life out of the cyclic collector's reach once
its warm-up and first requests have loaded it (gc.freeze), and only then."""

import gc
import runpy
from types import SimpleNamespace

from django.conf import settings


def test_a_worker_freezes_what_its_first_requests_loaded_and_only_then(monkeypatch):
    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    frozen_after = []
    worker = SimpleNamespace()
    monkeypatch.setattr(gc, "freeze", lambda: frozen_after.append(getattr(worker, "kb_requests_served", 0)))
    monkeypatch.setattr(gc, "collect", lambda *args: 0)
    for _ in range(100):
        conf["post_request"](worker, None, {}, None)
    assert frozen_after == list(conf["FREEZE_AFTER_REQUESTS"]) == [1, 20]


def test_a_new_worker_warms_up_then_freezes(monkeypatch):
    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    calls = []
    monkeypatch.setattr("config.warmup.warm_worker", lambda: calls.append("warm") or True)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *args: 0)
    conf["post_worker_init"](SimpleNamespace())
    assert calls == ["warm", "freeze"]
