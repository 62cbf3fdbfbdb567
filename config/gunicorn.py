"""gunicorn's settings for the web processes:
`gunicorn -c config/gunicorn.py config.wsgi:application` (the Dockerfile,
docker-compose.yml and benchmarks/bench_api.py start it so); options on the
command line add to these.

Garbage collection. Once Django, DRF and the apps are imported, a worker
holds about 180,000 objects that live as long as it does, and CPython's full
collection walks every object it tracks: 60 ms on an idle 2-core machine,
90-140 ms under load, while every request of the worker waits (its threads
share one interpreter). Under the API benchmark's load a worker ran one
every ~10 s, and those pauses made the API's p99 latency. So each worker,
once it has loaded the application, imports the URLconf (and with it every
view), collects once and freezes what is left (gc.freeze): collections then
leave those objects alone. A larger first-generation threshold (default
700) makes collections rarer, so fewer of a request's short-lived objects are
still in flight when one runs and get promoted, and a full collection comes
after ~1,000,000 allocations instead of ~70,000.
"""

import gc
import importlib

# (generation 0, 1, 2) thresholds; CPython's default is (700, 10, 10).
GC_THRESHOLDS = (10_000, 10, 10)


def post_worker_init(worker) -> None:
    from django.conf import settings

    importlib.import_module(settings.ROOT_URLCONF)  # every view module
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    worker.log.info(
        "worker %s: %d start-up objects frozen out of garbage collection, "
        "thresholds %s",
        worker.pid,
        gc.get_freeze_count(),
        GC_THRESHOLDS,
    )
