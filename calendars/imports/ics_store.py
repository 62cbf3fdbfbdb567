"""calendar_file_import: the closures or blackouts of an .ics file, saved."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from calendars.imports.ics import (
    CalendarFileEntry,
    CalendarFileError,
    CalendarFilePreview,
    CalendarFileProblem,
    calendar_file_parse,
)
from calendars.models import Blackout, CalendarException, Plant
from calendars.services import calendar_revision_bump


@dataclass
class CalendarFileImport:
    preview: CalendarFilePreview
    created: list  # the saved CalendarException or Blackout rows

    @property
    def ids(self) -> list[int]:
        return [item.pk for item in self.created]


def _item(plant: Plant, kind: str, entry: CalendarFileEntry, hard: bool):
    if kind == "closure":
        return CalendarException(
            plant=plant,
            kind=CalendarException.Kind.CLOSURE,
            name=entry.name,
            start=entry.start,
            end=entry.end,
        )
    return Blackout(
        plant=plant,
        kind=Blackout.Kind.IT_FREEZE,
        name=entry.name,
        start=entry.start,
        end=entry.end,
        hard=hard,
    )


def calendar_file_import(
    *, plant: Plant, file, kind: str, hard: bool = False
) -> CalendarFileImport:
    """Save the closures (plant closures) or blackouts (IT change freezes,
    `hard` or not) that an .ics file gives within the plant's horizon,
    atomically: the file is read and checked in full first (see
    calendars.imports.ics), every item is validated like any calendar item,
    and the items are saved in one transaction with one calendar revision
    bump (which queues the rebuild after commit). Entries already in the
    calendar are not saved again. Raises CalendarFileError; then nothing is
    saved."""
    with transaction.atomic():
        # Serialises imports per plant, so that two uploads of one file do not
        # both find its entries new.
        Plant.objects.select_for_update().filter(pk=plant.pk).values_list("pk").get()
        preview = calendar_file_parse(plant=plant, file=file, kind=kind)
        items = [_item(plant, preview.kind, e, hard) for e in preview.new_entries]
        problems = []
        for entry, item in zip(preview.new_entries, items, strict=True):
            try:
                item.full_clean()
            except ValidationError as exc:
                problems.append(
                    CalendarFileProblem(entry.line, entry.name, "; ".join(exc.messages))
                )
        if problems:
            raise CalendarFileError(problems, preview.filename)
        if not items:
            return CalendarFileImport(preview=preview, created=[])
        created = type(items[0]).objects.bulk_create(items)
        calendar_revision_bump(plant_ids=[plant.pk])
    plant.refresh_from_db(fields=["calendar_revision"])
    return CalendarFileImport(preview=preview, created=created)
