"""Every bound a plan file must stay within, in one place.

Settings are read when a file is imported, never at import time, so that
tests and deployments can change them:

- PLAN_IMPORT_MAX_BYTES: the largest upload, refused before it is read.
- PLAN_IMPORT_MAX_ROWS (default 100,000): rows after the file's first row,
  blank ones included; a CSV or sheet is read no further.
- PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES (default 50 MB): the total size of an
  .xlsx file's parts once inflated, checked before anything is inflated.
"""

from django.conf import settings

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 2**20

# A plan has four columns; anything past this many is a different file.
MAX_COLUMNS = 100
# Load and capacity are in the plant's own unit (hours, pieces, tonnes); no
# plant plans a trillion of them in one bucket, and sums of up to MAX_ROWS
# such values stay exact enough in a float.
MAX_AMOUNT = 1e12
# Load may exceed capacity (overtime, a backlog) but not by an order of
# magnitude: a utilisation above 10 (1,000%) is a unit or typing mistake.
# Checked per row; a bucket's utilisation (its rows' summed load over summed
# capacity) then cannot exceed it either.
MAX_UTILISATION = 10.0
# Excel's sheet XML deflates 5-20 fold, very repetitive sheets some 30 fold;
# a part inflating more than this is built to inflate, not a plan.
MAX_COMPRESSION_RATIO = 100
# Parts smaller than this are not judged by their ratio: a tiny part's ratio
# says nothing and costs nothing to inflate.
RATIO_CHECKED_FROM_BYTES = 2**20
# openpyxl parses some 100,000 cells a second; a plan needs a row tag and four
# cell tags per row, so room for ten tags per row bounds the time a workbook's
# sheets can take.
MAX_CELLS_PER_ROW = 10


def max_bytes() -> int:
    return settings.PLAN_IMPORT_MAX_BYTES


def max_rows() -> int:
    return getattr(settings, "PLAN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_uncompressed_bytes() -> int:
    return getattr(
        settings, "PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES
    )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# iCalendar (.ics) files of closures and blackouts (calendars.imports.ics).
# CALENDAR_IMPORT_MAX_BYTES: the largest .ics upload (default 1 MB: a year of
# a company's shutdowns is a few kilobytes; Outlook exports with long
# descriptions stay well below). CALENDAR_IMPORT_MAX_EVENTS (default 1,000):
# VEVENTs in one file, counted before it is parsed. CALENDAR_IMPORT_MAX_ITEMS
# (default 1,000): closures or blackouts one file may expand to within the
# horizon.
DEFAULT_CALENDAR_MAX_BYTES = 2**20
DEFAULT_CALENDAR_MAX_EVENTS = 1000
DEFAULT_CALENDAR_MAX_ITEMS = 1000
# dateutil walks a repeat from its DTSTART, not from the window asked: the
# periods (days of a daily repeat, weeks of a weekly one…) from the starts of a
# file's repeats to the end of the horizon, summed, at most this many. Some
# 5 µs each: an import spends at most a few seconds expanding.
MAX_EXPANSION_STEPS = 500_000


def calendar_max_bytes() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_BYTES", DEFAULT_CALENDAR_MAX_BYTES)


def calendar_max_events() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_EVENTS", DEFAULT_CALENDAR_MAX_EVENTS)


def calendar_max_items() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_ITEMS", DEFAULT_CALENDAR_MAX_ITEMS)


def horizon_days() -> int:
    return getattr(settings, "OFFPEAK_HORIZON_DAYS", 730)
