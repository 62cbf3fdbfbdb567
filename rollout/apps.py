from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Go-live planning")

    def ready(self) -> None:
        # Calendar changes and rollout changes both rebuild recommendations;
        # tasks are wired here so that services never import them.
        from calendars.signals import calendar_changed
        from rollout.hooks import hooks
        from rollout.program_services import programs_mark_stale
        from rollout.signals import programs_stale, rollouts_changed

        calendar_changed.connect(
            _rebuild_on_change, dispatch_uid="rollout-rebuild-on-calendar-change"
        )
        rollouts_changed.connect(
            _rebuild_on_change, dispatch_uid="rollout-rebuild-on-rollout-change"
        )
        # A plant rebuilt at a new revision makes its programs' plans stale;
        # they are planned again after commit.
        if programs_mark_stale not in hooks.after_rebuild:
            hooks.after_rebuild.append(programs_mark_stale)
        programs_stale.connect(_replan_on_change, dispatch_uid="rollout-replan")


def _rebuild_on_change(sender, plant_ids, **kwargs) -> None:
    from rollout.tasks import recommendations_enqueue

    recommendations_enqueue(plant_ids=plant_ids)


def _replan_on_change(sender, program_ids, force=False, **kwargs) -> None:
    from rollout.tasks import programs_enqueue

    programs_enqueue(program_ids=program_ids, force=force)
