"""Importing closures or blackouts from an .ics file: upload, preview, then
confirm, like the production plan upload. Plant managers of the plant (and
staff) only; nothing is saved before the confirmation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import permissions
from calendars.imports.ics import KINDS, CalendarFileError, calendar_file_parse
from calendars.imports.ics_store import calendar_file_import
from calendars.web.access import plant_get, require
from calendars.web.uploads import upload_forget, upload_keep, upload_take

SESSION_KEY = "offpeak_calendar_upload"
PREVIEW_ROWS = 200


class CalendarFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("iCalendar file (.ics)"),
        help_text=gettext_lazy(
            "Exported from Outlook, Google Calendar or a change-management tool. "
            "Repeating events are expanded over the planning horizon."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.ical,text/calendar"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Import the events as"),
        choices=list(KINDS.items()),
        widget=forms.RadioSelect,
        initial="closure",
    )
    hard = forms.BooleanField(
        label=gettext_lazy("Hard blackouts: no cutover or hypercare in them"),
        required=False,
    )


def _page(request, plant, **context):
    return render(request, "web/calendar_import.html", {"plant": plant, **context})


def _problems_message(error: CalendarFileError) -> str:
    return ngettext(
        "%(file)s has a problem; nothing was imported.",
        "%(file)s has %(n)s problems; nothing was imported.",
        len(error.errors),
    ) % {"file": error.filename, "n": len(error.errors)}


@login_required
def calendar_import(request, code):
    """The upload form (GET) and its preview (POST)."""
    plant = plant_get(request.user, code)
    require(permissions.can_edit_calendar(request.user, plant))
    if request.method != "POST":
        return _page(request, plant, form=CalendarFileForm())
    form = CalendarFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, plant, form=form)
    upload = form.cleaned_data["file"]
    kind = form.cleaned_data["kind"]
    try:
        preview = calendar_file_parse(plant=plant, file=upload, kind=kind)
    except CalendarFileError as exc:
        form.add_error("file", _problems_message(exc))
        return _page(request, plant, form=form, import_error=exc)
    hard = form.cleaned_data["hard"] and kind == "blackout"
    token = upload_keep(
        request, key=SESSION_KEY, plant=plant, upload=upload, kind=kind, hard=hard
    )
    return _page(
        request,
        plant,
        preview=preview,
        token=token,
        hard=hard,
        preview_entries=preview.entries[:PREVIEW_ROWS],
        more_entries=max(0, len(preview.entries) - PREVIEW_ROWS),
    )


@login_required
@require_POST
def calendar_import_confirm(request, code):
    plant = plant_get(request.user, code)
    require(permissions.can_edit_calendar(request.user, plant))
    kept = upload_take(request, key=SESSION_KEY, plant=plant)
    if kept is None:
        return redirect("web:calendar_import", code=plant.code)
    file, details = kept
    try:
        result = calendar_file_import(
            plant=plant, file=file, kind=details["kind"], hard=details["hard"]
        )
    except CalendarFileError as exc:
        form = CalendarFileForm()
        return _page(
            request,
            plant,
            form=form,
            import_error=exc,
            problems_message=_problems_message(exc),
        )
    upload_forget(request, key=SESSION_KEY)
    created = len(result.created)
    if created:
        messages.success(
            request,
            ngettext(
                "Imported %(n)s %(kind)s from %(file)s. The recommendations are "
                "being recalculated.",
                "Imported %(n)s items (%(kind)s) from %(file)s. The "
                "recommendations are being recalculated.",
                created,
            )
            % {
                "n": created,
                "kind": result.preview.kind_label,
                "file": result.preview.filename,
            },
        )
    else:
        messages.info(
            request,
            _("%(file)s holds nothing new: every entry is already in the calendar.")
            % {"file": result.preview.filename},
        )
    return redirect("web:calendar_data", code=plant.code)
