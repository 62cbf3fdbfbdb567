"""Import a production plan file for one plant from the command line.

python manage.py import_plan --plant SZ --granularity week plan.csv --user li
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from calendars.imports import PlanImportError, plan_import, plan_import_summary
from calendars.models import Plant, ProductionPlan


class Command(BaseCommand):
    help = "Import a production plan (CSV UTF-8 or .xlsx) as a plant's next version."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .xlsx file.")
        parser.add_argument("--plant", required=True, help="The plant's code.")
        parser.add_argument(
            "--granularity",
            required=True,
            choices=ProductionPlan.Granularity.values,
            help="What one row of the file covers.",
        )
        parser.add_argument("--user", help="Username recorded as the importer.")

    def handle(self, *args, path, plant, granularity, user=None, **options):
        try:
            plant_obj = Plant.objects.get(code=plant)
        except Plant.DoesNotExist:
            raise CommandError(f"No plant with the code {plant!r}.") from None
        user_obj = None
        if user:
            User = get_user_model()
            try:
                user_obj = User.objects.get(**{User.USERNAME_FIELD: user})
            except User.DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        name = Path(path).name
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror}") from None
        with handle:
            try:
                plan = plan_import(
                    plant=plant_obj,
                    # File() gives the import the size, so a huge file is
                    # refused without reading it.
                    file=File(handle, name=name),
                    granularity=granularity,
                    user=user_obj,
                    source_name=name,
                )
            except PlanImportError as exc:
                for error in exc.errors:
                    self.stderr.write(_located(name, error))
                raise CommandError(
                    f"{name} was not imported: fix the problems above and run "
                    "the command again."
                ) from None
        self.stdout.write(plan_import_summary(plan=plan))


def _located(name: str, error) -> str:
    """`plan.csv row 7, column load: load must be zero or more`"""
    if error.row is None and error.column is None:
        return f"{name}: {error.message}"
    return f"{name} {error}"
