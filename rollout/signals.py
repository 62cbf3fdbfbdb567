"""Announcements of rollout's services; rollout.apps wires them to the tasks."""

from django.dispatch import Signal

# Sent after the transaction that changed a rollout or scoring profile has
# committed. Arguments: plant_ids (tuple of int), the plants to rebuild.
rollouts_changed = Signal()

# Sent after the transaction that made programs' plans stale (a plant rebuilt
# at a new revision) has committed. Arguments: program_ids (tuple of int).
programs_stale = Signal()
