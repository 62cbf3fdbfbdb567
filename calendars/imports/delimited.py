"""Reading a delimited text plan (CSV, Excel's "Unicode text") into a Table.

Decoding (encoding, delimiter, decimal comma) follows `decoding.decode_table`;
this module turns its outcome into the import's errors. Control characters
are left to the validation, which checks CSV and Excel cells alike and
reports every bad cell rather than the first.
"""

from django.utils.translation import gettext as _

from calendars.imports import decoding
from calendars.imports.errors import file_error
from calendars.imports.limits import max_rows
from calendars.imports.table import Table, table_build, too_many_rows


def csv_table(*, data: bytes, filename: str) -> Table:
    """The file's header and rows; raises PlanImportError for a file that is
    empty, too long or readable in none of the encodings and delimiters."""
    limit = max_rows()
    try:
        decoded = decoding.decode_table(
            data=data, filename=filename, max_rows=limit, check_characters=False
        )
    except decoding.EmptyFile:
        raise file_error(_("file is empty")) from None
    except decoding.TooManyRows:
        raise file_error(too_many_rows(limit)) from None
    except decoding.UndecodableFile as exc:
        raise file_error(
            _(
                "%(file)s %(reason)s: tried the encodings %(encodings)s and the "
                "delimiters %(delimiters)s; save it as CSV UTF-8"
            )
            % {
                "file": filename,
                "reason": exc.reason,
                "encodings": ", ".join(exc.encodings),
                "delimiters": ", ".join(exc.delimiters),
            }
        ) from None
    rows = enumerate(decoded.rows, start=decoded.header_row + 1)
    return table_build(
        header_row=decoded.header_row,
        header=decoded.header,
        rows=rows,
        header_width=len(decoded.header),
        decimal_comma=decoded.decimal_comma,
    )
