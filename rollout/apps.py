from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Go-live planning")

    def ready(self) -> None:
        # Calendar changes and rollout changes both rebuild recommendations;
        # tasks are wired here so that services never import them.
        from calendars.signals import calendar_changed
        from rollout.signals import rollouts_changed

        calendar_changed.connect(
            _rebuild_on_change, dispatch_uid="rollout-rebuild-on-calendar-change"
        )
        rollouts_changed.connect(
            _rebuild_on_change, dispatch_uid="rollout-rebuild-on-rollout-change"
        )


def _rebuild_on_change(sender, plant_ids, **kwargs) -> None:
    from rollout.tasks import recommendations_enqueue

    recommendations_enqueue(plant_ids=plant_ids)
