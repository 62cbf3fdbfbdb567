import pytest

from calendars.services import plant_create


@pytest.fixture
def plant(db):
    return plant_create(
        code="SZ", name="Suzhou", timezone="Asia/Shanghai", country="CN"
    )
