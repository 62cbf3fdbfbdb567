"""The checks an upload passes before any parsing: its size, then what it is.

Rules:

- A file whose known size is over the limit is refused without reading it; a
  stream is read up to the limit and one byte, never further.
- The content decides, the name only confirms: a zip archive is a workbook, an
  OLE2 compound file is an old .xls or a password-protected workbook (neither
  readable), anything else is text. A name that contradicts the content
  (`.csv` holding a workbook, `.xlsx` holding anything but a zip) is refused.
"""

import re
from pathlib import PurePath

from django.utils.translation import gettext as _

from calendars.imports.errors import file_error
from calendars.imports.limits import megabytes

ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def upload_name(*, file, default: str = "upload") -> str:
    """The file's base name without control characters, or `default`."""
    name = PurePath(str(getattr(file, "name", None) or "")).name
    return without_controls(name) or default


def upload_read(*, file, max_bytes: int) -> bytes:
    """The file's bytes, refusing a file over max_bytes before any parsing."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise file_error(
            _("file is %(size)s; the limit is %(limit)s")
            % {"size": megabytes(size), "limit": megabytes(max_bytes)}
        )
    seekable = getattr(file, "seekable", None)
    if callable(seekable) and seekable():
        file.seek(0)
    data = file.read(max_bytes + 1)  # never more than the limit and one byte
    if isinstance(data, str):
        raise TypeError("open plan files in binary mode")
    if len(data) > max_bytes:
        raise file_error(
            _("file is larger than the limit of %s") % megabytes(max_bytes)
        )
    return data


def upload_format(*, name: str, data: bytes) -> str:
    """ "xlsx" or "csv" (any delimited text), from the content and the name."""
    suffix = PurePath(name).suffix.lower()
    if data.startswith(OLE2_SIGNATURE):
        if suffix == ".xlsx":
            raise file_error(
                _(
                    "file is password-protected or an old .xls workbook renamed; "
                    "remove the password and save it as .xlsx or as CSV UTF-8"
                )
            )
        raise file_error(
            _(
                "old Excel .xls files are not supported; save it as .xlsx or as "
                "CSV UTF-8"
            )
        )
    if data.startswith(ZIP_SIGNATURE):
        if suffix == ".csv":
            raise file_error(
                _(
                    "file is named .csv but is an Excel workbook; name it .xlsx or "
                    "save it as CSV UTF-8"
                )
            )
        return "xlsx"
    if suffix == ".xlsx":
        raise file_error(_("file is not a readable Excel workbook (.xlsx)"))
    return "csv"
