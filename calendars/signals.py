"""Announcements other apps subscribe to; calendars never imports them."""

from django.dispatch import Signal

# Sent after the transaction that changed a plant's calendar has committed.
# Arguments: plant_ids (tuple of int).
calendar_changed = Signal()
