"""gunicorn.conf.py moves what a worker keeps for its life out of the cyclic collector's reach once
its first requests have loaded it (gc.freeze), and only then."""

import gc
import runpy
from types import SimpleNamespace

from django.conf import settings


def test_a_worker_freezes_what_its_first_requests_loaded_and_only_then():
    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    worker = SimpleNamespace()
    try:
        gc.unfreeze()
        frozen_at = {}
        for served in range(1, 31):
            conf["post_request"](worker, None, {}, None)
            frozen_at[served] = gc.get_freeze_count()
            if served in conf["FREEZE_AFTER_REQUESTS"]:
                assert frozen_at[served] > 0
        assert frozen_at[1] > 0 and frozen_at[2] == frozen_at[1]  # not on every request
        assert frozen_at[30] == frozen_at[max(conf["FREEZE_AFTER_REQUESTS"])]
    finally:
        gc.unfreeze()
