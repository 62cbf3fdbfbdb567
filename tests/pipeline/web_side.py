"""The "web" side of the broker fault tests, as a process of its own.

Celery reads the broker URL from the settings when the app is configured, so
rather than re-pointing the test process's app at another Redis (and trusting
that every pooled connection follows), this process is started with REDIS_URL
naming the test's private Redis and DATABASE_URL the test database: it saves
edits exactly as a web request does, on_commit publish included.

Protocol: one JSON command per stdin line, one JSON answer per stdout line.
  {"op": "warm"}  open the pooled broker connection, as a running web
                  process has (publishes to a queue nobody consumes)
  {"op": "edit", "milestone": id, "shift_days": n}
                  move a milestone through calendars.services; answers the
                  seconds the save took, the plant's revision afterwards and
                  the errors rollout.tasks logged meanwhile
  {"op": "api", "method": "GET", "path": "/api/…", "token": key, "body": {…}}
                  one request to the REST API through Django's full stack
                  (middleware, token authentication, throttles, the cache),
                  as a client of this process would make it; answers its
                  status, the seconds it took, its JSON and the errors
                  rollout.tasks logged meanwhile
"""

import datetime
import json
import logging
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from calendars import services  # noqa: E402
from calendars.models import Milestone, Plant  # noqa: E402
from rollout.tasks import rebuild_recommendations  # noqa: E402


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def edit(recorder: Recorder, milestone: int, shift_days: int) -> dict:
    item = Milestone.objects.get(pk=milestone)
    shift = datetime.timedelta(days=shift_days)
    recorder.messages.clear()
    started = time.monotonic()
    services.calendar_item_update(
        item=item, start=item.start + shift, end=item.end + shift
    )
    seconds = time.monotonic() - started
    plant = Plant.objects.get(pk=item.plant_id)
    return {
        "seconds": seconds,
        "revision": plant.calendar_revision,
        "queue_errors": list(recorder.messages),
    }


def api(recorder: Recorder, command: dict) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    body = command.get("body")
    recorder.messages.clear()
    started = time.monotonic()
    response = client.generic(
        command["method"],
        command["path"],
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {command['token']}",
    )
    seconds = time.monotonic() - started
    try:
        payload = response.json()
    except ValueError:
        payload = response.content.decode(errors="replace")[:500]
    return {
        "status": response.status_code,
        "seconds": seconds,
        "json": payload,
        "queue_errors": list(recorder.messages),
    }


def main() -> None:
    recorder = Recorder()
    logging.getLogger("rollout.tasks").addHandler(recorder)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "warm":
            rebuild_recommendations.apply_async((0,), queue="pipeline-test-warm-up")
            answer = {"ok": True}
        elif command["op"] == "edit":
            answer = edit(recorder, command["milestone"], command["shift_days"])
        elif command["op"] == "api":
            answer = api(recorder, command)
        else:
            answer = {"error": f"unknown op {command['op']!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
