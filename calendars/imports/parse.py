"""plan_parse: a plan file's bytes to validated plan lines, saving nothing."""

import pandas as pd
from django.utils.translation import gettext as _

from calendars.imports import limits
from calendars.imports.delimited import csv_table
from calendars.imports.errors import PlanImportError, file_error
from calendars.imports.upload import upload_format, upload_name, upload_read
from calendars.imports.validate import table_validate
from calendars.imports.xlsx import xlsx_table
from calendars.models import ProductionPlan


def plan_parse(*, file, granularity: str) -> pd.DataFrame:
    """Read and validate a plan file; raise PlanImportError listing every problem.

    The upload is checked before it is parsed (size, then what its content and
    name say it is; see `upload`), read as CSV or Excel within the limits of
    `limits`, and validated (see `validate`). Returns one row per plan line,
    sorted by bucket, with the columns `row` (the file row), `bucket_start` and
    `bucket_end` (datetime64, inclusive), `work_centre` (str, "" when the file
    has none), `load` and `capacity` (float). The error's `filename` names the
    file.
    """
    name = upload_name(file=file)
    try:
        granularity = _granularity(granularity)
        data = upload_read(file=file, max_bytes=limits.max_bytes())
        if not data.strip():
            raise file_error(_("file is empty"))
        if upload_format(name=name, data=data) == "xlsx":
            table = xlsx_table(data=data)
        else:
            table = csv_table(data=data, filename=name)
        return table_validate(table=table, granularity=granularity)
    except PlanImportError as exc:
        exc.filename = name
        raise


def _granularity(value: str) -> str:
    try:
        return ProductionPlan.Granularity(value).value
    except ValueError:
        raise file_error(
            _("granularity must be day, week or month, not %r") % (value,)
        ) from None
