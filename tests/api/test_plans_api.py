"""/api/plants/{code}/production-plans/: versions, and imports by managers
that save everything or nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.models import PlanLine, ProductionPlan
from tests.factories import ProductionPlanFactory

pytestmark = pytest.mark.django_db

URL = "/api/plants/sz/production-plans/"
GOOD_CSV = (
    "date,work_centre,load,capacity\n"
    "2026-03-02,Assembly,800,1000\n"
    "2026-03-02,Machining,500,600\n"
    "2026-03-09,Assembly,900,1000\n"
)


def upload(client, content: bytes | str, name="plan.csv", granularity="week", url=URL):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url,
        {"file": SimpleUploadedFile(name, data), "granularity": granularity},
        format="multipart",
    )


def test_a_manager_imports_a_csv_as_the_next_version(api, manager, plant):
    ProductionPlanFactory(plant=plant, version=1)
    before = plant.calendar_revision

    response = upload(api(manager), GOOD_CSV)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["row_count"] == 3
    assert body["granularity"] == "week"
    assert body["imported_by"] == "manager"
    assert body["source_name"] == "plan.csv"
    assert PlanLine.objects.filter(plan__version=2).count() == 3
    plant.refresh_from_db()
    assert plant.calendar_revision == before + 1


def test_a_manager_imports_an_xlsx(api, manager, plant):
    book = openpyxl.Workbook()
    for row in [["date", "load", "capacity"], ["2026-03-02", 80, 100]]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    response = upload(
        api(manager), buffer.getvalue(), name="plan.xlsx", granularity="day"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["row_count"] == 1


def test_a_bad_file_saves_nothing_and_lists_row_errors(api, manager, plant):
    bad = "date,load,capacity\n2026-03-02,800,1000\nnot a date,-5,1000\n"

    response = upload(api(manager), bad)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors
    assert all(set(e) == {"row", "column", "message"} for e in errors)
    assert {(e["row"], e["column"]) for e in errors} >= {(3, "date"), (3, "load")}
    assert not ProductionPlan.objects.exists()


def test_an_empty_file_is_a_whole_file_error(api, manager, plant):
    response = upload(api(manager), "   ")

    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] is None


def test_missing_file_and_bad_granularity_are_named(api, manager, plant):
    response = api(manager).post(URL, {"granularity": "hour"}, format="multipart")

    assert response.status_code == 400
    assert {"file", "granularity"} <= set(response.json())


def test_json_is_not_an_upload(api, manager, plant):
    assert api(manager).post(URL, {"granularity": "week"}).status_code == 415


@pytest.mark.parametrize("role", ["it_lead", "viewer", "staff"])
def test_only_plant_managers_import(api, users, plant, role):
    assert upload(api(users[role]), GOOD_CSV).status_code == 403
    assert not ProductionPlan.objects.exists()


def test_a_read_only_token_cannot_import(api, manager, plant):
    assert upload(api(manager, "read_only"), GOOD_CSV).status_code == 403


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_everyone_who_sees_the_plant_lists_its_versions(api, users, plant, role):
    ProductionPlanFactory(plant=plant, version=1, active=False)
    ProductionPlanFactory(plant=plant, version=2)

    response = api(users[role]).get(URL)

    assert response.status_code == 200
    versions = [p["version"] for p in response.json()["results"]]
    assert versions == [2, 1]
    assert api(users[role]).get(URL, {"active": "true"}).json()["count"] == 1


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_plans_are_not_found(api, users, other_plant, role):
    ProductionPlanFactory(plant=other_plant)
    client = api(users[role])
    url = "/api/plants/stg/production-plans/"

    assert client.get(url).status_code == 404
    assert upload(client, GOOD_CSV, url=url).status_code == 404
    assert ProductionPlan.objects.count() == 1


def test_anonymous_is_unauthorised(anon, plant):
    assert anon.get(URL).status_code == 401
    assert upload(anon, GOOD_CSV).status_code == 401
