"""Production plan upload: a preview first, row-numbered errors, then the
import; and the utilisation chart over the horizon."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.models import ProductionPlan

pytestmark = pytest.mark.django_db


def weekly_csv(plant, weeks=8, bad_row=False):
    monday = plant.local_today() - datetime.timedelta(
        days=plant.local_today().weekday()
    )
    lines = ["date,work_centre,load,capacity"]
    for w in range(weeks):
        lines.append(f"{monday + datetime.timedelta(weeks=w)},Assembly,800,1000")
    if bad_row:
        lines.append(f"{monday + datetime.timedelta(days=2)},Assembly,lots,1000")
    return SimpleUploadedFile("plan.csv", "\n".join(lines).encode(), "text/csv")


def test_the_plan_page_draws_the_utilisation_over_the_horizon(login, viewer, plant):
    html = login(viewer).get("/plants/sz/plan/").content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "Planned utilisation per day" in html
    assert "Upload a plan" not in html  # viewers do not upload


def test_a_manager_previews_then_imports_a_plan(login, manager, plant):
    client = login(manager)
    response = client.post(
        "/plants/sz/plan/preview/",
        {"file": weekly_csv(plant), "granularity": "week"},
    )
    html = response.content.decode()
    assert "Preview of plan.csv" in html
    assert "8 rows" in html
    assert not ProductionPlan.objects.filter(plant=plant).exists()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/plants/sz/plan/import/", {"token": token}, follow=True)
    plan = ProductionPlan.objects.get(plant=plant)
    assert plan.row_count == 8 and plan.imported_by is not None
    assert "Imported plan v1" in response.content.decode()


def test_errors_name_the_row_and_column(login, manager, plant):
    response = login(manager).post(
        "/plants/sz/plan/preview/",
        {"file": weekly_csv(plant, weeks=3, bad_row=True), "granularity": "week"},
    )
    html = response.content.decode()
    assert "Problems in the file" in html
    assert "<td>5</td><td>date</td>" in html  # a Wednesday in a weekly plan
    assert "<td>5</td><td>load</td>" in html
    assert "nothing was imported" in html
    assert not ProductionPlan.objects.exists()


def test_an_expired_preview_imports_nothing(login, manager, plant):
    response = login(manager).post(
        "/plants/sz/plan/import/", {"token": "stale"}, follow=True
    )
    assert "expired" in response.content.decode()
    assert not ProductionPlan.objects.exists()


def test_only_managers_upload(login, it_lead, plant):
    client = login(it_lead)
    response = client.post(
        "/plants/sz/plan/preview/", {"file": weekly_csv(plant), "granularity": "week"}
    )
    assert response.status_code == 403
    assert client.post("/plants/sz/plan/import/", {"token": "x"}).status_code == 403
