"""An uploaded file kept between its preview and its confirmation: the
production plan and the .ics import both parse the upload, show a preview and
save only when the user confirms. The file waits in the session under a
one-time token, for that plant only."""

import base64
import io
import secrets

from django.contrib import messages
from django.utils.translation import gettext as _


def upload_keep(request, *, key: str, plant, upload, **details) -> str:
    """Keeps `upload` (read from its start) and `details` in the session under
    `key` for `plant`; returns the token the confirmation form posts back."""
    upload.seek(0)
    token = secrets.token_urlsafe(16)
    request.session[key] = {
        "token": token,
        "plant": plant.pk,
        "name": upload.name,
        "content_type": getattr(upload, "content_type", "") or "",
        "data": base64.b64encode(upload.read()).decode("ascii"),
        "details": details,
    }
    return token


def upload_take(request, *, key: str, plant) -> tuple[io.BytesIO, dict] | None:
    """The file kept under `key` and its details, if the posted token and the
    plant match; else None, with a message asking for the file again (the
    preview expired or belongs elsewhere). The session keeps it until
    upload_forget(), so that a failed import can be retried."""
    kept = request.session.get(key)
    if (
        not kept
        or kept.get("token") != request.POST.get("token")
        or kept.get("plant") != plant.pk
    ):
        messages.error(
            request, _("That preview has expired; please upload the file again.")
        )
        return None
    file = io.BytesIO(base64.b64decode(kept["data"]))
    file.name = kept["name"]
    file.content_type = kept["content_type"]
    return file, kept["details"]


def upload_forget(request, *, key: str) -> None:
    request.session.pop(key, None)
