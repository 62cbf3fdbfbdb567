"""The Celery app, configured from Django settings (namespace CELERY)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("offpeak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def database_connections_age(sender=None, **kwargs) -> None:
    """Around every task, what Django does around every web request: close a
    connection past DB_CONN_MAX_AGE or left broken by an error, keep the
    others (settings.CELERY_DB_REUSE_MAX stops Celery closing them all).
    Not for a task run in the caller's process (eager): that is the caller's
    connection, maybe inside its transaction."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
