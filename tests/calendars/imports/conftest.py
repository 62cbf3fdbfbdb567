import pytest

from calendars.services import plant_create


@pytest.fixture
def plant(db):
    return plant_create(
        code="SZ", name="Suzhou", timezone="Asia/Shanghai", country="CN"
    )


@pytest.fixture
def manager(plant):
    """A plant manager of `plant`."""
    from django.contrib.auth.models import Group

    from accounts.permissions import PLANT_MANAGER
    from tests.factories import UserFactory

    user = UserFactory(username="manager")
    user.groups.add(Group.objects.get(name=PLANT_MANAGER))
    plant.members.add(user)
    return user


@pytest.fixture
def web(client, manager):
    """The pages, signed in as the plant's manager."""
    client.force_login(manager)
    return client


@pytest.fixture
def api(manager):
    """The REST API, signed in as the plant's manager."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(manager)
    return client


@pytest.fixture
def back_to_english():
    """A request in Chinese leaves Chinese active in the test's thread: the
    tests after it expect English again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


from tests.calendars.imports.ics_files import fixed_today  # noqa: E402, F401
